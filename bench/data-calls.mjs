// The calls `npm run bench:data` times on a filled database, through the real HTTP API and an
// agent's socket, one at a time, as an agent's dashboard makes them.
import { io } from 'socket.io-client';
import { PLANTED } from './data-text.mjs';

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

/**
 * `/api/search` where the server has it; before it (an older build), the conversation list's
 * `q`, which is what the dashboard's search box used.
 */
export async function searchPath(url, token) {
  const r = await api(url, `/api/search?q=${PLANTED.rareWord}`, token);
  return r.status === 404 ? '/api/conversations?q=' : '/api/search?q=';
}

/**
 * The searches, as typed into `path`: `/api/search` takes a phrase in quotes; the list's `q`
 * matches its text as a whole, quotes included, so there it goes without.
 */
export function searchTexts(path, { email, orderNumber }) {
  const phrase = path.startsWith('/api/search') ? `"${PLANTED.phrase}"` : PLANTED.phrase;
  return {
    rare: PLANTED.rareWord,
    common: PLANTED.commonWord,
    email,
    phrase,
    orderNumber,
    absent: PLANTED.absentWord,
  };
}

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
  const search = await searchPath(url, token);
  const via = search.startsWith('/api/search')
    ? 'GET /api/search'
    : 'GET /api/conversations?q= (no /api/search)';
  const long = (await api(url, `/api/conversations/${t.longConversationId}`, token)).body
    ?.conversation;
  const firstPage = (await api(url, '/api/conversations', token)).body?.items ?? [];
  const tagged = (await api(url, `/api/conversations?tag=${t.tag}`, token)).body?.items ?? [];
  const hasTagFilter = tagged.length > 0 && tagged.every((c) => c.tags.includes(t.tag));
  const get = (path) => (token2) => api(url, path, token2);
  const q = (text) => get(`${search}${encodeURIComponent(text)}`);
  const texts = searchTexts(search, t);
  const planted = (n) => `planted in ${n} conversation(s)`;
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
    {
      key: 'search-rare',
      call: `search: a rare word (${PLANTED.rareWord})`,
      run: q(PLANTED.rareWord),
      note: `${via}; ${planted(t.rareConversations)}`,
    },
    {
      key: 'search-common',
      call: `search: a common word (${PLANTED.commonWord})`,
      run: q(PLANTED.commonWord),
    },
    {
      key: 'search-email',
      call: 'search: an email address',
      run: q(t.email),
      note: `${t.email}: ${planted(t.emailConversations)}, and the visitor's own`,
    },
    {
      key: 'search-phrase',
      call: `search: a phrase (${texts.phrase})`,
      run: q(texts.phrase),
    },
    {
      key: 'search-order',
      call: `search: an order number (${t.orderNumber})`,
      run: q(t.orderNumber),
      note: planted(t.orderNumberConversations),
    },
    {
      key: 'search-absent',
      call: `search: a word no message has (${PLANTED.absentWord})`,
      run: q(PLANTED.absentWord),
    },
    long
      ? {
          key: 'messages',
          call: "a conversation's messages (newest 50)",
          run: get(`/api/conversations/${long.id}/messages?beforeSeq=${long.lastSeq + 1}&limit=50`),
          note: `of ${long.lastSeq}`,
        }
      : { key: 'messages', call: "a conversation's messages", na: 'n/a: no long conversation' },
    { key: 'visitors', call: 'visitors list, first page', run: get('/api/visitors') },
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
  return rows;
}

/**
 * `warmup` untimed calls, then `count` timed ones, with a fresh sign-in per row (tokens
 * expire). A call that takes seconds (search by ILIKE at 20M messages took 26 s) stops after
 * `budgetMs` of timed calls once it has `MIN_CALLS`: the note says how many were made.
 */
export async function timeCall(url, row, credentials, { count, warmup, budgetMs }) {
  if (row.na) return { samples: [], note: row.na };
  const token = await login(url, credentials);
  const samples = [];
  let last;
  let spent = 0;
  for (let i = 0; i < warmup + count; i++) {
    if (samples.length >= MIN_CALLS && spent > budgetMs) break;
    last = await row.run(token);
    if (last.status !== 200)
      return {
        samples: [],
        note: `HTTP ${last.status}: ${JSON.stringify(last.body).slice(0, 120)}`,
      };
    if (i < warmup) continue;
    samples.push(last.ms);
    spent += last.ms;
  }
  const notes = samples.length < count ? [`${samples.length} calls (time budget)`] : [];
  const hits = hitsOf(last.body);
  if (row.key.startsWith('search') || row.key.startsWith('list'))
    notes.push(`${hits} on the first page`);
  if (row.key.startsWith('sync')) notes.push(`${hits} messages`);
  if (row.note) notes.push(row.note);
  if (row.check) notes.push(checkOverview(last.body, row.check));
  return { samples, note: notes.join('; ') };
}

/** The overview against counts taken from the tables directly: reports must stay exact. */
function checkOverview(body, expected) {
  const got = { conversations: body.conversations.total, messages: body.messages };
  const same = got.conversations === expected.conversations && got.messages === expected.messages;
  return same
    ? `equals the tables (${got.conversations} conversations, ${got.messages} messages)`
    : `DIFFERS from the tables: ${JSON.stringify(got)} vs ${JSON.stringify(expected)}`;
}
