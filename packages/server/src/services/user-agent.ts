import UAParser from 'ua-parser-js';

// ua-parser-js is pinned to 1.x: 1.x is MIT, 2.x is AGPL.

// Its names where agents know another one.
const BROWSER_NAMES: Record<string, string> = {
  'Mobile Safari': 'Safari',
  'Mobile Firefox': 'Firefox',
  'Chrome Headless': 'Headless Chrome',
};
const OS_NAMES: Record<string, string> = { 'Mac OS': 'macOS', 'Chromium OS': 'ChromeOS' };

// Versions browsers no longer tell: macOS is frozen at 10.15.7 in every browser, ChromeOS gives
// a build number, and Chrome's reduced Android string says "Android 10; K" on any phone.
const UNTOLD_VERSION = new Set(['macOS', 'ChromeOS']);
const REDUCED_ANDROID_MODEL = 'K';

/**
 * Browser and device for the agents' visitor panel, which shows them as "<browser> on <os>":
 * "Chrome 120" on "Windows 10", "Safari 17" on "iPhone (iOS 17.5)", "Samsung Internet 25" on
 * "Samsung SM-S918B (Android 14)". Windows 11 sends the same string as Windows 10 (only client
 * hints tell them apart), so both read "Windows 10".
 */
export function describeUserAgent(ua: string | null): {
  browser: string | null;
  os: string | null;
} {
  if (!ua) return { browser: null, os: null };
  const result = new UAParser(ua).getResult();
  return { browser: browserOf(result.browser), os: systemOf(result.os, result.device) };
}

function browserOf({ name, major }: UAParser.IBrowser): string | null {
  if (!name) return null;
  return [BROWSER_NAMES[name] ?? name, major].filter(Boolean).join(' ');
}

function systemOf(os: UAParser.IOS, device: UAParser.IDevice): string | null {
  if (!os.name) return null;
  const name = OS_NAMES[os.name] ?? os.name;
  const reduced = name === 'Android' && device.model === REDUCED_ANDROID_MODEL;
  const version = UNTOLD_VERSION.has(name) || reduced ? undefined : os.version;
  const system = [name, version].filter(Boolean).join(' ');
  const model = deviceOf(device);
  return model ? `${model} (${system})` : system;
}

/** A phone's or tablet's name, when the string tells it: "iPhone", "Google Pixel 8". */
function deviceOf({ type, vendor, model }: UAParser.IDevice): string | null {
  if ((type !== 'mobile' && type !== 'tablet') || !model || model === REDUCED_ANDROID_MODEL) {
    return null;
  }
  if (vendor === 'Apple' || !vendor || model.startsWith(vendor)) return model;
  return `${vendor} ${model}`;
}
