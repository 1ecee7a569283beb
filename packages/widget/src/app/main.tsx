import type { HostToFrame } from '@parley/protocol/widget-frame';
import { render } from 'preact';
import { ApiError, fetchConfig, openSession } from './api.js';
import { loadLanguage, pickLocale } from './i18n.js';
import { App } from './app.js';
import { Chat } from './chat.js';
import { connectToHost } from './frame-link.js';
import { prepareIdentity, startAs } from './host-api.js';
import { load, save, keepInOwnStorage, keepInSiteStorage } from './storage.js';
import { VisitorSocket } from './visitor-socket.js';
import './styles.css';

/** How long to wait for the loader's `init` before drawing with the server's settings alone. */
const INIT_WAIT_MS = 2000;

async function boot() {
  const link = connectToHost();
  // Messages from the site arrive from the start; the app subscribes once it is drawn.
  const early: HostToFrame[] = [];
  let deliver: (m: HostToFrame) => void = (m) => void early.push(m);
  let gotInit: (m: Extract<HostToFrame, { type: 'init' }>) => void = () => {};
  const init = new Promise<Extract<HostToFrame, { type: 'init' }> | null>((resolve) => {
    gotInit = resolve;
    setTimeout(() => resolve(null), link.embedded ? INIT_WAIT_MS : 0);
  });
  link.listen((m) => {
    // The site names its user or its attributes: their part is fetched while the chat starts.
    if ((m.type === 'init' && m.user) || m.type === 'user' || m.type === 'attributes')
      prepareIdentity();
    if (m.type === 'init') gotInit(m);
    else deliver(m);
  });
  link.post({ type: 'ready' });

  const configLoaded = fetchConfig();
  // The token is in the site's storage, which arrives with init: the session waits for it.
  const hello = await init;
  if (hello)
    keepInSiteStorage(hello.stored, (key, value) => link.post({ type: 'store', key, value }));
  else keepInOwnStorage();
  const stored = load('token');
  const options = hello?.options ?? {};
  // The site's choice, else the browser's languages, else the admin's default.
  const languageLoaded = configLoaded.then((config) =>
    loadLanguage(pickLocale([options.locale, ...navigator.languages], config.defaultLocale)),
  );
  const [config, session, language] = await Promise.all([
    configLoaded,
    // The person the site named (setUser) is claimed before anything is drawn.
    openSession(typeof stored === 'string' ? stored : undefined).then(
      (s) => startAs(s, hello?.user, link),
      // Banned (the visitor, or this address): no session; the chat says nothing can be sent.
      (e: unknown) => {
        if (e instanceof ApiError && e.code === 'banned') return null;
        throw e;
      },
    ),
    languageLoaded,
  ]);
  let token = session?.visitorToken ?? '';
  if (session) save('token', token);
  document.documentElement.dataset.scheme = config.colorScheme;

  // A closed chat the visitor already moved on from is not shown again on the next page.
  const dismissed = load('dismissed');
  const last = session?.conversation ?? null;
  const conversation = last && last.status === 'closed' && last.id === dismissed ? null : last;

  const socket = new VisitorSocket('/visitor', () => ({ visitorToken: token }));
  if (!session) socket.disconnect();
  const chat = new Chat(socket, () => token, conversation, !!session?.agentsOnline, !session);
  // The browser knows sooner than a ping timeout that the network went away, and came back.
  addEventListener('offline', () => socket.disconnect());
  addEventListener('online', () => socket.connect());
  socket.on('connect_error', (err) => {
    // A token the server no longer accepts: start a fresh session, keep the outbox.
    const code = typeof err.data === 'object' && err.data ? Reflect.get(err.data, 'code') : null;
    if (!socket.active && code === 'unauthorized' && !chat.state.banned) {
      void openSession(undefined).then((s) => {
        token = s.visitorToken;
        save('token', token);
        socket.connect();
      });
    }
  });
  chat.onNewMessage((m) =>
    link.post({
      type: 'message',
      message: {
        id: m.id,
        conversationId: m.conversationId,
        sender: m.sender,
        senderName: m.senderName,
        content: m.content,
        createdAt: m.createdAt,
      },
    }),
  );
  if (hello) chat.pageView(hello.page.url, hello.page.title);

  const container = document.getElementById('app');
  if (!container) return;
  render(
    <App
      chat={chat}
      link={link}
      config={config}
      options={options}
      language={language}
      visitor={session?.visitor ?? null}
      token={() => token}
      onHost={(fn) => {
        deliver = fn;
        early.splice(0).forEach(fn);
      }}
    />,
    container,
  );
}

void boot();
