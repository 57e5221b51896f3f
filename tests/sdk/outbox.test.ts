import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, type ChatMessage, type HeldChat, type PalcoClient } from '@palco/sdk';
import { startServer, type RunningServer } from '../../packages/backend/src/index.js';
import { adminToken, createStaff } from '../support/accounts.js';
import { api } from '../support/http.js';
import { databaseTargets } from '../support/server.js';
import { useServer } from '../support/fixture.js';

describe.each(databaseTargets)('messages sent while the server restarts, on $name', (target) => {
  let successor: RunningServer | null = null;
  let moderator: PalcoClient;

  const server = useServer(target);
  beforeAll(async () => {
    const admin = await adminToken(server.url);
    await createStaff(server.url, admin, 'demo-fast', { name: 'Marta', email: 'marta@produccionesfast.com', role: 'moderador', password: 'moderadora-1' });
    moderator = createClient({
      baseUrl: server.url,
      event: 'demo-fast',
      WebSocket: WebSocket as never,
      reconnect: { baseMs: 50, maxMs: 200 },
      requestTimeoutMs: 20_000,
    });
    await moderator.login({ email: 'marta@produccionesfast.com', password: 'moderadora-1' });
    await moderator.connect();
  });
  afterAll(async () => {
    moderator?.disconnect();
    await successor?.close();
  });

  it('stores all 60 chat messages a moderator kept sending through a restart, each once', async () => {
    const errors: unknown[] = [];
    moderator.on('error', (error) => void errors.push(error));
    const texts = Array.from({ length: 60 }, (_, n) => `aviso ${n + 1}`);
    const sent: Array<Promise<ChatMessage | HeldChat>> = [];
    const stopped = server.shutdown();
    for (const text of texts.slice(0, 30)) sent.push(moderator.chat(text));
    await stopped;
    for (const text of texts.slice(30)) sent.push(moderator.chat(text));
    successor = await startServer({ ...server.config, port: server.port });

    const stored = await Promise.all(sent);
    expect(stored.map((message) => message.message)).toEqual(texts);
    const history = await api(server.url, '/api/events/demo-fast/chat?limit=200', { token: moderator.token! });
    const kept = (history.body.items as ChatMessage[]).map((message) => message.message);
    expect([...kept].sort()).toEqual([...texts].sort());
    expect(errors).toEqual([]);
  });
});
