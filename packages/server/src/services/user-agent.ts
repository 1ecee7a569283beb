/**
 * Browser and OS names for the agents' visitor panel. A handful of patterns covers what agents
 * need to know; order matters because Chromium-based browsers also claim to be Chrome and Safari.
 */
const browsers: Array<[RegExp, string]> = [
  [/Edg(?:e|A|iOS)?\/([\d]+)/, 'Edge'],
  [/OPR\/([\d]+)/, 'Opera'],
  [/SamsungBrowser\/([\d]+)/, 'Samsung Internet'],
  [/Firefox\/([\d]+)/, 'Firefox'],
  [/FxiOS\/([\d]+)/, 'Firefox'],
  [/CriOS\/([\d]+)/, 'Chrome'],
  [/Chrome\/([\d]+)/, 'Chrome'],
  [/Version\/([\d]+)[\d.]* (?:Mobile\/\S+ )?Safari/, 'Safari'],
];

const systems: Array<[RegExp, string]> = [
  [/Windows NT/, 'Windows'],
  [/iPhone|iPad|iPod/, 'iOS'],
  [/Android/, 'Android'],
  [/CrOS/, 'ChromeOS'],
  [/Mac OS X|Macintosh/, 'macOS'],
  [/Linux/, 'Linux'],
];

export function describeUserAgent(ua: string | null): {
  browser: string | null;
  os: string | null;
} {
  if (!ua) return { browser: null, os: null };
  let browser: string | null = null;
  for (const [pattern, name] of browsers) {
    const match = pattern.exec(ua);
    if (match) {
      browser = `${name} ${match[1] ?? ''}`.trim();
      break;
    }
  }
  const os = systems.find(([pattern]) => pattern.test(ua))?.[1] ?? null;
  return { browser, os };
}
