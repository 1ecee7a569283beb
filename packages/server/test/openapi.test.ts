import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { compileErrors, validate } from '@readme/openapi-parser';
import {
  apiRoutes,
  openApiDocument,
  type JsonSchema,
  type OpenApiDocument,
  type OpenApiResponse,
} from '@parley/protocol/openapi';
import Ajv2020 from 'ajv/dist/2020.js';
import openapiTS, { astToString } from 'openapi-typescript';
import ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';
import { api, createAdmin } from './factories.js';
import { useServer } from './harness.js';

/**
 * The OpenAPI document against the running server: the route walk fails while a route the
 * server answers is missing from protocol's catalogue (api-routes.ts, routes/*.ts), the
 * catalogue names one the server does not have, or a catalogued route is served by a handler
 * registered by hand rather than from its entry (http/route.ts); the document is valid OpenAPI 3.1; and a client generated from
 * it, in this test, signs up, lists conversations and reads errors, each reply checked against
 * the schema the document gives for its status.
 */
const server = useServer({ shared: true });

/**
 * Served, but not REST: pages and files for browsers, probes for operators
 * (docs/operations.md). Each is allowed, not required (the dashboard's catch-all exists only
 * when it is built). Anything else the server answers must be in the catalogue.
 */
const notRest = new Set([
  'GET /healthz',
  'GET /readyz',
  'GET /metrics',
  'GET /widget.js',
  'GET /widget',
  'GET /widget/index.html',
  'GET /widget/assets/:file',
  'GET /demo',
  'GET /demo/:file',
  'GET /.*/',
]);

type ListedRoute = { path: string | RegExp; methods?: string[]; router?: RouteLister };
type RouteLister = { listRoutes?: () => ListedRoute[] };

/**
 * Every `METHOD /path` the app answers, from Express's own router (`router.listRoutes()`,
 * router 2.3): mounted routers are walked with their mount paths. HEAD is left out where Express
 * adds it to a GET by itself.
 */
function servedRoutes(router: RouteLister, prefix = ''): string[] {
  if (!router.listRoutes)
    throw new Error('router.listRoutes() is missing: Express 5 with router 2.3+');
  const routes = router.listRoutes().flatMap(({ path, methods = [], router: mounted }) => {
    const full =
      typeof path === 'string'
        ? (prefix + (path === '/' ? '' : path)).replace(/(.)\/$/, '$1')
        : `${prefix}${String(path)}`;
    if (mounted) return servedRoutes(mounted, full);
    return methods
      .filter((m) => m !== 'HEAD' || !methods.includes('GET'))
      .map((m) => `${m} ${full || '/'}`);
  });
  return [...new Set(routes)];
}

/** Express's layers, as far as the walk below reads them (router 2's own structure). */
type Layer = {
  rawPath?: unknown;
  route?: { stack: { handle: { name: string } }[]; _methods(): string[] };
  handle: { stack?: Layer[] };
};

/**
 * The names of the handlers behind each `METHOD /path` the app answers. `route()` names the
 * handler it registers from a catalogue entry `route GET /api/…`; one written by hand has
 * another name.
 */
function handlerNames(stack: Layer[], prefix = ''): Map<string, string[]> {
  const names = new Map<string, string[]>();
  for (const layer of stack) {
    const path = typeof layer.rawPath === 'string' && layer.rawPath !== '/' ? layer.rawPath : '';
    if (layer.handle.stack) {
      for (const [route, handlers] of handlerNames(layer.handle.stack, prefix + path)) {
        names.set(route, [...(names.get(route) ?? []), ...handlers]);
      }
    }
    if (!layer.route) continue;
    for (const method of layer.route._methods()) {
      const route = `${method.toUpperCase()} ${prefix + path}`;
      const handlers = layer.route.stack.map((l) => l.handle.name);
      names.set(route, [...(names.get(route) ?? []), ...handlers]);
    }
  }
  return names;
}

const catalogued = apiRoutes.map((r) => `${r.method.toUpperCase()} ${r.path}`);

