import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/client';
import type { Attachment } from '@parley/protocol';
import { newPending, retryDelay, sendBody } from './outbox';

describe('an agent message the server refused', () => {
  it('is sent again by itself while the refusal passes (database away, over the limit)', () => {
    expect(retryDelay(new ApiError(503, 'unavailable', 'away'), 0)).toBe(1000);
    expect(retryDelay(new ApiError(503, 'unavailable', 'away'), 3)).toBe(8000);
    const limited = new ApiError(429, 'rate_limited', 'slow', { retryAfterMs: 4200 });
    expect(retryDelay(limited, 0)).toBe(4200);
  });

  it('waits for the agent after a few tries, and at once for a final refusal', () => {
    expect(retryDelay(new ApiError(503, 'unavailable', 'away'), 5)).toBeNull();
    expect(retryDelay(new ApiError(409, 'conflict', 'closed'), 0)).toBeNull();
    expect(retryDelay(new Error('network'), 0)).toBeNull();
  });
});

describe('a message with files', () => {
  const file = (n: number): Attachment => ({
    id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
    name: `f${n}.png`,
    contentType: 'image/png',
    size: 10,
    width: 1,
    height: 1,
  });
  const conversationId = '00000000-0000-4000-8000-0000000000cc';

  it('names its files, and names the same ones with the same clientId when sent again', () => {
    const pending = newPending(conversationId, '', 'note', [file(1), file(2)]);
    const first = sendBody(pending);
    expect(first).toEqual({
      conversationId,
      content: '',
      clientId: pending.clientId,
      type: 'note',
      attachmentIds: [file(1).id, file(2).id],
    });
    // A retry (by hand or after a passing refusal) sends the pending message it kept.
    expect(sendBody({ ...pending, state: 'failed', error: 'offline' })).toEqual(first);
  });
  it('sends no attachmentIds at all without files (the server wants one to ten)', () => {
    expect(sendBody(newPending(conversationId, 'Hi', 'text'))).not.toHaveProperty('attachmentIds');
  });
});

describe('a note with @mentions', () => {
  const conversationId = '00000000-0000-4000-8000-0000000000cc';
  const dana = '00000000-0000-4000-8000-00000000000d';

  it('names the teammates it mentions, and none when it mentions nobody', () => {
    const note = newPending(conversationId, '@Dana Scully look', 'note', [], [dana]);
    expect(sendBody(note)).toEqual({
      conversationId,
      content: '@Dana Scully look',
      clientId: note.clientId,
      type: 'note',
      mentions: [dana],
    });
    expect(sendBody(newPending(conversationId, 'Hi', 'note'))).not.toHaveProperty('mentions');
  });
  it('is the only kind of message that mentions anyone', () => {
    const reply = newPending(conversationId, '@Dana Scully', 'text', [], [dana]);
    expect(sendBody(reply)).not.toHaveProperty('mentions');
  });
});
