import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { startParley } from './server.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A DATA_DIR the built server made and migrated, stopped: each test server starts on a copy. */
    dataTemplate: string;
  }
}

/**
 * The built server's first start, once per run: a fresh embedded database costs about 3 s of
 * CPU (initdb and every migration), a copy of this one about 0.1 s, and the suite starts
 * three dozen servers on two cores. start.e2e still starts one in a new folder.
 */
export default async function setup(project: TestProject) {
  const dir = mkdtempSync(join(tmpdir(), 'parley-e2e-template-'));
  const server = await startParley({}, { dataDir: dir });
  await server.stop();
  project.provide('dataTemplate', dir);
  return () => rmSync(dir, { recursive: true, force: true });
}
