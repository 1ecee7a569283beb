import { describe, expect, it } from 'vitest';
import { inspectBody } from './body-parts.js';

const mail = (headers: string[], body: string) =>
  Buffer.from(['From: vera@example.com', 'Subject: Re', ...headers, '', body, ''].join('\r\n'));
const base64Text = (body: string, type = 'text/plain; charset=utf-8') =>
  mail([`Content-Type: ${type}`, 'Content-Transfer-Encoding: base64'], body);

describe('inspectBody', () => {
  it('accepts base64 as mail programs write it: wrapped, padded or not', async () => {
    const text = Buffer.from('Thanks, that works. '.repeat(10)).toString('base64');
    const wrapped = text.replace(/.{76}/g, '$&\r\n');
    expect(await inspectBody(base64Text(wrapped))).toEqual({
      plainText: true,
      brokenBase64: false,
    });
    expect((await inspectBody(base64Text('SGk'))).brokenBase64).toBe(false); // "Hi", unpadded
  });

  it('finds text that only says it is base64', async () => {
    for (const body of [
      'Hello, this is not base64 at all!',
      'SGVsbG8=d29ybGQ=', // padding in the middle: two pieces glued together
      'SGVsbG8gd', // a length no bytes make
      'SGVsbG8===',
    ]) {
      expect((await inspectBody(base64Text(body))).brokenBase64, body).toBe(true);
    }
  });

  it('checks the text parts of a multipart email, not its attachments', async () => {
    const multipart = (text: string, attachment: string) =>
      mail(
        ['Content-Type: multipart/mixed; boundary=b'],
        [
          '--b',
          'Content-Type: text/html',
          'Content-Transfer-Encoding: base64',
          '',
          text,
          '--b',
          'Content-Type: application/octet-stream',
          'Content-Disposition: attachment; filename=x.bin',
          'Content-Transfer-Encoding: base64',
          '',
          attachment,
          '--b--',
        ].join('\r\n'),
      );
    const html = Buffer.from('<p>Hi</p>').toString('base64');
    expect(await inspectBody(multipart(html, 'not base64!'))).toEqual({
      plainText: false,
      brokenBase64: false,
    });
    expect((await inspectBody(multipart('<p>Hi</p>', 'AAAA'))).brokenBase64).toBe(true);
  });
});
