import { randomUUID } from 'node:crypto';
import * as protocol from '@parley/protocol';
import { agentCommandSchemas, visitorCommandSchemas } from '@parley/protocol';
import { apiRoutes } from '@parley/protocol/api-routes';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  api,
  connectAgent,
  createAdmin,
  createAgent,
  login,
  startVisitorChat,
  type SignedInAgent,
  type VisitorChat,
} from './factories.js';
import { attack } from './attack-kit.js';
import { useServer } from './harness.js';

/**
 * Every REST route and socket command, walked with boundary values: empty, huge, NUL, lone
 * surrogates, out-of-range numbers, wrong types. The routes are read from the running app
 * and the commands from protocol, so a new one is walked without being listed here. Whatever
 * the answer, it is never a 500 or an `internal` ack, and the server keeps answering.
 */
// Behind a proxy that says who the client is: the walk sends each route's requests from an
// address of its own, so that per-address limits (visitor sessions, sign-ins) meet one route's
// requests at a time and the tests after the walk find their limits untouched.
const server = useServer({ shared: true, env: { TRUST_PROXY: 'true' } });

/**
 * The two walks (thousands of requests, each sent twice) run on one database: PostgreSQL when
 * the suite has it (CI), PGlite otherwise. Most of their requests are refused by a schema before
 * any query, and PGlite is PostgreSQL's own code; every other test of this file, and of the
 * suite, runs on both. One walk instead of two keeps CI within its 12 minutes (issue 33).
 */
const walkHere = process.env.PARLEY_TEST_DB === 'postgres' || !process.env.TEST_DATABASE_URL;

let admin: SignedInAgent;
let agent: SignedInAgent;
/** Joins before the walk and signs in after it, for the socket walk (see there). */
let spare: SignedInAgent;
let visitor: VisitorChat;
let cannedId: string;

beforeAll(async () => {
  admin = await createAdmin(server.current);
  agent = await createAgent(server.current, admin);
  spare = await createAgent(server.current, admin);
  visitor = await startVisitorChat(server.current, 'Walk me');
  // Online, as agents are while the routes are walked (routing, availability).
  await connectAgent(server.current, agent.token);
  const canned = await api(server.current, 'POST', '/api/canned-responses', {
    token: admin.token,
    body: { title: 'Hi', content: 'Hello!', shortcut: 'hi' },
  });
  cannedId = canned.body.cannedResponse.id;
});

/** The field names of protocol's schemas whose export names end with one of `suffixes`. */
function fieldsOfSchemas(suffixes: RegExp): string[] {
  const names = new Set<string>();
  for (const [name, value] of Object.entries(protocol)) {
    if (!suffixes.test(name) || typeof value !== 'object' || value === null) continue;
    const shape: unknown = 'shape' in value ? value.shape : undefined;
    if (typeof shape === 'object' && shape !== null) {
      for (const key of Object.keys(shape)) names.add(key);
    }
  }
  return [...names].sort();
}
const bodyFields = () => fieldsOfSchemas(/(Body|Payload)$/);
const queryFields = () => fieldsOfSchemas(/Query$/);

/**
 * The query a GET route is walked with, as [field, value] pairs. The fields its catalogue entry
 * declares (all its handler is given: http/route.ts parses the query by that schema) take every
 * value; every other known field takes the two likeliest to break a handler that read the raw
 * query anyway. A route outside the catalogue (the widget's pages, /healthz) reads what it
 * likes: every field takes every value. Walking every field with every value on every route
 * took four minutes of CI once sites and teams had added theirs.
 */
function queryOf(method: string, path: string): Array<[field: string, value: string]> {
  const entry = apiRoutes.find((r) => r.method.toUpperCase() === method && r.path === path);
  const shape: unknown = entry?.query && 'shape' in entry.query ? entry.query.shape : undefined;
  const own = new Set(
    !entry ? queryFields() : typeof shape === 'object' && shape !== null ? Object.keys(shape) : [],
  );
  return queryFields().flatMap((field) =>
    (own.has(field) ? queryValues() : ['%00', 'x'.repeat(3_000)]).map((value): [string, string] => [
      field,
      value,
    ]),
  );
}

