import type { Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { defaultRealtimeSettings } from '../../packages/backend/src/config.js';
import { traffic } from '../../packages/backend/src/realtime/traffic.js';
import { eventually } from '../support/poll.js';
import { clientFrames } from '../support/raw-socket.js';
import { databaseTargets } from '../support/server.js';
import { attendeeOf, connect, createEvent, useRealtimeServer } from './support.js';

const { perSocket } = defaultRealtimeSettings.frameBudget;

describe('sockets take turns', () => {
  const server = useRealtimeServer(databaseTargets[0]!);

  it('answers another socket between the frames of one big read, instead of after all of them', async () => {
    const event = await createEvent(server, 'turnos');
    const flooder = (await connect(server, { event: event.slug, token: (await attendeeOf(server, event.slug)).token })).socket;
    const other = (await connect(server, { event: event.slug, token: (await attendeeOf(server, event.slug)).token })).socket;
    // Within the socket's budget, so every one of them is answered; written at once, so the
    // server reads them in one go.
    const frames = Math.floor(perSocket.burst * 0.8);
    const tcp = (flooder.ws as unknown as { _socket: Socket })._socket;
    const before = traffic.framesIn;
    tcp.write(clientFrames(['{"type":"ping"}'], frames));
    other.send({ type: 'ping' });
    await other.waitFor('pong');
    // Handled one after another, the flooder's frames would all be counted before this pong.
    expect(traffic.framesIn - before).toBeLessThan(frames / 2);
    await eventually(() => flooder.all('pong').length, (answered) => answered === frames, 10_000);
    expect(flooder.isOpen).toBe(true);
    await Promise.all([flooder.close(), other.close()]);
  });
});
