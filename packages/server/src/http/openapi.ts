import {
  openApiDocument,
  type JsonSchema,
  type OpenApiDocument,
  type OpenApiOperation,
  type OpenApiResponse,
} from '@parley/protocol/openapi';
import { routes } from '@parley/protocol/api-routes';
import type { Route } from './route.js';

/**
 * `GET /api/openapi.json`: the OpenAPI 3.1 document, generated from protocol's route catalogue;
 * `GET /api/docs`: the same as a page to read. Both are built once, on first request: they
 * depend on nothing but the code. The page is plain HTML and CSS (its one inline stylesheet is
 * what Helmet's CSP allows; no script at all), so it works offline and behind any proxy.
 */
export function openApiRoutes(route: Route): void {
  let document: OpenApiDocument | undefined;
  let page: string | undefined;
  const built = () => (document ??= openApiDocument());

  route(routes.getOpenApiDocument, async (_input, res) => {
    res.setHeader('Cache-Control', 'no-cache');
    res.json(built());
  });
  route(routes.getApiReference, async (_input, res) => {
    page ??= referencePage(built());
    res.setHeader('Cache-Control', 'no-cache');
    res.type('html').send(page);
  });
}

const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The little Markdown the document's texts use: `code` and **bold**. */
const prose = (text: string) =>
  escape(text)
    .replace(/`([^`]+)`/g, '<code>$1</code>')
    .replace(/\*\*([^*]+)\*\*/g, '<strong>$1</strong>');

const slug = (text: string) => text.toLowerCase().replace(/[^a-z0-9]+/g, '-');
const refName = (ref: string) => ref.slice(ref.lastIndexOf('/') + 1);
const schemaLink = (ref: string) =>
  `<a href="#schema-${escape(refName(ref))}">${escape(refName(ref))}</a>`;

const authText: Record<OpenApiOperation['x-parley-auth'], string> = {
  none: 'None',
  agent: 'Agent token or API token',
  admin: "An admin's agent token or API token",
  visitor: 'Visitor token',
  'agent-or-visitor': 'Agent token, API token or visitor token',
  'refresh-cookie': 'The refresh cookie',
};

/** A schema's type in a few words, linking named schemas; objects get a table of their own. */
function typeOf(schema: JsonSchema | boolean): string {
  if (typeof schema === 'boolean') return schema ? 'any' : 'nothing';
  if (typeof schema.$ref === 'string') return schemaLink(schema.$ref);
  const union = schema.anyOf ?? schema.oneOf;
  if (union) return union.map((s) => typeOf(s)).join(' | ');
  if (schema.enum)
    return schema.enum.map((v) => `<code>${escape(JSON.stringify(v))}</code>`).join(' | ');
  if (schema.const !== undefined) return `<code>${escape(JSON.stringify(schema.const))}</code>`;
  if (schema.type === 'array' && schema.prefixItems) {
    return `[${schema.prefixItems.map((s) => typeOf(s)).join(', ')}]`;
  }
  if (schema.type === 'array' && schema.items !== undefined && !Array.isArray(schema.items)) {
    return `array of ${typeOf(schema.items)}`;
  }
  if (schema.type === 'object' && !schema.properties) {
    const values = schema.additionalProperties;
    return typeof values === 'object' ? `map of ${typeOf(values)}` : 'object';
  }
  if (schema.type === 'object') return `object${propertiesTable(schema)}`;
  const type = Array.isArray(schema.type) ? schema.type.join(' | ') : (schema.type ?? 'any');
  return schema.format ? `${type} (${escape(schema.format)})` : escape(type);
}

/** What else a schema requires, in words; patterns that only restate a format are left out. */
function limitsOf(schema: JsonSchema): string {
  const limits: string[] = [];
  const add = (label: string, value: unknown) => {
    if (value !== undefined) limits.push(`${label} ${escape(String(value))}`);
  };
  add('min length', schema.minLength);
  add('max length', schema.maxLength);
  add('min', schema.minimum);
  if (typeof schema.maximum === 'number' && schema.maximum < Number.MAX_SAFE_INTEGER) {
    add('max', schema.maximum);
  }
  add('at most', schema.maxItems === undefined ? undefined : `${schema.maxItems} items`);
  if (schema.pattern && !schema.format)
    limits.push(`pattern <code>${escape(schema.pattern)}</code>`);
  if (schema.default !== undefined) {
    limits.push(`default <code>${escape(JSON.stringify(schema.default))}</code>`);
  }
  return limits.join('; ');
}

function propertiesTable(schema: JsonSchema): string {
  const required = new Set(schema.required ?? []);
  const rows = Object.entries(schema.properties ?? {}).map(([name, property]) => {
    const s: JsonSchema = typeof property === 'boolean' ? {} : property;
    return `<tr><td><code>${escape(name)}</code>${required.has(name) ? '' : ' <em>optional</em>'}</td><td>${typeOf(s)}</td><td>${limitsOf(s)}</td></tr>`;
  });
  if (rows.length === 0) return ' (empty)';
  return `<table><thead><tr><th>Field</th><th>Type</th><th>Limits</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function contentOf(content: OpenApiResponse['content']): string {
  return Object.entries(content ?? {})
    .map(([mediaType, { schema }]) => `<p><code>${escape(mediaType)}</code>: ${typeOf(schema)}</p>`)
    .join('');
}

