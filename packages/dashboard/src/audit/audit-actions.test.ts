import { describe, expect, it } from 'vitest';
import { actionLabel, dayStart, detailRows } from './audit-actions';

describe('the audit log’s words', () => {
  it('names known actions, and makes unknown ones readable', () => {
    expect(actionLabel('user.changed')).toBe('Changed a user');
    expect(actionLabel('chat_export.started')).toBe('Chat export started');
  });

  it('shows a change as rows of before and after, nested settings one line each', () => {
    expect(
      detailRows({
        before: { role: 'agent', widget: { title: 'Hi' } },
        after: { role: 'admin', widget: { title: 'Talk to us' } },
      }),
    ).toEqual([
      { path: 'role', before: 'agent', after: 'admin' },
      { path: 'widget.title', before: 'Hi', after: 'Talk to us' },
    ]);
    expect(detailRows({ after: { name: 'Zapier', scopes: null } })).toEqual([
      { path: 'name', after: 'Zapier' },
      { path: 'scopes', after: '—' },
    ]);
    expect(detailRows({ reason: 'wrong_password' })).toEqual([
      { path: 'reason', after: 'wrong_password' },
    ]);
    expect(detailRows(null)).toEqual([]);
  });

  it('turns a day into the instant it begins, or the next day’s for an end', () => {
    expect(dayStart('2026-03-01')).toBe(new Date(2026, 2, 1).toISOString());
    expect(dayStart('2026-02-28', true)).toBe(new Date(2026, 2, 1).toISOString());
    expect(dayStart('')).toBeUndefined();
  });
});
