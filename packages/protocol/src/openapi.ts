/**
 * The OpenAPI 3.1 document of Parley's REST API, generated from the route catalogue
 * (api-routes.ts, routes/*.ts) and the zod schemas it names, never written by hand. JSON Schema comes from
 * zod's own `z.toJSONSchema`: request schemas as they are accepted (`io: 'input'`), replies as
 * they are sent (`io: 'output'`). Schemas are named after their export in protocol.
 */
import { z } from 'zod';
import protocolPackage from '../package.json' with { type: 'json' };
import {
  apiRoutes,
  apiTags,
  type ApiAuth,
  type ApiBytes,
  type ApiRoute,
  type ErrorStatus,
} from './api-routes.js';
import { readScopeAllows } from './api-tokens.js';
import * as entities from './entities.js';
import {
  Attachment,
  CannedResponse,
  Conversation,
  ConversationListItem,
  Message,
  PageView,
  User,
  Visitor,
  VisitorConversation,
} from './entities.js';
import * as errors from './errors.js';
import { ErrorBody, ErrorCode, ErrorInfo, errorCodes, errorStatus } from './errors.js';
import * as protocol from './index.js';
import * as rest from './rest.js';
import * as resources from './routes/index.js';
import { Job } from './rest.js';
import * as settings from './settings.js';
import { FileSettings, WidgetConfig, WidgetSettings } from './settings.js';
import * as webhooks from './webhooks.js';
import { WebhookDelivery, WebhookDeliveryAttempt, WebhookEndpoint } from './webhooks.js';

export { apiRoutes, apiTags };
export type { ApiAuth, ApiRoute };

export type JsonSchema = z.core.JSONSchema.BaseSchema;
export type OpenApiParameter = {
  name: string;
  in: 'path' | 'query';
  required: boolean;
  schema: JsonSchema;
};
export type OpenApiMediaTypes = Record<string, { schema: JsonSchema }>;
export type OpenApiResponse = {
  description: string;
  content?: OpenApiMediaTypes;
  headers?: Record<string, { description: string; schema: JsonSchema }>;
};
export type OpenApiOperation = {
  operationId: string;
  summary: string;
  description?: string;
  tags: string[];
  /** Who may call it, as the catalogue says (`admin` cannot be told by the security schemes). */
  'x-parley-auth': ApiAuth;
  security: Record<string, string[]>[];
  parameters?: OpenApiParameter[];
  requestBody?: { required: boolean; description?: string; content: OpenApiMediaTypes };
  responses: Record<string, OpenApiResponse | { $ref: string }>;
};
export type OpenApiSecurityScheme =
  | { type: 'http'; scheme: 'bearer'; bearerFormat?: string; description: string }
  | { type: 'apiKey'; in: 'cookie'; name: string; description: string };
export type OpenApiDocument = {
  openapi: '3.1.0';
  info: { title: string; version: string; description: string; license: { name: string } };
  tags: { name: string; description: string }[];
  paths: Record<string, Partial<Record<ApiRoute['method'], OpenApiOperation>>>;
  components: {
    schemas: Record<string, JsonSchema>;
    responses: Record<string, OpenApiResponse>;
    securitySchemes: Record<string, OpenApiSecurityScheme>;
  };
};

const schemaRef = (name: string) => `#/components/schemas/${name}`;
const responseRef = (name: string) => `#/components/responses/${name}`;

/** Entities that replies share: each is one named schema rather than a copy in every reply. */
const sharedReplySchemas: z.ZodType[] = [
  ErrorBody,
  ErrorInfo,
  ErrorCode,
  User,
  Visitor,
  PageView,
  Attachment,
  Message,
  Conversation,
  ConversationListItem,
  VisitorConversation,
  CannedResponse,
  Job,
  WidgetSettings,
  WidgetConfig,
  FileSettings,
  WebhookEndpoint,
  WebhookDelivery,
  WebhookDeliveryAttempt,
];

/**
 * Every schema protocol exports, by the name it is exported under. A schema exported under two
 * names (socket.ts calls `SendMessageBody` `AgentSendPayload` too) takes its REST name: the
 * modules of REST come first, then everything else index.ts exports.
 */
