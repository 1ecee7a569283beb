import { describe, expect, it } from 'vitest';
import { describeUserAgent } from './user-agent.js';

// Strings sent by current browsers, as the visitor panel shows them: "<browser> on <os>".
const seen = (ua: string) => {
  const { browser, os } = describeUserAgent(ua);
  return `${browser ?? '?'} on ${os ?? '?'}`;
};

describe('user agent', () => {
  it('names desktop browsers and their system, with versions that mean something', () => {
    expect(
      seen(
        'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36',
      ),
    ).toBe('Chrome 120 on Windows 10');
    expect(
      seen(
        'Mozilla/5.0 (Windows NT 6.1; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/109.0.0.0 Safari/537.36',
      ),
    ).toBe('Chrome 109 on Windows 7');
    expect(
      seen(
        'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.2903.86',
      ),
    ).toBe('Edge 131 on Windows 10');
    expect(
      seen(
        'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36 OPR/111.0.0.0',
      ),
    ).toBe('Opera 111 on Windows 10');
    // Every browser on a Mac says 10.15.7, whatever the macOS: no version rather than a wrong one.
    expect(
      seen(
        'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15',
      ),
    ).toBe('Safari 17 on macOS');
    expect(
      seen('Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0'),
    ).toBe('Firefox 128 on Ubuntu');
    expect(
      seen(
        'Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36',
      ),
    ).toBe('Chrome 126 on ChromeOS');
  });

  it('names phones and tablets', () => {
    expect(
      seen(
        'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
      ),
    ).toBe('Safari 17 on iPhone (iOS 17.5)');
    expect(
      seen(
        'Mozilla/5.0 (iPad; CPU OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
      ),
    ).toBe('Safari 17 on iPad (iOS 17.5)');
    expect(
      seen(
        'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/126.0.6478.54 Mobile/15E148 Safari/604.1',
      ),
    ).toBe('Chrome 126 on iPhone (iOS 17.5)');
    expect(
      seen(
        'Mozilla/5.0 (Linux; Android 14; SAMSUNG SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/25.0 Chrome/121.0.0.0 Mobile Safari/537.36',
      ),
    ).toBe('Samsung Internet 25 on Samsung SM-S918B (Android 14)');
    expect(seen('Mozilla/5.0 (Android 14; Mobile; rv:128.0) Gecko/128.0 Firefox/128.0')).toBe(
      'Firefox 128 on Android 14',
    );
    expect(
      seen(
        'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36',
      ),
    ).toBe('Chrome 126 on Google Pixel 8 (Android 14)');
    // Chrome's reduced string says "Android 10; K" on every phone: neither is the truth.
    expect(
      seen(
        'Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36 EdgA/126.0.2592.80',
      ),
    ).toBe('Edge 126 on Android');
  });

  it('names in-app browsers and leaves what is not a browser blank', () => {
    expect(
      seen(
        'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 [FBAN/FBIOS;FBAV/470.0.0.40.94;]',
      ),
    ).toBe('Facebook 470 on iPhone (iOS 17.5)');
    expect(describeUserAgent('curl/8.0')).toEqual({ browser: null, os: null });
    expect(describeUserAgent(null)).toEqual({ browser: null, os: null });
    expect(describeUserAgent('x'.repeat(10_000))).toEqual({ browser: null, os: null });
  });
});
