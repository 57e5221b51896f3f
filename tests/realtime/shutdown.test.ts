import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../packages/backend/src/db/database.js';
import { api, registerAttendee } from '../support/http.js';
import { databaseTargets, type TestServer } from '../support/server.js';
import { connect, startRealtimeServer } from './support.js';

describe.each(databaseTargets)('health checks and a graceful shutdown on $name', (target) => {
  let server: TestServer | null = null;
  afterEach(async () => {
    await server?.stop();
    server = null;
  });

  it('closes each socket with 1012 after answering every command it carried out, and writes the watch time', async () => {
    server = await startRealtimeServer(target);
    const sockets = await Promise.all(
      [1, 2, 3].map(async () => (await connect(server!, { token: (await registerAttendee(server!.url)).token })).socket),
    );
    const refs = sockets.map((socket, index) => {
      const ref = `antes-de-cerrar-${index}`;
      socket.send({ type: 'chat', message: `mensaje ${index}`, ref });
      return ref;
    });

    expect(await server.shutdown()).toBe(true);

    const acked: string[] = [];
    for (const [index, socket] of sockets.entries()) {
      expect((await socket.closed).code).toBe(1012);
      // The 1012 promise: what was done was acked; anything refused or unanswered was not done.
      const reply = socket.received.find((message) => 'ref' in message && message.ref === refs[index]);
      if (reply?.type === 'ack') acked.push(`mensaje ${index}`);
      else if (reply) expect(reply).toMatchObject({ type: 'error', code: 'service_unavailable' });
    }
    const reopened = await openDatabase(server.config.databaseUrl);
    try {
      const [chat] = await reopened.sequelize.query('SELECT message FROM chat_messages ORDER BY message');
      expect((chat as Array<{ message: string }>).map((row) => row.message)).toEqual(acked.sort());
      const [watched] = await reopened.sequelize.query('SELECT COUNT(*) AS count FROM session_analytics');
      expect(Number((watched as Array<{ count: number }>)[0]!.count)).toBe(3);
    } finally {
      await reopened.close();
    }
  });

  it('answers /healthz while alive and /readyz when the database answers', async () => {
    server = await startRealtimeServer(target);
    const health = await api(server.url, '/healthz');
    expect(health.status).toBe(200);
    expect(health.body).toEqual({ status: 'ok' });
    expect(health.headers.get('cache-control')).toBe('no-store');
    const ready = await api(server.url, '/readyz');
    expect(ready.status).toBe(200);
    expect(ready.body).toEqual({ status: 'ready', checks: { server: 'ok', database: 'ok', redis: 'not_configured' } });
  });
});