function exportedNames(): Map<unknown, string> {
  const names = new Map<unknown, string>();
  for (const module of [errors, entities, rest, settings, webhooks, resources, protocol]) {
    for (const [name, value] of Object.entries(module)) {
      if (value instanceof z.ZodType && !names.has(value)) names.set(value, name);
    }
  }
  return names;
}

/** A catalogued schema's component name; an inline schema has none, and cannot be referred to. */
function nameOf(names: Map<unknown, string>, schema: z.ZodType): string {
  const name = names.get(schema);
  if (!name) throw new Error('The API catalogue names a schema that protocol does not export');
  return name;
}

const isBytes = (body: z.ZodType | ApiBytes | null): body is ApiBytes =>
  body !== null && !(body instanceof z.ZodType);

/**
 * In replies, a transform (text trimmed, an origin lower-cased) would be described as "anything":
 * zod cannot see what a function returns. Protocol's transforms keep the type of what they are
 * given, so a reply's field is described by the transform's input instead.
 */
const describeTransformsByInput: z.core.JSONSchemaGeneratorParams['override'] = (ctx) => {
  const def = ctx.zodSchema._zod.def;
  if (def.type !== 'pipe' || def.out._zod.def.type !== 'transform') return;
  const { $schema: _dialect, ...input } = z.toJSONSchema(def.in, {
    io: 'input',
    unrepresentable: 'any',
  });
  for (const key of Object.keys(ctx.jsonSchema)) delete ctx.jsonSchema[key];
  Object.assign(ctx.jsonSchema, input);
};

/** The named schemas, each a component that others refer to with `$ref`. */
function componentSchemas(
  names: Map<unknown, string>,
  io: 'input' | 'output',
  schemas: z.ZodType[],
): Record<string, JsonSchema> {
  const registry = z.registry<{ id: string }>();
  for (const schema of new Set(schemas)) registry.add(schema, { id: nameOf(names, schema) });
  const generated = z.toJSONSchema(registry, {
    io,
    target: 'draft-2020-12',
    unrepresentable: 'any',
    uri: schemaRef,
    override: io === 'output' ? describeTransformsByInput : undefined,
  }).schemas;
  const components: Record<string, JsonSchema> = {};
  for (const [name, { $schema: _dialect, $id: _id, ...schema }] of Object.entries(generated)) {
    components[name] = schema;
  }
  return components;
}

/** Path and query parameters: each property of the route's schema, as it is accepted. */
function parametersOf(route: ApiRoute): OpenApiParameter[] {
  const parameters: OpenApiParameter[] = [];
  for (const [where, schema] of [
    ['path', route.params],
    ['query', route.query],
  ] as const) {
    if (!schema) continue;
    const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' });
    const required = new Set(json.required ?? []);
    for (const [name, property] of Object.entries(json.properties ?? {})) {
      if (typeof property === 'boolean') continue;
      parameters.push({
        name,
        in: where,
        required: where === 'path' || required.has(name),
        schema: property,
      });
    }
  }
  return parameters;
}

const bytesContent = ({ mediaType }: ApiBytes): OpenApiMediaTypes => ({
  [mediaType]: {
    schema:
      mediaType === 'application/json'
        ? { type: 'object' }
        : { type: 'string', contentMediaType: mediaType },
  },
});

function contentOf(body: z.ZodType | ApiBytes, names: Map<unknown, string>): OpenApiMediaTypes {
  if (isBytes(body)) return bytesContent(body);
  return { 'application/json': { schema: { $ref: schemaRef(nameOf(names, body)) } } };
}

const successText: Record<number, string> = {
  200: 'OK',
  201: 'Created',
  202: 'Accepted',
  204: 'Done; no body',
  302: 'A redirect (Location)',
};