describe('the route catalogue', () => {
  it('lists every route the server answers, and only those', () => {
    const served = servedRoutes(server.current.app.router as unknown as RouteLister);
    // The walk sees through mounted routers: if it did not, nothing below could fail.
    expect(served).toContain('POST /api/messages');
    expect(served).toContain('GET /api/conversations/:id/messages');
    expect(served).toContain('GET /files/:id');
    const unlisted = served.filter((r) => !notRest.has(r) && !catalogued.includes(r));
    expect(unlisted, 'routes the server answers that api-routes.ts does not list').toEqual([]);
    const absent = catalogued.filter((r) => !served.includes(r));
    expect(absent, 'routes api-routes.ts lists that the server does not answer').toEqual([]);
  });

  it('serves each catalogued route by the handler route() registered from its entry', () => {
    const stack = (server.current.app.router as unknown as { stack: Layer[] }).stack;
    const names = handlerNames(stack);
    // The walk sees the handlers: a hand-written one is told apart by its name.
    expect(names.get('GET /api/conversations/:id')).toContain('route GET /api/conversations/:id');
    expect(names.has('GET /healthz')).toBe(true);
    expect(names.get('GET /healthz')).not.toContain('route GET /healthz');
    const byHand = catalogued.filter((r) => !(names.get(r) ?? []).includes(`route ${r}`));
    expect(byHand, 'routes served by a handler that is not route() from their entry').toEqual([]);
  });
});

