import { lookup } from 'node:dns/promises';
import { BlockList, isIP, type LookupFunction } from 'node:net';

/**
 * Webhooks are requests Parley makes on an admin's word, from inside its network: without this
 * guard an endpoint could read the cloud's metadata service (169.254.169.254) or poke at
 * databases and admin pages on the LAN (SSRF). Only public unicast addresses are allowed, and
 * the check is made on the address actually connected to, so a name that resolved to a public
 * address at save and to 127.0.0.1 later (DNS rebinding) is refused too.
 */

/** IPv4 ranges that are not the public internet (RFC 6890 and friends). */
const privateV4: [string, number][] = [
  ['0.0.0.0', 8], // "this network", the unspecified address
  ['10.0.0.0', 8], // private
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8], // loopback
  ['169.254.0.0', 16], // link-local, cloud metadata services
  ['172.16.0.0', 12], // private
  ['192.0.0.0', 24], // IETF protocol assignments
  ['192.0.2.0', 24], // documentation
  ['192.88.99.0', 24], // 6to4 relays
  ['192.168.0.0', 16], // private
  ['198.18.0.0', 15], // benchmarking
  ['198.51.100.0', 24], // documentation
  ['203.0.113.0', 24], // documentation
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, and 255.255.255.255 broadcast
];

/** IPv6 ranges that are not the public internet. */
const privateV6: [string, number][] = [
  ['::', 96], // unspecified (::), loopback (::1), IPv4-compatible (deprecated)
  ['64:ff9b:1::', 48], // local-use NAT64
  ['100::', 64], // discard
  ['2001::', 32], // Teredo (a tunnel to an IPv4 address hidden in it)
  ['2001:db8::', 32], // documentation
  ['fc00::', 7], // unique local
  ['fe80::', 10], // link-local
  ['fec0::', 10], // site-local (deprecated)
  ['ff00::', 8], // multicast
];

const hexOfV4 = (v4: string) =>
  v4
    .split('.')
    .map((n) => Number(n).toString(16).padStart(2, '0'))
    .join('')
    .replace(/^(.{4})(.{4})$/, '$1:$2');

const blocked = new BlockList();
for (const [network, prefix] of privateV4) {
  blocked.addSubnet(network, prefix, 'ipv4');
  // The same IPv4 addresses written as IPv6: IPv4-mapped (::ffff:127.0.0.1), NAT64
  // (64:ff9b::127.0.0.1) and 6to4 (2002:7f00:1::), which all reach the IPv4 address.
  blocked.addSubnet(`::ffff:${network}`, 96 + prefix, 'ipv6');
  blocked.addSubnet(`64:ff9b::${network}`, 96 + prefix, 'ipv6');
  blocked.addSubnet(`2002:${hexOfV4(network)}::`, 16 + prefix, 'ipv6');
}
for (const [network, prefix] of privateV6) blocked.addSubnet(network, prefix, 'ipv6');

/** Whether `address` (an IP literal) is a public unicast address that webhooks may reach. */
export function isPublicAddress(address: string): boolean {
  const bare = address.replace(/%.*$/, ''); // an IPv6 zone (fe80::1%eth0) names a local link
  const version = isIP(bare);
  if (version === 0) return false;
  return !blocked.check(bare, version === 4 ? 'ipv4' : 'ipv6');
}

/** A webhook target refused: the message says why, for the admin and the delivery log. */
export class AddressRefused extends Error {}

export type ResolvedAddress = { address: string; family: number };

const privateRefusal = (host: string, address: string) =>
  new AddressRefused(
    host === address
      ? `${address} is not a public address (WEBHOOKS_ALLOW_PRIVATE allows it)`
      : `${host} resolves to ${address}, not a public address (WEBHOOKS_ALLOW_PRIVATE allows it)`,
  );

/**
 * Resolves a URL's host once and checks every address it has: one private address refuses the
 * lot, since the connection could go to any of them. The caller connects to the address
 * returned (see `pinnedLookup`), never resolving the name again.
 */
export async function resolvePublicAddress(hostname: string): Promise<ResolvedAddress> {
  const host = hostname.replace(/^\[(.*)\]$/, '$1');
  const family = isIP(host);
  if (family !== 0) {
    if (!isPublicAddress(host)) throw privateRefusal(host, host);
    return { address: host, family };
  }
  let answers: ResolvedAddress[];
  try {
    answers = await lookup(host, { all: true, verbatim: true });
  } catch {
    throw new AddressRefused(`${host} could not be resolved`);
  }
  const first = answers[0];
  if (!first) throw new AddressRefused(`${host} could not be resolved`);
  const refused = answers.find((a) => !isPublicAddress(a.address));
  if (refused) throw privateRefusal(host, refused.address);
  return first;
}

/** A `lookup` for http.request that answers with the address already checked, and only it. */
export function pinnedLookup({ address, family }: ResolvedAddress): LookupFunction {
  return (_hostname, options, callback) => {
    if (options.all) callback(null, [{ address, family }]);
    else callback(null, address, family);
  };
}

/**
 * Why `url` may not receive webhooks, or null: checked when an admin saves an endpoint. Its
 * address is checked again at every delivery, against the answer actually connected to.
 */
export async function webhookUrlRefusal(
  url: string,
  allowPrivate: boolean,
): Promise<string | null> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'Not a URL';
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return 'http(s) URLs only';
  if (parsed.username || parsed.password) return 'No user name or password in the URL';
  if (allowPrivate) return null;
  try {
    await resolvePublicAddress(parsed.hostname);
    return null;
  } catch (error) {
    if (error instanceof AddressRefused) return error.message;
    throw error;
  }
}
