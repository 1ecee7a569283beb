// The calls `npm run bench:data` times on a filled database, through the real HTTP API and an
// agent's socket, one at a time, as an agent's dashboard makes them.
import { io } from 'socket.io-client';
import { FIRST_NAMES, LAST_NAMES, PLANTED } from './data-text.mjs';

/**
 * The Contacts page (issue 35): its list, a next page, searches of each shape and a contact's
 * page. An older build without `/api/contacts` has none of them.
 */
async function contactCalls(url, token, t) {
  const first = await api(url, '/api/contacts', token);
  const keys = ['contacts', 'contacts-next', 'contacts-name', 'contacts-prefix', 'contacts-email'];
  if (first.status === 404) {
    return [...keys, 'contacts-absent', 'contact'].map((key) => ({
      key,
      call: key,
      na: 'n/a: no /api/contacts',
    }));
  }
  const get = (path) => (token2) => api(url, path, token2);
  // The planted address's visitor, else (a fill where it is only in messages) the newest.
  const byEmail =
    (await api(url, `/api/contacts?q=${encodeURIComponent(t.email)}`, token)).body?.items?.[0] ??
    first.body.items?.[0];
  const q = (key, call, words) => ({
    key,
    call: `contacts: ${call}`,
    run: get(`/api/contacts?q=${encodeURIComponent(words)}`),
  });
  return [
    { key: 'contacts', call: 'contacts list, first page', run: get('/api/contacts') },
    {
      key: 'contacts-next',
      call: 'contacts list, next page',
      run: get(`/api/contacts?cursor=${encodeURIComponent(first.body.nextCursor ?? '')}`),
    },
    q('contacts-name', `a first name (${FIRST_NAMES[0]})`, FIRST_NAMES[0]),
    q(
      'contacts-prefix',
      `a last name as typed so far (${LAST_NAMES[3].slice(0, 4)})`,
      LAST_NAMES[3].slice(0, 4),
    ),
    q('contacts-email', 'an email address', t.email),
    q('contacts-absent', `a word nobody has (${PLANTED.absentWord})`, PLANTED.absentWord),
    byEmail
      ? { key: 'contact', call: "a contact's page", run: get(`/api/contacts/${byEmail.id}`) }
      : { key: 'contact', call: "a contact's page", na: 'n/a: no contacts' },
  ];
}

/** One request; the time is until the whole body has been read. */
export async function api(url, path, token, { method = 'GET', body } = {}) {
  const started = performance.now();
  const res = await fetch(`${url}${path}`, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body ? { 'content-type': 'application/json' } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  const ms = performance.now() - started;
  return { status: res.status, body: text ? JSON.parse(text) : null, ms };
}

export async function login(url, { email, password }) {
  const r = await api(url, '/api/auth/login', null, { method: 'POST', body: { email, password } });
  if (r.status !== 200) throw new Error(`login of ${email}: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body.accessToken;
}

/** Whether the server has `/api/search` (an older build answers 404). */
export async function hasSearch(url, token) {
  const r = await api(url, `/api/search?q=${PLANTED.rareWord}`, token);
  return r.status !== 404;
}

/**
 * The search shapes of issue 33 (item 7), each asked of `/api/search` and of the conversation
 * list's `q`, which both read `q` the same way (quotes make a phrase). `t` holds what the fill
 * planted (data-fill.mjs).
 */
export function searchShapes(t) {
  const planted = (n) => `planted in ${n} conversation(s)`;
  return [
    {
      shape: 'absent',
      call: `a word no message has (${PLANTED.absentWord})`,
      q: PLANTED.absentWord,
    },
    {
      shape: 'rare',
      call: `a rare word (${PLANTED.rareWord})`,
      q: PLANTED.rareWord,
      note: planted(t.rareConversations),
    },
    { shape: 'common', call: `a common word (${PLANTED.commonWord})`, q: PLANTED.commonWord },
    {
      shape: 'common-phrase',
      call: `a common phrase ("${PLANTED.commonPhrase}")`,
      q: `"${PLANTED.commonPhrase}"`,
      note: 'in 1 message in 12',
    },
    {
      shape: 'phrase',
      call: `a phrase of common words ("${PLANTED.phrase}")`,
      q: `"${PLANTED.phrase}"`,
    },
    {
      shape: 'any-order',
      call: `words in any order (${PLANTED.anyOrder})`,
      q: PLANTED.anyOrder,
      note: 'both in 1 message in 50',
    },
    { shape: 'prefix', call: `a word as typed so far (${PLANTED.prefix})`, q: PLANTED.prefix },
    {
      shape: 'email',
      call: 'an email address',
      q: t.email,
      note: `${t.email}: ${planted(t.emailConversations)}, and the visitor's own`,
    },
    {
      shape: 'order',
      call: `an order number (${t.orderNumber})`,
      q: t.orderNumber,
      note: planted(t.orderNumberConversations),
    },
  ];
}

