import { randomUUID } from 'node:crypto';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, screenshot, signInPage } from './support/browser.js';
import { api, patchWidgetSettings, registerAdmin, VisitorSession } from './support/parley-api.js';
import { startParley, type RunningServer } from './support/server.js';
import { shopPage, startStaticSite, type StaticSite } from './support/static-site.js';

// The dashboard on a phone (375 px: one pane at a time) and a tablet (768 px), and in dark mode;
// the widget in the dark scheme its settings choose. Screenshots are for a person to look at;
// the assertions check what a person would notice: nothing cut off, the right pane shown.
let server: RunningServer;
let site: StaticSite;
let browser: Browser;
let admin: Awaited<ReturnType<typeof registerAdmin>>;
let visitor: VisitorSession;
const contexts: BrowserContext[] = [];
const longUrl = `https://shop.example.com/catalogue/outdoor/tents/ultralight-two-person-tent-with-vestibule?colour=forest-green&size=regular&ref=${'x'.repeat(60)}`;

beforeAll(async () => {
  [server, browser] = await Promise.all([startParley(), launchBrowser()]);
  site = await startStaticSite({
    '/': shopPage(server.url),
  });
  admin = await registerAdmin(server, 'Ada Admin-Lovelace');
  visitor = await VisitorSession.connect(server);
  await visitor.pageView(longUrl, '');
  const conversationId = await visitor.startChat(
    'Hello! My tent arrived without its poles, and the box had a big dent on one side.',
  );
  await api(server, 'POST', '/api/messages', {
    token: admin.token,
    body: {
      conversationId,
      content: 'So sorry! I will send the poles today. Which colour is your tent?',
      clientId: randomUUID(),
    },
  });
});

afterAll(async () => {
  visitor?.close();
  for (const context of contexts) await context.close();
  await browser?.close();
  await site?.stop();
  await server?.stop();
});

/** Signed in as the admin, on the list of all conversations. */
async function signIn(
  viewport: { width: number; height: number },
  colorScheme: 'light' | 'dark' = 'light',
): Promise<Page> {
  const page = await signInPage(
    browser,
    contexts,
    { url: server.url, email: admin.user.email, password: 'correct horse battery' },
    { viewport, colorScheme },
  );
  await page.getByRole('tab', { name: 'All' }).click();
  return page;
}

/** Nothing on the page is wider than the screen, and every visible control is on it. */
async function fitsTheScreen(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const width = window.innerWidth;
    const out: string[] = [];
    if (document.documentElement.scrollWidth > width)
      out.push(`page ${document.documentElement.scrollWidth}px`);
    for (const el of document.querySelectorAll<HTMLElement>('button, a, input, select, textarea')) {
      const box = el.getBoundingClientRect();
      if (box.width === 0 || el.closest('.sr-only, [hidden]') || el.classList.contains('sr-only'))
        continue;
      if (box.left < -1 || box.right > width + 1) {
        out.push(
          `${el.tagName} "${el.getAttribute('aria-label') ?? el.textContent?.trim()}" ${Math.round(box.left)}-${Math.round(box.right)}`,
        );
      }
    }
    return out;
  });
}

const settle = (page: Page) => page.waitForTimeout(300);

describe.each([
  { name: 'phone', width: 375, height: 812 },
  { name: 'tablet', width: 768, height: 1024 },
])('the dashboard on a $name ($width px)', ({ name, width, height }) => {
  const phone = width < 768;
  let page: Page;

  it('shows the conversation list with the header and navigation on screen', async () => {
    page = await signIn({ width, height });
    const row = page.getByRole('list', { name: 'Conversation list' }).getByRole('button').first();
    await row.waitFor();
    await settle(page);
    await screenshot(page, `layout-${name}-list`);
    expect(await fitsTheScreen(page)).toEqual([]);
    await page.getByRole('button', { name: 'Preferences' }).click();
    await page.getByRole('radio', { name: 'Dark' }).waitFor();
    await screenshot(page, `layout-${name}-menu`);
    expect(await fitsTheScreen(page)).toEqual([]);
    await page.keyboard.press('Escape');
  });

  it('opens a chat in its own pane, with a way back, and the visitor in a third', async () => {
    const row = page.getByRole('list', { name: 'Conversation list' }).getByRole('button').first();
    await row.click();
    const composer = page.getByLabel('Reply to the visitor');
    await composer.waitFor();
    await page.getByText('My tent arrived without its poles').waitFor();
    await settle(page);
    await screenshot(page, `layout-${name}-chat`);
    expect(await fitsTheScreen(page)).toEqual([]);
    expect(await page.getByRole('list', { name: 'Conversation list' }).isVisible()).toBe(!phone);
    expect(await page.getByRole('link', { name: 'Back to conversations' }).isVisible()).toBe(phone);
    // A bubble is as wide as its words allow, never a letter per line.
    const bubble = await page.getByText('My tent arrived without its poles').boundingBox();
    expect(bubble?.width).toBeGreaterThan(width * 0.4);

    await page.getByRole('button', { name: 'Visitor details' }).click();
    const panel = page.getByRole('complementary', { name: 'Visitor' });
    await panel.getByRole('link', { name: /ultralight-two-person-tent/ }).waitFor();
    await settle(page);
    await screenshot(page, `layout-${name}-visitor`);
    expect(await fitsTheScreen(page)).toEqual([]);
    const panelBox = await panel.boundingBox();
    if (phone) expect(panelBox?.width).toBe(width);
    const link = await panel
      .getByRole('link', { name: /ultralight-two-person-tent/ })
      .boundingBox();
    expect((link?.x ?? 0) + (link?.width ?? 0)).toBeLessThanOrEqual(
      (panelBox?.x ?? 0) + (panelBox?.width ?? 0),
    );
    await page.getByRole('button', { name: 'Close visitor details' }).click();
    await composer.waitFor();

    if (phone) {
      await page.getByRole('link', { name: 'Back to conversations' }).click();
      await page.getByRole('list', { name: 'Conversation list' }).waitFor();
    }
  });

  it('fits the settings and analytics pages', async () => {
    for (const [path, ready, shot] of [
      ['/settings/profile', 'Change password', 'settings-profile'],
      ['/settings/team', /Send invitation|Create invitation link/, 'settings-team'],
      ['/settings/widget', 'Save widget settings', 'settings-widget'],
      ['/analytics', 'Export CSV', 'analytics'],
    ] as const) {
      await page.goto(`${server.url}${path}`);
      await page.getByRole('button', { name: ready }).waitFor();
      await settle(page);
      await screenshot(page, `layout-${name}-${shot}`);
      expect(await fitsTheScreen(page), path).toEqual([]);
    }
  });
});