/** Why each refusal happens; the codes at each status come from errors.ts. */
const errorText: Record<ErrorStatus, { name: string; why: string }> = {
  400: {
    name: 'ValidationFailed',
    why: 'The input does not match its schema (`details` lists each problem as `{path, message}`), or the body is not JSON.',
  },
  401: { name: 'Unauthorized', why: 'No valid token, or wrong credentials.' },
  403: {
    name: 'Forbidden',
    why: "Not allowed: admins only, a read-only API token on a route that changes something, or a rule of this route (the message says which). `banned`: a visitor (or their address) an agent banned. A browser request from an origin that is not Parley's own or in DASHBOARD_ORIGINS is refused too.",
  },
  404: { name: 'NotFound', why: 'Not found, or not yours: the two look the same.' },
  409: { name: 'Conflict', why: 'The current state does not allow it; the message says why.' },
  413: { name: 'PayloadTooLarge', why: 'The body is too large.' },
  415: { name: 'UnsupportedFile', why: 'The file is of a type that is not accepted.' },
  429: { name: 'RateLimited', why: 'Too many requests: wait `Retry-After` seconds.' },
};

const errorContent = (): OpenApiMediaTypes => ({
  'application/json': { schema: { $ref: schemaRef('ErrorBody') } },
});

/** The shared error replies: `{ "error": { "code", "message", "details"? } }` at each status. */
function errorResponses(): Record<string, OpenApiResponse> {
  const responses: Record<string, OpenApiResponse> = {};
  for (const [status, { name, why }] of Object.entries(errorText)) {
    // `unknown_command` is a socket refusal; REST never sends it.
    const codes = errorCodes.filter(
      (c) => errorStatus[c] === Number(status) && c !== 'unknown_command',
    );
    responses[name] = {
      description: `${codes.map((c) => `\`${c}\``).join(', ')}: ${why}`,
      content: errorContent(),
      ...(status === '429'
        ? {
            headers: {
              'Retry-After': {
                description: 'Seconds to wait before trying again.',
                schema: { type: 'integer', minimum: 1 },
              },
            },
          }
        : {}),
    };
  }
  responses.Error = {
    description:
      '`internal` (500): a fault of the server, with a request id to report. `unavailable` (503): a dependency is briefly unreachable; the same request may be retried.',
    content: errorContent(),
  };
  return responses;
}

/** The refusals a route can answer with: its own, and those every route of its kind has. */
function errorStatusesOf(route: ApiRoute): ErrorStatus[] {
  const statuses = new Set<ErrorStatus>(route.errors);
  if (route.params || route.query || route.body) statuses.add(400);
  if (route.auth !== 'none') statuses.add(401);
  if (route.auth === 'admin') statuses.add(403);
  // A banned visitor is refused every visitor route (`banned`).
  if (route.auth === 'visitor' || route.auth === 'agent-or-visitor') statuses.add(403);
  // A `read` API token is refused every route it can call that changes something.
  if (acceptsApiToken(route.auth) && !readScopeAllows(route.method)) statuses.add(403);
  // express.json() refuses bodies past its limit before any handler runs.
  if (route.body && !isBytes(route.body)) statuses.add(413);
  return [...statuses].sort((a, b) => a - b);
}

const securitySchemes: Record<string, OpenApiSecurityScheme> = {
  agentBearer: {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
    description:
      "An agent's access token, from `POST /api/auth/login` (or register, refresh): `Authorization: Bearer <accessToken>`. It lasts 15 minutes; `POST /api/auth/refresh` gives a new one.",
  },
  apiToken: {
    type: 'http',
    scheme: 'bearer',
    description:
      "An API token for integrations, created by an admin and stored hashed: `Authorization: Bearer <token>`. Accepted wherever an agent's token is, within the token's scopes; revoked tokens stop working at once.",
  },
  visitorBearer: {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
    description:
      'A visitor token, from `POST /api/visitors/session`: `Authorization: Bearer <visitorToken>`. It reaches only its own visitor and conversations.',
  },
  refreshCookie: {
    type: 'apiKey',
    in: 'cookie',
    name: 'parley_refresh',
    description:
      'The httpOnly refresh cookie that sign-in sets (path `/api/auth`). Browsers send it by themselves.',
  },
};

const agentSecurity: Record<string, string[]>[] = [{ agentBearer: [] }, { apiToken: [] }];
const securityOf: Record<ApiAuth, Record<string, string[]>[]> = {
  none: [],
  agent: agentSecurity,
  admin: agentSecurity,
  visitor: [{ visitorBearer: [] }],
  'agent-or-visitor': [...agentSecurity, { visitorBearer: [] }],
  'refresh-cookie': [{ refreshCookie: [] }],
};
/** Whether an API token may call routes of this kind (within its scope). */
const acceptsApiToken = (auth: ApiAuth) => securityOf[auth].some((s) => 'apiToken' in s);

const describeAuth: Partial<Record<ApiAuth, string>> = {
  admin: 'Admins only.',
  'agent-or-visitor': 'Agents and visitors (a visitor reaches only their own conversations).',
};

function operationOf(route: ApiRoute, names: Map<unknown, string>): OpenApiOperation {
  const description = [describeAuth[route.auth], route.description].filter(Boolean).join(' ');
  const parameters = parametersOf(route);
  const responses: OpenApiOperation['responses'] = {};
  for (const [status, reply] of Object.entries(route.responses)) {
    if (reply === undefined) continue;
    responses[status] =
      reply === null
        ? { description: successText[Number(status)] ?? 'OK' }
        : {
            description: isBytes(reply) ? reply.description : (successText[Number(status)] ?? 'OK'),
            content: contentOf(reply, names),
          };
  }
  for (const status of errorStatusesOf(route)) {
    responses[status] = { $ref: responseRef(errorText[status].name) };
  }
  responses.default = { $ref: responseRef('Error') };
  return {
    operationId: route.operationId,
    summary: route.summary,
    ...(description ? { description } : {}),
    tags: [route.tag],
    'x-parley-auth': route.auth,
    security: securityOf[route.auth],
    ...(parameters.length ? { parameters } : {}),
    ...(route.body
      ? {
          requestBody: {
            required: !route.optionalBody,
            ...(isBytes(route.body) ? { description: route.body.description } : {}),
            content: contentOf(route.body, names),
          },
        }
      : {}),
    responses,
  };
}

/** `/api/conversations/:id` as OpenAPI writes it: `/api/conversations/{id}`. */
export const openApiPath = (expressPath: string) =>
  expressPath.replace(/:([A-Za-z0-9_]+)/g, '{$1}');

const description = `Parley's REST API. JSON in and out, except file bytes.

Errors have one shape everywhere: \`{ "error": { "code": "...", "message": "...", "details"? } }\`. Clients branch on \`code\`, never on the message. A 429 carries \`Retry-After\`.

Agents authenticate with \`Authorization: Bearer <accessToken>\` (from sign-in), integrations with \`Authorization: Bearer <apiToken>\`, visitors with \`Authorization: Bearer <visitorToken>\` (from \`POST /api/visitors/session\`). Real-time events (messages as they are sent, typing) are on Socket.io: namespaces \`/agent\` and \`/visitor\`.`;

/**
 * The OpenAPI 3.1 document of every route in `apiRoutes`. Pure: the same catalogue and schemas
 * always give the same document, so the server builds it once.
 */
export function openApiDocument(): OpenApiDocument {
  const names = exportedNames();
  const zodOf = (b: z.ZodType | ApiBytes | null | undefined): z.ZodType[] =>
    b && !isBytes(b) ? [b] : [];
  const inputs = apiRoutes.flatMap((r) => zodOf(r.body));
  const outputs = [
    ...sharedReplySchemas,
    ...apiRoutes.flatMap((r) => Object.values(r.responses).flatMap(zodOf)),
  ];
  const requestSchemas = componentSchemas(names, 'input', inputs);
  const replySchemas = componentSchemas(names, 'output', outputs);
  const clash = Object.keys(requestSchemas).find((name) => name in replySchemas);
  if (clash) throw new Error(`${clash} is both a request and a reply schema: give each its own`);

  const paths: OpenApiDocument['paths'] = {};
  for (const route of apiRoutes) {
    const path = (paths[openApiPath(route.path)] ??= {});
    path[route.method] = operationOf(route, names);
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Parley REST API',
      version: protocolPackage.version,
      description,
      license: { name: 'MIT' },
    },
    tags: Object.entries(apiTags).map(([name, text]) => ({ name, description: text })),
    paths,
    components: {
      schemas: { ...replySchemas, ...requestSchemas },
      responses: errorResponses(),
      securitySchemes,
    },
  };
}
