import type { Message } from '@parley/protocol';
import type { Browser, BrowserContext, Frame, FrameLocator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations } from './support/axe.js';
import { launchBrowser, screenshot, signInPage } from './support/browser.js';
import { fileTransfer, imagesLoaded } from './support/files.js';
import {
  api,
  eventually,
  listConversations,
  patchWidgetSettings,
  registerAdmin,
} from './support/parley-api.js';
import { startParley, type RunningServer } from './support/server.js';
import { shopPage, startStaticSite, type StaticSite } from './support/static-site.js';

// Files between the widget and the dashboard (issue 18), both in a real browser: the visitor
// is on a customer's page (127.0.0.1) of another origin than Parley (localhost), pastes a
// screenshot and picks a PDF; the agent sees the preview and answers with an image of their
// own, which the visitor sees as a thumbnail and whole.
let server: RunningServer;
let site: StaticSite;
let browser: Browser;
let admin: Awaited<ReturnType<typeof registerAdmin>>;
const contexts: BrowserContext[] = [];
const fixtures = { screenshot: Buffer.alloc(0), photo: Buffer.alloc(0), pdf: Buffer.alloc(0) };

/** Real image and PDF bytes, made by the browser itself. */
async function makeFixtures() {
  const context = await browser.newContext({ viewport: { width: 400, height: 600 } });
  contexts.push(context);
  const page = await context.newPage();
  const poster = (text: string, background: string) =>
    `<body style="margin:0;height:100vh;background:${background};color:#fff;font:bold 44px sans-serif;display:flex;align-items:center;justify-content:center;text-align:center">${text}</body>`;
  await page.setContent(poster('Error 502 at checkout', '#b91c1c'));
  fixtures.screenshot = await page.screenshot();
  await page.setViewportSize({ width: 800, height: 500 });
  await page.setContent(poster('Your replacement tent', 'linear-gradient(135deg,#2563eb,#16a34a)'));
  fixtures.photo = await page.screenshot();
  await page.setContent('<h1>Order 1042</h1><p>Receipt for two tents.</p>');
  fixtures.pdf = await page.pdf({ format: 'A5' });
}

beforeAll(async () => {
  [server, browser] = await Promise.all([startParley(), launchBrowser()]);
  site = await startStaticSite({ '/': shopPage(server.url) });
  admin = await registerAdmin(server, 'Ada Admin');
  await patchWidgetSettings(server, admin.token, {
    preChat: { name: 'off', email: 'off', message: 'off' },
  });
  await makeFixtures();
});

afterAll(async () => {
  for (const context of contexts) await context.close();
  await browser?.close();
  await site?.stop();
  await server?.stop();
});

type Visit = { page: Page; chat: FrameLocator; frame: () => Frame; errors: string[] };

/** A new visitor on the customer's page with the chat open. */
async function visit(viewport = { width: 1100, height: 760 }): Promise<Visit> {
  const context = await browser.newContext({ viewport });
  contexts.push(context);
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  await page.goto(site.origin);
  await page.locator('[data-parley-widget] button.l').click();
  const chat = page.frameLocator('[data-parley-widget] iframe');
  await chat.locator('.app').waitFor();
  const frame = () => {
    const found = page.frames().find((f) => f.url().startsWith(server.url));
    if (!found) throw new Error('no widget frame');
    return found;
  };
  return { page, chat, frame, errors };
}

/** After a reload the chat is open again if it was; opens it if not. */
async function reopen(v: Visit) {
  await v.page.locator('[data-parley-widget] button.l').waitFor();
  if (!(await v.page.locator('[data-parley-widget] iframe').isVisible())) {
    await v.page.locator('[data-parley-widget] button.l').click();
  }
  await v.chat.locator('.app').waitFor();
}

/** A screenshot pasted into the widget's message box, as Ctrl+V brings it. */
async function paste(frame: Frame, bytes: Buffer, name = '') {
  await frame.locator('#composer').evaluate(
    (box, { b64, name }) => {
      const data = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
      const dt = new DataTransfer();
      dt.items.add(new File([data], name, { type: 'image/png' }));
      box.dispatchEvent(
        new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true }),
      );
    },
    { b64: bytes.toString('base64'), name },
  );
}

