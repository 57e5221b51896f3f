import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, fieldProblemText, type PalcoClient } from '@palco/sdk';
import { api } from '../support/http.js';
import { databaseTargets } from '../support/server.js';
import { useServer } from '../support/fixture.js';

const invisibleOnly = ['\u200B', '\u2060', '\u3164', '\u00AD', ' \u200B\u2060\u3164\u00AD '];

describe.each(databaseTargets)('names, chat and questions people write, on $name', (target) => {
  let attendee: PalcoClient;
  let count = 0;
  const register = (name: string) => {
    count += 1;
    return api(server.url, '/api/events/demo-fast/register', {
      body: { name, email: `texto${count}@produccionesfast.com`, phone: '+34 600 000 000' },
    });
  };

  const server = useServer(target);
  beforeAll(async () => {
    attendee = createClient({ baseUrl: server.url, event: 'demo-fast', WebSocket: WebSocket as never });
    await attendee.register({ name: 'Ana', email: 'ana.texto@produccionesfast.com', phone: '+34 600 111 222' });
    await attendee.connect();
  });
  afterAll(async () => {
    attendee?.disconnect();
  });

  it.each(invisibleOnly.map((name) => [JSON.stringify(name), name]))('refuses to register a name made only of invisible characters: %s', async (_label, name) => {
    const response = await register(name);
    expect(response.status).toBe(422);
    expect(response.body).toMatchObject({ error: 'invalid_input' });
    expect(response.body.fields.name).toBe(fieldProblemText('no_visible_text'));
  });

  it('says in Spanish and English why an invisible name is refused', async () => {
    const response = await register('\u200B');
    expect(response.body.fields.name).toBe('Escribe al menos una letra, cifra o emoji visible.');
    expect(fieldProblemText('no_visible_text', 'en')).toBe('Write at least one visible letter, digit or emoji.');
  });

  it('stores a name without its controls and direction overrides, composed (NFC), emoji sequences whole', async () => {
    const response = await register('Jose\u0301\u202E\u0007 👩\u200D💻\u2066 \u200F');
    expect(response.status).toBe(201);
    expect(response.body.user.name).toBe('José 👩\u200D💻');
  });

  it.each(invisibleOnly.map((text) => [JSON.stringify(text), text]))('refuses a chat message and a question of invisible characters only: %s', async (_label, text) => {
    await expect(attendee.chat(text)).rejects.toMatchObject({ code: 'invalid_input', fields: { message: expect.any(String) } });
    await expect(attendee.ask(text)).rejects.toMatchObject({ code: 'invalid_input', fields: { question: expect.any(String) } });
  });

  it('stores chat in NFC, without invisible ends, and keeps the emoji ZWJ sequences and line breaks inside', async () => {
    const sent = await attendee.chat('\u200BHola, Jose\u0301 👨\u200D👩\u200D👧\n¿qué tal?\u2060 ');
    expect(sent.message).toBe('Hola, José 👨\u200D👩\u200D👧\n¿qué tal?');
  });
});
