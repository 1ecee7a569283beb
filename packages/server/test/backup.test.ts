import { randomUUID } from 'node:crypto';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ParleyServer } from '../src/app.js';
import { testDatabaseKind } from './database.js';
import {
  api,
  connectAgent,
  createAdmin,
  login,
  newClientId,
  startVisitorChat,
  type AgentClient,
  type SignedInAgent,
  type VisitorChat,
} from './factories.js';
import { allMessages, freshDataDir, runTool, startOwnServer } from './support/ops-tools.js';
import { upload } from './support/file-suite.js';

const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');
const PASSWORD = 'correct horse battery';
// A tool's mistake must read as a sentence, never as a stack trace.
const STACK = /\n\s+at /;

// docs/operations.md "Backups": `npm run backup` and `npm run restore` of the embedded database.
// The tools run as processes of their own, as a user runs them, against a server that opened
// its own DATA_DIR (as `npm start` does). Only the embedded database has them.
describe.runIf(testDatabaseKind === 'pglite')('backups of the embedded database', () => {
  let work: string;
  let dataDir: string;
  let restored: string;
  let backupFile: string;
  let server: ParleyServer;
  let admin: SignedInAgent;
  let agent: AgentClient;
  let chat: VisitorChat;
  let attachmentId: string;

  beforeAll(async () => {
    ({ work, dataDir } = freshDataDir());
    restored = join(work, 'restored');
    backupFile = join(work, 'parley.tar.gz');
    server = await startOwnServer({ DATA_DIR: dataDir });
    admin = await createAdmin(server);
    agent = await connectAgent(server, admin.token);
    chat = await startVisitorChat(server, 'My invoice is wrong');
    const file = await upload(server, chat.session.visitorToken, PDF, 'invoice.pdf');
    attachmentId = file.id;
    const sent = await chat.socket.timeout(5000).emitWithAck('message.send', {
      conversationId: chat.started.conversation.id,
      content: 'here it is',
      clientId: newClientId(),
      attachmentIds: [attachmentId],
    });
    expect(sent.ok).toBe(true);
  });

  afterAll(async () => {
    agent?.disconnect();
    chat?.socket.disconnect();
    await server?.close();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('backs up a running server while a chat goes on: the restored copy starts, with every message acked before the backup began, and its files', async () => {
    const conversationId = chat.started.conversation.id;
    // Visitor and agent take turns, a message every 10 ms or so, each after the last was acked.
    const acked: Array<{ content: string; at: number }> = [];
    let chatting = true;
    const chatter = (async () => {
      for (let n = 0; chatting; n++) {
        const content = `turn ${n} ${randomUUID()}`;
        const payload = { conversationId, content, clientId: newClientId() };
        const reply =
          n % 2 === 0
            ? await chat.socket.timeout(10_000).emitWithAck('message.send', payload)
            : await agent.timeout(10_000).emitWithAck('message.send', { ...payload, type: 'text' });
        if (!reply.ok) throw new Error(`send failed: ${JSON.stringify(reply.error)}`);
        acked.push({ content, at: performance.now() });
        await new Promise((r) => setTimeout(r, 10));
      }
    })();
    while (acked.length < 20) await new Promise((r) => setTimeout(r, 20));

    const began = performance.now();
    const backup = await runTool(['backup', backupFile], { DATA_DIR: dataDir });
    const ended = performance.now();
    const sentAfter = acked.length;
    while (acked.length < sentAfter + 5) await new Promise((r) => setTimeout(r, 20));
    chatting = false;
    await chatter;

    expect(backup.stderr).toBe('');
    expect(backup.code).toBe(0);
    expect(backup.stdout).toMatch(/Parley is running on .*: it held the database \d+\.\d s/);
    expect(backup.stdout).toMatch(/1 file \(/);
    // The chat went on while the backup ran: messages were acked between its start and end.
    expect(acked.filter((a) => a.at > began && a.at < ended).length).toBeGreaterThan(0);
    // The snapshot staged for it is gone; the server's control socket is still there.
    expect(readdirSync(join(dataDir, 'control'))).toEqual(['socket']);

    const restore = await runTool(['restore', backupFile], { DATA_DIR: restored });
    expect(restore.stderr).toBe('');
    expect(restore.code).toBe(0);
    expect(restore.stdout).toMatch(/Restored into .* as the backup counted them; 1 file/);

    const copy = await startOwnServer({ DATA_DIR: restored });
    try {
      const signedIn = await login(copy, admin.user.email, PASSWORD);
      const contents = (await allMessages(copy, signedIn.token, conversationId)).map(
        (m) => m.content,
      );
      const before = acked.filter((a) => a.at < began).map((a) => a.content);
      expect(before.length).toBeGreaterThanOrEqual(20);
      expect(contents).toEqual(expect.arrayContaining(['My invoice is wrong', ...before]));
      // Seqs stay gapless: what the copy holds is a prefix of the chat, nothing half-written.
      const all = await allMessages(copy, signedIn.token, conversationId);
      expect(all.map((m) => m.seq)).toEqual(all.map((_, i) => i + 1));
      // The file a backed-up message refers to is in the backup.
      const link = await api<{ url: string }>(copy, 'GET', `/api/attachments/${attachmentId}/url`, {
        token: signedIn.token,
      });
      const file = await fetch(`${copy.url}${link.body.url}`);
      expect(file.status).toBe(200);
      expect(Buffer.from(await file.arrayBuffer())).toEqual(PDF);
    } finally {
      await copy.close();
    }
  }, 60_000);

  it('turns away a second server on a DATA_DIR in use', async () => {
    await expect(startOwnServer({ DATA_DIR: dataDir })).rejects.toThrow(
      /is in use by a Parley server \(process \d+\)/,
    );
    // The first one is unharmed.
    expect((await api(server, 'GET', '/readyz')).status).toBe(200);
  });

  it('refuses what it cannot do, in a sentence and with a non-zero exit, and writes nothing', async () => {
    const refusals: Array<[string[], Record<string, string>, RegExp]> = [];
    const elsewhere = (n: number) => join(work, `elsewhere-${n}`);
    // Restoring over a database.
    refusals.push([['restore', backupFile], { DATA_DIR: restored }, /already holds a database/]);
    // Files that are not backups: text, gzipped noise, a missing one.
    const text = join(work, 'notes.tar.gz');
    writeFileSync(text, 'just some notes, not an archive\n'.repeat(40));
    const noise = join(work, 'noise.tar.gz');
    writeFileSync(noise, gzipSync(Buffer.alloc(4096, 7)));
    refusals.push([['restore', text], { DATA_DIR: elsewhere(1) }, /is not a Parley backup/]);
    refusals.push([['restore', noise], { DATA_DIR: elsewhere(2) }, /is not a Parley backup/]);
    refusals.push([['restore', join(work, 'gone.tar.gz')], { DATA_DIR: elsewhere(3) }, /no file/]);
    // A backup over an existing file, and of a folder without a database.
    refusals.push([['backup', backupFile], { DATA_DIR: dataDir }, /exists already/]);
    refusals.push([
      ['backup', join(work, 'other.tar.gz')],
      { DATA_DIR: elsewhere(4) },
      /no embedded database/,
    ]);
    // A server that is stuck: its socket is there and takes the connection, and says nothing.
    const stuck = join(work, 'stuck');
    mkdirSync(join(stuck, 'control'), { recursive: true, mode: 0o700 });
    writeFileSync(join(stuck, 'PG_VERSION'), '17\n');
    const silent = createServer(() => {}).listen(join(stuck, 'control', 'socket'));
    refusals.push([
      ['backup', join(work, 'stuck.tar.gz')],
      { DATA_DIR: stuck },
      /has .* open \(its control socket is there\) but cannot be reached/,
    ]);
    const runs = await Promise.all(refusals.map(([args, env]) => runTool(args, env)));
    silent.close();
    runs.forEach((run, i) => {
      const [args, , message] = refusals[i]!;
      expect({ args, code: run.code, stderr: run.stderr }).toMatchObject({
        code: 1,
        stderr: expect.stringMatching(message),
      });
      expect(run.stderr).not.toMatch(STACK);
    });
    for (const n of [1, 2, 3, 4]) expect(existsSync(elsewhere(n))).toBe(false);
    expect(existsSync(join(work, 'stuck.tar.gz'))).toBe(false);
    expect(existsSync(join(work, 'other.tar.gz'))).toBe(false);
  }, 60_000);

  it('backs up a stopped database by opening it itself, past the socket a crashed server left', async () => {
    await server.close();
    // A server killed without a word leaves its socket behind, answered by nobody.
    const socket = join(dataDir, 'control', 'socket');
    const dead = spawn(process.execPath, [
      '-e',
      `require('node:fs').mkdirSync(${JSON.stringify(join(dataDir, 'control'))}, { recursive: true });
       require('node:net').createServer().listen(${JSON.stringify(socket)}, () => console.log('up'));`,
    ]);
    await new Promise((resolve) => dead.stdout.once('data', resolve));
    dead.kill('SIGKILL');
    await new Promise((resolve) => dead.once('exit', resolve));
    expect(existsSync(socket)).toBe(true);
    const stoppedFile = join(work, 'stopped.tar.gz');
    const backup = await runTool(['backup', stoppedFile], { DATA_DIR: dataDir });
    expect(backup.stderr).toBe('');
    expect(backup.stdout).toMatch(/Parley is not running on .*: the backup opened the database/);
    const again = join(work, 'again');
    const restore = await runTool(['restore', stoppedFile], { DATA_DIR: again });
    expect(restore.code).toBe(0);
    // Nothing of the tools is left behind: no socket, no staged snapshot.
    expect(existsSync(join(dataDir, 'control'))).toBe(false);
    const copy = await startOwnServer({ DATA_DIR: again });
    try {
      const signedIn = await login(copy, admin.user.email, PASSWORD);
      const original = await allMessages(copy, signedIn.token, chat.started.conversation.id);
      expect(original.length).toBeGreaterThan(25);
    } finally {
      await copy.close();
    }
  }, 60_000);
});
