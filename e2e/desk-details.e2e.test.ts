import type { AddressObject, ParsedMail } from 'mailparser';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSmtp, type TestSmtp } from '../packages/server/test/support/smtp.js';
import { axeViolations } from './support/axe.js';
import { cutOff } from './support/layout.js';
import { launchBrowser, screenshot, signInPage } from './support/browser.js';
import { addAgent, api, eventually, registerAdmin, VisitorSession } from './support/parley-api.js';
import { startParley, type RunningServer } from './support/server.js';

// Issue 32, items 13 to 16: what an agent reads at the desk. Search says why a conversation
// matched; the composer's hint fits its box; a used reset link says so before anything is
// typed; the daily counts are drawn as points joined by straight lines.
const WIDE = { width: 1600, height: 900 };
const DESK = { width: 1280, height: 860 };
const TABLET = { width: 768, height: 1024 };
const PHONE = { width: 375, height: 812 };
const password = 'correct horse battery';

let smtp: TestSmtp;
let server: RunningServer;
let browser: Browser;
let admin: Awaited<ReturnType<typeof registerAdmin>>;
let conversationId: string;
const visitors: VisitorSession[] = [];
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  [smtp, browser] = await Promise.all([startSmtp(), launchBrowser()]);
  server = await startParley((port) => ({
    SMTP_URL: smtp.url,
    MAIL_FROM: 'Acme Support <support@acme.example>',
    PUBLIC_URL: `http://localhost:${port}`,
  }));
  admin = await registerAdmin(server, 'Ada Admin');
  await addAgent(server, admin.token, {
    name: 'Bob Agent',
    email: 'bob.agent@example.com',
    password: 'bob password 123',
    role: 'agent',
  });
  // Dora's chat: found by her email and by its tag, never by a message that holds either.
  const dora = await VisitorSession.connect(server);
  visitors.push(dora);
  await dora.setDetails({ name: 'Dora Marsh', email: 'dora.refund@example.com' });
  conversationId = await dora.startChat('My kettle arrived broken.');
  await api(server, 'PATCH', `/api/conversations/${conversationId}`, {
    token: admin.token,
    body: { tags: ['damaged-goods', 'priority'] },
  });
});

afterAll(async () => {
  for (const visitor of visitors) visitor.close();
  for (const context of contexts) await context.close();
  await browser?.close();
  await server?.stop();
  await smtp?.close();
});

const signIn = (viewport = DESK, colorScheme: 'light' | 'dark' = 'light') =>
  signInPage(
    browser,
    contexts,
    { url: server.url, email: admin.user.email, password },
    { viewport, colorScheme },
  );

/** One signed-in tab for the whole file (signing in often meets the sign-in limit). */
let desk: Page | undefined;
async function deskAt(viewport: { width: number; height: number }): Promise<Page> {
  desk ??= await signIn(viewport);
  await desk.setViewportSize(viewport);
  return desk;
}

const settle = (page: Page) => page.waitForTimeout(300);

describe('search says why a conversation matched', () => {
  it.each([
    ['desk', DESK],
    ['phone', PHONE],
  ] as const)('on the %s: the email marked, the matching tag shown', async (name, viewport) => {
    const page = await deskAt(viewport);
    await page.goto(`${server.url}/conversations`);
    const search = page.getByLabel('Search messages, names and emails');

    await search.fill('dora.refund@example.com');
    const byEmail = page.getByTestId('search-hit');
    await byEmail.first().waitFor();
    expect(await byEmail.count()).toBe(1);
    expect(await byEmail.locator('mark').allTextContents()).toEqual(['dora.refund@example.com']);
    await settle(page);
    await screenshot(page, `ui-search-email-${viewport.width}`);

    await search.fill('damaged');
    const byTag = page.getByTestId('search-hit');
    await byTag.getByTestId('matched-tag').first().waitFor();
    expect(await byTag.count()).toBe(1);
    // The tag that matched, and not the one that did not.
    expect(await byTag.getByTestId('matched-tag').allTextContents()).toEqual(['damaged-goods']);
    expect(await byTag.textContent()).toContain('Dora Marsh');
    await settle(page);
    await screenshot(page, `ui-search-tag-${viewport.width}`);
    expect(await axeViolations(page), name).toEqual([]);

    // By name: the words of the name marked in the row's title (and the email's "dora").
    await search.fill('dora marsh');
    const marks = page.getByTestId('search-hit').locator('mark');
    await eventually(
      async () => JSON.stringify(await marks.allTextContents()) === '["Dora","Marsh","dora"]',
      'the name marked',
    );
  });
});

