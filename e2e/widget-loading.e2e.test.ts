import type { VisitorListReply } from '@parley/protocol';
import type { Browser, BrowserContext, Page, Request } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, screenshot } from './support/browser.js';
import {
  AgentSession,
  api,
  eventually,
  patchWidgetSettings,
  registerAdmin,
} from './support/parley-api.js';
import { startParley, type RunningServer } from './support/server.js';
import { asyncSnippet, startStaticSite, type StaticSite } from './support/static-site.js';

// Issue 20: the widget costs the page nothing. The install snippet is async: its stub keeps the
// site's calls and adds widget.js only after the page's load event, in idle time; the chat app,
// the visitor's session and socket follow it. Before load, nothing of Parley's is fetched.

let server: RunningServer;
let site: StaticSite;
let browser: Browser;
let admin: { token: string; user: { name: string } };
let agent: AgentSession;
const contexts: BrowserContext[] = [];
const KB = 1024;

const page = (title: string, body: string) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${title}</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body><main><h1>Acme Outdoor</h1><p>Tents, stoves and everything for the trail.</p></main>
${body}</body></html>`;

beforeAll(async () => {
  [server, browser] = await Promise.all([startParley(), launchBrowser()]);
  const init = `LiveChatWidget.init({ apiUrl: '${server.url}' });`;
  site = await startStaticSite({
    '/': page('Acme Outdoor', asyncSnippet(server.url, [init])),
    '/early': page(
      'Early calls',
      `<script>document.addEventListener('DOMContentLoaded', () => { window.domReady = performance.now(); });</script>
