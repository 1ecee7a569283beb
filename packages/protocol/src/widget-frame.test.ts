import { describe, expect, it } from 'vitest';
import { envelope, readFrameToHost, readHostToFrame } from './widget-frame.js';

describe('widget frame messages', () => {
  it('reads a well-formed message from either side', () => {
    const page = { url: 'https://shop.example.com/', title: 'Shop' };
    expect(readHostToFrame(envelope({ type: 'init', options: {}, page, stored: {} }))).toEqual({
      type: 'init',
      options: {},
      page,
      stored: {},
    });
    expect(readHostToFrame(envelope({ type: 'locale', locale: 'ar' }))).toEqual({
      type: 'locale',
      locale: 'ar',
    });
    expect(readFrameToHost(envelope({ type: 'unread', count: 2 }))).toEqual({
      type: 'unread',
      count: 2,
    });
    const preview = { name: 'Alice', text: 'Need a hand?' };
    expect(readFrameToHost(envelope({ type: 'unread', count: 1, preview }))).toEqual({
      type: 'unread',
      count: 1,
      preview,
    });
  });

  it("reads the JS API's messages: setUser, attributes, warnings, restarts, closed chats", () => {
    const user = { id: '42', hash: 'ab'.repeat(32) };
    const page = { url: 'https://shop.example.com/', title: 'Shop' };
    expect(readHostToFrame(envelope({ type: 'user', user }))).toEqual({ type: 'user', user });
    expect(
      readHostToFrame(envelope({ type: 'init', options: {}, page, stored: {}, user })),
    ).toMatchObject({ user });
    expect(readHostToFrame(envelope({ type: 'attributes', attributes: { plan: 'pro' } }))).toEqual({
      type: 'attributes',
      attributes: { plan: 'pro' },
    });
    expect(readFrameToHost(envelope({ type: 'warn', text: 'setUser: id' }))).toEqual({
      type: 'warn',
      text: 'setUser: id',
    });
    expect(readFrameToHost(envelope({ type: 'restart' }))).toEqual({ type: 'restart' });
    expect(readFrameToHost(envelope({ type: 'closed', conversationId: 'c1' }))).toEqual({
      type: 'closed',
      conversationId: 'c1',
    });
    // The loader hands over only a user with a text id; the rest the server checks.
    expect(readHostToFrame(envelope({ type: 'user', user: { id: 42 } }))).toBeNull();
    expect(
      readHostToFrame(envelope({ type: 'init', options: {}, page, stored: {}, user: 'me' })),
    ).toBeNull();
    expect(readHostToFrame(envelope({ type: 'attributes', attributes: 'plan=pro' }))).toBeNull();
    expect(readFrameToHost(envelope({ type: 'warn', text: 1 }))).toBeNull();
    expect(readFrameToHost(envelope({ type: 'closed' }))).toBeNull();
  });

  it("ignores other scripts' messages and malformed ones", () => {
    expect(readHostToFrame({ type: 'open', focus: true })).toBeNull();
    expect(readHostToFrame(envelope({ type: 'open' }))).toBeNull();
    expect(readHostToFrame('open')).toBeNull();
    expect(readHostToFrame(envelope({ type: 'page', page: { url: 1 } }))).toBeNull();
    expect(readFrameToHost(envelope({ type: 'unread', count: '2' }))).toBeNull();
    expect(
      readFrameToHost(envelope({ type: 'unread', count: 1, preview: { text: 3 } })),
    ).toBeNull();
    expect(readFrameToHost(envelope({ type: 'open' }))).toBeNull();
    expect(readHostToFrame(envelope({ type: 'locale', locale: 1 }))).toBeNull();
    expect(readFrameToHost(envelope({ type: 'look', look: null }))).toBeNull();
    expect(readFrameToHost(envelope({ type: 'store', key: 'token', value: 1 }))).toBeNull();
    expect(
      readHostToFrame(envelope({ type: 'init', options: {}, page: { url: '', title: '' } })),
    ).toBeNull();
  });
});
