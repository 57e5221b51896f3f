import { beforeAll, describe, expect, it } from 'vitest';
import { CloseCode } from '@palco/sdk/protocol';
import { api } from '../support/http.js';
import { databaseTargets } from '../support/server.js';
import { attendeeOf, createEvent, openSocket, type Member, useRealtimeServer } from '../realtime/support.js';

const allowed = 'https://producer.example';

/** Origins that look like the allowed one to a careless comparison. */
const lookalikes: Array<[string, string]> = [
  ['suffix', 'https://producer.example.evil.com'],
  ['prefix', 'https://evilproducer.example'],
  ['substring', 'https://producer.exampl'],
  ['subdomain', 'https://www.producer.example'],
  ['other scheme', 'http://producer.example'],
  ['explicit port', 'https://producer.example:443'],
  ['trailing slash', 'https://producer.example/'],
  ['path', 'https://producer.example/evil'],
  ['user info', 'https://producer.example@evil.com'],
  ['null (sandboxed frame, file:)', 'null'],
  ['upper case', 'HTTPS://PRODUCER.EXAMPLE'],
  ['wildcard', '*'],
  ['list', `${allowed}, https://evil.com`],
];

describe('cross-site sockets and CORS from foreign origins', () => {
  let event: Awaited<ReturnType<typeof createEvent>>;
  let ana: Member;

  const server = useRealtimeServer(databaseTargets[0]!);
  beforeAll(async () => {
    event = await createEvent(server, 'origenes', { allowed_origins: [allowed] });
    ana = await attendeeOf(server, event.slug, 'Ana');
  });

  const socketFrom = async (origin: string) => {
    const socket = await openSocket(server, { event: event.slug, token: ana.token, via: 'query', headers: { origin } });
    const outcome = await Promise.race([socket.waitFor('welcome').then(() => 'welcome'), socket.closed.then((closed) => closed.code)]);
    socket.ws.close();
    return outcome;
  };

  it('cross-site socket from a foreign Origin: closed with 1008 although the token is valid', async () => {
    expect(await socketFrom('https://evil.example')).toBe(CloseCode.originNotAllowed);
    expect(await socketFrom(allowed)).toBe('welcome');
  });

  it.each(lookalikes)('cross-site socket from a look-alike Origin (%s): closed with 1008', async (_trick, origin) => {
    expect(await socketFrom(origin)).toBe(CloseCode.originNotAllowed);
  });

  it('cross-site socket with a cookie session from a foreign Origin: closed with 1008, the cookie does not help', async () => {
    const socket = await openSocket(server, {
      event: event.slug,
      token: ana.token,
      via: 'cookie',
      cookieName: `palco_e${event.id}`,
      headers: { origin: 'https://evil.example' },
    });
    expect((await socket.closed).code).toBe(CloseCode.originNotAllowed);
  });

  it.each([['foreign', 'https://evil.example'] as [string, string], ...lookalikes])(
    'CORS from a %s Origin: no Access-Control-Allow-Origin, on requests and preflights',
    async (_trick, origin) => {
      const read = await api(server.url, `/api/events/${event.slug}`, { headers: { origin } });
      expect(read.headers.get('access-control-allow-origin')).toBeNull();
      const me = await api(server.url, '/api/me', { token: ana.token, headers: { origin } });
      expect(me.headers.get('access-control-allow-origin')).toBeNull();
      const preflight = await api(server.url, `/api/events/${event.slug}/register`, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
      });
      expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
    },
  );

  it('CORS from the allowed origin: that exact origin, never with credentials', async () => {
    const read = await api(server.url, `/api/events/${event.slug}`, { headers: { origin: allowed } });
    expect(read.headers.get('access-control-allow-origin')).toBe(allowed);
    expect(read.headers.get('access-control-allow-credentials')).toBeNull();
  });
});
