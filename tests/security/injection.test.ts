import { beforeAll, describe, expect, it } from 'vitest';
import { cleanName, cleanText, type ChatMessage, type Question } from '@palco/sdk/protocol';
import { api } from '../support/http.js';
import { databaseTargets } from '../support/server.js';
import { connect, createEvent, useRealtimeServer } from '../realtime/support.js';

/** Text a careless query would break on, and text a careless column or driver would mangle. */
const hostile = {
  sql: `Robert'); DROP TABLE users;-- " \\' \\" %_ \`x\` $1 ?`,
  boolean: `' OR '1'='1' /* OR 1=1 -- */`,
  emoji: 'Ana 🎉👩🏽‍💻🇪🇸 𝔘𝔫𝔦',
  rtl: 'مرحبا ‮nimda‬ עברית',
  nul: 'antes\u0000después',
  combining: 'e\u0301 Z̴̡͈a̷l̶g̵o̷ n\u0303',
  invisible: 'zero\u200bwidth\ufeffbom\u2028line',
};
const samples = Object.entries(hostile);

describe.each(databaseTargets)('SQL metacharacters and unicode in every field on $name', (target) => {
  let event: Awaited<ReturnType<typeof createEvent>>;

  const server = useRealtimeServer(target);
  beforeAll(async () => {
    event = await createEvent(server, 'inyeccion');
  });

  // Names and texts people write are stored as the protocol cleans them (NFC; names without
  // controls or direction overrides, see docs/protocol.md), and then returned byte-exact.
  it.each(samples)('SQL metacharacters and unicode (%s) in an attendee name: stored clean and returned byte-exact', async (kind, text) => {
    const email = `${kind}.o-brien+x_y@palco.test`;
    const name = cleanName(text);
    const written = cleanText(text);
    const registered = await api(server.url, `/api/events/${event.slug}/register`, { body: { name: text, email, phone: '+34 (600) 000-000' } });
    expect(registered.status).toBe(201);
    const me = await api(server.url, '/api/me', { token: registered.body.token });
    expect(me.body.user).toMatchObject({ name, email });
    const { socket, welcome } = await connect(server, { event: event.slug, token: registered.body.token });
    expect(welcome.user.name).toBe(name);

    const chat = (await socket.ok({ type: 'chat', message: text })).data as ChatMessage;
    const question = (await socket.ok({ type: 'ask', question: text })).data as Question;
    const history = await api(server.url, `/api/events/${event.slug}/chat?limit=200`, { token: registered.body.token });
    expect(history.body.items.find((item: ChatMessage) => item.id === chat.id)).toMatchObject({ message: written, user_name: name });
    const pending = await api(server.url, `/api/events/${event.slug}/questions?limit=200`, { token: event.moderator.token });
    expect(pending.body.items.find((item: Question) => item.id === question.id)).toMatchObject({ question: written, user_name: name });
    await socket.close();
  });

  it.each(samples)('SQL metacharacters and unicode (%s) in event and staff fields: stored (names clean) and returned byte-exact', async (kind, text) => {
    const slug = `evento-${kind}`;
    const created = await api(server.url, '/api/admin/events', {
      token: event.admin,
      body: { slug, title: text, access_code: `${text}-codigo`, sign_in: 'access_code', logo_url: `https://cdn.example/${encodeURIComponent(text)}.png` },
    });
    expect(created.status).toBe(201);
    expect((await api(server.url, `/api/events/${slug}`)).body).toMatchObject({ title: text, logo_url: `https://cdn.example/${encodeURIComponent(text)}.png` });

    const staff = await api(server.url, `/api/admin/events/${created.body.id}/staff`, {
      token: event.admin,
      body: { name: text, email: `staff@${kind}.test`, role: 'moderador', password: `${text}-clave` },
    });
    expect(staff.status).toBe(201);
    const listed = await api(server.url, `/api/admin/events/${created.body.id}/staff`, { token: event.admin });
    expect(listed.body[0].name).toBe(cleanName(text));
    // Passwords and access codes are hashed whole: the exact bytes sign in, a near miss does not.
    expect((await api(server.url, `/api/events/${slug}/login`, { body: { email: `staff@${kind}.test`, password: `${text}-clave` } })).status).toBe(200);
    const attendee = await api(server.url, `/api/events/${slug}/register`, { body: { name: 'Ana', email: `ana@${kind}.test`, phone: '600000000' } });
    expect((await api(server.url, `/api/events/${slug}/login`, { body: { email: `ana@${kind}.test`, password: `${text}-codigo` } })).status).toBe(200);
    expect((await api(server.url, `/api/events/${slug}/login`, { body: { email: `ana@${kind}.test`, password: `${text}-codigo `.trim() + 'x' } })).status).toBe(401);
    expect(attendee.status).toBe(201);
  });

  it('SQL metacharacters in sign-in fields, paths and query strings: refused with a 4xx, never a 500', async () => {
    const probes: Array<[string, Parameters<typeof api>[2]]> = [
      [`/api/events/${event.slug}/login`, { body: { email: "x' OR '1'='1@palco.test", password: "' OR '1'='1" } }],
      [`/api/events/${event.slug}/login`, { body: { email: `mod@${event.slug}.test' --`, password: 'x' } }],
      [`/api/events/${event.slug}/register`, { body: { name: 'Ana', email: 'ana@palco.test', phone: "600'; DROP TABLE users;--" } }],
      [`/api/events/${encodeURIComponent("inyeccion' OR '1'='1")}`, {}],
      [`/api/events/${event.slug}/chat?after=${encodeURIComponent('1 OR 1=1')}`, { token: event.moderator.token }],
      [`/api/events/${event.slug}/chat?limit=${encodeURIComponent('1; DROP TABLE chat_messages')}`, { token: event.moderator.token }],
      [`/api/events/${event.slug}/questions?after=${encodeURIComponent("0' OR '1'='1")}`, { token: event.moderator.token }],
      [`/api/admin/events/${encodeURIComponent('1 OR 1=1')}`, { token: event.admin }],
      [`/e/${encodeURIComponent("x'--")}/login?email=${encodeURIComponent("' OR 1=1 --")}`, {}],
    ];
    for (const [path, init] of probes) {
      const response = await api(server.url, path, init);
      expect([path, response.status >= 400 && response.status < 500 ? '4xx' : response.status]).toEqual([path, '4xx']);
    }
    expect((await api(server.url, `/api/events/${event.slug}/chat`, { token: event.moderator.token })).status).toBe(200);
  });

  it('unpaired UTF-16 surrogates in a name: refused or stored as sent, never a 500', async () => {
    const response = await api(server.url, `/api/events/${event.slug}/register`, {
      rawBody: '{"name":"mitad \\ud83d sola","email":"surrogate@palco.test","phone":"600000000"}',
    });
    expect(response.status).toBeLessThan(500);
  });
});