describe('GET /api/openapi.json', () => {
  it('serves the document generated from the catalogue, and it is valid OpenAPI 3.1', async () => {
    const res = await fetch(`${server.current.url}/api/openapi.json`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    const doc = (await res.json()) as OpenApiDocument;
    expect(doc).toEqual(JSON.parse(JSON.stringify(openApiDocument())));
    expect(doc.openapi).toBe('3.1.0');

    const result = await validate(structuredClone(doc) as never);
    expect(result.valid ? [] : compileErrors(result)).toEqual([]);
    // The validator does look: a response without its description is refused.
    const broken = structuredClone(doc) as { paths: Record<string, Record<string, unknown>> };
    broken.paths['/api/auth/login'] = { post: { responses: { 200: {} } } };
    expect((await validate(broken as never)).valid).toBe(false);
  });
});

describe('GET /api/docs', () => {
  it('is a page of its own: every route and schema, no script, nothing from elsewhere', async () => {
    const res = await fetch(`${server.current.url}/api/docs`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    // Helmet's CSP stands: scripts from this origin only, and the page has none.
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toMatch(/script-src 'self'(;|$)/);
    const page = await res.text();
    expect(page).not.toMatch(/<script/i);
    expect(page).not.toMatch(/(src|href)="(https?:)?\/\//i);
    const doc = openApiDocument();
    for (const route of apiRoutes) expect(page).toContain(`id="op-${route.operationId}"`);
    for (const name of Object.keys(doc.components.schemas)) {
      expect(page).toContain(`id="schema-${name}"`);
    }
    for (const scheme of Object.keys(doc.components.securitySchemes))
      expect(page).toContain(scheme);
    expect(page).toContain('<code>/api/conversations/{id}/messages</code>');
  });
});

/** A client as anyone would write it against the generated types; run against the server. */
const clientSource = `
import createClient, { type Client, type Middleware } from 'openapi-fetch';
import type { components, paths } from './schema';

export type Seen = { path: string; method: string; status: number; body: unknown };

export async function run(baseUrl: string, seen: Seen[]) {
  const record: Middleware = {
    async onResponse({ request, response, schemaPath }) {
      const text = await response.clone().text();
      const body: unknown = text ? JSON.parse(text) : null;
      seen.push({ path: schemaPath, method: request.method.toLowerCase(), status: response.status, body });
    },
  };
  const anonymous = createClient<paths>({ baseUrl });
  anonymous.use(record);
  const credentials = { email: 'ada@example.com', password: 'correct horse battery' };
  const registered = await anonymous.POST('/api/auth/register', {
    body: { name: 'Ada Admin', ...credentials },
  });
  const signedIn = await anonymous.POST('/api/auth/login', { body: credentials });
  // With two-factor sign-in on, the reply is a challenge for the code instead (not here).
  if (!signedIn.data || !('accessToken' in signedIn.data))
    throw new Error('login failed: ' + JSON.stringify(signedIn.error));
  const admin: components['schemas']['User'] = signedIn.data.user;

  const agent = createClient<paths>({
    baseUrl,
    headers: { authorization: 'Bearer ' + signedIn.data.accessToken },
  });
  agent.use(record);
  const session = await anonymous.POST('/api/visitors/session', { body: {} });
  if (!session.data) throw new Error('no visitor session');
  const started = await agent.POST('/api/visitors/{id}/conversations', {
    params: { path: { id: session.data.visitor.id } },
    body: { content: 'Hello from the API', clientId: crypto.randomUUID() },
  });
  const list = await agent.GET('/api/conversations', { params: { query: { status: 'open', limit: 10 } } });
  const missing = await agent.GET('/api/conversations/{id}', {
    params: { path: { id: crypto.randomUUID() } },
  });
  const unsigned = await anonymous.GET('/api/conversations');
  const invalid = await agent.POST('/api/messages', {
    body: { conversationId: 'not-an-id', content: 'Hi', clientId: crypto.randomUUID() },
  });
  return {
    registered: registered.response.status,
    admin,
    started: started.data?.conversation.id,
    listed: list.data?.items.map((c) => c.id),
    missing: { status: missing.response.status, code: missing.error?.error.code },
    unsigned: { status: unsigned.response.status, code: unsigned.error?.error.code },
    invalid: { status: invalid.response.status, error: invalid.error?.error },
  };
}

// Never called: the generated types must refuse what the document does not allow.
export function refused(client: Client<paths>) {
  // @ts-expect-error: a route the document does not have
  void client.GET('/api/no-such-route');
  // @ts-expect-error: signing in needs a password
  void client.POST('/api/auth/login', { body: { email: 'ada@example.com' } });
}
`;

/** Where the generated client lives for the test: a temp dir that finds the repo's packages. */
const repoModules = fileURLToPath(new URL('../../../node_modules', import.meta.url));
const tempDirs: string[] = [];
afterAll(async () => {
  await Promise.all(tempDirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

function typeErrors(file: string): string[] {
  const program = ts.createProgram([file], {
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    lib: ['lib.es2023.d.ts', 'lib.dom.d.ts'],
    types: [],
  });
  return ts
    .getPreEmitDiagnostics(program)
    .map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
}

/** The schema the document gives a reply: by its status, else the default, `$ref`s followed. */
function documentedSchema(doc: OpenApiDocument, path: string, method: string, status: number) {
  const operation = doc.paths[path]?.[method as 'get'];
  const response = operation?.responses[String(status)] ?? operation?.responses.default;
  if (!response) return undefined;
  const resolved: OpenApiResponse | undefined =
    '$ref' in response
      ? doc.components.responses[response.$ref.slice(response.$ref.lastIndexOf('/') + 1)]
      : response;
  return resolved?.content?.['application/json']?.schema ?? null;
}

describe('a client generated from the document', () => {
  it(
    'signs up, lists conversations and gets errors as documented',
    { timeout: 90_000 },
    async () => {
      const doc = (await (
        await fetch(`${server.current.url}/api/openapi.json`)
      ).json()) as OpenApiDocument;
      const dir = await mkdtemp(join(tmpdir(), 'parley-openapi-client-'));
      tempDirs.push(dir);
      await symlink(repoModules, join(dir, 'node_modules'), 'dir');
      // A field with a default may be left out of a request: openapi-typescript's default would
      // make it required, for replies' sake (docs/api.md says the same).
      const types = await openapiTS(doc as never, { defaultNonNullable: false });
      await writeFile(join(dir, 'schema.d.ts'), astToString(types));
      await writeFile(join(dir, 'client.ts'), clientSource);
      expect(typeErrors(join(dir, 'client.ts'))).toEqual([]);

      type Seen = { path: string; method: string; status: number; body: unknown };
      const client = (await import(pathToFileURL(join(dir, 'client.ts')).href)) as {
        run(baseUrl: string, seen: Seen[]): Promise<Record<string, any>>;
      };
      const seen: Seen[] = [];
      const result = await client.run(server.current.url, seen);

      expect(result.registered).toBe(201);
      expect(result.admin.role).toBe('admin');
      expect(result.listed).toEqual([result.started]);
      expect(result.missing).toEqual({ status: 404, code: 'not_found' });
      expect(result.unsigned).toEqual({ status: 401, code: 'unauthorized' });
      expect(result.invalid.status).toBe(400);
      expect(result.invalid.error.code).toBe('validation_failed');
      expect(result.invalid.error.details).toContainEqual(
        expect.objectContaining({ path: 'conversationId' }),
      );

      // Every reply is one the document lists for its route, shaped as it says.
      const ajv = new Ajv2020({ strict: false, validateFormats: false, allErrors: true });
      const docId = 'https://parley.invalid/openapi.json';
      ajv.addSchema({ $id: docId, components: doc.components });
      const mismatches = seen.flatMap(({ path, method, status, body }) => {
        const at = `${method} ${path} ${status}`;
        const schema: JsonSchema | null | undefined = documentedSchema(doc, path, method, status);
        if (schema === undefined) return [`${at}: not documented`];
        if (schema === null) return body === null ? [] : [`${at}: has a body`];
        const check =
          typeof schema.$ref === 'string'
            ? ajv.getSchema(docId + schema.$ref)
            : ajv.compile(schema);
        if (!check) return [`${at}: no schema at ${schema.$ref}`];
        return check(body) ? [] : [`${at}: ${ajv.errorsText(check.errors)}`];
      });
      expect(seen.map((s) => `${s.method} ${s.path} ${s.status}`)).toEqual([
        'post /api/auth/register 201',
        'post /api/auth/login 200',
        'post /api/visitors/session 201',
        'post /api/visitors/{id}/conversations 201',
        'get /api/conversations 200',
        'get /api/conversations/{id} 404',
        'get /api/conversations 401',
        'post /api/messages 400',
      ]);
      expect(mismatches).toEqual([]);
    },
  );
});

describe('a read-only API token in the document', () => {
  const own = useServer();

  it('gets the 403 the document lists on every route that changes something', async () => {
    const s = own.current;
    const admin = await createAdmin(s);
    const created = await api(s, 'POST', '/api/tokens', {
      token: admin.token,
      body: { name: 'Reports', scope: 'read' },
    });
    expect(created.status).toBe(201);
    const readToken = created.body.secret as string;
    const doc = openApiDocument();
    const byToken = Object.entries(doc.paths).flatMap(([path, methods]) =>
      Object.entries(methods)
        .filter(([, op]) => op.security.some((s) => 'apiToken' in s))
        .map(([method, op]) => ({ path, method, op })),
    );
    const writes = byToken.filter(({ method }) => method !== 'get');
    // The walk does look: a token may call many routes, and many of them change something.
    expect(writes.length).toBeGreaterThan(20);
    expect(writes.map((w) => `${w.method} ${w.path}`)).toContain('post /api/messages');

    const answered: string[] = [];
    const undocumented: string[] = [];
    for (const { path, method, op } of writes) {
      const url = path.replace(/\{[^}]+\}/g, () => randomUUID());
      const res = await api(s, method.toUpperCase(), url, { token: readToken, body: {} });
      answered.push(`${method} ${path} ${res.status} ${res.body?.error?.code}`);
      if (!op.responses['403']) undocumented.push(`${method} ${path}`);
    }
    expect(answered).toEqual(writes.map(({ method, path }) => `${method} ${path} 403 forbidden`));
    expect(undocumented, 'routes a read token gets 403 on, without 403 in the document').toEqual(
      [],
    );
    // The reference says why, once, in the shared 403.
    expect(doc.components.responses.Forbidden?.description).toMatch(/read-only API token/);
  });
});
