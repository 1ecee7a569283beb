import type { Visitor, WidgetConfig } from '@parley/protocol';
import type { FrameOptions, HostToFrame } from '@parley/protocol/widget-frame';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { patchVisitor } from './api.js';
import type { Chat } from './chat.js';
import { ClosedChat } from './closed-chat.js';
import { Composer } from './composer.js';
import { MessageList } from './conversation.js';
import type { FrameLink } from './frame-link.js';
import { checkLocale, claimLater, setAttributes, useClosedEvent } from './host-api.js';
import { ContactForm, type ContactDetails } from './forms.js';
import {
  directionOf,
  fill,
  LanguageContext,
  loadLanguage,
  pickLocale,
  type Language,
} from './i18n.js';
import { backAt, closedByHours, useHours } from './hours.js';
import { launcherLook, mergeLook } from './look.js';
import { load, save } from './storage.js';
import { useChat } from './use-chat.js';
import { useMarkSeen, useUnread } from './unread.js';

export type AppProps = {
  chat: Chat;
  link: FrameLink;
  config: WidgetConfig;
  /** What the site passed to `init`. */
  options: FrameOptions;
  /** The language chosen at start; `setLocale` may change it. */
  language: Language;
  /** Null when banned: there is no session. */
  visitor: Visitor | null;
  token: () => string;
  onHost(fn: (message: HostToFrame) => void): void;
};

const FOCUSABLE = 'button:not([disabled]),textarea,input,a[href]';
const offlineFields = { name: 'optional', email: 'required', message: 'required' } as const;
const nobody = { name: null, email: null };

