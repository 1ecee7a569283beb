import type { ConversationListItem, Message, Site, Team, WidgetConfig } from '@parley/protocol';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import {
  api,
  connectAgent,
  createAdmin,
  createAgent,
  createToken,
  newClientId,
  startVisitorChat,
  createVisitor,
  connectVisitor,
  waitFor,
  type SignedInAgent,
} from './factories.js';
import { useServer, type TestServer } from './harness.js';

// Teams at work (issue 34): a site routes its chats to its teams, the visitor may pick one
// ("department"), each team's queue is its own, a chat can be sent to a team, and a team
// outside its hours gets no chats by routing until it opens.
const server = useServer();

async function team(s: TestServer, admin: SignedInAgent, body: object): Promise<Team> {
  const res = await api(s, 'POST', '/api/teams', { token: admin.token, body });
  if (res.status !== 201) throw new Error(JSON.stringify(res.body));
  return res.body.team;
}

async function conversation(s: TestServer, token: string, id: string) {
  return (await api(s, 'GET', `/api/conversations/${id}`, { token })).body
    .conversation as ConversationListItem;
}

const ids = (items: ConversationListItem[]) => items.map((c) => c.id);

/** A schedule that opens two hours from now (on the hour, UTC) for an hour, every day. */
function closedForNow(now = new Date()) {
  const h = now.getUTCHours();
  const at = (n: number) => `${String(n % 24).padStart(2, '0')}:00`;
  const day = [{ start: at(h + 2), end: at(h + 3) }];
  const opensAt = new Date(now);
  opensAt.setUTCHours(h + 2, 0, 0, 0);
  return {
    schedule: {
      timeZone: 'UTC',
      weekly: Object.fromEntries(
        ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [d, day]),
      ),
    },
    opensAt: opensAt.toISOString(),
  };
}

/** Billing (Carol) and Technical (Tom) on the shop's site, which lets visitors choose. */
async function twoTeams(s: TestServer) {
  const admin = await createAdmin(s);
  const carol = await createAgent(s, admin, { name: 'Carol Billing' });
  const tom = await createAgent(s, admin, { name: 'Tom Technical' });
  const billing = await team(s, admin, { name: 'Billing', memberIds: [carol.user.id] });
  const technical = await team(s, admin, { name: 'Technical', memberIds: [tom.user.id] });
  const site = await api(s, 'POST', '/api/sites', {
    token: admin.token,
    body: {
      name: 'Shop',
      key: 'shop',
      teamIds: [billing.id, technical.id],
      departmentChoice: true,
    },
  });
  expect(site.status).toBe(201);
  return { admin, carol, tom, billing, technical, siteId: site.body.site.id as string };
}

