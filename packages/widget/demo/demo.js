// The demo page's own script: what a site puts in the snippet's inline <script> (see
// widgetSnippetScript in the protocol). A file rather than inline code, because Parley's pages
// run under a CSP that allows no inline scripts. The stub keeps the calls; widget.js, added
// after the page's load in idle time, replays them.
window.LiveChatWidget =
  window.LiveChatWidget ||
  new Proxy(
    { q: [] },
    {
      get: function (t, k) {
        return k === 'q'
          ? t.q
          : function () {
              t.q.push([k, [].slice.call(arguments)]);
            };
      },
    },
  );
function addLoader() {
  const script = document.createElement('script');
  script.async = true;
  script.src = '/widget.js';
  document.head.appendChild(script);
}
function whenIdle() {
  if (window.requestIdleCallback) window.requestIdleCallback(addLoader, { timeout: 3000 });
  else setTimeout(addLoader, 1);
}
if (document.readyState === 'complete') whenIdle();
else window.addEventListener('load', whenIdle);
window.LiveChatWidget.init({ apiUrl: location.origin });
document.getElementById('open-chat').addEventListener('click', () => window.LiveChatWidget.open());
document.getElementById('spa-link').addEventListener('click', (event) => {
  event.preventDefault();
  history.pushState({}, '', '/demo/?page=pricing');
  document.title = 'Pricing · Parley demo shop';
  document.querySelector('h1').textContent = 'Pricing';
});