describe('dark mode', () => {
  /** The page's background, as the pixels a person sees (computed colours may be oklch). */
  const isDark = (page: Page) =>
    page.evaluate(() => {
      const canvas = document.createElement('canvas');
      canvas.width = canvas.height = 1;
      const context = canvas.getContext('2d');
      if (!context) throw new Error('no canvas');
      context.fillStyle = getComputedStyle(document.body).backgroundColor;
      context.fillRect(0, 0, 1, 1);
      const [r = 0, g = 0, b = 0] = context.getImageData(0, 0, 1, 1).data;
      return (r + g + b) / 3 < 128;
    });

  it('follows the system, and a choice in the preferences overrides it and is remembered', async () => {
    const page = await signIn({ width: 1280, height: 860 }, 'dark');
    expect(await isDark(page)).toBe(true);
    await page.getByRole('list', { name: 'Conversation list' }).getByRole('button').first().click();
    await page.getByLabel('Reply to the visitor').waitFor();
    await settle(page);
    await screenshot(page, 'dark-1280-chat');
    await page.goto(`${server.url}/settings/widget`);
    await page.getByRole('button', { name: 'Save widget settings' }).waitFor();
    await screenshot(page, 'dark-1280-settings-widget');
    await page.goto(`${server.url}/analytics`);
    await page.getByRole('button', { name: 'Export CSV' }).waitFor();
    await settle(page);
    await screenshot(page, 'dark-1280-analytics');

    await page.getByRole('button', { name: 'Preferences' }).click();
    await page.getByRole('radio', { name: 'Light' }).check();
    expect(await isDark(page)).toBe(false);
    await page.reload();
    await page.getByRole('button', { name: 'Export CSV' }).waitFor();
    expect(await isDark(page)).toBe(false);
    await page.getByRole('button', { name: 'Preferences' }).click();
    await page.getByRole('radio', { name: 'As the system' }).check();
    expect(await isDark(page)).toBe(true);
  });

  it('on a phone, chosen in a light system', async () => {
    const page = await signIn({ width: 375, height: 812 });
    expect(await isDark(page)).toBe(false);
    await page.getByRole('button', { name: 'Preferences' }).click();
    await page.getByRole('radio', { name: 'Dark' }).check();
    await page.keyboard.press('Escape');
    expect(await isDark(page)).toBe(true);
    await settle(page);
    await screenshot(page, 'dark-375-list');
    await page.getByRole('list', { name: 'Conversation list' }).getByRole('button').first().click();
    await page.getByLabel('Reply to the visitor').waitFor();
    await settle(page);
    await screenshot(page, 'dark-375-chat');
  });

  it("gives the widget the dark scheme chosen in the widget's settings", async () => {
    const page = await signIn({ width: 1280, height: 860 });
    await page.goto(`${server.url}/settings/widget`);
    await page.getByLabel('Colour scheme').selectOption('dark');
    await page.getByRole('button', { name: 'Save widget settings' }).click();
    await page.getByText('Widget settings saved').waitFor();
    await settle(page);
    await screenshot(page, 'light-1280-settings-widget-dark-preview');
    await patchWidgetSettings(server, admin.token, {
      preChat: { name: 'off', email: 'off', message: 'off' },
    });

    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    contexts.push(context);
    const host = await context.newPage();
    await host.goto(site.origin);
    await host.locator('[data-parley-widget] button.l').click();
    const chat = host.frameLocator('[data-parley-widget] iframe');
    await chat.getByRole('textbox', { name: 'Message' }).fill('Hi from the dark side');
    await chat.getByRole('textbox', { name: 'Message' }).press('Enter');
    await chat.locator('.msg.mine', { hasText: 'Hi from the dark side' }).waitFor();
    const frameBackground = await chat
      .locator('body')
      .evaluate((body) => getComputedStyle(body).backgroundColor);
    expect(frameBackground).not.toBe('rgb(255, 255, 255)');
    await settle(host);
    await screenshot(host, 'dark-widget-chat');
  });
});