function responseOf(doc: OpenApiDocument, response: OpenApiOperation['responses'][string]) {
  if ('$ref' in response) {
    const shared = doc.components.responses[refName(response.$ref)];
    return `<a href="#response-${escape(refName(response.$ref))}">${escape(refName(response.$ref))}</a>${shared ? `: ${prose(shared.description)}` : ''}`;
  }
  return `${prose(response.description)}${contentOf(response.content)}`;
}

function operationOf(doc: OpenApiDocument, path: string, method: string, op: OpenApiOperation) {
  const parameters = op.parameters?.length
    ? `<h4>Parameters</h4><table><thead><tr><th>Name</th><th>In</th><th>Type</th><th>Limits</th></tr></thead><tbody>${op.parameters
        .map(
          (p) =>
            `<tr><td><code>${escape(p.name)}</code>${p.required ? '' : ' <em>optional</em>'}</td><td>${p.in}</td><td>${typeOf(p.schema)}</td><td>${limitsOf(p.schema)}</td></tr>`,
        )
        .join('')}</tbody></table>`
    : '';
  const body = op.requestBody
    ? `<h4>Body${op.requestBody.required ? '' : ' <em>optional</em>'}</h4>${op.requestBody.description ? `<p>${prose(op.requestBody.description)}</p>` : ''}${contentOf(op.requestBody.content)}`
    : '';
  const responses = Object.entries(op.responses)
    .map(([status, r]) => `<tr><td>${escape(status)}</td><td>${responseOf(doc, r)}</td></tr>`)
    .join('');
  return `<article id="op-${escape(op.operationId)}">
<h3><span class="method ${method}">${method.toUpperCase()}</span> <code>${escape(path)}</code></h3>
<p><strong>${prose(op.summary)}</strong>${op.description ? ` ${prose(op.description)}` : ''}</p>
<p class="auth">Auth: ${authText[op['x-parley-auth']]} · <code>${escape(op.operationId)}</code></p>
${parameters}${body}<h4>Responses</h4><table><tbody>${responses}</tbody></table>
</article>`;
}

