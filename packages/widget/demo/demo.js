// The demo page's own script: what a site puts in its second <script> tag. A file rather than
// inline code, because Parley's pages run under a CSP that allows no inline scripts.
window.LiveChatWidget.init({ apiUrl: location.origin });
document.getElementById('open-chat').addEventListener('click', () => window.LiveChatWidget.open());
document.getElementById('spa-link').addEventListener('click', (event) => {
  event.preventDefault();
  history.pushState({}, '', '/demo/?page=pricing');
  document.title = 'Pricing · Parley demo shop';
  document.querySelector('h1').textContent = 'Pricing';
});