describe('routing by team', () => {
  it("the visitor's chosen department gets the chat, and only its agents", async () => {
    const s = server.current;
    const { admin, carol, tom, billing, technical } = await twoTeams(s);
    await connectAgent(s, carol.token);
    await connectAgent(s, tom.token);

    const config: WidgetConfig = (await api(s, 'GET', '/api/settings/widget/public?site=shop')).body
      .config;
    expect(config.departments).toEqual([
      { id: billing.id, name: 'Billing', hours: null },
      { id: technical.id, name: 'Technical', hours: null },
    ]);

    const tech = await startVisitorChat(s, 'My router blinks red', {
      site: 'shop',
      teamId: technical.id,
    });
    const techChat = await conversation(s, admin.token, tech.started.conversation.id);
    expect(techChat).toMatchObject({ teamId: technical.id, assigneeId: tom.user.id });

    // No choice: the site's first team open now.
    const plain = await startVisitorChat(s, 'A question', { site: 'shop' });
    const plainChat = await conversation(s, admin.token, plain.started.conversation.id);
    expect(plainChat).toMatchObject({ teamId: billing.id, assigneeId: carol.user.id });

    // The default site has no teams: anyone's chat, as before.
    const main = await startVisitorChat(s, 'Hello');
    expect((await conversation(s, admin.token, main.started.conversation.id)).teamId).toBeNull();
  });

  it('a department the site does not offer is refused, and nothing is stored', async () => {
    const s = server.current;
    const { admin, technical } = await twoTeams(s);
    const visitor = await createVisitor(s);
    const socket = await connectVisitor(s, visitor.visitorToken);
    // The default site offers no departments at all.
    const reply = await socket.timeout(5000).emitWithAck('conversation.start', {
      content: 'Hi',
      clientId: newClientId(),
      teamId: technical.id,
    });
    expect(reply).toMatchObject({ ok: false, error: { code: 'validation_failed' } });
    const list = await api(s, 'GET', '/api/conversations', { token: admin.token });
    expect(list.body.items).toEqual([]);
  });

  it("a team's queue waits for its own agents, and holds up no other team's", async () => {
    const s = server.current;
    const { admin, carol, tom, technical, billing } = await twoTeams(s);
    const techFirst = await startVisitorChat(s, 'Technical, nobody there', {
      site: 'shop',
      teamId: technical.id,
    });
    const billingNext = await startVisitorChat(s, 'Billing, a bit later', {
      site: 'shop',
      teamId: billing.id,
    });
    // Carol comes online: Technical's older chat is not hers; Billing's is, though it came later.
    await connectAgent(s, carol.token);
    await waitFor(
      async () =>
        (await conversation(s, admin.token, billingNext.started.conversation.id)).assigneeId ===
        carol.user.id,
    );
    expect(await conversation(s, admin.token, techFirst.started.conversation.id)).toMatchObject({
      status: 'pending',
      assigneeId: null,
    });

    // Each sees their teams' queue; the site's availability is per team.
    const mine = async (agent: SignedInAgent) =>
      ids(
        (
          await api(s, 'GET', '/api/conversations?teamId=mine&status=pending', {
            token: agent.token,
          })
        ).body.items,
      );
    expect(await mine(tom)).toEqual([techFirst.started.conversation.id]);
    expect(await mine(carol)).toEqual([]);

    await connectAgent(s, tom.token);
    await waitFor(
      async () =>
        (await conversation(s, admin.token, techFirst.started.conversation.id)).assigneeId ===
        tom.user.id,
    );
  });

  it("an agent sends a chat to a team: it waits in that team's queue for one of its agents", async () => {
    const s = server.current;
    const { admin, carol, tom, technical } = await twoTeams(s);
    await connectAgent(s, carol.token);
    const chat = await startVisitorChat(s, 'Billing question, then a technical one', {
      site: 'shop',
    });
    const id = chat.started.conversation.id;
    expect((await conversation(s, admin.token, id)).assigneeId).toBe(carol.user.id);

    // Tom is not its assignee: he may not move it.
    const notHis = await api(s, 'POST', `/api/conversations/${id}/transfer`, {
      token: tom.token,
      body: { teamId: technical.id },
    });
    expect(notHis.status).toBe(403);
    const both = await api(s, 'POST', `/api/conversations/${id}/transfer`, {
      token: carol.token,
      body: { teamId: technical.id, agentId: tom.user.id },
    });
    expect(both.status).toBe(400);
    const nowhere = await api(s, 'POST', `/api/conversations/${id}/transfer`, {
      token: carol.token,
      body: { teamId: '01890000-0000-7000-8000-000000000000' },
    });
    expect(nowhere.status).toBe(404);

    const moved = await api(s, 'POST', `/api/conversations/${id}/transfer`, {
      token: carol.token,
      body: { teamId: technical.id },
    });
    expect(moved.status).toBe(200);
    expect(moved.body.conversation).toMatchObject({
      teamId: technical.id,
      assigneeId: null,
      status: 'pending',
    });
    const lines = await api(s, 'GET', `/api/conversations/${id}/messages`, { token: admin.token });
    expect(lines.body.messages.map((m: Message) => m.content)).toContain(
      'Chat transferred to the Technical team',
    );
    await connectAgent(s, tom.token);
    await waitFor(async () => (await conversation(s, admin.token, id)).assigneeId === tom.user.id);
  });
});

