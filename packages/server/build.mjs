// Bundles the server, the protocol sources and most npm packages into dist/main.js. Loading one
// file instead of hundreds of modules is most of cold start (measured: ~700 ms of module
// loading before main ran, with every package external).
import { cpSync, rmSync } from 'node:fs';
import { build } from 'esbuild';

// Kept external: native code (argon2), files loaded relative to the package (PGlite's wasm and
// data, pino's transport workers), and optional native add-ons nobody installs.
const external = [
  '@node-rs/argon2',
  '@electric-sql/pglite',
  '@electric-sql/pglite/*',
  'pino',
  'pino-pretty',
  'pino-http',
  'pg-native',
  'bufferutil',
  'utf-8-validate',
  // Several megabytes of password dictionaries, imported on the first password check only:
  // kept out of the bundle so that start-up does not parse them.
  '@zxcvbn-ts/*',
];

rmSync('dist', { recursive: true, force: true });
await build({
  // The embedded database's worker thread runs a file of its own, found beside main.js; the
  // operations tools (backup, restore, move-to-postgres) are ops.js, for images without tsx.
  entryPoints: {
    main: 'src/main.ts',
    'embedded-worker': 'src/db/embedded-worker.ts',
    ops: 'src/ops/cli.ts',
  },
  outdir: 'dist',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  // main.ts loads the rest of the server with import() once PGlite's thread is starting: the
  // rest is a chunk of its own, beside main.js (paths relative to import.meta.url hold).
  splitting: true,
  sourcemap: true,
  external,
  // CommonJS packages inside an ES module bundle still call require() for Node's built-ins.
  banner: {
    js: "import { createRequire as __parleyRequire } from 'node:module'; const require = __parleyRequire(import.meta.url);",
  },
  logLevel: 'warning',
});
cpSync('src/db/migrations', 'dist/migrations', { recursive: true });
