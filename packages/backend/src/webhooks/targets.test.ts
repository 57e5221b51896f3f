import type { LookupAddress } from 'node:dns';
import type { lookup } from 'node:dns';
import { describe, expect, it } from 'vitest';
import { TargetNotAllowed, WebhookTargets, isPublicAddress } from './targets.js';

/** A DNS server's answers for every name, changed at will (as a rebinding attacker's would). */
function fakeDns(initial: string[]) {
  let answers = initial;
  const resolve = ((_host: string, _options: object, callback: (error: Error | null, found: LookupAddress[]) => void) => {
    const found = answers.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
    queueMicrotask(() => callback(null, found));
  }) as unknown as typeof lookup;
  return { resolve, answer: (next: string[]) => (answers = next) };
}

/** What the socket layer would be told by the lookup of one send. */
function lookupThrough(targets: WebhookTargets, url: string) {
  const { lookup: dial } = targets.forSend(new URL(url));
  return new Promise<string>((resolve, reject) => {
    dial!(new URL(url).hostname, { all: false }, (error, address) => (error ? reject(error) : resolve(address as string)));
  });
}

describe('webhook target addresses', () => {
  it.each([
    '127.0.0.1', '127.255.0.9', '0.0.0.0', '0.1.2.3', '10.1.2.3', '172.16.0.1', '172.31.255.255', '192.168.0.10',
    '169.254.169.254', '100.64.0.1', '100.100.100.200', '192.0.0.192', '224.0.0.1', '255.255.255.255',
    '::', '::1', '::ffff:127.0.0.1', '::ffff:7f00:1', '::ffff:a9fe:a9fe', '::127.0.0.1', '64:ff9b::7f00:1',
    '2002:7f00:1::', 'fd00:ec2::254', 'fc00::1', 'fe80::1', 'ff02::1', '2001:db8::1',
  ])('refuses %s, which is not on the public Internet', (address) => {
    expect(isPublicAddress(address)).toBe(false);
  });

  it.each(['93.184.216.34', '8.8.8.8', '172.32.0.1', '100.128.0.1', '2606:4700::1111', '::ffff:8.8.8.8'])(
    'accepts the public address %s',
    (address) => {
      expect(isPublicAddress(address)).toBe(true);
    },
  );

  it.each([
    'http://2130706433/hook', 'http://0x7f000001/hook', 'http://0x7f.1/hook', 'http://017700000001/hook', 'http://127.1/hook',
    'https://0/hook', 'https://[::ffff:127.0.0.1]/hook', 'https://[::ffff:a9fe:a9fe]/latest', 'https://LOCALHOST./hook',
    'https://api.localhost/hook', 'https://metadata.google.internal/computeMetadata/v1/', 'https://printer.local/', 'https://intranet/hook',
  ])('refuses %s when it is stored, whatever the DNS says', async (url) => {
    expect(await new WebhookTargets(false, fakeDns(['93.184.216.34']).resolve).allows(url)).toBe(false);
  });

  it('refuses a name when any of its addresses is private, and accepts one whose addresses are all public', async () => {
    const dns = fakeDns(['93.184.216.34', '10.0.0.8']);
    const targets = new WebhookTargets(false, dns.resolve);
    expect(await targets.allows('https://crm.example.com/hook')).toBe(false);
    dns.answer(['93.184.216.34', '2606:4700::1111']);
    expect(await targets.allows('https://crm.example.com/hook')).toBe(true);
  });

  it('refuses at send time a name that now resolves to loopback (DNS rebinding), and dials the checked address otherwise', async () => {
    const dns = fakeDns(['93.184.216.34']);
    const targets = new WebhookTargets(false, dns.resolve);
    expect(await targets.allows('https://rebind.example.com/hook')).toBe(true);
    expect(await lookupThrough(targets, 'https://rebind.example.com/hook')).toBe('93.184.216.34');
    dns.answer(['127.0.0.1']);
    await expect(lookupThrough(targets, 'https://rebind.example.com/hook')).rejects.toBeInstanceOf(TargetNotAllowed);
  });

  it('refuses a literal private address at send time, where no lookup happens', () => {
    const targets = new WebhookTargets(false, fakeDns([]).resolve);
    expect(() => targets.forSend(new URL('http://127.0.0.1:8080/hook'))).toThrow(TargetNotAllowed);
    expect(() => targets.forSend(new URL('https://[::1]/hook'))).toThrow(TargetNotAllowed);
  });

  it('lets everything through when private targets are allowed (development and tests)', async () => {
    const targets = new WebhookTargets(true, fakeDns(['127.0.0.1']).resolve);
    expect(await targets.allows('http://127.0.0.1:9/hook')).toBe(true);
    expect(targets.forSend(new URL('http://127.0.0.1:9/hook'))).toEqual({});
  });
});