/**
 * A value each field would accept, so that one field at a time can be pushed past its edge
 * while the others let the request reach its handler.
 */
const plausible = (): Record<string, unknown> => ({
  conversationId: conversationId(),
  agentId: agent.user.id,
  clientId: randomUUID(),
  content: 'hello',
  type: 'text',
  seq: 1,
  status: 'open',
  rating: 'up',
  comment: 'fine',
  url: 'https://example.com/page',
  title: 'Page',
  name: 'Someone',
  email: 'someone@example.com',
  password: 'a long unusual passphrase 77',
  currentPassword: 'a long unusual passphrase 77',
  newPassword: 'another unusual passphrase 78',
  isTyping: true,
  draft: 'dr',
  conversations: { [conversationId()]: 0 },
  visitorToken: visitor.session.visitorToken,
  tags: ['billing'],
  notes: 'n',
});

const conversationId = () => visitor.started.conversation.id;

/** Values of every JSON type at and past the edges the schemas draw. */
const boundaryValues = (): unknown[] => [
  '',
  ' ',
  'x'.repeat(20_000),
  'a\u0000b',
  'broken \uD800 text',
  'https://example.com/a\u0000b',
  'https://example.com/\uD800',
  '\uDC00',
  "' or 1=1 --",
  -1,
  0,
  1.5,
  2 ** 31,
  2 ** 53,
  1e308,
  -1e308,
  true,
  false,
  null,
  [],
  ['x'],
  {},
  { a: 1 },
  { [conversationId()]: 2 ** 31 },
  { [conversationId()]: -1 },
  { [conversationId()]: 'x' },
];

/** Query string values: what a hand-edited URL can hold. */
const queryValues = (): string[] => [
  '',
  'x'.repeat(3_000),
  '%00',
  '%F0%28%8C%BC',
  '-1',
  '2147483648',
  '1e400',
  'NaN',
  'true',
  '0000-01-01T00:00:00Z',
  '%2B275760-09-13T00:00:00Z',
  Buffer.from(JSON.stringify(['2026-01-01T00:00:00Z', '-'.repeat(36)])).toString('base64url'),
  Buffer.from(JSON.stringify(['0000-01-01T00:00:00Z', randomUUID()])).toString('base64url'),
];

const pathValues = (real: string): string[] => [
  real,
  randomUUID(),
  '-'.repeat(36),
  'f'.repeat(36),
  '%00',
  '%F0%28%8C%BC',
  'x'.repeat(300),
  '..%2F..%2Fetc',
];

type Route = { method: string; path: string };

type Layer = {
  rawPath?: unknown;
  route?: { path: unknown; methods: Record<string, boolean> };
  handle?: { stack?: Layer[] };
};

/** The app's routes, read from Express's own router: mounted routers are walked too. */
function routesOf(stack: Layer[], prefix = ''): Route[] {
  const routes: Route[] = [];
  for (const layer of stack) {
    if (layer.route && typeof layer.route.path === 'string') {
      for (const method of Object.keys(layer.route.methods)) {
        const path = (prefix + layer.route.path).replace(/(.)\/$/, '$1');
        routes.push({ method: method.toUpperCase(), path });
      }
    } else if (layer.handle?.stack) {
      const mount = typeof layer.rawPath === 'string' && layer.rawPath !== '/' ? layer.rawPath : '';
      routes.push(...routesOf(layer.handle.stack, prefix + mount));
    }
  }
  return routes;
}

function appRoutes(): Route[] {
  const router = server.current.app.router as unknown as { stack: Layer[] };
  return routesOf(router.stack).filter((r) => r.method !== '_ALL');
}

