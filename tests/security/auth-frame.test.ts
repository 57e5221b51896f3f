import { describe, expect, it } from 'vitest';
import { CloseCode } from '@palco/sdk/protocol';
import { defaultRealtimeSettings } from '../../packages/backend/src/config.js';
import { databaseTargets } from '../support/server.js';
import { createEvent, openSocket, useRealtimeServer } from '../realtime/support.js';

/** `auth` frames whose token no schema accepts: each presents a credential that cannot be valid. */
const unusableTokens: Array<[string, unknown]> = [
  ['a token longer than any issued', 'x'.repeat(5_000)],
  ['a number', 12345],
  ['null', null],
  ['an array of tokens', ['a.b.c', 'd.e.f']],
  ['an object', { alg: 'none' }],
];

describe('an auth frame with a token of the wrong shape', () => {
  const server = useRealtimeServer(databaseTargets[0]!);

  it.each(unusableTokens)('closes the socket with 4001 at once for %s, without waiting for the auth timeout', async (_name, token) => {
    const event = await createEvent(server, `ficha-${Math.random().toString(36).slice(2, 8)}`);
    const socket = await openSocket(server, { event: event.slug });
    const started = performance.now();
    socket.sendRaw(JSON.stringify({ type: 'auth', ref: 1, token }));
    const closed = await socket.closed;
    expect(closed.code).toBe(CloseCode.notAuthenticated);
    expect(performance.now() - started).toBeLessThan(defaultRealtimeSettings.authTimeoutMs / 2);
  });
});