/** The searches the blocking part runs in its loop beside the chats (`/api/search`). */
export const blockingSearches = () => [
  PLANTED.rareWord,
  PLANTED.commonWord,
  `"${PLANTED.phrase}"`,
  `"${PLANTED.commonPhrase}"`,
  PLANTED.prefix,
];

const MIN_CALLS = 5;

/** How many results a reply holds: its first array (items, results, messages...). */
const hitsOf = (body) => Object.values(body ?? {}).find(Array.isArray)?.length;

function agentSocket(url, token) {
  const socket = io(`${url}/agent`, {
    transports: ['websocket'],
    forceNew: true,
    reconnection: false,
    auth: { token },
  });
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', reject);
  });
}

/** `sync` on a freshly connected agent socket, as after a reconnect; the time of its ack. */
async function syncOnce(url, token, since) {
  const socket = await agentSocket(url, token);
  try {
    const started = performance.now();
    const reply = await socket.timeout(60_000).emitWithAck('sync', { conversations: since });
    const ms = performance.now() - started;
    if (!reply?.ok) throw new Error(`sync: ${JSON.stringify(reply?.error)}`);
    return { status: 200, body: reply.data, ms };
  } finally {
    socket.close();
  }
}

/**
 * The rows of the table: what each call is, and how to make it. `t` holds what the fill
 * planted (data-fill.mjs) and the analytics ranges.
 */
export async function callList(url, token, t) {
  const search = await hasSearch(url, token);
  const long = (await api(url, `/api/conversations/${t.longConversationId}`, token)).body
    ?.conversation;
  const firstPage = (await api(url, '/api/conversations', token)).body?.items ?? [];
  const tagged = (await api(url, `/api/conversations?tag=${t.tag}`, token)).body?.items ?? [];
  const hasTagFilter = tagged.length > 0 && tagged.every((c) => c.tags.includes(t.tag));
  const get = (path) => (token2) => api(url, path, token2);
  const shapes = searchShapes(t);
  const rows = [
    { key: 'list', call: 'conversation list, first page', run: get('/api/conversations') },
    { key: 'list-status', call: 'list: status open', run: get('/api/conversations?status=open') },
    {
      key: 'list-assignee',
      call: 'list: one assignee',
      run: get(`/api/conversations?assignee=${t.assigneeId}`),
    },
    hasTagFilter
      ? { key: 'list-tag', call: `list: tag ${t.tag}`, run: get(`/api/conversations?tag=${t.tag}`) }
      : { key: 'list-tag', call: `list: tag ${t.tag}`, na: 'n/a: the list has no tag filter' },
    ...shapes.map(({ shape, call, q, note }) =>
      search
        ? {
            key: `search-${shape}`,
            call: `search: ${call}`,
            run: get(`/api/search?q=${encodeURIComponent(q)}`),
            note,
          }
        : { key: `search-${shape}`, call: `search: ${call}`, na: 'n/a: no /api/search' },
    ),
    ...shapes.map(({ shape, call, q, note }) => ({
      key: `list-q-${shape}`,
      call: `list q: ${call}`,
      run: get(`/api/conversations?q=${encodeURIComponent(q)}`),
      note,
    })),
    long
      ? {
          key: 'messages',
          call: "a conversation's messages (newest 50)",
          run: get(`/api/conversations/${long.id}/messages?beforeSeq=${long.lastSeq + 1}&limit=50`),
          note: `of ${long.lastSeq}`,
        }
      : { key: 'messages', call: "a conversation's messages", na: 'n/a: no long conversation' },
    { key: 'visitors', call: 'visitors list, first page', run: get('/api/visitors') },
    ...(await contactCalls(url, token, t)),
    long
      ? {
          key: 'sync-one',
          call: 'sync after a reconnect: 1 conversation, 50 missed',
          run: (token2) => syncOnce(url, token2, { [long.id]: Math.max(0, long.lastSeq - 50) }),
        }
      : { key: 'sync-one', call: 'sync after a reconnect', na: 'n/a: no long conversation' },
    {
      key: 'sync-page',
      call: `sync after a reconnect: ${firstPage.length} conversations, 5 missed each`,
      run: (token2) =>
        syncOnce(
          url,
          token2,
          Object.fromEntries(firstPage.map((c) => [c.id, Math.max(0, c.lastSeq - 5)])),
        ),
    },
  ];
  for (const [days, range] of Object.entries(t.ranges)) {
    for (const report of ['overview', 'timeseries', 'agents']) {
      rows.push({
        key: `${report}-${days}`,
        call: `analytics ${report}, ${days} days`,
        run: get(`/api/analytics/${report}?from=${range.from}&to=${range.to}`),
        check: report === 'overview' ? range.expected : undefined,
      });
    }
  }
  // A report of one site: here the only one, the largest scope there can be (its medians walk
  // the all-time indexes like the whole report's).
  const sites = (await api(url, '/api/sites', token)).body?.items ?? null;
  const [days, range] = Object.entries(t.ranges).at(-1) ?? [];
  for (const report of ['overview', 'agents']) {
    rows.push(
      sites?.[0] && range
        ? {
            key: `${report}-${days}-site`,
            call: `analytics ${report}, ${days} days, one site`,
            run: get(
              `/api/analytics/${report}?from=${range.from}&to=${range.to}&siteId=${sites[0].id}`,
            ),
          }
        : {
            key: `${report}-${days}-site`,
            call: `analytics ${report}, ${days} days, one site`,
            na: 'n/a: no sites',
          },
    );
  }
  return rows;
}

