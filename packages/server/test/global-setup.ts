import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { openDatabase } from '../src/db/client.js';
import { createDatabase, dropDatabase } from '../../../tools/local.mjs';

declare module 'vitest' {
  export interface ProvidedContext {
    pgliteTemplate: string;
    postgresTemplate: string;
  }
}

const migrationsDir = new URL('../src/db/migrations/', import.meta.url);

function migrationsHash(): string {
  const hash = createHash('sha256');
  for (const file of readdirSync(migrationsDir, { recursive: true }).map(String).sort()) {
    if (file.endsWith('.sql') || file.endsWith('.json'))
      hash.update(file).update(readFileSync(new URL(file, migrationsDir)));
  }
  return hash.digest('hex').slice(0, 12);
}

/**
 * Migrates one database per run and lets every test file start from a copy of it: a fresh
 * PGlite costs ~3.5 s, a copied data directory ~0.5 s; a PostgreSQL database made from a
 * template costs a fraction of running the migrations.
 */
export default async function setup(project: TestProject) {
  project.provide('pgliteTemplate', await pgliteTemplate());
  if (project.name !== 'server-postgres') return;
  const template = await postgresTemplate();
  project.provide('postgresTemplate', template);
  return () => {
    const url = process.env.TEST_DATABASE_URL;
    return url ? dropDatabase(url, template) : undefined;
  };
}

async function pgliteTemplate(): Promise<string> {
  const dir = join(tmpdir(), `parley-test-template-${migrationsHash()}`);
  const ready = join(dir, '.ready');
  if (existsSync(ready)) return dir;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const db = await openDatabase({ dataDir: join(dir, 'pgdata') });
  await db.close();
  writeFileSync(ready, '');
  return dir;
}

async function postgresTemplate(): Promise<string> {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) throw new Error('TEST_DATABASE_URL is not set');
  // One per run: two runs at once (two developers' terminals, say) must not drop each other's.
  const name = `parley_test_template_${process.pid}`;
  const target = await createDatabase(url, name);
  const db = await openDatabase({ url: target, dataDir: '', poolSize: 1 });
  await db.close();
  return name;
}
