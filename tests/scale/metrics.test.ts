import { describe, expect, it } from 'vitest';
import { api } from '../support/http.js';
import { databaseTargets, type TestServer } from '../support/server.js';
import { attendeeOf, connect, createEvent, startRealtimeServer, useRealtimeServer } from '../realtime/support.js';
import { eventually } from '../support/poll.js';

const sqlite = databaseTargets[0]!;

/** The value of one series in Prometheus' text format (0 when absent). */
function series(text: string, name: string): number {
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${name} `));
  return line ? Number(line.slice(name.length + 1)) : 0;
}

const scrape = async (server: TestServer, token?: string) => {
  const response = await fetch(`${server.url}/metrics`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  return { status: response.status, type: response.headers.get('content-type'), text: await response.text() };
};

describe('GET /metrics in development', () => {
  const server = useRealtimeServer(sqlite);

  it('reports sockets, live events, traffic in and out, and database latency in Prometheus format', async () => {
    const event = await createEvent(server, 'metricas');
    const before = await scrape(server);
    expect(before.status).toBe(200);
    expect(before.type).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(before.text).toContain('# TYPE palco_socket_messages_sent_total counter');
    expect(before.text).toContain('# TYPE palco_db_ping_seconds histogram');
    expect(before.text).toContain('process_resident_memory_bytes');
    // No Redis here: its series are absent rather than zero.
    expect(before.text).not.toContain('palco_redis_ping_seconds');

    const viewers = await Promise.all([0, 1].map(async () => (await connect(server, { event: event.slug, token: (await attendeeOf(server, event.slug)).token })).socket));
    const moderator = (await connect(server, { event: event.slug, token: event.moderator.token })).socket;
    await moderator.ok({ type: 'chat', message: 'hola a todos' });
    await Promise.all(viewers.map((viewer) => viewer.waitFor('chat', (chat) => chat.message === 'hola a todos')));

    const during = await eventually(() => scrape(server), (scraped) => series(scraped.text, 'palco_db_ping_seconds_count') >= 1);
    expect(series(during.text, 'palco_socket_connections')).toBe(3);
    expect(series(during.text, 'palco_events_live')).toBe(1);
    expect(series(during.text, 'palco_socket_messages_received_total') - series(before.text, 'palco_socket_messages_received_total')).toBeGreaterThanOrEqual(1);
    // Three welcomes, the ack, and the chat on each of the three sockets at least.
    const sent = series(during.text, 'palco_socket_messages_sent_total') - series(before.text, 'palco_socket_messages_sent_total');
    expect(sent).toBeGreaterThanOrEqual(7);
    expect(series(during.text, 'palco_socket_frames_sent_total') - series(before.text, 'palco_socket_frames_sent_total')).toBeLessThanOrEqual(sent);
    expect(series(during.text, 'palco_probe_failures_total{target="database"}')).toBe(0);

    await Promise.all([...viewers, moderator].map((socket) => socket.close()));
    const after = await eventually(() => scrape(server), (scraped) => series(scraped.text, 'palco_socket_connections') === 0);
    expect(series(after.text, 'palco_events_live')).toBe(0);
  });
});

describe('GET /metrics access', () => {
  it('takes only the configured bearer token when PALCO_METRICS_TOKEN is set', async () => {
    const server = await startRealtimeServer(sqlite, { metricsToken: 'scrape-token-123' });
    try {
      for (const token of [undefined, 'wrong-token']) {
        const refused = await api(server.url, '/metrics', { token, headers: { 'accept-language': 'en' } });
        expect(refused.status).toBe(401);
        expect(refused.body).toMatchObject({ error: 'not_authenticated', message: expect.any(String) });
      }
      const spanish = await api(server.url, '/metrics');
      expect(spanish.body.message).not.toBe((await api(server.url, '/metrics', { headers: { 'accept-language': 'en' } })).body.message);
      const allowed = await scrape(server, 'scrape-token-123');
      expect(allowed.status).toBe(200);
      expect(allowed.text).toContain('palco_socket_connections');
    } finally {
      await server.stop();
    }
  });

  it('does not exist in production without a token', async () => {
    const server = await startRealtimeServer(sqlite, { production: true, demo: false });
    try {
      const response = await api(server.url, '/metrics');
      expect(response.status).toBe(404);
      expect(response.body).toMatchObject({ error: 'not_found', message: expect.any(String) });
    } finally {
      await server.stop();
    }
  });
});
