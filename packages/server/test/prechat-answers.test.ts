import type { Visitor, WidgetConfig } from '@parley/protocol';
import { describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { forgetDirectory } from '../src/services/sites.js';
import { api, connectAgent, createAdmin, createVisitor, nextEvent } from './factories.js';
import { useServer, type TestServer } from './harness.js';

// Issue 20: the admin's own pre-chat questions. The answers land in the visitor's attributes,
// checked against the questions asked, and reach the agents with the visitor.
const server = useServer();

const questions = [
  { id: 'plan', label: 'Your plan', type: 'select', required: true, options: ['Free', 'Pro'] },
  { id: 'order', label: 'Order number', type: 'text', required: false, options: [] },
  { id: 'terms', label: 'I accept the terms', type: 'checkbox', required: true, options: [] },
] as const;

async function withQuestions() {
  const s = server.current;
  const admin = await createAdmin(s);
  const saved = await api(s, 'PATCH', '/api/settings/widget', {
    token: admin.token,
    body: { preChatFields: questions },
  });
  expect(saved.status).toBe(200);
  const visitor = await createVisitor(s);
  const answer = (attributes: Record<string, string>) =>
    api(s, 'PATCH', '/api/visitors/me', {
      token: visitor.visitorToken,
      body: { name: 'Vera', attributes },
    });
  return { s, admin, visitor, answer };
}

describe('pre-chat answers', () => {
  it('are kept in the attributes, shown to agents live, and read by the widget as questions', async () => {
    const { s, admin, answer } = await withQuestions();
    const config = await api<{ config: WidgetConfig }>(s, 'GET', '/api/settings/widget/public');
    expect(config.body.config.preChatFields.map((f) => f.id)).toEqual(['plan', 'order', 'terms']);

    const agent = await connectAgent(s, admin.token);
    const updated = nextEvent<Visitor>(agent, 'visitor.updated', (v) => v.name === 'Vera');
    const res = await answer({ plan: 'Pro', order: 'A-1234', terms: 'true' });
    expect(res.status).toBe(200);
    expect(res.body.visitor.attributes).toEqual({ plan: 'Pro', order: 'A-1234', terms: 'true' });
    expect((await updated).attributes).toEqual({ plan: 'Pro', order: 'A-1234', terms: 'true' });

    // Answered again: the new answers replace the old, others stay.
    const again = await answer({ plan: 'Free', terms: 'true' });
    expect(again.body.visitor.attributes).toEqual({ plan: 'Free', order: 'A-1234', terms: 'true' });
  });

  it('refuses an unknown question, a missing required answer and an option not offered', async () => {
    const { answer } = await withQuestions();
    const refused = async (attributes: Record<string, string>, path: string) => {
      const res = await answer(attributes);
      expect(res.status, JSON.stringify(attributes)).toBe(400);
      expect(res.body.error.code).toBe('validation_failed');
      expect(res.body.error.details).toContainEqual(expect.objectContaining({ path }));
    };
    await refused({ plan: 'Pro', terms: 'true', shoe_size: '44' }, 'attributes.shoe_size');
    await refused({ terms: 'true' }, 'attributes.plan');
    await refused({ plan: 'Pro', terms: 'false' }, 'attributes.terms');
    await refused({ plan: 'Enterprise', terms: 'true' }, 'attributes.plan');
    await refused({ plan: 'Pro', terms: 'yes' }, 'attributes.terms');
  });

  it('old stored settings without languages or questions still load, with the defaults', async () => {
    const s = server.current;
    // As an earlier Parley stored them (migration 0018 moved them to the default site): no
    // questions, no languages.
    await setDefaultSiteWidget(s, {
      color: '#16a34a',
      position: 'left',
      colorScheme: 'dark',
      title: 'Talk to Acme',
      greeting: 'Hello',
      awayMessage: 'Away',
      preChat: { name: 'required', email: 'optional', message: 'off' },
      allowedOrigins: [],
    });
    const config = await api<{ config: WidgetConfig }>(s, 'GET', '/api/settings/widget/public');
    expect(config.body.config).toMatchObject({
      color: '#16a34a',
      title: 'Talk to Acme',
      preChatFields: [],
      defaultLocale: 'en',
      translations: {},
    });
  });
});

async function setDefaultSiteWidget(s: TestServer, widget: object): Promise<void> {
  await s.database.db.execute(
    sql`update sites set widget = ${JSON.stringify(widget)}::jsonb where is_default`,
  );
  forgetDirectory(s.ctx);
}