/** Files dropped on the chat, as a drag from the desktop brings them. */
async function drop(frame: Frame, name: string, type: string, bytes: Buffer) {
  const transfer = await fileTransfer(frame, name, type, bytes);
  await frame.dispatchEvent('.log', 'dragover', { dataTransfer: transfer });
  await frame.locator('.drop').waitFor();
  await frame.dispatchEvent('.log', 'drop', { dataTransfer: transfer });
  await frame.locator('.drop').waitFor({ state: 'detached' });
}

const chips = (chat: FrameLocator) => chat.locator('.chips li');

describe('files in the widget', () => {
  it('a visitor sends a screenshot and a PDF, the agent sees them and answers with an image', async () => {
    const agent = await signInPage(browser, contexts, {
      url: server.url,
      email: admin.user.email,
      password: 'correct horse battery',
    });
    const v = await visit();
    const frame = v.frame();

    // The paperclip, a pasted screenshot, and words: all in one message.
    await paste(frame, fixtures.screenshot);
    const [chooser] = await Promise.all([
      v.page.waitForEvent('filechooser'),
      v.chat.getByRole('button', { name: 'Attach files' }).click(),
    ]);
    await chooser.setFiles({
      name: 'receipt.pdf',
      mimeType: 'application/pdf',
      buffer: fixtures.pdf,
    });
    await eventually(async () => (await chips(v.chat).count()) === 2, 'two chips');
    const send = v.chat.getByRole('button', { name: 'Send' });
    await frame.waitForFunction(() => !document.querySelector('.chips progress'));
    expect(await chips(v.chat).allInnerTexts()).toEqual(['image.png\n×', 'receipt.pdf\n×']);
    await v.chat.getByLabel('Message', { exact: true }).fill('Checkout fails, see the screenshot');
    expect(await axeViolations(frame), 'composer with files').toEqual([]);
    await screenshot(v.page, 'files-widget-composer');
    await send.click();

    const mine = v.chat.locator('.msg.mine').last();
    await mine.locator('.file', { hasText: 'receipt.pdf' }).waitFor();
    await mine.locator('.meta time').waitFor(); // acknowledged: no longer "Sending…"
    await imagesLoaded(frame, '.msg.mine .pic img', 1);
    expect(await mine.locator('.file').innerText()).toMatch(/PDF\s+receipt\.pdf\s+\d+(\.\d)? KB/);

    // The agent: the conversation in the list says a file came, the chat shows the preview.
    const row = await eventually(async () => {
      const { items: list } = await listConversations(server, admin.token, 'limit=50');
      return list.find((c) => c.lastMessage?.sender === 'visitor' && c.lastMessage.fileCount === 2);
    }, 'the conversation');
    await agent.goto(`${server.url}/conversations/${row.id}`);
    const received = agent.getByTestId('message').last();
    await received.getByText('Checkout fails, see the screenshot').waitFor();
    await received.getByTestId('file-attachment').getByText('receipt.pdf').waitFor();
    await imagesLoaded(agent, '[role=log] img', 1);
    await screenshot(agent, 'files-widget-agent-sees-visitor-files');

    // The agent answers with a photo; the visitor sees it as a thumbnail, then whole.
    const [agentChooser] = await Promise.all([
      agent.waitForEvent('filechooser'),
      agent.getByRole('button', { name: 'Attach files' }).click(),
    ]);
    await agentChooser.setFiles({
      name: 'tent.png',
      mimeType: 'image/png',
      buffer: fixtures.photo,
    });
    await agent.waitForFunction(
      () => document.querySelectorAll('[data-testid=file-chip][data-state=done]').length === 1,
    );
    await agent.getByRole('textbox', { name: 'Reply to the visitor' }).fill('Here is the new one');
    await agent.getByRole('button', { name: 'Send' }).click();

    const theirs = v.chat.locator('.msg.theirs', { hasText: 'Here is the new one' });
    await theirs.waitFor();
    await imagesLoaded(frame, '.msg.theirs .pic img', 1);
    const thumb = await theirs.locator('.pic img').boundingBox();
    expect(thumb && Math.round(thumb.width)).toBe(220); // 800 × 500 within 220 × 180
    expect(thumb && Math.round(thumb.height)).toBe(138);
    expect(await axeViolations(frame), 'conversation with files').toEqual([]);
    await screenshot(v.page, 'files-widget-conversation');

    await theirs.locator('.pic').click();
    const whole = v.chat.locator('.lightbox img');
    await whole.waitFor();
    expect((await whole.boundingBox())!.width).toBeGreaterThan(300);
    expect(await axeViolations(frame), 'full-size view').toEqual([]);
    await screenshot(v.page, 'files-widget-full-size');
    await v.chat.locator('.lightbox .close').click();
    await whole.waitFor({ state: 'detached' });

    // A card downloads the file through a signed link.
    const [download] = await Promise.all([
      v.page.waitForEvent('download'),
      mine.locator('.file').click(),
    ]);
    expect(download.suggestedFilename()).toBe('receipt.pdf');
    expect(v.errors).toEqual([]);
  });

  it('a message with a file waits in the outbox across a reload, then arrives once', async () => {
    const v = await visit();
    await v.chat.getByLabel('Message', { exact: true }).fill('A photo of the box follows');
    await v.chat.getByLabel('Message', { exact: true }).press('Enter');
    await v.chat.locator('.msg.mine .meta time').waitFor();
    await drop(v.frame(), 'dented-box.png', 'image/png', fixtures.photo);
    // Its chip shown and its upload done (before the chip is drawn there is no progress bar
    // either: a loaded machine's CI run went offline with the upload still to start).
    await v
      .frame()
      .waitForFunction(
        () => document.querySelector('.chips li') && !document.querySelector('.chips progress'),
      );

    // Uploaded, then the connection drops before the message goes: it waits in the outbox.
    await v.page.context().setOffline(true);
    await v.chat.getByRole('status').getByText('Reconnecting…').waitFor();
    await v.chat.getByRole('button', { name: 'Send' }).click();
    const waiting = v.chat.locator('.msg.mine', { hasText: 'Waiting for connection…' });
    await waiting.waitFor();

    // Online, but the socket cannot get through while the page reloads: the message and its
    // file must come back from storage, not from the page's memory.
    await v.page.context().route('**/socket.io/**', (route) => route.abort());
    await v.page.context().setOffline(false);
    await v.page.reload();
    await reopen(v);
    await waiting.waitFor();
    await imagesLoaded(v.frame(), '.msg.mine .pic img', 1);
    await screenshot(v.page, 'files-widget-outbox-after-reload');

    await v.page.context().unroute('**/socket.io/**');
    await waiting.waitFor({ state: 'detached', timeout: 20_000 });
    const row = await eventually(async () => {
      const { items: list } = await listConversations(server, admin.token, 'limit=50');
      return list.find((c) => c.lastMessage?.sender === 'visitor' && c.lastMessage.fileCount === 1);
    }, 'the conversation with the dropped file');
    const { messages } = await api<{ messages: Message[] }>(
      server,
      'GET',
      `/api/conversations/${row.id}/messages`,
      { token: admin.token },
    );
    expect(
      messages
        .filter((m) => m.sender === 'visitor')
        .map((m) => [m.content, m.attachments.map((a) => a.name)]),
    ).toEqual([
      ['A photo of the box follows', []],
      ['', ['dented-box.png']],
    ]);
    await v.page.reload();
    await reopen(v);
    await imagesLoaded(v.frame(), '.msg.mine .pic img', 1);
    expect(await v.chat.locator('.pic img').count()).toBe(1);
  });

  it('says why a file cannot be sent: too large, or not what its name claims', async () => {
    await api(server, 'PATCH', '/api/settings/files', {
      token: admin.token,
      body: { maxMb: 0.1 },
    });
    const v = await visit({ width: 390, height: 700 });
    const frame = v.frame();
    await drop(frame, 'holiday.png', 'image/png', Buffer.alloc(200 * 1024, 1));
    await drop(
      frame,
      'logo.png',
      'image/png',
      Buffer.from('<!doctype html><script>alert(1)</script>'),
    );
    const refused = v.chat.locator('.chips li.bad');
    await eventually(async () => (await refused.count()) === 2, 'both refused');
    expect(await refused.allInnerTexts()).toEqual([
      'holiday.png is too large: files may be up to 0.1 MB\n×',
      'logo.png: this type of file cannot be sent\n×',
    ]);
    expect(await v.chat.getByRole('button', { name: 'Send' }).isDisabled()).toBe(true);
    expect(await axeViolations(frame), 'refused files').toEqual([]);
    await screenshot(v.page, 'files-widget-refused-phone');
    await api(server, 'PATCH', '/api/settings/files', { token: admin.token, body: { maxMb: 10 } });
  });
});
