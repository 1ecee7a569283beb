import { describe, expect, it } from 'vitest';
import { apiRoutes } from './api-routes.js';
import { errorCodes } from './errors.js';
import { openApiDocument, openApiPath } from './openapi.js';

const doc = openApiDocument();

/** Every `$ref` in a JSON value, with where it was found. */
function refsIn(value: unknown, at = '#'): { ref: string; at: string }[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => refsIn(v, `${at}/${i}`));
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([key, v]) =>
    key === '$ref' && typeof v === 'string' ? [{ ref: v, at }] : refsIn(v, `${at}/${key}`),
  );
}

/** Schemas that say nothing (`{}`): what zod writes for what it cannot describe. */
function emptySchemasIn(value: unknown, at: string): string[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => emptySchemasIn(v, `${at}/${i}`));
  if (typeof value !== 'object' || value === null) return [];
  if (Object.keys(value).length === 0) return [at];
  return Object.entries(value).flatMap(([key, v]): string[] => {
    if (key === 'required' || key === 'enum') return [];
    // A map of schemas, not a schema: an object with no fields has `properties: {}`.
    if (key === 'properties' && typeof v === 'object' && v !== null) {
      return Object.entries(v).flatMap(([name, s]) => emptySchemasIn(s, `${at}/${key}/${name}`));
    }
    return emptySchemasIn(v, `${at}/${key}`);
  });
}

describe('the API catalogue', () => {
  it('names each route and each operation once', () => {
    const routes = apiRoutes.map((r) => `${r.method} ${r.path}`);
    expect(new Set(routes).size).toBe(routes.length);
    const ids = apiRoutes.map((r) => r.operationId);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("gives each route's path parameters a schema, and no others", () => {
    for (const route of apiRoutes) {
      const inPath = [...route.path.matchAll(/:([A-Za-z0-9_]+)/g)].map((m) => m[1]);
      expect(Object.keys(route.params?.shape ?? {}), route.path).toEqual(inPath);
    }
  });
});

describe('the OpenAPI document', () => {
  it('has every route of the catalogue, in OpenAPI path syntax', () => {
    expect(doc.openapi).toBe('3.1.0');
    for (const route of apiRoutes) {
      expect(doc.paths[openApiPath(route.path)]?.[route.method]?.operationId).toBe(
        route.operationId,
      );
    }
    expect(doc.paths['/api/conversations/{id}/messages']?.get?.parameters).toContainEqual(
      expect.objectContaining({ name: 'id', in: 'path', required: true }),
    );
  });

  it('refers only to components it has, and has none that nothing refers to', () => {
    const refs = refsIn(doc);
    const missing = refs.filter(({ ref }) => {
      const [, , kind, name] = ref.split('/');
      const components: Record<string, Record<string, unknown>> = doc.components;
      return !kind || !name || !(name in (components[kind] ?? {}));
    });
    expect(missing).toEqual([]);
    const used = new Set(refs.map(({ ref }) => ref));
    const unused = Object.keys(doc.components.schemas).filter(
      (name) => !used.has(`#/components/schemas/${name}`),
    );
    expect(unused).toEqual([]);
  });

  it('describes every field: trimmed text in replies is still a string', () => {
    // Only an error's `details` and an audit record's values (JSON as recorded) may be anything.
    expect(emptySchemasIn(doc.components.schemas, '#')).toEqual([
      '#/ErrorInfo/properties/details',
      '#/AuditEventListReply/properties/items/items/properties/details/anyOf/0/additionalProperties',
    ]);
    expect(doc.components.schemas.WidgetSettings?.properties?.title).toEqual({
      type: 'string',
      maxLength: 60,
    });
  });

  it('describes requests as accepted and replies as sent', () => {
    // A default makes a field optional to send and certain to be there in the reply.
    expect(doc.components.schemas.CreateInvitationBody?.required).toEqual(['name', 'email']);
    expect(doc.components.schemas.User?.required).toContain('capacity');
    const limit = doc.paths['/api/conversations']?.get?.parameters?.find((p) => p.name === 'limit');
    expect(limit).toMatchObject({ required: false, schema: { type: 'integer', default: 30 } });
  });

  it('answers errors in the one shape, with every code REST can send', () => {
    const shared = Object.values(doc.components.responses);
    for (const response of shared) {
      expect(response.content?.['application/json']?.schema).toEqual({
        $ref: '#/components/schemas/ErrorBody',
      });
    }
    const described = shared.map((r) => r.description).join(' ');
    for (const code of errorCodes.filter((c) => c !== 'unknown_command')) {
      expect(described).toContain(`\`${code}\``);
    }
  });

  it('says who may call each route, and what a refused caller gets', () => {
    const op = (path: string, method: 'get' | 'post' | 'patch') => doc.paths[path]?.[method];
    expect(op('/api/auth/login', 'post')?.security).toEqual([]);
    expect(op('/api/conversations', 'get')?.security).toEqual([
      { agentBearer: [] },
      { apiToken: [] },
    ]);
    expect(op('/api/visitors/me', 'patch')?.security).toEqual([{ visitorBearer: [] }]);
    expect(Object.keys(op('/api/invitations', 'post')?.responses ?? {})).toEqual(
      expect.arrayContaining(['400', '401', '403', '409', '413', 'default']),
    );
    expect(op('/api/auth/setup', 'get')?.responses).not.toHaveProperty('401');
    expect(Object.keys(doc.components.securitySchemes).sort()).toEqual([
      'agentBearer',
      'apiToken',
      'refreshCookie',
      'visitorBearer',
    ]);
  });
});
