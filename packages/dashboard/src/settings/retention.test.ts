import { defaultRetentionSettings } from '@parley/protocol';
import { describe, expect, it } from 'vitest';
import { changedPeriods, periodInWords, shortenedPeriods } from './retention';

const saved = { ...defaultRetentionSettings, closedConversationDays: 365 };

describe('shortenedPeriods', () => {
  it('names each period made shorter, from forever too, with before and after', () => {
    expect(
      shortenedPeriods(saved, {
        ...saved,
        closedConversationDays: 30,
        idleVisitorDays: 90,
        webhookLogDays: 7,
      }),
    ).toEqual([
      'Closed conversations: 365 days → 30 days',
      'Idle visitors: kept forever → 90 days',
      'Webhook delivery log: 30 days → 7 days',
    ]);
  });

  it('asks nothing when periods grow, stay, or become forever', () => {
    expect(shortenedPeriods(saved, saved)).toEqual([]);
    expect(
      shortenedPeriods(saved, { ...saved, closedConversationDays: null, doneJobDays: 60 }),
    ).toEqual([]);
  });
});

describe('changedPeriods', () => {
  it('sends only what changed, null included; nothing when nothing did', () => {
    expect(changedPeriods(saved, { ...saved, closedConversationDays: null })).toEqual({
      closedConversationDays: null,
    });
    expect(changedPeriods(saved, { ...saved })).toBeNull();
  });
});

it('periodInWords', () => {
  expect([null, 1, 30].map(periodInWords)).toEqual(['kept forever', '1 day', '30 days']);
});