/** The real id a path's parameter most likely names, so that the handler gets past lookups. */
function realIdFor(path: string): string {
  if (path.startsWith('/api/users')) return agent.user.id;
  if (path.startsWith('/api/canned-responses')) return cannedId;
  if (path.startsWith('/api/visitors')) return visitor.session.visitor.id;
  return conversationId();
}

/** Every concrete path of a route: each parameter takes each of its values in turn. */
function pathsOf(route: Route): string[] {
  const params = route.path.match(/:[A-Za-z]+|\*[A-Za-z]+|\{[^}]*\}/g) ?? [];
  if (params.length === 0) return [route.path];
  return pathValues(realIdFor(route.path)).map((value) =>
    route.path.replace(/:[A-Za-z]+|\*[A-Za-z]+|\{[^}]*\}/g, value),
  );
}

type Failure = { request: string; status?: number; reply: unknown };

describe('boundary values on every route and command', () => {
  it('finds the routes, fields and commands it walks', () => {
    const routes = appRoutes();
    expect(routes.length).toBeGreaterThan(30);
    expect(routes).toContainEqual({ method: 'POST', path: '/api/messages' });
    expect(routes).toContainEqual({ method: 'GET', path: '/api/conversations/:id/messages' });
    expect(bodyFields()).toEqual(expect.arrayContaining(['conversationId', 'seq', 'content']));
    expect(queryFields()).toEqual(expect.arrayContaining(['cursor', 'afterSeq', 'status']));
  });

  // A minute and a half alone on PostgreSQL (thousands of requests, each twice); a busy machine
  // takes several times that.
  it.runIf(walkHere)('no REST route answers 500 to any of them', { timeout: 480_000 }, async () => {
    const tokens = [
      undefined,
      visitor.session.visitorToken,
      agent.token,
      admin.token,
      'not.a.token',
    ];
    const failures: Failure[] = [];
    let requests = 0;
    /** The address the requests of the route being walked come from. */
    let from = '';
    const send = async (method: string, path: string, token?: string, raw?: string) => {
      requests++;
      const res = await fetch(`${server.current.url}${path}`, {
        method,
        headers: {
          'x-forwarded-for': from,
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          ...(raw !== undefined ? { 'content-type': 'application/json' } : {}),
        },
        body: raw,
      });
      const text = await res.text();
      if (res.status >= 500 && res.status !== 503) {
        const request = `${method} ${path.slice(0, 200)} ${raw?.slice(0, 120) ?? ''}`;
        failures.push({ request, status: res.status, reply: text.slice(0, 200) });
      }
      return { status: res.status, text };
    };
    /**
     * The route's own fields: with every known field set to a value no schema takes, the
     * refusal names each field the route reads.
     */
    const fieldsOf = async (method: string, path: string, token?: string) => {
      const res = await send(
        method,
        path,
        token,
        JSON.stringify(Object.fromEntries(bodyFields().map((f) => [f, [[]]]))),
      );
      if (res.status !== 400) return [];
      const details = (JSON.parse(res.text) as { error: { details?: Array<{ path: string }> } })
        .error.details;
      return [...new Set((details ?? []).map((d) => d.path.split('.')[0] ?? ''))].filter(Boolean);
    };
    type Request = [method: string, path: string, token?: string, raw?: string];
    /**
     * Sends a batch a few at a time: the server is kept busy, the walk stays short. Each request
     * goes twice, one after the other, as a client that retries sends it: the second meets
     * what the first did (a conversation already closed, say), and must not fail either.
     */
    const sendAll = async (batch: Request[]) => {
      const queue = [...batch];
      const worker = async () => {
        for (let next = queue.shift(); next; next = queue.shift()) {
          await send(...next);
          await send(...next);
        }
      };
      await Promise.all(Array.from({ length: 6 }, worker));
    };
    for (const [i, route] of appRoutes().entries()) {
      from = `10.9.${Math.floor(i / 200)}.${(i % 200) + 1}`;
      const [realPath = route.path, ...otherPaths] = pathsOf(route);
      const emptyBody = route.method === 'GET' ? undefined : '{}';
      await sendAll(
        otherPaths.flatMap((path) =>
          tokens.map((t): Request => [route.method, path, t, emptyBody]),
        ),
      );
      for (const token of tokens) {
        const first = await send(route.method, realPath, token, emptyBody);
        // Who may not call the route is refused before any field is read: walked once. An
        // agent reaches what an admin does: the admin's walk covers both.
        if (first.status === 401 || first.status === 403 || token === agent.token) continue;
        if (route.method === 'GET') {
          // Each query field past its edge in turn; the others absent.
          await sendAll(
            queryOf(route.method, route.path).map(([field, v]): Request => [
              'GET',
              `${realPath}?${field}=${v}`,
              token,
            ]),
          );
          continue;
        }
        // Each of the route's fields past its edge in turn, the others plausible.
        const fields = await fieldsOf(route.method, realPath, token);
        await sendAll([
          // Each field alone with a value it takes: a retried request that sets what already
          // holds (its second sending) is the case these catch.
          ...fields.map((field): Request => {
            const body = JSON.stringify({ [field]: plausible()[field] });
            return [route.method, realPath, token, body];
          }),
          ...boundaryValues().map((v): Request => [
            route.method,
            realPath,
            token,
            JSON.stringify(v),
          ]),
          ...fields.flatMap((field) =>
            boundaryValues().map((v): Request => {
              const body = JSON.stringify({ ...plausible(), [field]: v });
              return [route.method, realPath, token, body];
            }),
          ),
        ]);
      }
    }
    expect(failures).toEqual([]);
    expect(requests).toBeGreaterThan(6_000);
  });

  it('a name with any line break or control character is refused everywhere a name is set', async () => {
    const s = server.current;
    // Vertical tab, NEL, line separator, paragraph separator, a C1 control.
    const breaks = ['\u000b', '\u0085', '\u2028', '\u2029', '\u009b'];
    const places: Array<
      [method: string, path: string, token: string, body: (n: string) => object]
    > = [
      ['PATCH', '/api/auth/me', admin.token, (name) => ({ name })],
      ['PATCH', `/api/users/${agent.user.id}`, admin.token, (name) => ({ name })],
      [
        'POST',
        '/api/invitations',
        admin.token,
        (name) => ({ name, email: `x-${randomUUID()}@example.com` }),
      ],
      [
        'POST',
        '/api/tokens',
        admin.token,
        (name) => ({
          name: 'Bot token',
          scope: 'full',
          bot: { name },
        }),
      ],
      ['PATCH', '/api/visitors/me', visitor.session.visitorToken, (name) => ({ name })],
    ];
    await attack(s.database, async () => {
      for (const [method, path, token, body] of places) {
        for (const mark of breaks) {
          const res = await api(s, method, path, { token, body: body(`Mallory${mark}Bcc: x`) });
          expect(res.status, `${method} ${path} ${JSON.stringify(mark)}`).toBe(400);
          expect(res.body.error.code).toBe('validation_failed');
        }
      }
    });
  });

  it('a message or a name with no visible character is refused as empty', async () => {
    const s = server.current;
    // A chat of its own: the walk before may have deleted the file's.
    const chat = await startVisitorChat(s, 'Invisible ink');
    const id = chat.started.conversation.id;
    const invisible = ['\u200b', '\u200b\u200d\u2060', '\ufeff \u3164', '\u00ad', '\u2800\n\u200c'];
    await attack(s.database, async () => {
      for (const content of invisible) {
        const rest = await api(s, 'POST', '/api/messages', {
          token: admin.token,
          body: { conversationId: id, content, clientId: randomUUID() },
        });
        expect(rest.status, JSON.stringify(content)).toBe(400);
        expect(rest.body.error.details).toEqual([{ path: 'content', message: 'Message is empty' }]);
        const sent = await chat.socket.timeout(5000).emitWithAck('message.send', {
          conversationId: id,
          content,
          clientId: randomUUID(),
        });
        expect(sent).toMatchObject({ ok: false, error: { code: 'validation_failed' } });
        const named = await api(s, 'PATCH', '/api/visitors/me', {
          token: chat.session.visitorToken,
          body: { name: content },
        });
        expect(named.status).toBe(400);
      }
    });
    // Beside a visible character, an invisible one is text like any other.
    const joined = await api(s, 'POST', '/api/messages', {
      token: admin.token,
      body: { conversationId: id, content: 'ok\u200b', clientId: randomUUID() },
    });
    expect(joined.status).toBe(201);
  });

  it('setting what already holds is a 200 that changes nothing, however often it is sent', async () => {
    const s = server.current;
    const chat = await startVisitorChat(s, 'Close me twice');
    const id = chat.started.conversation.id;
    const patch = (body: unknown) =>
      api(s, 'PATCH', `/api/conversations/${id}`, { token: admin.token, body });
    const lines = async () =>
      (await api(s, 'GET', `/api/conversations/${id}/messages`, { token: admin.token })).body
        .messages.length as number;

    expect((await patch({ status: 'closed' })).status).toBe(200);
    const closed = await lines();
    await attack(s.database, async () => {
      for (let i = 0; i < 3; i++) {
        const again = await patch({ status: 'closed' });
        expect(again.status).toBe(200);
        expect(again.body.conversation.status).toBe('closed');
      }
    });
    expect(await lines()).toBe(closed);

    expect((await patch({ status: 'open' })).status).toBe(200);
    const reopened = await lines();
    await attack(s.database, async () => {
      const again = await patch({ status: 'open' });
      expect(again.status).toBe(200);
      expect(again.body.conversation.status).not.toBe('closed');
    });
    expect(await lines()).toBe(reopened);
  });

  it.runIf(walkHere)(
    'no socket command acks `internal`, and the sockets stay connected',
    { timeout: 120_000 },
    async () => {
      const failures: Failure[] = [];
      const walk = async (
        socket: { timeout(ms: number): { emitWithAck(ev: string, p: unknown): Promise<unknown> } },
        schemas: Record<string, { shape?: Record<string, unknown> }>,
      ) => {
        for (const [name, schema] of Object.entries(schemas)) {
          const payloads: unknown[] = [...boundaryValues()];
          for (const field of Object.keys(schema.shape ?? {})) {
            for (const value of boundaryValues()) payloads.push({ ...plausible(), [field]: value });
          }
          for (const payload of payloads) {
            // Past the packet limit the socket is closed, by design (the attack suite checks it).
            if (JSON.stringify(payload).length > protocol.MAX_SOCKET_PAYLOAD_BYTES - 1_000)
              continue;
            const reply = (await socket.timeout(5000).emitWithAck(name, payload)) as
              { ok: true } | { ok: false; error: { code: string } };
            if (!reply.ok && reply.error.code === 'internal') {
              failures.push({ request: `${name} ${JSON.stringify(payload).slice(0, 160)}`, reply });
            }
          }
        }
      };
      // A visitor and an agent of their own: the REST walk may have erased the first visitor
      // (POST /api/contacts/erase with the address it gave itself) and signed the first agent
      // out everywhere (POST /api/users/:id/sessions/end), which ends their sockets. The agent
      // joined before the walk: the walk used up the admin's pace of changes (adminChanges).
      const walker = await startVisitorChat(server.current, 'Walk the sockets');
      const walkingAgent = await connectAgent(
        server.current,
        (await login(server.current, spare.user.email, 'agent password 123')).token,
      );
      await walk(walkingAgent as never, agentCommandSchemas as never);
      await walk(walker.socket as never, visitorCommandSchemas as never);
      expect(failures).toEqual([]);
      expect(walkingAgent.connected && walker.socket.connected).toBe(true);
    },
  );
});
