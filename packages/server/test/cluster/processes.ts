import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { dropDatabase, freePort } from '../../../../tools/local.mjs';

const serverDir = fileURLToPath(new URL('../..', import.meta.url));

/** The production bundle, built once for these tests: they run what `npm start` runs. */
export function buildServer(): void {
  const result = spawnSync(process.execPath, ['build.mjs'], { cwd: serverDir, stdio: 'inherit' });
  if (result.status !== 0) throw new Error('server build failed');
}

export type Instance = {
  url: string;
  port: number;
  process: ChildProcess;
  exited: Promise<number | null>;
  /** From spawn to the first answer of /healthz. */
  startupMs: number;
  /** What it wrote to stderr (warnings and errors), for failure messages. */
  stderr: () => string;
};

/** Starts `node dist/main.js` and resolves once `/healthz` answers. */
export async function startInstance(env: Record<string, string>, port?: number): Promise<Instance> {
  const chosen = port ?? (await freePort());
  const url = `http://127.0.0.1:${chosen}`;
  const spawnedAt = Date.now();
  const child = spawn(process.execPath, ['dist/main.js'], {
    cwd: serverDir,
    env: {
      ...process.env,
      NODE_ENV: 'production',
      LOG_LEVEL: 'warn',
      HOST: '127.0.0.1',
      PORT: String(chosen),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  let exitCode: number | null | undefined;
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      exitCode = code;
      resolve(code);
    }),
  );
  while (Date.now() - spawnedAt < 20_000) {
    if (exitCode !== undefined) throw new Error(`instance exited with ${exitCode}:\n${output}`);
    const up = await fetch(`${url}/healthz`).then(
      (r) => r.ok,
      () => false,
    );
    if (up)
      return {
        url,
        port: chosen,
        process: child,
        exited,
        startupMs: Date.now() - spawnedAt,
        stderr: () => output,
      };
    await new Promise((r) => setTimeout(r, 25));
  }
  child.kill('SIGKILL');
  throw new Error(`instance did not start:\n${output}`);
}

// One drop for the test suites, the cluster and the bench: the machine's own helpers.
export { dropDatabase };

export async function query<T>(url: string, text: string, values: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(text, values)).rows as T[];
  } finally {
    await client.end();
  }
}

/** A JSON POST to an instance, as `token`'s bearer; anything but 2xx throws with the answer. */
export async function post<T>(url: string, body: unknown, token?: string): Promise<T> {
  const res = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${url}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}
