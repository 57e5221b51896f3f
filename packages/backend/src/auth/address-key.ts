import { isIPv6 } from 'node:net';

/**
 * The key a client address is counted under by the per-address limits (sign-ins,
 * registrations, sign-in links, sockets, frames): an IPv4 address as it is (an IPv4-mapped
 * IPv6 one, `::ffff:203.0.113.7`, as its IPv4 form), an IPv6 address as its /64 network
 * (`2001:db8:1:2::/64`). One subscriber or site is given a whole /64 and may pick any of its
 * 2^64 addresses for each request, so counting single IPv6 addresses limits nothing.
 * Anything else (a name, an empty string) is returned unchanged.
 */
export function addressKey(ip: string): string {
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(ip);
  if (mapped) return mapped[1]!;
  const bare = ip.split('%')[0]!;
  if (!isIPv6(bare)) return ip;
  const width = (groups: string[]) => groups.reduce((sum, group) => sum + (group.includes('.') ? 2 : 1), 0);
  const [head, tail] = bare.includes('::') ? bare.split('::') : [bare, undefined];
  const headGroups = head ? head.split(':') : [];
  const tailGroups = tail ? tail.split(':') : [];
  const groups = tail === undefined ? headGroups : [...headGroups, ...Array<string>(8 - width(headGroups) - width(tailGroups)).fill('0'), ...tailGroups];
  return `${groups
    .slice(0, 4)
    .map((group) => (group.includes('.') ? group : parseInt(group, 16).toString(16)))
    .join(':')}::/64`;
}
