import { createHmac, randomUUID } from 'node:crypto';
import type { Attachment, Message } from '@parley/protocol';
import { eq, sql } from 'drizzle-orm';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { insertJob } from '../../src/db/jobs.js';
import { attachments } from '../../src/db/schema.js';
import {
  api,
  connectAgent,
  createAdmin,
  newClientId,
  nextEvent,
  startVisitorChat,
  waitFor,
} from '../factories.js';
import type { TestServer } from '../harness.js';

type Server = { readonly current: TestServer; readonly database: { db: TestServer['ctx']['db'] } };

type UploadReply = {
  status: number;
  body: { attachment: Attachment; error: { code: string; message: string } };
  id: string;
};

/** Uploads raw bytes to a client-chosen id, as the widget and the dashboard do. */
export const upload = (
  s: TestServer,
  token: string,
  bytes: Buffer,
  name: string,
  id: string = randomUUID(),
): Promise<UploadReply> =>
  fetch(`${s.url}/api/attachments/${id}?name=${encodeURIComponent(name)}`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/octet-stream' },
    body: bytes,
  }).then(async (res) => ({
    status: res.status,
    body: (await res.json()) as UploadReply['body'],
    id,
  }));

/** A photo as a phone takes it: a JPEG with EXIF (camera, and where it was taken). */
export const photo = () =>
  sharp({ create: { width: 64, height: 48, channels: 3, background: '#3b82f6' } })
    .jpeg()
    .withExif({
      IFD0: { Make: 'PhoneCo', Model: 'Pocket 9', ImageDescription: 'at home' },
      IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '48/1 51/1 2400/100' },
    })
    .toBuffer();

const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');

/**
 * Files, the same on every storage driver: `kind` is the driver the server was started with.
 * Real HTTP, real sockets, and the real driver (local disk or an S3 server started by the file).
 */
