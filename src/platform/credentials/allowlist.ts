import net from 'node:net';
import { ApiError } from '../http/api-error.ts';
import { errors } from '../http/errors.ts';

/** Addresses an allowlist may hold; a longer list belongs in a firewall, not on a credential. */
export const MAX_ALLOWED_IPS = 100;

/** A credential's allowed addresses, compiled once per resolved token so a request only checks. */
export interface AddressList {
  readonly entries: readonly string[];
  readonly blockList: net.BlockList;
}

interface Entry {
  address: string;
  prefix: number | undefined;
  family: 'ipv4' | 'ipv6';
}

/** "10.0.0.1", "10.0.0.0/8", "2001:db8::/32", "::1"; a zone ("fe80::1%eth0") names no address another host sees. */
function parseEntry(text: string): Entry | string {
  const [address, prefixText, extra] = text.split('/');
  if (extra !== undefined) return 'has more than one "/"';
  const version = net.isIP(address);
  if (version === 0 || address.includes('%')) return 'is not an IPv4 or IPv6 address';
  const family = version === 4 ? 'ipv4' : 'ipv6';
  if (prefixText === undefined) return { address, prefix: undefined, family };
  const max = version === 4 ? 32 : 128;
  if (!/^\d{1,3}$/.test(prefixText) || Number(prefixText) > max) return `has a prefix length that is not 0 to ${max}`;
  return { address, prefix: Number(prefixText), family };
}

/** What is wrong with an address or range as written, or undefined when nothing is. */
export function addressProblem(text: string): string | undefined {
  const parsed = parseEntry(text);
  return typeof parsed === 'string' ? parsed : undefined;
}

/**
 * Checks an allowlist as sent, naming the first bad entry as `field[i]`, and returns it
 * trimmed and without repeats, in the order given.
 */
export function validateAllowlist(field: string, values: readonly string[]): string[] {
  if (values.length > MAX_ALLOWED_IPS) throw errors.invalidField({ field, problem: `holds at most ${MAX_ALLOWED_IPS} addresses or ranges` });
  const kept: string[] = [];
  values.forEach((value, i) => {
    const entry = value.trim().toLowerCase();
    const problem = addressProblem(entry);
    if (problem) throw errors.invalidField({ field: `${field}[${i}]`, problem: `"${value}" ${problem}` });
    if (!kept.includes(entry)) kept.push(entry);
  });
  return kept;
}

/** The list stored entries make, or null for an empty one (every address allowed). */
export function compileAllowlist(entries: readonly string[]): AddressList | null {
  if (entries.length === 0) return null;
  const blockList = new net.BlockList();
  for (const text of entries) {
    const entry = parseEntry(text);
    // Stored entries passed validateAllowlist; one that no longer parses allows nothing.
    if (typeof entry === 'string') continue;
    if (entry.prefix === undefined) blockList.addAddress(entry.address, entry.family);
    else blockList.addSubnet(entry.address, entry.prefix, entry.family);
  }
  return { entries: Object.freeze([...entries]), blockList };
}

const IPV4_MAPPED = /^::ffff:(\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3})$/i;

/**
 * The address as people write it: a server listening on "::" sees IPv4 callers as
 * "::ffff:127.0.0.1", which is shown, stored and named in refusals as "127.0.0.1".
 */
export function canonicalAddress(address: string): string {
  return IPV4_MAPPED.exec(address)?.[1] ?? address;
}

/** Whether a request from `address` (request.ip: IPv4, IPv6 or IPv4-mapped IPv6) may use the credential. */
export function allows(list: AddressList | null, address: string): boolean {
  if (!list) return true;
  const version = net.isIP(address);
  if (version === 0) return false;
  // BlockList matches an IPv4-mapped IPv6 address against IPv4 entries and the reverse.
  return list.blockList.check(address, version === 4 ? 'ipv4' : 'ipv6');
}

/** The refusal of a request from an address the credential's allowlist does not hold. */
export function ipNotAllowed(address: string): ApiError {
  return errors.ipNotAllowed({ reason: `Requests from ${address} are not allowed for this API credential: its IP allowlist does not include that address` });
}

/** Refuses `address` unless the list allows it. */
export function checkAllowed(list: AddressList | null, address: string): void {
  if (!allows(list, address)) throw ipNotAllowed(canonicalAddress(address));
}
