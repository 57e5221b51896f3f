import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { BlockList, isIP, type LookupFunction } from 'node:net';

/**
 * Addresses a webhook may not reach: everything the IANA special-purpose registries (RFC 6890
 * and its updates) set apart from the public Internet. Loopback, private and link-local ranges
 * hold the services beside Palco and the clouds' metadata endpoints (169.254.169.254,
 * fd00:ec2::254, Alibaba's 100.100.100.200 in the shared range, Oracle's 192.0.0.192).
 * IPv6 forms that carry an IPv4 address (IPv4-compatible, NAT64, 6to4, Teredo) are refused
 * whole, so no spelling of 127.0.0.1 gets through; an IPv4-mapped address (::ffff:a.b.c.d) is
 * judged by its IPv4 address, which BlockList does by itself (a ::ffff:0:0/96 rule would make
 * it refuse every IPv4 address).
 */
const nonPublic = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8], // "this network", 0.0.0.0 included
  ['10.0.0.0', 8],
  ['100.64.0.0', 10], // shared address space (carrier-grade NAT)
  ['127.0.0.0', 8],
  ['169.254.0.0', 16], // link-local, cloud metadata
  ['172.16.0.0', 12],
  ['192.0.0.0', 24], // IETF protocol assignments
  ['192.0.2.0', 24], // documentation
  ['192.88.99.0', 24], // 6to4 relay anycast
  ['192.168.0.0', 16],
  ['198.18.0.0', 15], // benchmarking
  ['198.51.100.0', 24], // documentation
  ['203.0.113.0', 24], // documentation
  ['224.0.0.0', 3], // multicast, reserved and broadcast, to 255.255.255.255
] as const) {
  nonPublic.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [
  ['::', 96], // unspecified, loopback and IPv4-compatible
  ['64:ff9b::', 96], // NAT64
  ['64:ff9b:1::', 48], // local-use NAT64
  ['100::', 64], // discard-only
  ['2001::', 32], // Teredo
  ['2001:db8::', 32], // documentation
  ['2002::', 16], // 6to4
  ['fc00::', 7], // unique local
  ['fe80::', 10], // link-local
  ['fec0::', 10], // site-local (deprecated)
  ['ff00::', 8], // multicast
] as const) {
  nonPublic.addSubnet(network, prefix, 'ipv6');
}

/** Whether `address` (an IPv4 or IPv6 literal, without brackets) is on the public Internet. */
export function isPublicAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 0) return false;
  return !nonPublic.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

/**
 * Names that stand for this machine or a private network whatever DNS says: `localhost`
 * (RFC 6761), the `.internal` and `.home.arpa` private-use names, mDNS `.local`, and
 * single-label names, which resolvers complete with the local search domain.
 */
function isPrivateName(host: string): boolean {
  const name = host.replace(/\.$/, '');
  return !name.includes('.') || /(^|\.)(localhost|internal|local|home\.arpa)$/.test(name);
}

/** The reason a target is refused; what is stored for the producer says no more than this. */
export class TargetNotAllowed extends Error {
  constructor() {
    super('address not allowed');
  }
}

/** A URL's host without IPv6 brackets, as the resolver and the address checks take it. */
function hostOf(url: URL): string {
  return url.hostname.replace(/^\[(.*)\]$/, '$1');
}

/**
 * Where webhooks may be sent. Outside development only public addresses: a webhook must not
 * be a way to reach the services beside Palco. `privateTargets` (PALCO_WEBHOOK_PRIVATE_TARGETS=1,
 * refused in production) lets a receiver on the same machine or network be used, as in tests.
 */
export class WebhookTargets {
  constructor(
    readonly privateTargets: boolean,
    /** The system resolver; tests give a DNS server's changing answers. */
    private readonly resolve: typeof dnsLookup = dnsLookup,
  ) {}

  /**
   * Checks a URL when it is stored: its host as written (a literal address in any spelling the
   * URL parser accepts, decimal and hex included, comes out as dotted IPv4 or IPv6) and every
   * address it resolves to now. A name that does not resolve yet is accepted: it is checked
   * again at every send, which is what stops DNS rebinding.
   */
  async allows(url: string): Promise<boolean> {
    if (this.privateTargets) return true;
    const host = hostOf(new URL(url));
    if (isIP(host)) return isPublicAddress(host);
    if (isPrivateName(host)) return false;
    const addresses = await new Promise<LookupAddress[]>((resolve) => {
      this.resolve(host, { all: true }, (error, found) => resolve(error ? [] : found));
    });
    return addresses.every((found) => isPublicAddress(found.address));
  }

  /**
   * The socket options of one send: a literal address is checked here, and a name is resolved
   * by `lookup`, which refuses it when any of its addresses is not public. The connection then
   * goes to the address that was checked, so a name that changes its answer between the check
   * and the connection (DNS rebinding) cannot slip through.
   */
  forSend(url: URL): { lookup?: LookupFunction } {
    if (this.privateTargets) return {};
    const host = hostOf(url);
    if (isIP(host) ? !isPublicAddress(host) : isPrivateName(host)) throw new TargetNotAllowed();
    return { lookup: this.publicOnlyLookup };
  }

  /** net's `lookup` option: every address of the name must be public, else the socket fails with TargetNotAllowed. */
  private readonly publicOnlyLookup: LookupFunction = (hostname, options, callback) => {
    this.resolve(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, '', 0);
      if (addresses.length === 0 || !addresses.every((found) => isPublicAddress(found.address))) {
        return callback(new TargetNotAllowed() as NodeJS.ErrnoException, '', 0);
      }
      if (options.all) return (callback as unknown as (error: null, all: LookupAddress[]) => void)(null, addresses);
      callback(null, addresses[0]!.address, addresses[0]!.family);
    });
  };
}
