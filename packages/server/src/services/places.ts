import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { isIPv4, isIPv6 } from 'node:net';

// Where an address is, by country, for the signed-in devices list (issue 36): DB-IP's "IP to
// Country Lite" (CC BY 4.0; the page that shows a place credits DB-IP), shipped in an npm
// package and read on the first lookup, never fetched. Ranges are kept as sorted arrays and
// searched by halves: about 356,000 IPv4 ranges (8 MB of text, 3 MB once read) and 346,000
// IPv6 ranges, of which the first 64 bits of each address tell the country.

/** Each range's first and last address, and its country as an index into `countries`. */
type Ranges<T extends Uint32Array | BigUint64Array> = {
  starts: T;
  ends: T;
  codes: Uint16Array;
  countries: string[];
};

const require = createRequire(import.meta.url);
const file = (name: string) => require.resolve(`@ip-location-db/dbip-country/${name}`);

let v4: Promise<Ranges<Uint32Array>> | undefined;
let v6: Promise<Ranges<BigUint64Array>> | undefined;

async function load<T extends Uint32Array | BigUint64Array>(
  name: string,
  make: (n: number) => T,
  parse: (text: string) => number | bigint,
): Promise<Ranges<T>> {
  const lines = (await readFile(file(name), 'utf8')).split('\n').filter(Boolean);
  const starts = make(lines.length);
  const ends = make(lines.length);
  const codes = new Uint16Array(lines.length);
  const countries: string[] = [];
  const index = new Map<string, number>();
  lines.forEach((line, i) => {
    const [start = '0', end = '0', code = ''] = line.split(',');
    starts[i] = parse(start) as never;
    ends[i] = parse(end) as never;
    let n = index.get(code);
    if (n === undefined) index.set(code, (n = countries.push(code) - 1));
    codes[i] = n;
  });
  return { starts, ends, codes, countries };
}

function find<T extends Uint32Array | BigUint64Array>(
  ranges: Ranges<T>,
  at: number | bigint,
): string | null {
  let low = 0;
  let high = ranges.starts.length - 1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    const start = ranges.starts[mid] as number | bigint;
    const end = ranges.ends[mid] as number | bigint;
    if (at < start) high = mid - 1;
    else if (at > end) low = mid + 1;
    else return ranges.countries[ranges.codes[mid] ?? 0] ?? null;
  }
  return null;
}

/** The first 64 bits of an IPv6 address, as a number. */
function high64(ip: string): bigint {
  const [head = '', tail = ''] = ip.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = ip.includes('::')
    ? [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right]
    : left;
  return groups.slice(0, 4).reduce((n, g) => (n << 16n) | BigInt(parseInt(g || '0', 16)), 0n);
}

const v4Number = (ip: string) => ip.split('.').reduce((n, part) => n * 256 + Number(part), 0);

/** The two-letter country of an address, or null (a private or unknown one). */
export async function countryOf(address: string | null): Promise<string | null> {
  if (!address) return null;
  const ip = address.replace(/^::ffff:(?=\d+\.)/, '');
  if (isIPv4(ip)) {
    v4 ??= load('dbip-country-ipv4-num.csv', (n) => new Uint32Array(n), Number);
    const code = find(await v4, v4Number(ip));
    return code && code !== 'ZZ' ? code : null;
  }
  if (isIPv6(ip)) {
    v6 ??= load(
      'dbip-country-ipv6-num.csv',
      (n) => new BigUint64Array(n),
      (text) => BigInt(text) >> 64n,
    );
    const code = find(await v6, high64(ip));
    return code && code !== 'ZZ' ? code : null;
  }
  return null;
}

const regions = new Intl.DisplayNames(['en'], { type: 'region' });

/** The country's name in English ("Germany"), or null. */
export async function placeOf(address: string | null): Promise<string | null> {
  const code = await countryOf(address);
  if (!code) return null;
  try {
    return regions.of(code) ?? code;
  } catch {
    return code;
  }
}