describe('bots per site and per team', () => {
  it("a site's bot answers its chats first, a team's bot its team's, and a bot hands a chat to a team", async () => {
    const s = server.current;
    const { admin, carol, billing, technical } = await twoTeams(s);
    const bot = async (name: string) => {
      const made = await createToken(s, admin.token, { name, scope: 'full', bot: { name } });
      return { id: made.token.user.id, secret: made.secret };
    };
    const shopBot = await bot('Shop Bot');
    const techBot = await bot('Tech Bot');
    await connectAgent(s, carol.token);
    // The Technical team's bot takes the shop's Technical chats, while the shop has none.
    await api(s, 'PATCH', `/api/teams/${technical.id}`, {
      token: admin.token,
      body: { botId: techBot.id },
    });
    const tech = await startVisitorChat(s, 'Router?', { site: 'shop', teamId: technical.id });
    expect((await conversation(s, admin.token, tech.started.conversation.id)).assigneeId).toBe(
      techBot.id,
    );

    // With a bot of its own, the site's bot comes first, whatever the team.
    const sites = (await api(s, 'GET', '/api/sites', { token: admin.token })).body.items as Site[];
    const shop = sites.find((site) => site.key === 'shop')!;
    await api(s, 'PATCH', `/api/sites/${shop.id}`, {
      token: admin.token,
      body: { botId: shopBot.id },
    });
    const chat = await startVisitorChat(s, 'Invoice?', { site: 'shop', teamId: technical.id });
    const id = chat.started.conversation.id;
    expect((await conversation(s, admin.token, id)).assigneeId).toBe(shopBot.id);

    // The bot hands the chat to Billing (another team's bot may not): Carol, online with room,
    // gets it.
    const notHis = await api(s, 'POST', `/api/conversations/${id}/transfer`, {
      token: techBot.secret,
      body: { teamId: billing.id },
    });
    expect(notHis.status).toBe(403);
    const handed = await api(s, 'POST', `/api/conversations/${id}/transfer`, {
      token: shopBot.secret,
      body: { teamId: billing.id },
    });
    expect(handed.status).toBe(200);
    await waitFor(
      async () => (await conversation(s, admin.token, id)).assigneeId === carol.user.id,
    );
    expect((await conversation(s, admin.token, id)).teamId).toBe(billing.id);
  });
});

describe('business hours in routing and the widget', () => {
  it('outside its hours a team gets no chat by routing, and the widget says when it opens', async () => {
    const s = server.current;
    const admin = await createAdmin(s);
    const tom = await createAgent(s, admin, { name: 'Tom Technical' });
    const { schedule, opensAt } = closedForNow();
    const technical = await team(s, admin, {
      name: 'Technical',
      memberIds: [tom.user.id],
      schedule,
    });
    await api(s, 'POST', '/api/sites', {
      token: admin.token,
      body: { name: 'Support site', key: 'support', teamIds: [technical.id] },
    });

    const config: WidgetConfig = (await api(s, 'GET', '/api/settings/widget/public?site=support'))
      .body.config;
    expect(config.hours).toEqual({ open: false, closesAt: null, opensAt });
    // The default site has no hours: always open.
    expect((await api(s, 'GET', '/api/settings/widget/public')).body.config.hours).toBeNull();

    // Tom is online outside the hours: he may work, but routing gives him nothing.
    await connectAgent(s, tom.token);
    const chat = await startVisitorChat(s, 'Anyone?', { site: 'support' });
    const id = chat.started.conversation.id;
    expect(await conversation(s, admin.token, id)).toMatchObject({
      status: 'pending',
      assigneeId: null,
      teamId: technical.id,
    });
    // The team's queue is served when it opens: one job, at the opening.
    const jobs = await s.database.db.execute(
      sql`select kind, run_at from jobs where kind = 'route-queue'`,
    );
    const rows = (jobs as unknown as { rows: Array<{ kind: string; run_at: Date | string }> }).rows;
    expect(rows.map((r) => new Date(r.run_at).toISOString())).toEqual([opensAt]);
    // He can still take it himself.
    const taken = await api(s, 'POST', `/api/conversations/${id}/assign`, {
      token: tom.token,
      body: { agentId: tom.user.id },
    });
    expect(taken.body.conversation).toMatchObject({ assigneeId: tom.user.id, status: 'open' });
  });
  it("a closed site's waiting chats hold up no open site's: the queue passes over them", async () => {
    const s = server.current;
    const admin = await createAdmin(s);
    const agent = await createAgent(s, admin, { name: 'Olive Online' });
    const { schedule } = closedForNow();
    await api(s, 'POST', '/api/sites', {
      token: admin.token,
      body: { name: 'Night line', key: 'night', schedule },
    });
    const night = await startVisitorChat(s, 'First, at night', { site: 'night' });
    const day = await startVisitorChat(s, 'Second, on the main site');
    await connectAgent(s, agent.token);
    await waitFor(
      async () =>
        (await conversation(s, admin.token, day.started.conversation.id)).assigneeId ===
        agent.user.id,
    );
    expect(
      (await conversation(s, admin.token, night.started.conversation.id)).assigneeId,
    ).toBeNull();
  });
});