export function App({
  chat,
  link,
  config,
  options,
  language: initialLanguage,
  visitor: initialVisitor,
  token,
  onHost,
}: AppProps) {
  const state = useChat(chat);
  const [language, setLanguage] = useState(initialLanguage);
  const look = useMemo(() => mergeLook(config, options, language), [language]);
  const { preChat, preChatFields } = config;
  const { t } = language;
  const [open, setOpen] = useState(!link.embedded);
  const [visitor, setVisitor] = useState(initialVisitor);
  const [preChatDone, setPreChatDone] = useState(load('prechat') === true);
  const [leftEmail, setLeftEmail] = useState('');
  // The department chosen on the form, for a first message typed in the composer after it.
  const [department, setDepartment] = useState<string | undefined>(undefined);
  const root = useRef<HTMLDivElement>(null);
  const focusOnOpen = useRef(true);
  const wantedLocale = useRef('');
  const { hours, departments } = useHours(config);
  // Away: nobody online to answer, or the site outside its hours (agents may still be online).
  const agentsOnline = state.agentsOnline && !closedByHours(hours);
  const { conversation } = state;
  const back =
    hours && !hours.open && hours.opensAt
      ? fill(language.t.backAt, backAt(hours.opensAt, language.locale))
      : '';
  const awayMessage = back ? `${look.text.awayMessage} ${back}` : look.text.awayMessage;

  const close = () => {
    setOpen(false);
    link.post({ type: 'close' });
  };

  const saveDetails = async ({ name, email, attributes }: ContactDetails) => {
    const body = {
      ...(name ? { name } : {}),
      ...(email ? { email } : {}),
      ...(attributes && Object.keys(attributes).length ? { attributes } : {}),
    };
    if (Object.keys(body).length) setVisitor(await patchVisitor(token(), body));
  };

  useEffect(() => {
    onHost((message) => {
      if (message.type === 'open') {
        focusOnOpen.current = message.focus;
        setOpen(true);
      }
      if (message.type === 'close') setOpen(false);
      if (message.type === 'page') chat.pageView(message.page.url, message.page.title);
      if (message.type === 'visitor') {
        const { name = '', email = '' } = message.visitor;
        void saveDetails({ name, email, message: '' }).then(() => {
          // The admin's own questions are still asked: only the site knows name and email.
          if (preChat.message !== 'required' && !preChatFields.length && !config.departments.length)
            finishPreChat();
        });
      }
      if (message.type === 'user')
        void claimLater(token(), message.user, link).then((v) => v && setVisitor(v));
      if (message.type === 'attributes')
        void setAttributes(token(), message.attributes, link).then((v) => v && setVisitor(v));
      if (message.type === 'locale') {
        checkLocale(link, message.locale);
        // Two calls in a row: the last one wins, whichever language arrives first.
        const wanted = (wantedLocale.current = message.locale);
        void loadLanguage(
          pickLocale([message.locale, ...navigator.languages], config.defaultLocale),
        ).then((loaded) => wantedLocale.current === wanted && setLanguage(loaded));
      }
    });
  }, []);

  // The document speaks the visitor's language (screen readers pick their voice by it).
  useEffect(() => {
    const root = document.documentElement;
    root.lang = language.locale;
    root.dir = directionOf(language.locale);
    root.style.setProperty('--c', look.color);
  }, [look]);

  useEffect(() => {
    if (open && focusOnOpen.current)
      root.current?.querySelector<HTMLElement>('textarea,input')?.focus();
  }, [open]);

  useEffect(
    () => link.post({ type: 'look', look: launcherLook(look, agentsOnline, language) }),
    [agentsOnline, look],
  );

  useClosedEvent(link, conversation);
  const unread = useUnread(state, open);
  useMarkSeen(state, open, token);
  useEffect(
    () => link.post({ type: 'unread', ...unread }),
    [unread.count, unread.preview?.name, unread.preview?.text],
  );

  const finishPreChat = () => {
    save('prechat', true);
    setPreChatDone(true);
  };

  const hasChat = conversation !== null || state.outbox.length > 0;
  const known = (f: 'name' | 'email') => preChat[f] === 'off' || (visitor?.[f] ?? null) !== null;
  const preChatOn =
    Object.values(preChat).some((f) => f !== 'off') ||
    preChatFields.length > 0 ||
    departments.length > 0;
  const needPreChat =
    preChatOn &&
    !preChatDone &&
    !(
      preChat.message !== 'required' &&
      !preChatFields.length &&
      !departments.length &&
      known('name') &&
      known('email')
    );
  const view =
    hasChat || state.banned ? 'chat' : !agentsOnline ? 'offline' : needPreChat ? 'prechat' : 'chat';

  // Focus stays in the open chat: Tab from the last control wraps to the first, and back.
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === 'Escape' && link.embedded) return close();
    if (e.key !== 'Tab' || !root.current) return;
    const all = [...root.current.querySelectorAll<HTMLElement>(FOCUSABLE)];
    const first = all[0];
    const last = all[all.length - 1];
    if (e.shiftKey && document.activeElement === first) last?.focus();
    else if (!e.shiftKey && document.activeElement === last) first?.focus();
    else return;
    e.preventDefault();
  };

  const status = state.reconnecting
    ? t.reconnecting
    : !agentsOnline
      ? t.away
      : conversation?.assignee && conversation.status !== 'closed'
        ? fill(t.agentHere, { name: conversation.assignee.name })
        : t.replyTime;

  return (
    <LanguageContext.Provider value={language}>
      <div class="app" ref={root} onKeyDown={onKeyDown} role="dialog" aria-label={look.text.title}>
        <header>
          <div>
            <h1>{look.text.title}</h1>
            {!state.banned && (
              <p
                class={`status ${agentsOnline && !state.reconnecting ? 'on' : 'off'}`}
                role="status"
              >
                {status}
              </p>
            )}
          </div>
          {link.embedded && (
            <button type="button" class="close" aria-label={t.close} onClick={close}>
              <svg viewBox="0 0 24 24" aria-hidden="true">
                <path d="M6.4 5 12 10.6 17.6 5 19 6.4 13.4 12l5.6 5.6-1.4 1.4-5.6-5.6L6.4 19 5 17.6l5.6-5.6L5 6.4z" />
              </svg>
            </button>
          )}
        </header>
        {view === 'offline' && (
          <ContactForm
            intro={awayMessage}
            fields={offlineFields}
            known={visitor ?? nobody}
            custom={preChatFields}
            departments={departments}
            look={look}
            submitLabel={t.leaveMessage}
            onSubmit={async (details) => {
              await saveDetails(details);
              finishPreChat();
              setLeftEmail(details.email || (visitor?.email ?? ''));
              chat.send(details.message, undefined, details.teamId);
            }}
          />
        )}
        {view === 'prechat' && (
          <ContactForm
            intro={look.text.greeting}
            fields={preChat}
            known={visitor ?? nobody}
            custom={preChatFields}
            departments={departments}
            look={look}
            submitLabel={t.startChat}
            onSubmit={async (details) => {
              await saveDetails(details);
              finishPreChat();
              setDepartment(details.teamId);
              if (details.message) chat.send(details.message, undefined, details.teamId);
            }}
          />
        )}
        {view === 'chat' && (
          <>
            {!agentsOnline && !state.banned && conversation?.status !== 'closed' && (
              <p class="banner" role="status">
                {!leftEmail
                  ? awayMessage
                  : look.email
                    ? fill(t.thanksEmail, { email: leftEmail })
                    : t.thanksHere}
              </p>
            )}
            <MessageList state={state} greeting={look.text.greeting} token={token} />
            {state.banned ? (
              <p class="banned" role="status">
                {t.banned}
              </p>
            ) : conversation?.status === 'closed' ? (
              <ClosedChat
                conversation={conversation}
                email={look.email}
                visitorEmail={visitor?.email ?? null}
                token={token}
                onRate={(rating, comment) => chat.rate(rating, comment)}
                onNewChat={() => {
                  save('dismissed', conversation.id);
                  chat.startOver();
                }}
              />
            ) : (
              <Composer
                placeholder={look.text.inputPlaceholder}
                token={token}
                files={config.files}
                onSend={(text, files) => chat.send(text, files, department)}
                onTyping={(isTyping, draft) => chat.typing(isTyping, draft)}
              />
            )}
          </>
        )}
      </div>
    </LanguageContext.Provider>
  );
}
