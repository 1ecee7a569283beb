// Helpers shared by the bench's processes: ports, child processes, percentiles.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Starts `node <args>` with the file descriptor limit raised to the hard limit: one process
 * holding 10,000 sockets needs more than the usual soft limit of 1,024.
 */
export function spawnNode(args, { env = {}, cwd, stdin = 'ignore' } = {}) {
  const quoted = [process.execPath, ...args]
    .map((a) => `'${a.replaceAll("'", "'\\''")}'`)
    .join(' ');
  const child = spawn('sh', ['-c', `ulimit -n "$(ulimit -Hn)" 2>/dev/null; exec ${quoted}`], {
    cwd,
    env: { ...process.env, ...env },
    stdio: [stdin, 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk) => {
    output += chunk.toString();
    if (output.length > 200_000) output = output.slice(-100_000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const exited = new Promise((resolve) =>
    child.once('exit', (code, signal) => resolve(code ?? signal)),
  );
  return { child, exited, output: () => output };
}

/**
 * Node's flags in `npm start` (package.json): the bench runs Parley as it is run, and the relay
 * and floors it is compared with under the same flags (or BENCH_NODE_FLAGS's, when set).
 */
export const serverFlags = (() => {
  // BENCH_NODE_FLAGS: measure other flags (say, another young generation) without editing npm start.
  if (process.env.BENCH_NODE_FLAGS !== undefined) {
    return process.env.BENCH_NODE_FLAGS.split(' ').filter(Boolean);
  }
  const { start } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url))).scripts;
  const flags = / node ((?:--\S+ )*)packages\/server\/dist\/main\.js/.exec(start);
  if (!flags) throw new Error(`npm start does not run packages/server/dist/main.js: ${start}`);
  return flags[1].split(' ').filter(Boolean);
})();

/** Resolves with the first stdout line matching `pattern`, or rejects on exit or timeout. */
export function waitForLine(proc, pattern, timeoutMs = 30_000) {
  return new Promise((resolve, reject) => {
    let buffer = '';
    const timer = setTimeout(
      () => done(new Error(`timed out waiting for ${pattern}:\n${proc.output()}`)),
      timeoutMs,
    );
    const onData = (chunk) => {
      buffer += chunk.toString();
      const lines = buffer.split('\n');
      buffer = lines.pop() ?? '';
      const line = lines.find((l) => pattern.test(l));
      if (line !== undefined) done(null, line);
    };
    const onExit = (code) =>
      done(new Error(`exited (${code}) before ${pattern}:\n${proc.output()}`));
    const done = (error, line) => {
      clearTimeout(timer);
      proc.child.stdout.off('data', onData);
      proc.child.off('exit', onExit);
      if (error) reject(error);
      else resolve(line);
    };
    proc.child.stdout.on('data', onData);
    proc.child.once('exit', onExit);
  });
}

/** Stops a child we started: SIGTERM, then SIGKILL if it lingers. */
export async function stop(proc, graceMs = 10_000) {
  if (proc.child.exitCode !== null || proc.child.signalCode !== null) return;
  proc.child.kill('SIGTERM');
  const timer = setTimeout(() => proc.child.kill('SIGKILL'), graceMs);
  await proc.exited;
  clearTimeout(timer);
}

/** The q-quantile (0..1) of unsorted samples, nearest rank. */
export function quantile(samples, q) {
  if (samples.length === 0) return NaN;
  const sorted = Float64Array.from(samples).sort();
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank];
}

export const median = (xs) => quantile(xs, 0.5);

/** Runs `fn` over `items` with at most `limit` in flight. */
export async function pool(items, limit, fn) {
  const results = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** Resident memory of a process in bytes, from /proc (Linux). */
export async function residentBytes(pid) {
  const { readFile } = await import('node:fs/promises');
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = /VmRSS:\s+(\d+) kB/.exec(status);
  if (!kb) throw new Error(`no VmRSS for ${pid}`);
  return Number(kb[1]) * 1024;
}
