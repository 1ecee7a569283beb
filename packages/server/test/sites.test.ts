import type { ConversationListItem, Site, WidgetConfig } from '@parley/protocol';
import { describe, expect, it } from 'vitest';
import { attack } from './attack-kit.js';
import {
  api,
  createAdmin,
  createAgent,
  createToken,
  createVisitor,
  handshakeError,
  openSocket,
  startVisitorChat,
} from './factories.js';
import { useServer, type TestServer } from './harness.js';

// Sites (issue 34): one Parley for several websites. Each has its own widget and key; a widget
// started with one site's key never shows another's look nor reaches another's visitors.
const server = useServer();

const shop = {
  name: 'Acme Shop DE',
  key: 'shop-de',
  widget: {
    color: '#16a34a',
    title: 'Hallo!',
    defaultLocale: 'de',
    allowedOrigins: ['https://shop.example.de'],
  },
};

async function addSite(s: TestServer, token: string, body: object): Promise<Site> {
  const res = await api(s, 'POST', '/api/sites', { token, body });
  if (res.status !== 201) throw new Error(`site: ${JSON.stringify(res.body)}`);
  return res.body.site;
}

const config = async (s: TestServer, key?: string): Promise<WidgetConfig> =>
  (await api(s, 'GET', `/api/settings/widget/public${key ? `?site=${key}` : ''}`)).body.config;

