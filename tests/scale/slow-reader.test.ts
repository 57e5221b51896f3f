import { describe, expect, it } from 'vitest';
import { traffic } from '../../packages/backend/src/realtime/traffic.js';
import { databaseTargets } from '../support/server.js';
import { attendeeOf, connect, createEvent, type TestSocket, useRealtimeServer } from '../realtime/support.js';
import { eventually } from '../support/poll.js';
import { stalledSocket } from '../support/raw-socket.js';

const sqlite = databaseTargets[0]!;
/** A small cap, so the flood that passes it (plus what the kernel buffers take) stays short. */
const cap = 256 * 1024;
/** 500 three-byte characters: about 1.5 KiB a message on the wire. */
const text = '€'.repeat(500);
const batch = 30;

describe('a slow reader', () => {
  const server = useRealtimeServer(sqlite, { maxBufferedBytes: cap });

  it('is dropped once over the cap, its buffer stays bounded, and every other viewer gets every message', async () => {
    const event = await createEvent(server, 'lector-lento');
    const readers: TestSocket[] = [];
    for (let n = 0; n < 3; n += 1) readers.push((await connect(server, { event: event.slug, token: (await attendeeOf(server, event.slug)).token })).socket);
    const moderator = (await connect(server, { event: event.slug, token: event.moderator.token })).socket;
    const speaker = (await connect(server, { event: event.slug, token: event.speaker.token })).socket;
    const stalled = await stalledSocket(server.url, `/ws?event=${event.slug}&token=${encodeURIComponent((await attendeeOf(server, event.slug)).token)}`);
    await eventually(() => server.hub.viewersNow(event.id), (viewers) => viewers === 4);

    let largest = 0;
    const sampler = setInterval(() => {
      largest = Math.max(largest, server.hub.bufferedBytes.largest);
    }, 2);
    const droppedBefore = traffic.slowReadersDropped;
    const sent: number[] = [];
    try {
      // Staff are not rate limited: they flood until the stalled client is dropped, then a little more.
      let extraBatches = 3;
      while (extraBatches > 0 && sent.length < 30_000) {
        const acks = await Promise.all([moderator, speaker].flatMap((staff) => Array.from({ length: batch }, () => staff.ok({ type: 'chat', message: text }))));
        sent.push(...acks.map((ack) => ack.id!));
        if (traffic.slowReadersDropped > droppedBefore) extraBatches -= 1;
      }
    } finally {
      clearInterval(sampler);
    }

    expect(traffic.slowReadersDropped - droppedBefore).toBe(1);
    // Gone from the server (1013, then destroyed after a short grace), its bytes freed.
    await eventually(() => server.hub.openSockets, (open) => open === readers.length + 2, 10_000);
    await eventually(() => server.hub.bufferedBytes.total, (total) => total < 64 * 1024, 10_000);
    expect(server.hub.viewersNow(event.id)).toBe(3);
    // Never more than the cap plus the one frame that crossed it, though each reader got far more.
    expect(largest).toBeGreaterThan(cap);
    expect(largest).toBeLessThan(cap + 128 * 1024);
    expect(sent.length * Buffer.byteLength(text)).toBeGreaterThan(8 * cap);

    for (const reader of [...readers, moderator, speaker]) {
      await reader.waitFor('chat', (chat) => chat.id === sent.at(-1), { timeoutMs: 10_000 });
      // Two senders: the order between their messages is the server's, so compare as sets.
      const received = reader.all('chat').map((chat) => chat.id).sort((x, y) => x - y);
      expect(received).toEqual([...sent].sort((x, y) => x - y));
    }
    stalled.destroy();
    await Promise.all([...readers, moderator, speaker].map((socket) => socket.close()));
    // The flood is a few thousand stored messages: on a busy machine that takes a while.
  }, 120_000);
});
