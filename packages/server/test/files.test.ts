import { useServer } from './harness.js';
import { fileSuite } from './support/file-suite.js';

// Files on the default driver: local disk under DATA_DIR.
const dataDir = `/tmp/parley-files-test-${process.pid}`;
const server = useServer({ env: { DATA_DIR: dataDir } });

fileSuite(server, 'local');