/** The whole reference: contents, authentication, errors, each tag's routes, then the schemas. */
export function referencePage(doc: OpenApiDocument): string {
  const operations = Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => ({ path, method, op })),
  );
  const byTag = doc.tags.map((tag) => ({
    ...tag,
    operations: operations.filter(({ op }) => op.tags.includes(tag.name)),
  }));
  const contents = byTag
    .map(
      (tag) =>
        `<li><a href="#tag-${slug(tag.name)}">${escape(tag.name)}</a><ul>${tag.operations
          .map(
            ({ path, method, op }) =>
              `<li><a href="#op-${escape(op.operationId)}"><span class="method ${method}">${method.toUpperCase()}</span> ${escape(path)}</a></li>`,
          )
          .join('')}</ul></li>`,
    )
    .join('');
  const schemes = Object.entries(doc.components.securitySchemes)
    .map(([name, s]) => `<dt><code>${escape(name)}</code></dt><dd>${prose(s.description)}</dd>`)
    .join('');
  const errors = Object.entries(doc.components.responses)
    .map(
      ([name, r]) =>
        `<dt id="response-${escape(name)}">${escape(name)}</dt><dd>${prose(r.description)}</dd>`,
    )
    .join('');
  const tags = byTag
    .map(
      (tag) =>
        `<section id="tag-${slug(tag.name)}"><h2>${escape(tag.name)}</h2><p>${prose(tag.description)}</p>${tag.operations
          .map(({ path, method, op }) => operationOf(doc, path, method, op))
          .join('')}</section>`,
    )
    .join('');
  const schemas = Object.entries(doc.components.schemas)
    .map(
      ([name, schema]) =>
        `<section id="schema-${escape(name)}" class="schema"><h3>${escape(name)}</h3><div>${typeOf(schema)}</div></section>`,
    )
    .join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(doc.info.title)}</title><style>${css}</style></head>
<body><nav><p><strong>${escape(doc.info.title)}</strong> ${escape(doc.info.version)}</p><ul>${contents}<li><a href="#schemas">Schemas</a></li></ul></nav>
<main><h1>${escape(doc.info.title)}</h1>
${doc.info.description
  .split('\n\n')
  .map((p) => `<p>${prose(p)}</p>`)
  .join('')}
<p>The machine-readable document: <a href="openapi.json"><code>/api/openapi.json</code></a> (OpenAPI ${escape(doc.openapi)}).</p>
<h2 id="auth">Authentication</h2><dl>${schemes}</dl>
<h2 id="errors">Errors</h2><p>Every error reply is an <a href="#schema-ErrorBody">ErrorBody</a>.</p><dl>${errors}</dl>
${tags}<h2 id="schemas">Schemas</h2>${schemas}</main></body></html>`;
}

const css = `
:root { color-scheme: light dark; --fg: #1f2328; --muted: #59636e; --line: #d1d9e0; --bg: #fff; --code: #f6f8fa; }
@media (prefers-color-scheme: dark) { :root { --fg: #e6edf3; --muted: #9198a1; --line: #3d444d; --bg: #0d1117; --code: #151b23; } }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.5 system-ui, sans-serif; color: var(--fg); background: var(--bg); display: flex; }
nav { position: sticky; top: 0; height: 100vh; overflow: auto; width: 20rem; flex: none; padding: 1rem; border-right: 1px solid var(--line); font-size: 13px; }
nav ul { list-style: none; padding-left: .5rem; margin: .25rem 0; }
nav li li a { display: block; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
main { padding: 1rem 2rem 4rem; max-width: 60rem; min-width: 0; }
a { color: #0969da; text-decoration: none; } a:hover { text-decoration: underline; }
code { font: 13px ui-monospace, monospace; background: var(--code); padding: 0 .2rem; border-radius: 3px; overflow-wrap: anywhere; }
h2 { border-bottom: 1px solid var(--line); padding-bottom: .25rem; margin-top: 2.5rem; }
article, .schema { border: 1px solid var(--line); border-radius: 6px; padding: 0 1rem .5rem; margin: 1rem 0; }
h3 { font-size: 16px; } h4 { margin: .75rem 0 .25rem; font-size: 14px; }
.auth, em { color: var(--muted); font-size: 13px; }
table { border-collapse: collapse; width: 100%; margin: .25rem 0; font-size: 13px; }
th, td { border: 1px solid var(--line); padding: .25rem .5rem; text-align: left; vertical-align: top; }
dt { font-weight: 600; margin-top: .5rem; } dd { margin-left: 1rem; }
.method { display: inline-block; min-width: 3.5rem; font: 700 12px ui-monospace, monospace; color: #fff; background: #6e7781; border-radius: 3px; padding: 0 .3rem; text-align: center; }
.get { background: #1a7f37; } .post { background: #0969da; } .put { background: #8250df; } .patch { background: #9a6700; } .delete { background: #cf222e; }
@media (max-width: 50rem) { body { display: block; } nav { position: static; height: auto; width: auto; border-right: 0; } }
`;