/** The placeholder as the text of the box: it fits iff nothing of it would be cut off. */
const placeholderFits = (page: Page) =>
  page.locator('textarea').evaluate((box: HTMLTextAreaElement) => {
    const saved = box.value;
    box.value = box.placeholder;
    const fits = box.scrollHeight <= box.clientHeight && box.scrollWidth <= box.clientWidth;
    box.value = saved;
    return { placeholder: box.placeholder, fits };
  });

describe("the composer's hint", () => {
  it.each([
    ['wide screen', WIDE],
    ['desk', DESK],
    ['tablet', TABLET],
    ['phone', PHONE],
  ] as const)('fits on the %s, for a reply, a note and a closed chat', async (name, viewport) => {
    const page = await deskAt(viewport);
    await page.goto(`${server.url}/conversations/${conversationId}`);
    const reply = page.getByLabel('Reply to the visitor');
    await reply.waitFor();
    await settle(page);
    await screenshot(page, `ui-composer-${viewport.width}`);
    expect(await placeholderFits(page), `${name} reply`).toEqual({
      placeholder: 'Type a reply…',
      fits: true,
    });
    // The keys are said beside the box's kinds, whole: "#" for canned responses on any screen.
    const hint = page.getByTestId('composer-hint');
    expect(await hint.isVisible()).toBe(true);
    expect(await hint.innerText()).toContain('# for canned responses');
    // On one line beside the kinds, each kind on one line too: nothing squeezed.
    const lines = await page.evaluate(() => {
      /** How many lines an element's text takes. */
      const linesOf = (el: Element | null) => {
        const tops = new Set<number>();
        const walker = document.createTreeWalker(el ?? document.body, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
          if (!node.textContent?.trim() || !(node.parentElement?.offsetWidth ?? 0)) continue;
          const range = document.createRange();
          range.selectNodeContents(node);
          for (const rect of range.getClientRects()) tops.add(Math.round(rect.top));
        }
        return el ? tops.size : -1;
      };
      const kinds = document.querySelectorAll('[role="radiogroup"] button[role="radio"]');
      return [
        linesOf(document.querySelector('[data-testid="composer-hint"]')),
        ...[...kinds].map(linesOf),
      ];
    });
    expect(lines, name).toEqual([1, 1, 1]);
    // Where the chat is wide enough, the Enter keys too.
    if (viewport.width >= 1536) expect(await hint.innerText()).toContain('Enter sends');
    expect(await hint.evaluate((el) => el.getBoundingClientRect().right <= innerWidth)).toBe(true);

    await page.getByRole('radio', { name: 'Internal note' }).click();
    await page.getByLabel('Internal note (only agents see it)').waitFor();
    expect((await placeholderFits(page)).fits, `${name} note`).toBe(true);
    expect(await axeViolations(page), `${name} note`).toEqual([]);
    await page.getByRole('radio', { name: 'Reply' }).click();

    await page.getByRole('button', { name: 'Close', exact: true }).click();
    await page.getByRole('button', { name: 'Reopen' }).waitFor();
    expect(await placeholderFits(page), `${name} closed`).toEqual({
      placeholder: 'This conversation is closed',
      fits: true,
    });
    await page.getByRole('button', { name: 'Reopen' }).click();
    await page.getByRole('button', { name: 'Close', exact: true }).waitFor();
  });
});

