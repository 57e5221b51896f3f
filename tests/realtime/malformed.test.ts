import { beforeAll, describe, expect, it } from 'vitest';
import { CloseCode } from '@palco/sdk/protocol';
import { databaseTargets } from '../support/server.js';
import { attendeeOf, connect, createEvent, type TestSocket, useRealtimeServer } from './support.js';

describe.each(databaseTargets)('frames a client should not send, on $name', (target) => {
  let socket: TestSocket;
  let moderator: TestSocket;
  const server = useRealtimeServer(target);
  beforeAll(async () => {
    const event = await createEvent(server, 'malformados');
    const ana = await attendeeOf(server, event.slug);
    socket = (await connect(server, { event: event.slug, token: ana.token })).socket;
    moderator = (await connect(server, { event: event.slug, token: event.moderator.token })).socket;
  });

  /** Sends a raw frame and returns the error it earned; the socket must still work afterwards. */
  const errorFor = async (target: TestSocket, frame: string) => {
    const from = target.received.length;
    target.sendRaw(frame);
    const error = await target.waitFor('error', () => true, { from });
    const pong = target.received.length;
    target.send({ type: 'ping', ref: 'still-there' });
    await target.waitFor('pong', (m) => m.ref === 'still-there', { from: pong });
    return error;
  };

  it.each(['{', 'hola', '{"type":"chat",}', '', '\u0000\u0001'])('answers malformed JSON %j with malformed_json', async (frame) => {
    expect(await errorFor(socket, frame)).toMatchObject({ type: 'error', code: 'malformed_json', message: 'La solicitud no es JSON válido.' });
  });

  it.each(['{"type":"dance"}', '{}', '[]', '42', 'null', '"chat"', '{"type":7}', '{"type":"DELETE_CHAT","id":1}'])(
    'answers %s with unknown_type',
    async (frame) => {
      expect(await errorFor(socket, frame)).toMatchObject({ code: 'unknown_type' });
    },
  );

  it('keeps the ref of a refused frame so the client can match it', async () => {
    expect(await errorFor(socket, '{"type":"teleport","ref":"x1"}')).toMatchObject({ code: 'unknown_type', ref: 'x1' });
    expect(await errorFor(socket, '{"type":"chat","ref":7,"message":""}')).toMatchObject({ code: 'invalid_input', ref: 7 });
  });

  it.each([
    ['an empty message', { type: 'chat', message: '' }, 'message', 'Este campo es obligatorio.'],
    ['a blank message', { type: 'chat', message: '   \n\t ' }, 'message', 'Este campo es obligatorio.'],
    ['a 600-character message', { type: 'chat', message: 'a'.repeat(600) }, 'message', 'Es demasiado largo.'],
    ['no message', { type: 'chat' }, 'message', 'Este campo es obligatorio.'],
    ['a number as message', { type: 'chat', message: 5 }, 'message', 'El valor no es válido.'],
    ['an object as message', { type: 'chat', message: { text: 'hola' } }, 'message', 'El valor no es válido.'],
    ['a 1001-character question', { type: 'ask', question: 'q'.repeat(1001) }, 'question', 'Es demasiado largo.'],
    ['an array as question', { type: 'ask', question: ['¿?'] }, 'question', 'El valor no es válido.'],
    ['a string id', { type: 'approve', id: '3' }, 'id', 'El valor no es válido.'],
    ['a fractional id', { type: 'reject', id: 1.5 }, 'id', 'El valor no es válido.'],
    ['a negative id', { type: 'read', id: -4 }, 'id', 'El valor no es válido.'],
    ['a boolean id', { type: 'upvote', id: true }, 'id', 'El valor no es válido.'],
    ['no id at all', { type: 'delete_chat' }, 'id', 'Este campo es obligatorio.'],
    ['a string highlight', { type: 'highlight', id: 'null' }, 'id', 'El valor no es válido.'],
    ['a string user_id', { type: 'moderate', user_id: '9', flag: 'banned' }, 'user_id', 'El valor no es válido.'],
    ['an unknown flag', { type: 'moderate', user_id: 9, flag: 'muted' }, 'flag', 'Acción de moderación desconocida.'],
    ['a string value', { type: 'moderate', user_id: 9, flag: 'banned', value: 'yes' }, 'value', 'El valor no es válido.'],
    ['a ref object', { type: 'ping', ref: { a: 1 } }, 'ref', 'Referencia no válida.'],
    ['a 65-character ref', { type: 'ping', ref: 'r'.repeat(65) }, 'ref', 'Referencia no válida.'],
    ['a numeric token', { type: 'auth', token: 12 }, 'token', 'El valor no es válido.'],
  ])('answers %s with invalid_input naming the field', async (_label, message, field, text) => {
    const error = await errorFor(moderator, JSON.stringify(message));
    expect(error).toMatchObject({ code: 'invalid_input', fields: { [field]: text } });
  });

  it('stores nothing for a refused message', async () => {
    await errorFor(socket, JSON.stringify({ type: 'chat', message: ' ' }));
    await socket.expectNone('chat', 100);
  });

  it('answers in English on an English socket', async () => {
    const event = await createEvent(server, 'malformados-en');
    const luis = await attendeeOf(server, event.slug);
    const english = (await connect(server, { event: event.slug, token: luis.token, query: { lang: 'en' } })).socket;
    expect(await errorFor(english, JSON.stringify({ type: 'chat', message: 'x'.repeat(501) }))).toMatchObject({
      code: 'invalid_input',
      message: 'Please check the highlighted fields.',
      fields: { message: 'It is too long.' },
    });
    await english.close();
  });

  it('closes with 1009 a frame over 16 KiB, without harm to other sockets', async () => {
    const event = await createEvent(server, 'malformados-grande');
    const luis = await attendeeOf(server, event.slug);
    const big = (await connect(server, { event: event.slug, token: luis.token })).socket;
    big.sendRaw(JSON.stringify({ type: 'chat', message: 'x'.repeat(17 * 1024) }));
    expect((await big.closed).code).toBe(CloseCode.messageTooBig);
    await socket.ok({ type: 'chat', message: 'sigo aquí' });
  });

  it('accepts a binary frame holding JSON like a text frame', async () => {
    socket.sendRaw(Buffer.from(JSON.stringify({ type: 'ping', ref: 'bin' })));
    await socket.waitFor('pong', (m) => m.ref === 'bin');
  });
});