describe('sites', () => {
  it("today's settings are the default site, which a snippet without a key reaches", async () => {
    const s = server.current;
    const admin = await createAdmin(s);
    const listed = await api(s, 'GET', '/api/sites', { token: admin.token });
    expect(listed.status).toBe(200);
    expect(listed.body.items).toHaveLength(1);
    const site: Site = listed.body.items[0];
    expect(site).toMatchObject({ key: 'default', isDefault: true, teamIds: [], hours: null });

    // Settings → Widget is the default site's widget, as it always was.
    const patched = await api(s, 'PATCH', '/api/settings/widget', {
      token: admin.token,
      body: { color: '#dc2626', title: 'Talk to Acme' },
    });
    expect(patched.status).toBe(200);
    expect(await config(s)).toMatchObject({
      color: '#dc2626',
      title: 'Talk to Acme',
      site: { id: site.id, key: 'default' },
    });
    expect(await config(s, 'default')).toMatchObject({ color: '#dc2626' });
    const visitor = await createVisitor(s);
    expect(visitor.visitor.siteId).toBe(site.id);
  });

  it("a second site's widget has its own look and language, and never the other's", async () => {
    const s = server.current;
    const admin = await createAdmin(s);
    const de = await addSite(s, admin.token, shop);
    expect(de).toMatchObject({ key: 'shop-de', isDefault: false, name: 'Acme Shop DE' });
    expect(de.widget).toMatchObject({ color: '#16a34a', defaultLocale: 'de', title: 'Hallo!' });

    const deConfig = await config(s, 'shop-de');
    expect(deConfig).toMatchObject({ color: '#16a34a', defaultLocale: 'de', title: 'Hallo!' });
    expect(deConfig.site).toEqual({ id: de.id, key: 'shop-de', name: 'Acme Shop DE' });
    expect(deConfig).not.toHaveProperty('allowedOrigins');
    const defaultConfig = await config(s);
    expect(defaultConfig).toMatchObject({ color: '#2563eb', defaultLocale: 'en' });

    // An unknown key is no site at all: nothing falls back to the default's look.
    const unknown = await api(s, 'GET', '/api/settings/widget/public?site=nope');
    expect(unknown.status).toBe(404);
    const malformed = await api(s, 'GET', '/api/settings/widget/public?site=Not%20A%20Key');
    expect(malformed.status).toBe(400);

    // A key made up by Parley when the admin gives none; a taken key is refused.
    const other = await addSite(s, admin.token, { name: 'Blog' });
    expect(other.key).toMatch(/^[a-z0-9]{12}$/);
    const taken = await api(s, 'POST', '/api/sites', {
      token: admin.token,
      body: { name: 'Again', key: 'shop-de' },
    });
    expect(taken.status).toBe(409);
    const renamed = await api(s, 'PATCH', `/api/sites/${other.id}`, {
      token: admin.token,
      body: { key: 'default' },
    });
    expect(renamed.status).toBe(409);
  });

  it("each site has its own visitors: another site's token resumes nobody", async () => {
    const s = server.current;
    const admin = await createAdmin(s);
    const de = await addSite(s, admin.token, shop);
    const onDefault = await startVisitorChat(s, 'Hello from the main site');
    const onShop = await startVisitorChat(s, 'Hallo vom Shop', { site: 'shop-de' });
    expect(onShop.session.visitor.siteId).toBe(de.id);
    expect(onShop.started.conversation).toBeDefined();

    // The default site's visitor token, presented to the shop: a new visitor of the shop.
    const crossed = await api(s, 'POST', '/api/visitors/session', {
      body: { site: 'shop-de', visitorToken: onDefault.session.visitorToken },
    });
    expect(crossed.status).toBe(201);
    expect(crossed.body.visitor.id).not.toBe(onDefault.session.visitor.id);
    expect(crossed.body.visitor.siteId).toBe(de.id);
    expect(crossed.body.conversation).toBeNull();
    // The shop's own token resumes its own visitor.
    const resumed = await api(s, 'POST', '/api/visitors/session', {
      body: { site: 'shop-de', visitorToken: onShop.session.visitorToken },
    });
    expect(resumed.body.visitor.id).toBe(onShop.session.visitor.id);

    // Agents see which site each chat came from, and filter by it.
    const all = await api(s, 'GET', '/api/conversations', { token: admin.token });
    const bySite = Object.fromEntries(
      all.body.items.map((c: ConversationListItem) => [c.id, c.siteId]),
    );
    expect(bySite[onShop.started.conversation.id]).toBe(de.id);
    expect(bySite[onDefault.started.conversation.id]).not.toBe(de.id);
    const filtered = await api(s, 'GET', `/api/conversations?siteId=${de.id}`, {
      token: admin.token,
    });
    expect(filtered.body.items.map((c: ConversationListItem) => c.id)).toEqual([
      onShop.started.conversation.id,
    ]);
    const shopVisitors = await api(s, 'GET', `/api/visitors?siteId=${de.id}`, {
      token: admin.token,
    });
    expect(new Set(shopVisitors.body.items.map((v: { id: string }) => v.id))).toEqual(
      new Set([onShop.session.visitor.id, crossed.body.visitor.id]),
    );
  });

  it("embeds only on the site's own origins: the frame, its CSP and the visitor socket", async () => {
    const s = server.current;
    const admin = await createAdmin(s);
    await addSite(s, admin.token, shop);
    await api(s, 'PATCH', '/api/settings/widget', {
      token: admin.token,
      body: { allowedOrigins: ['https://www.example.com'] },
    });
    const frame = (site: string, origin: string) =>
      fetch(`${s.url}/widget/?site=${site}&origin=${encodeURIComponent(origin)}`);

    // (Allowed, the page is served: 404 only where the widget is not built, as in this suite.)
    const own = await frame('shop-de', 'https://shop.example.de');
    expect(own.status).not.toBe(403);
    const csp = own.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("frame-ancestors 'self' https://shop.example.de");
    expect(csp).not.toContain('www.example.com');
    // The main site's origin may not frame the shop's chat, nor the shop's the main one's.
    expect((await frame('shop-de', 'https://www.example.com')).status).toBe(403);
    expect((await frame('default', 'https://shop.example.de')).status).toBe(403);
    const unknown = await frame('nope', 'https://shop.example.de');
    expect([unknown.status, await unknown.text()]).toEqual([
      404,
      'No site has this key: check the snippet.',
    ]);

    // A shop visitor's socket from the main site's origin is refused, from the shop's accepted.
    const visitor = await createVisitor(s, { site: 'shop-de' });
    const wrong = openSocket(
      s,
      '/visitor',
      { visitorToken: visitor.visitorToken },
      { headers: { origin: 'https://www.example.com' } },
    );
    expect((await handshakeError(wrong)).message).toMatch(/may not embed/);
    const right = openSocket(
      s,
      '/visitor',
      { visitorToken: visitor.visitorToken },
      { headers: { origin: 'https://shop.example.de' } },
    );
    await new Promise<void>((resolve, reject) => {
      right.once('connect', resolve);
      right.once('connect_error', reject);
    });
  });

  it('only admins change sites; the default site and a site with history stay', async () => {
    const s = server.current;
    const admin = await createAdmin(s);
    const agent = await createAgent(s, admin, { name: 'Carol' });
    const reader = await createToken(s, admin.token, { name: 'Reports', scope: 'read' });
    const de = await addSite(s, admin.token, shop);

    // Agents read the sites (the list's filter), but change nothing.
    expect((await api(s, 'GET', '/api/sites', { token: agent.token })).status).toBe(200);
    await attack(s.database, async () => {
      for (const token of [agent.token, reader.secret]) {
        const tries = [
          api(s, 'POST', '/api/sites', { token, body: { name: 'Mine' } }),
          api(s, 'PATCH', `/api/sites/${de.id}`, { token, body: { name: 'Mine' } }),
          api(s, 'DELETE', `/api/sites/${de.id}`, { token }),
        ];
        for (const res of await Promise.all(tries)) expect(res.status).toBe(403);
      }
    });

    const main = (await api(s, 'GET', '/api/sites', { token: admin.token })).body.items.find(
      (site: Site) => site.isDefault,
    );
    expect((await api(s, 'DELETE', `/api/sites/${main.id}`, { token: admin.token })).status).toBe(
      409,
    );
    await createVisitor(s, { site: 'shop-de' });
    expect((await api(s, 'DELETE', `/api/sites/${de.id}`, { token: admin.token })).status).toBe(
      409,
    );
    const empty = await addSite(s, admin.token, { name: 'Mistake' });
    expect(
      (await api(s, 'DELETE', `/api/sites/${empty.id}`, { token: admin.token })).status,
    ).toBe(204);
    expect((await api(s, 'GET', '/api/settings/widget/public?site=' + empty.key)).status).toBe(
      404,
    );

    // Unknown teams and a bot that is not one are refused, and change nothing.
    const bad = await api(s, 'PATCH', `/api/sites/${de.id}`, {
      token: admin.token,
      body: { name: 'Changed', teamIds: ['01890000-0000-7000-8000-000000000000'] },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details).toEqual([{ path: 'teamIds.0', message: 'No such team' }]);
    const notBot = await api(s, 'PATCH', `/api/sites/${de.id}`, {
      token: admin.token,
      body: { botId: agent.user.id },
    });
    expect(notBot.status).toBe(400);
    const after = (await api(s, 'GET', '/api/sites', { token: admin.token })).body.items.find(
      (site: Site) => site.id === de.id,
    );
    expect(after).toMatchObject({ name: 'Acme Shop DE', teamIds: [], botId: null });
  });
});