describe('a reset link', () => {
  const addresses = (field: AddressObject | AddressObject[] | undefined): string[] =>
    (Array.isArray(field) ? field : field ? [field] : []).flatMap((a) =>
      a.value.map((v) => v.address?.toLowerCase() ?? ''),
    );
  const resetLinkIn = (m: ParsedMail) =>
    m.text?.match(/https?:\/\/\S+\/reset-password#token=[^\s>"]+/)?.[0];

  it('shows its form while it works, and says at once when it was used', async () => {
    // Bob's: the reset ends every session of the account it sets.
    const bob = 'bob.agent@example.com';
    await api(server, 'POST', '/api/auth/password-reset', { body: { email: bob } });
    const link = await eventually(
      () =>
        smtp.received
          .filter((m) => addresses(m.to).includes(bob))
          .map(resetLinkIn)
          .find(Boolean),
      'the reset email',
      20_000,
    );
    const context = await browser.newContext({ viewport: DESK });
    contexts.push(context);
    const page = await context.newPage();
    await page.goto(link);
    await page.getByLabel('New password', { exact: true }).waitFor();
    await screenshot(page, 'ui-reset-working-1280');

    // Used, here from another tab: the link, opened again, says so before anything is typed.
    const token = new URL(link).hash.replace('#token=', '');
    const used = await fetch(`${server.url}/api/auth/password-reset/confirm`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token, password: 'lantern otter 4 purple' }),
    });
    expect(used.status).toBe(204);
    for (const viewport of [DESK, PHONE]) {
      await page.setViewportSize(viewport);
      await page.goto('about:blank');
      await page.goto(link);
      await page.getByRole('heading', { name: 'This link no longer works' }).waitFor();
      await page.getByText('It was already used, or it has expired.').waitFor();
      expect(await page.getByLabel('New password', { exact: true }).count()).toBe(0);
      expect(await page.getByRole('link', { name: 'Ask for a new link' }).isVisible()).toBe(true);
      await screenshot(page, `ui-reset-used-${viewport.width}`);
      expect(await axeViolations(page), `used link ${viewport.width}`).toEqual([]);
    }
    await page.getByRole('link', { name: 'Ask for a new link' }).click();
    await page.getByRole('heading', { name: 'Reset your password' }).waitFor();
  });
});

describe('the tables at desk and tablet widths', () => {
  it.each([
    ['desk', DESK],
    ['tablet', TABLET],
  ] as const)('stay tables on the %s, nothing cut off', async (name, viewport) => {
    const page = await deskAt(viewport);
    for (const [path, ready] of [
      ['/visitors', /^Start chat with /],
      ['/settings/team', 'Deactivate'],
      ['/analytics', 'Export CSV'],
    ] as const) {
      await page.goto(`${server.url}${path}`);
      await page.getByRole('button', { name: ready }).first().waitFor();
      await settle(page);
      // Column headers are read as such: the table is a table here.
      expect(await page.getByRole('columnheader').count(), path).toBeGreaterThan(3);
      await screenshot(page, `ui-table${path.replaceAll('/', '-')}-${viewport.width}`);
      expect(await cutOff(page), `${name} ${path}`).toEqual([]);
      expect(await axeViolations(page), `${name} ${path}`).toEqual([]);
    }
  });
});

describe('conversations per day', () => {
  it('is points joined by straight lines, not a smoothed curve', async () => {
    const page = await deskAt({ width: 1280, height: 1000 });
    await page.goto(`${server.url}/analytics`);
    const chart = page.getByRole('img', { name: 'Line chart of conversations per day' });
    await chart.locator('.recharts-line-dots circle').first().waitFor();
    await settle(page);
    await screenshot(page, 'ui-analytics-1280');
    const lines = await chart
      .locator('.recharts-line path.recharts-curve')
      .evaluateAll((paths) => paths.map((p) => p.getAttribute('d') ?? ''));
    expect(lines).toHaveLength(2);
    for (const d of lines) {
      // Straight segments only (M and L), one per day: no Bézier commands that invent values.
      expect(d).not.toMatch(/[CcQqSsTtAa]/);
      expect(d.match(/L/g)).toHaveLength(6);
    }
    // A point on each of the seven days, for each line.
    expect(await chart.locator('.recharts-line-dots circle').count()).toBe(14);
  });
});

describe('the bot badge, dark', () => {
  it('reads at 4.5:1 or better in the chat at desk width', async () => {
    const { secret } = await api<{ secret: string }>(server, 'POST', '/api/tokens', {
      token: admin.token,
      body: { name: 'Order lookups', scope: 'full', bot: { name: 'Helper Bot' } },
    });
    await api(server, 'POST', '/api/messages', {
      token: secret,
      body: { conversationId, content: 'Your kettle ships today.', clientId: crypto.randomUUID() },
    });
    for (const scheme of ['light', 'dark'] as const) {
      const page = scheme === 'light' ? await deskAt(DESK) : await signIn(DESK, scheme);
      await page.goto(`${server.url}/conversations/${conversationId}`);
      await page.getByTestId('bot-badge').waitFor();
      await settle(page);
      await screenshot(page, `ui-bot-badge-1280-${scheme}`);
      expect(await axeViolations(page), scheme).toEqual([]);
    }
  });
});