/**
 * `warmup` untimed calls, then `count` timed ones, with a fresh sign-in per row (tokens
 * expire). A call that takes seconds (search by ILIKE at 20M messages took 26 s) stops after
 * `budgetMs` of timed calls once it has `MIN_CALLS`: the note says how many were made.
 */
export async function timeCall(url, row, credentials, timing) {
  const [result] = await timeCalls([{ url, row, credentials }], timing);
  return result;
}

/**
 * The same, for the same call on several servers (`--compare`): their calls take turns, the
 * first one first on even rounds and last on odd ones, so that a machine whose speed drifts
 * slows them alike. Each result notes whether its last reply listed what the first server's
 * did (the same conversations and messages, in the same order).
 */
export async function timeCalls(sides, { count, warmup, budgetMs }) {
  const states = [];
  for (const side of sides)
    states.push(
      side.row.na
        ? { side, done: true, samples: [], notes: [side.row.na] }
        : {
            side,
            token: await login(side.url, side.credentials),
            samples: [],
            spent: 0,
            notes: [],
          },
    );
  for (let i = 0; i < warmup + count; i++) {
    const order = i % 2 === 0 ? states : [...states].reverse();
    for (const state of order) {
      if (state.done) continue;
      if (state.samples.length >= MIN_CALLS && state.spent > budgetMs) {
        state.done = true;
        continue;
      }
      const reply = await state.side.row.run(state.token);
      if (reply.status !== 200) {
        state.done = true;
        state.samples = [];
        state.notes = [`HTTP ${reply.status}: ${JSON.stringify(reply.body).slice(0, 120)}`];
        continue;
      }
      state.last = reply;
      if (i < warmup) continue;
      state.samples.push(reply.ms);
      state.spent += reply.ms;
    }
  }
  const [first] = states;
  return states.map((state) => {
    const { row } = state.side;
    if (!state.last) return { samples: state.samples, note: state.notes.join('; ') };
    const notes =
      state.samples.length < count ? [`${state.samples.length} calls (time budget)`] : [];
    const hits = hitsOf(state.last.body);
    if (row.key.startsWith('search') || row.key.startsWith('list'))
      notes.push(`${hits} on the first page`);
    if (row.key.startsWith('sync')) notes.push(`${hits} messages`);
    if (row.note) notes.push(row.note);
    if (row.check) notes.push(checkOverview(state.last.body, row.check));
    if (state !== first && first.last && /^(search|list)/.test(row.key))
      notes.push(sameHits(first.last.body, state.last.body) ? 'the same hits' : 'DIFFERENT hits');
    return { samples: state.samples, note: notes.join('; ') };
  });
}

/** What a page of the list or of search shows, as ids in order. */
const hitIds = (body) =>
  (body?.items ?? []).map((item) =>
    item.conversation ? `${item.conversation.id}/${item.message?.id ?? ''}` : item.id,
  );
const sameHits = (a, b) => JSON.stringify(hitIds(a)) === JSON.stringify(hitIds(b));

/** The overview against counts taken from the tables directly: reports must stay exact. */
function checkOverview(body, expected) {
  const got = { conversations: body.conversations.total, messages: body.messages };
  const same = got.conversations === expected.conversations && got.messages === expected.messages;
  return same
    ? `equals the tables (${got.conversations} conversations, ${got.messages} messages)`
    : `DIFFERS from the tables: ${JSON.stringify(got)} vs ${JSON.stringify(expected)}`;
}
