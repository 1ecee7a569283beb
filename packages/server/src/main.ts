// The entry point, kept small. PGlite takes longer to start than the rest of Parley takes to
// load, so this reads the configuration, starts the embedded database's thread, and only then
// loads the rest (a chunk of its own in the build): the two overlap on two cores.
import { loadConfig } from './config.js';
import { startEmbeddedPglite } from './db/embedded.js';

const started = performance.now();
const config = loadConfig();
const embedded = config.databaseUrl ? undefined : startEmbeddedPglite(config.dataDir);
// Its failure is reported where the start awaits it, not as an unhandled rejection before.
embedded?.catch(() => {});
const { run } = await import('./run.js');
await run(config, started, embedded);
