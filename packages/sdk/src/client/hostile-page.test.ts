import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { RegisterInput } from '../protocol/http-schemas.js';
import { ownData, parseOwnJson, writeOwnJson } from '../protocol/own-data.js';
import { errorText } from '../protocol/texts.js';
import { validate } from '../protocol/validate.js';
import { createClient, type PalcoClient } from './create-client.js';
import type { PalcoError } from './errors.js';
import { FakeServer } from './test-support/fake-server.js';

/**
 * A producer's page that changed Object.prototype: plain values and getters that throw, as an
 * old library or a careless polyfill leaves them. Undone before any assertion runs, so the test
 * runner itself never reads them.
 */
async function onPollutedPage<T>(act: () => Promise<T> | T): Promise<T> {
  // Enumerable, as `Object.prototype.type = 'x'` makes them: for…in loops visit these.
  const added: Record<string, PropertyDescriptor> = {
    type: { value: 'x', configurable: true, writable: true, enumerable: true },
    length: { value: 3, configurable: true, writable: true, enumerable: true },
    ref: { value: 1, configurable: true, writable: true, enumerable: true },
    login_url: { value: 'https://evil.example/login', configurable: true, writable: true, enumerable: true },
    phone: { value: 3, configurable: true, writable: true, enumerable: true },
    held: { get: () => { throw new Error('page bug: held'); }, configurable: true },
    consent: { get: () => { throw new Error('page bug: consent'); }, configurable: true },
    fields: { get: () => { throw new Error('page bug: fields'); }, configurable: true },
  };
  for (const [name, descriptor] of Object.entries(added)) Object.defineProperty(Object.prototype, name, descriptor);
  try {
    return await act();
  } finally {
    for (const name of Object.keys(added)) delete (Object.prototype as Record<string, unknown>)[name];
  }
}

let server: FakeServer;
let client: PalcoClient | null = null;

beforeEach(async () => {
  server = await FakeServer.start();
});

afterEach(async () => {
  client?.disconnect();
  client = null;
  await server.close();
});

