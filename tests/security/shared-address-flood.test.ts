import type { Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { defaultRealtimeSettings } from '../../packages/backend/src/config.js';
import { traffic } from '../../packages/backend/src/realtime/traffic.js';
import { eventually } from '../support/poll.js';
import { clientFrames, stalledSocket } from '../support/raw-socket.js';
import { databaseTargets } from '../support/server.js';
import { attendeeOf, connect, createEvent, useRealtimeServer } from '../realtime/support.js';

const { perSocket } = defaultRealtimeSettings.frameBudget;
/** An address budget that refills too slowly to recover during the test: spent stays spent. */
const perAddress = { burst: 3 * perSocket.burst, perSecond: 1 };

describe('a flood from an address that other attendees share (an office, a carrier NAT)', () => {
  const server = useRealtimeServer(databaseTargets[0]!, { frameBudget: { ...defaultRealtimeSettings.frameBudget, perAddress } });

  it("closes the flooding sockets and keeps a quiet attendee behind the same address connected once the address's budget is spent", async () => {
    const event = await createEvent(server, 'nat-compartida');
    const { socket: quiet } = await connect(server, { event: event.slug, token: (await attendeeOf(server, event.slug)).token });
    // Anonymous sockets, each inside its own budget, together spend more than the address's.
    const flooders: Socket[] = await Promise.all(Array.from({ length: 5 }, () => stalledSocket(server.url, `/ws?event=${event.slug}`)));
    const dropped = traffic.overBudgetDropped;
    for (const flooder of flooders) flooder.write(clientFrames(['{"type":"ping"}'], perSocket.burst - 1));
    await eventually(() => traffic.overBudgetDropped - dropped, (closed) => closed >= 2, 20_000, 'the address spent its budget');

    for (const ref of ['sigo', 'aqui']) {
      quiet.send({ type: 'ping', ref, visible_ms: 0 });
      await quiet.waitFor('pong', (pong) => pong.ref === ref, { timeoutMs: 10_000 });
    }
    expect(quiet.isOpen).toBe(true);
    for (const flooder of flooders) flooder.destroy();
    await quiet.close();
  }, 60_000);
});