${asyncSnippet(server.url, [
  'window.events = [];',
  "LiveChatWidget.on('open', function () { events.push('open'); });",
  init,
  "LiveChatWidget.setLocale('fr');",
  "LiveChatWidget.setVisitor({ name: 'Early Bird', email: 'early@example.com' });",
  'LiveChatWidget.notYetAMethod(42);',
  'LiveChatWidget.open();',
  'window.queued = LiveChatWidget.q.length;',
])}`,
    ),
  });
  admin = await registerAdmin(server, 'Alice Admin');
  await patchWidgetSettings(server, admin.token, {
    preChat: { name: 'off', email: 'off', message: 'off' },
  });
  agent = await AgentSession.connect(server, admin.token);
});

afterAll(async () => {
  agent?.close();
  await browser?.close();
  await site?.stop();
  await server?.stop();
});

afterEach(async () => {
  await Promise.all(contexts.splice(0).map((c) => c.close()));
});

async function newPage(): Promise<{ page: Page; errors: string[] }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  contexts.push(context);
  const p = await context.newPage();
  const errors: string[] = [];
  p.on('pageerror', (e) => errors.push(e.message));
  p.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  return { page: p, errors };
}

const launcher = (p: Page) => p.locator('[data-parley-widget] button.l');
const chat = (p: Page) => p.frameLocator('[data-parley-widget] iframe');

type Phase = 'before load' | 'after load, idle' | 'after opening';
type Fetched = { url: string; phase: Phase; bytes: number };

/** Every request but the site's own page, with its phase and its bytes over the wire. */
function recordRequests(p: Page, hostPage: string) {
  const seen: Array<{ request: Request; opened: boolean }> = [];
  let opened = false;
  p.on('request', (request) => {
    if (request.url() !== hostPage) seen.push({ request, opened });
  });
  return {
    open() {
      opened = true;
    },
    /** `loadAt`: the page's load event, on the same clock as requests' start times. */
    async list(loadAt: number): Promise<Fetched[]> {
      return Promise.all(
        seen.map(async ({ request, opened: afterOpen }) => {
          const sizes = await request.sizes().catch(() => null);
          const bytes = sizes
            ? sizes.requestHeadersSize +
              sizes.requestBodySize +
              sizes.responseHeadersSize +
              sizes.responseBodySize
            : 0;
          const phase: Phase = afterOpen
            ? 'after opening'
            : request.timing().startTime < loadAt
              ? 'before load'
              : 'after load, idle';
          return { url: request.url(), phase, bytes };
        }),
      );
    },
  };
}

const pathOf = (url: string) => {
  const u = new URL(url);
  return u.pathname.replace(/-[\w-]{8}\.(js|css)$/, '-[hash].$1');
};

describe('the widget loads without getting in the page way', () => {
  it('nothing before load; widget.js, the app, session and socket in idle time after it; presence and a proactive message work before any click', async () => {
    const { page: p, errors } = await newPage();
    const requests = recordRequests(p, `${site.origin}/`);
    await p.goto(site.origin);
    const loadAt = await p.evaluate(() => {
      const [nav] = performance.getEntriesByType('navigation') as PerformanceNavigationTiming[];
      return performance.timeOrigin + (nav?.loadEventStart ?? 0);
    });

    // Presence: the agents see the visitor on the page, without the visitor doing anything.
    const here = await eventually(async () => {
      const { items } = await api<VisitorListReply>(server, 'GET', '/api/visitors?online=true', {
        token: admin.token,
      });
      return items.find((v) => v.currentUrl === `${site.origin}/`);
    }, 'the visitor online on the page');
    await launcher(p).waitFor();

    // Proactive: an agent starts a chat; the launcher shows it on a card, with a badge.
    await api(server, 'POST', `/api/visitors/${here.id}/conversations`, {
      token: admin.token,
      body: { content: 'Hi! Looking for a tent?', clientId: crypto.randomUUID() },
    });
    const card = p.locator('[data-parley-widget] button.p');
    await card.filter({ hasText: 'Looking for a tent?' }).waitFor();
    await p.locator('[data-parley-widget] .b').filter({ hasText: '1' }).waitFor();
    await screenshot(p, 'loading-proactive');

    requests.open();
    await launcher(p).click();
    await chat(p).getByText('Hi! Looking for a tent?').waitFor();
    await p.waitForTimeout(500);

    const all = await requests.list(loadAt);
    const phases: Phase[] = ['before load', 'after load, idle', 'after opening'];
    const table = phases.map((phase) => {
      const list = all.filter((r) => r.phase === phase);
      return {
        phase,
        requests: list.length,
        KB: +(list.reduce((sum, r) => sum + r.bytes, 0) / KB).toFixed(1),
        what: [...new Set(list.map((r) => pathOf(r.url)))].join(' '),
      };
    });
    console.table(table);

    // The budget is 8 KB before load; the snippet spends none of it.
    expect(all.filter((r) => r.phase === 'before load').map((r) => r.url)).toEqual([]);
    const idle = all.filter((r) => r.phase === 'after load, idle').map((r) => pathOf(r.url));
    expect(idle[0]).toBe('/widget.js');
    expect(idle).toContain('/widget/');
    expect(idle).toContain('/api/visitors/session');
    expect(idle.some((path) => path.startsWith('/socket.io/'))).toBe(true);
    // Opening the chat fetches no code: the app is already there.
    const opening = all.filter((r) => r.phase === 'after opening').map((r) => pathOf(r.url));
    expect(opening.filter((path) => path.startsWith('/widget/'))).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('calls made before widget.js arrives are kept and replayed in order, and the page never waits for it', async () => {
    const { page: p, errors } = await newPage();
    // A slow network for widget.js alone: a blocking script would hold up the whole page.
    await p.route('**/widget.js', async (route) => {
      await new Promise((r) => setTimeout(r, 800));
      await route.continue();
    });
    await p.goto(`${site.origin}/early`, { waitUntil: 'commit' });
    await p.getByRole('heading', { name: 'Acme Outdoor' }).waitFor();

    // open() was among the calls: the chat opens at once, in French (setLocale), with no form
    // to fill in as setVisitor named the visitor.
    await chat(p).getByRole('heading', { name: 'Discutons' }).waitFor();
    await chat(p).getByRole('textbox', { name: 'Message' }).waitFor();
    const timing = await p.evaluate(() => {
      const w = window as unknown as { queued: number; events: string[]; domReady: number };
      const script = performance
        .getEntriesByType('resource')
        .find((e) => e.name.endsWith('/widget.js')) as PerformanceResourceTiming | undefined;
      return {
        queued: w.queued,
        events: w.events,
        domReady: w.domReady,
        scriptDone: script?.responseEnd ?? 0,
      };
    });
    expect(timing.queued).toBe(6);
    expect(timing.events).toEqual(['open']);
    expect(timing.domReady).toBeLessThan(timing.scriptDone);
    await eventually(async () => {
      const { items } = await api<VisitorListReply>(server, 'GET', '/api/visitors', {
        token: admin.token,
      });
      return items.find((v) => v.name === 'Early Bird' && v.email === 'early@example.com');
    }, 'setVisitor, replayed');
    // The stub is gone: calls now reach the loader itself.
    expect(await p.evaluate(() => 'q' in (window as any).LiveChatWidget)).toBe(false);
    await p.evaluate(() => (window as any).LiveChatWidget.close());
    await p.locator('[data-parley-widget] iframe').waitFor({ state: 'hidden' });
    expect(errors).toEqual([]);
  });
});
