import { MAX_MESSAGE_LENGTH } from '@parley/protocol';
import { describe, expect, it } from 'vitest';
import { REPLY_MARKER } from './compose.js';
import { htmlText, replyText } from './reply-text.js';

describe('replyText', () => {
  it('keeps what is above the marker Parley put in its email', () => {
    expect(replyText(`Great, thanks!\n\n${REPLY_MARKER}\n\nAda replied:\n\nWe shipped it`)).toBe(
      'Great, thanks!',
    );
  });

  it('cuts Gmail and Apple Mail attributions, also wrapped over lines and in other languages', () => {
    expect(
      replyText(
        'Thanks!\r\n\r\nOn Mon, 1 Dec 2026 at 10:02, Acme Support <support@acme.example> wrote:\r\n> We shipped it',
      ),
    ).toBe('Thanks!');
    expect(
      replyText(
        'Thanks!\n\nOn Mon, 1 Dec 2026 at 10:02, Acme Support <\nsupport@acme.example> wrote:\n> We shipped it',
      ),
    ).toBe('Thanks!');
    expect(replyText('Merci !\n\nLe lun. 1 déc. 2026 à 10:02, Acme a écrit :\n> Bonjour')).toBe(
      'Merci !',
    );
    expect(
      replyText('Danke!\n\nAm Mo., 1. Dez. 2026 um 10:02 Uhr schrieb Acme <a@b.c>:\n> Hallo'),
    ).toBe('Danke!');
  });

  it('cuts Outlook history', () => {
    expect(replyText('Yes please.\n\n-----Original Message-----\nFrom: Acme\nSent: Monday')).toBe(
      'Yes please.',
    );
    expect(
      replyText(
        'Yes please.\n\n________________________________\nFrom: Acme Support\nSent: Monday',
      ),
    ).toBe('Yes please.');
    expect(
      replyText(
        'Yes please.\n\nFrom: Acme Support <support@acme.example>\nSent: Monday, 1 December\nTo: me',
      ),
    ).toBe('Yes please.');
  });

  it('cuts signatures', () => {
    expect(replyText('It works now.\n\n-- \nJane Doe\nACME Corp')).toBe('It works now.');
    expect(replyText('It works now.\n\nSent from my iPhone')).toBe('It works now.');
    expect(replyText('It works now.\n\nGet Outlook for Android')).toBe('It works now.');
  });

  it('drops quoted lines but keeps an answer written between them', () => {
    expect(replyText('> Which order?\nINV-12345\n> And the date?\nMonday')).toBe(
      'INV-12345\nMonday',
    );
  });

  it('keeps a line that only looks like the start of an attribution', () => {
    expect(replyText('On second thought, the blue one.\nThanks')).toBe(
      'On second thought, the blue one.\nThanks',
    );
    expect(replyText('From: my desk\nall good')).toBe('From: my desk\nall good');
  });

  it('cuts a reply longer than a message may be, and says so', () => {
    const long = replyText('a'.repeat(MAX_MESSAGE_LENGTH + 100));
    expect(long.length).toBeLessThanOrEqual(MAX_MESSAGE_LENGTH);
    expect(long).toMatch(/the rest is cut/);
  });

  it('is empty when there is nothing but history', () => {
    expect(replyText('On Mon, Acme wrote:\n> hi')).toBe('');
  });
});

describe('htmlText', () => {
  it('writes a link as its words and its address, with no bracket glued to the address', () => {
    expect(
      htmlText('<p>Tracking: <a href="https://shop.example/track?id=7">here</a>. Thanks</p>'),
    ).toBe('Tracking: here https://shop.example/track?id=7. Thanks');
  });

  it('writes a link whose words are its address once, and leaves images out', () => {
    expect(
      htmlText(
        '<p><a href="https://shop.example/">https://shop.example/</a> <img src="cid:logo" alt="Logo"></p>',
      ),
    ).toBe('https://shop.example/');
    expect(htmlText('<a href="mailto:vera@example.com">Vera</a>')).toBe('Vera vera@example.com');
  });

  it('does not wrap long lines', () => {
    const long = 'word '.repeat(40).trim();
    expect(htmlText(`<p>${long}</p>`)).toBe(long);
  });
});
