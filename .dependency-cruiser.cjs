// The layer rules of docs/architecture.md "Layers", checked by `npm run lint` (dependency-cruiser).
// Type-only imports count: a circle through types is still a knot a reader has to untie.
const server = '^packages/server/src/';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'No import circles: each part can be read, and tested, from the bottom up.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'transports-reach-db-through-services',
      comment:
        'HTTP routes and sockets apply the same rules: they read and write only through services/.',
      severity: 'error',
      from: { path: `${server}(http|realtime)/` },
      to: { path: `${server}db/` },
    },
    {
      name: 'db-imports-no-service',
      comment: 'db/ is queries and rows; the rules that use them live in services/.',
      severity: 'error',
      from: { path: `${server}db/` },
      to: {
        path: `${server}(services|http|realtime|jobs|outlets|email|webhooks|files|ops|queue)/|${server}(app|context|main)\\.ts$`,
      },
    },
    {
      name: 'services-import-no-transport-job-or-outlet',
      comment:
        'A rule knows nothing of who calls it (HTTP, sockets, a job) nor of who hears its events (outlets).',
      severity: 'error',
      from: { path: `${server}services/` },
      to: {
        path: `${server}(http|realtime|jobs|outlets)/|${server}(app|main)\\.ts$|${server}email/inbound`,
      },
    },
    {
      name: 'queue-knows-no-kind',
      comment: 'The queue stores and runs jobs; the handlers of each kind are registered into it.',
      severity: 'error',
      from: { path: `${server}queue/` },
      to: { path: `${server}(services|jobs|outlets|http|realtime)/` },
    },
    {
      name: 'front-ends-import-only-protocol',
      comment: 'The dashboard and the widget share only the protocol with the server.',
      severity: 'error',
      from: { path: '^packages/(dashboard|widget)/' },
      to: { path: '^packages/(server|dashboard|widget)/', pathNot: '^packages/$1/' },
    },
    {
      name: 'protocol-imports-no-package',
      comment: 'The protocol is the shared contract: it depends on no other part of Parley.',
      severity: 'error',
      from: { path: '^packages/protocol/' },
      to: { path: '^packages/(server|dashboard|widget)/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.base.json' },
    exclude: { path: '(\\.test\\.tsx?$|/dist/|/test/)' },
  },
};