export function fileSuite(server: Server, kind: 'local' | 's3') {
  /** Whether the storage holds the key (the stream opened to tell is closed again). */
  const stored = async (s: TestServer, key: string) => {
    const body = await s.ctx.files.get(key);
    body?.destroy();
    return body !== null;
  };
  const download = async (s: TestServer, token: string, id: string) => {
    const { body } = await api<{ url: string }>(s, 'GET', `/api/attachments/${id}/url`, { token });
    return fetch(`${s.url}${body.url}`);
  };

  describe(`files on ${kind} storage`, () => {
    it('reports the storage in readyz', async () => {
      const res = await fetch(`${server.current.url}/readyz`);
      expect(await res.json()).toMatchObject({ files: { storage: kind, reachable: true } });
    });

    it('sends a photo from the widget: stored without its metadata, delivered once, readable by both sides only', async () => {
      const s = server.current;
      const admin = await createAdmin(s);
      const agent = await connectAgent(s, admin.token);
      const chat = await startVisitorChat(s, 'Here is the error');
      const token = chat.session.visitorToken;
      const conversationId = chat.started.conversation.id;

      const original = await photo();
      expect((await sharp(original).metadata()).exif).toBeDefined();
      const first = await upload(s, token, original, 'C:\\Users\\vera\\IMG_0042.JPG');
      expect(first.status).toBe(201);
      const attachment = first.body.attachment as Attachment;
      expect(attachment).toMatchObject({
        name: 'IMG_0042.JPG',
        contentType: 'image/jpeg',
        width: 64,
        height: 48,
      });
      // The same upload again (its answer was lost): the same file, not a second one.
      const again = await upload(s, token, original, 'IMG_0042.JPG', first.id);
      expect(again.status).toBe(200);
      expect(again.body.attachment).toEqual(attachment);

      // Sent with a message, and resent after a reconnect: one message, one file.
      const clientId = newClientId();
      const live = nextEvent<Message>(agent, 'message.created', (m) => m.attachments.length > 0);
      const payload = { conversationId, content: '', clientId, attachmentIds: [first.id] };
      const sent = await chat.socket.timeout(5000).emitWithAck('message.send', payload);
      const resent = await chat.socket.timeout(5000).emitWithAck('message.send', payload);
      expect(sent.ok && resent.ok).toBe(true);
      if (!sent.ok || !resent.ok) return;
      expect(resent.data.message.id).toBe(sent.data.message.id);
      expect((await live).attachments).toEqual([attachment]);
      const rows = await server.database.db.select().from(attachments);
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ messageId: sent.data.message.id, conversationId });

      // The agent downloads it: an inline image, with no EXIF left.
      const res = await download(s, admin.token, first.id);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('image/jpeg');
      expect(res.headers.get('content-disposition')).toMatch(/^inline; filename="IMG_0042.JPG"/);
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('content-security-policy')).toMatch(/sandbox/);
      const bytes = Buffer.from(await res.arrayBuffer());
      const meta = await sharp(bytes).metadata();
      expect(meta.exif).toBeUndefined();
      expect(bytes.includes(Buffer.from('PhoneCo'))).toBe(false);
      expect([meta.width, meta.height]).toEqual([64, 48]);
      // The visitor reads their own; another visitor may not, as if it did not exist.
      expect((await download(s, token, first.id)).status).toBe(200);
      const other = await startVisitorChat(s, 'Someone else');
      const theirs = await api(s, 'GET', `/api/attachments/${first.id}/url`, {
        token: other.session.visitorToken,
      });
      expect(theirs.status).toBe(404);
      // Another visitor cannot send it either, nor take over its id.
      const stolen = await other.socket.timeout(5000).emitWithAck('message.send', {
        conversationId: other.started.conversation.id,
        content: 'mine now',
        clientId: newClientId(),
        attachmentIds: [first.id],
      });
      expect(stolen.ok).toBe(false);
      expect((await upload(s, other.session.visitorToken, PDF, 'x.pdf', first.id)).status).toBe(
        409,
      );
    });

    it('refuses forged and expired links', async () => {
      const s = server.current;
      const admin = await createAdmin(s);
      const { id } = await upload(s, admin.token, PDF, 'invoice.pdf');
      const { body } = await api<{ url: string }>(s, 'GET', `/api/attachments/${id}/url`, {
        token: admin.token,
      });
      const ok = await fetch(`${s.url}${body.url}`);
      expect(ok.status).toBe(200);
      expect(ok.headers.get('content-type')).toBe('application/pdf');
      expect(ok.headers.get('content-disposition')).toMatch(/^attachment; filename="invoice.pdf"/);
      const forged = body.url.replace(
        /signature=[^&]+/,
        'signature=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
      );
      expect((await fetch(`${s.url}${forged}`)).status).toBe(403);
      const later = body.url.replace(
        /expires=(\d+)/,
        (_m, e: string) => `expires=${Number(e) + 3600}`,
      );
      expect((await fetch(`${s.url}${later}`)).status).toBe(403);
      // Correctly signed, but past its time.
      const past = Math.floor(Date.now() / 1000) - 1;
      const signature = createHmac('sha256', s.ctx.tokens.subkey('files'))
        .update(`${id}.${past}`)
        .digest('base64url');
      const expired = await fetch(`${s.url}/files/${id}?expires=${past}&signature=${signature}`);
      expect(expired.status).toBe(403);
      expect(((await expired.json()) as UploadReply['body']).error.message).toMatch(/expired/);
      expect((await fetch(`${s.url}/files/${id}?expires=abc&signature=x`)).status).toBe(400);
    });

    it('reads the type from the bytes: HTML named .png and SVG with a script are refused', async () => {
      const s = server.current;
      const admin = await createAdmin(s);
      const html = await upload(
        s,
        admin.token,
        Buffer.from('<!doctype html><script>alert(1)</script>'),
        'cute.png',
      );
      expect(html.status).toBe(415);
      expect(html.body.error).toMatchObject({ code: 'unsupported_file' });
      expect(html.body.error.message).toMatch(/HTML/);
      const svg = await upload(
        s,
        admin.token,
        Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
        'logo.svg',
      );
      expect(svg.status).toBe(415);
      expect(svg.body.error.message).toMatch(/SVG/);
      const exe = await upload(
        s,
        admin.token,
        Buffer.from([0x4d, 0x5a, 0x90, 0, 3, 0, 0, 0, 4, 0]),
        'setup.pdf',
      );
      expect(exe.status).toBe(415);
      // A real PNG named .txt is a PNG.
      const png = await sharp({ create: { width: 2, height: 2, channels: 3, background: '#000' } })
        .png()
        .toBuffer();
      const named = await upload(s, admin.token, png, 'notes.txt');
      expect(named.body.attachment).toMatchObject({ contentType: 'image/png', name: 'notes.png' });
      // Text is text; a name cannot climb out of anything.
      const text = await upload(
        s,
        admin.token,
        Buffer.from('order INV-12345\n'),
        '../../etc/passwd',
      );
      expect(text.body.attachment).toMatchObject({ contentType: 'text/plain', name: 'passwd' });
      expect((await server.database.db.select().from(attachments)).length).toBe(2);
    });

    it('refuses an image too large to decode for its size, and one that is broken as unreadable', async () => {
      const s = server.current;
      const admin = await createAdmin(s);
      // 64 megapixels, as a phone's largest mode takes them: a small file, a huge decode.
      const huge = await sharp({
        create: { width: 9248, height: 6936, channels: 3, background: '#fff' },
      })
        .jpeg({ quality: 50 })
        .toBuffer();
      const refused = await upload(s, admin.token, huge, 'IMG_64MP.jpg');
      expect(refused.status).toBe(415);
      expect(refused.body.error).toMatchObject({
        code: 'unsupported_file',
        message:
          'This image is too large: 9248 × 6936 pixels (64 megapixels); images may have up to 50 megapixels',
      });
      const broken = Buffer.concat([(await photo()).subarray(0, 200), Buffer.alloc(200)]);
      const unreadable = await upload(s, admin.token, broken, 'cut.jpg');
      expect(unreadable.status).toBe(415);
      expect(unreadable.body.error.message).toBe('This image could not be read');
      expect(await server.database.db.select().from(attachments)).toEqual([]);
    });

    it('keeps to the size and types the admin sets', async () => {
      const s = server.current;
      const admin = await createAdmin(s);
      const patched = await api(s, 'PATCH', '/api/settings/files', {
        token: admin.token,
        body: { maxMb: 0.1, types: ['images'] },
      });
      expect(patched.body.settings).toEqual({ maxMb: 0.1, types: ['images'] });
      expect((await api(s, 'GET', '/api/settings/widget/public')).body.config.files).toEqual({
        maxMb: 0.1,
        types: ['images'],
      });
      const big = await upload(s, admin.token, Buffer.alloc(200 * 1024, 'a'), 'big.txt');
      expect(big.status).toBe(413);
      expect(big.body.error.message).toMatch(/up to 0.1 MB/);
      const pdf = await upload(s, admin.token, PDF, 'a.pdf');
      expect(pdf.status).toBe(415);
      expect((await upload(s, admin.token, Buffer.alloc(0), 'empty.png')).status).toBe(400);
      expect((await server.database.db.select().from(attachments)).length).toBe(0);
      const chat = await startVisitorChat(s);
      expect(
        (
          await api(s, 'PATCH', '/api/settings/files', {
            token: chat.session.visitorToken,
            body: { maxMb: 50 },
          })
        ).status,
      ).toBe(401);
    });

    it('deletes the files of a deleted conversation, and uploads never sent', async () => {
      const s = server.current;
      const admin = await createAdmin(s);
      const chat = await startVisitorChat(s, 'with a file');
      const token = chat.session.visitorToken;
      const sent = await upload(s, token, PDF, 'a.pdf');
      const reply = await chat.socket.timeout(5000).emitWithAck('message.send', {
        conversationId: chat.started.conversation.id,
        content: 'the invoice',
        clientId: newClientId(),
        attachmentIds: [sent.id],
      });
      expect(reply.ok).toBe(true);
      const unsent = await upload(s, token, PDF, 'b.pdf');
      const keyOf = async (id: string) =>
        (await server.database.db.select().from(attachments).where(eq(attachments.id, id)))[0]
          ?.storageKey ?? '';
      const sentKey = await keyOf(sent.id);
      const unsentKey = await keyOf(unsent.id);
      expect(await stored(s, sentKey)).toBe(true);

      const deleted = await api(s, 'DELETE', `/api/conversations/${chat.started.conversation.id}`, {
        token: admin.token,
      });
      expect(deleted.status).toBe(204);
      await waitFor(async () => !(await stored(s, sentKey)));
      expect(
        (await api(s, 'GET', `/api/attachments/${sent.id}/url`, { token: admin.token })).status,
      ).toBe(404);

      // An upload never sent, a day old: the hourly sweep removes it, bytes and all.
      await server.database.db.execute(
        sql`update attachments set created_at = now() - interval '25 hours' where id = ${unsent.id}`,
      );
      await insertJob(s.ctx.db, { kind: 'sweep-uploads', payload: {}, maxAttempts: 3 });
      s.ctx.jobs.wake();
      await waitFor(async () => !(await stored(s, unsentKey)), 10_000);
      expect(await keyOf(unsent.id)).toBe('');
    });
  });
}