describe('a page that changed Object.prototype', () => {
  it('still reads parsed JSON as what was sent: nothing inherited, nothing thrown', async () => {
    const parsed = await onPollutedPage(() => {
      const frame = parseOwnJson('{"type":"chat","id":1,"nested":{"a":[{"b":2}]},"__proto__":{"sneaky":true}}') as Record<string, unknown>;
      const nested = frame.nested as Record<string, unknown>;
      return { ref: frame.ref, held: frame.held, nestedType: nested.type, inner: (nested.a as Array<Record<string, unknown>>)[0]!.ref, sneaky: frame.sneaky, keys: Object.keys(frame) };
    });
    expect(parsed).toEqual({ ref: undefined, held: undefined, nestedType: undefined, inner: undefined, sneaky: undefined, keys: ['type', 'id', 'nested', '__proto__'] });
    expect(ownData([1, 'a', null])).toEqual([1, 'a', null]);
  });

  it('reads the dates a page’s JSON.parse revived as Date objects as the text the server wrote', () => {
    const nativeParse = JSON.parse;
    // json.date-extensions' JSON.useDateParser(): every parse turns ISO strings into dates.
    JSON.parse = (text: string) => nativeParse(text, (_key, value: unknown) => (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(value) ? new Date(value) : value));
    let parsed: unknown;
    try {
      parsed = parseOwnJson('[{"type":"chat","id":1,"created_at":"2026-03-01T18:00:00.250Z"},{"type":"chat","id":2,"created_at":"2026-03-01T18:00:01.000Z"}]');
    } finally {
      JSON.parse = nativeParse;
    }
    expect(parsed).toEqual([
      { type: 'chat', id: 1, created_at: '2026-03-01T18:00:00.250Z' },
      { type: 'chat', id: 2, created_at: '2026-03-01T18:00:01.000Z' },
    ]);
  });

  it('writes JSON as JSON.stringify would on a clean page, whatever toJSON the page added', () => {
    const frame = {
      type: 'poll_vote', id: 7, choices: [1, 2], words: ['¿sí?', 'a "b" \\ c\n\t', '🎉', '\ud800'],
      nested: { empty: [], none: null, skipped: undefined, flag: false, ratio: 0.5, infinite: Infinity }, at: new Date(0),
    };
    const clean = JSON.stringify(frame);
    const arrayToJson = Object.getOwnPropertyDescriptor(Array.prototype, 'toJSON');
    // Prototype.js 1.6: arrays and objects write themselves as strings.
    Object.defineProperty(Array.prototype, 'toJSON', { value: function (this: unknown[]) { return `[${this.join(', ')}]`; }, configurable: true, writable: true });
    Object.defineProperty(Object.prototype, 'toJSON', { value: () => 'page', configurable: true, writable: true });
    let written: string;
    try {
      written = writeOwnJson(frame);
    } finally {
      delete (Object.prototype as { toJSON?: unknown }).toJSON;
      if (arrayToJson) Object.defineProperty(Array.prototype, 'toJSON', arrayToJson);
      else delete (Array.prototype as { toJSON?: unknown }).toJSON;
    }
    expect(JSON.parse(written)).toEqual(JSON.parse(clean));
    expect(written).toContain('🎉');
  });

  it('validates a registration with the fields it has, not the page’s', async () => {
    const result = await onPollutedPage(() => validate(RegisterInput, { name: 'Ana Pérez', email: 'ana@empresa.com' }));
    expect(result).toEqual({ ok: true, value: { name: 'Ana Pérez', email: 'ana@empresa.com' } });
  });

  it('connects, takes the welcome and hears an error frame without a ref as an error event', async () => {
    const outcome = await onPollutedPage(async () => {
      client = createClient({ baseUrl: server.baseUrl, event: 'demo', WebSocket, token: 'secret-token', requestTimeoutMs: 2_000 });
      const errors: PalcoError[] = [];
      client.on('error', (error) => void errors.push(error));
      const welcome = await client.connect();
      (await server.connection(0)).send({ type: 'error', code: 'rate_limited', message: 'Espera' });
      while (errors.length === 0) await new Promise((wake) => setTimeout(wake, 10));
      return { held: (welcome as { held?: unknown }).held, name: welcome.user.name, errors };
    });
    expect(outcome.name).toBe('Ana');
    expect(outcome.held).toBeUndefined();
    expect(outcome.errors.map((error) => [error.code, error.fields, error.loginUrl])).toEqual([['rate_limited', undefined, undefined]]);
  });

  it('reads an HTTP error body without taking a login link or fields from the page', async () => {
    const error = await onPollutedPage(async () => {
      client = createClient({ baseUrl: server.baseUrl, event: 'demo', WebSocket, token: 'secret-token' });
      return client.getEvent().catch((failure: PalcoError) => failure);
    });
    expect(error).toMatchObject({ code: 'not_found' });
    expect((error as PalcoError).loginUrl).toBeUndefined();
    expect((error as PalcoError).fields).toBeUndefined();
  });
});

describe('a page that took WebSocket away', () => {
  it.each([
    ['removed', undefined],
    ['replaced with something else', {}],
  ])('rejects connect() with websocket_unavailable when it is %s', async (_how, replacement) => {
    const global = globalThis as { WebSocket?: unknown };
    const original = global.WebSocket;
    global.WebSocket = replacement;
    try {
      client = createClient({ baseUrl: server.baseUrl, event: 'demo', token: 'secret-token', lang: 'en' });
      const failure = await client.connect().then(
        () => null,
        (error: PalcoError) => error,
      );
      expect(failure).toMatchObject({ code: 'websocket_unavailable', message: errorText('websocket_unavailable', 'en') });
      expect(server.connections).toHaveLength(0);
    } finally {
      global.WebSocket = original;
    }
  });
});
