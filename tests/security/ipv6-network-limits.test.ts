import { describe, expect, it } from 'vitest';
import { addressKey } from '../../packages/backend/src/auth/address-key.js';
import { defaultRateLimits } from '../../packages/backend/src/config.js';
import { useServer } from '../support/fixture.js';
import { api } from '../support/http.js';
import { databaseTargets } from '../support/server.js';
import { createEvent } from '../realtime/support.js';

describe('per-address limits and IPv6 networks', () => {
  it('counts an IPv6 address as its /64 and an IPv4 one (mapped or not) as itself', () => {
    expect(addressKey('203.0.113.7')).toBe('203.0.113.7');
    expect(addressKey('::ffff:203.0.113.7')).toBe('203.0.113.7');
    expect(addressKey('2001:db8:1:2::1')).toBe('2001:db8:1:2::/64');
    expect(addressKey('2001:0db8:0001:0002:aaaa:bbbb:cccc:dddd')).toBe('2001:db8:1:2::/64');
    expect(addressKey('2001:DB8:1:2:ffff::')).toBe('2001:db8:1:2::/64');
    expect(addressKey('2001:db8::')).toBe('2001:db8:0:0::/64');
    expect(addressKey('::1')).toBe('0:0:0:0::/64');
    expect(addressKey('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
    expect(addressKey('2001:db8:1:2:3:4:198.51.100.1')).toBe('2001:db8:1:2::/64');
    expect(addressKey('not an address')).toBe('not an address');
  });

  describe('over HTTP', () => {
    const server = useServer(databaseTargets[0]!, {
      trustProxy: true,
      rateLimits: { ...defaultRateLimits, signInLinksPerIp: 3, registrationsPerIp: 3 },
    });

    it('refuses sign-in link requests and registrations past the per-address limit when each comes from another address of one IPv6 /64', async () => {
      const event = await createEvent(server, 'red-seis', { sign_in: 'link' });
      const from = (index: number) => ({ 'x-forwarded-for': `2001:db8:77:1:${(index + 1).toString(16)}::${index + 9}` });
      const links = [];
      for (let index = 0; index < 4; index += 1) {
        links.push((await api(server.url, `/api/events/${event.slug}/sign-in-link`, { body: { email: `p${index}@red.test` }, headers: from(index) })).status);
      }
      expect(links).toEqual([202, 202, 202, 429]);
      const registrations = [];
      for (let index = 0; index < 4; index += 1) {
        const body = { name: 'Red', email: `r${index}@red.test`, phone: '+34 600 000 000' };
        registrations.push((await api(server.url, `/api/events/${event.slug}/register`, { body, headers: from(index + 10) })).status);
      }
      expect(registrations).toEqual([201, 201, 201, 429]);
      // Another /64 has its own count.
      expect((await api(server.url, `/api/events/${event.slug}/sign-in-link`, { body: { email: 'z@red.test' }, headers: { 'x-forwarded-for': '2001:db8:77:2::1' } })).status).toBe(202);
    });
  });
});
