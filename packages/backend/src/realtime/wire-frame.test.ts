import { describe, expect, it } from 'vitest';
import { EventEmitter } from 'node:events';
import * as ws from 'ws';
import { SharedFrame, textFrame } from './wire-frame.js';

/** ws's own framing and parsing, which its typings leave out. */
const { Sender, Receiver } = ws as unknown as {
  Sender: { frame(data: Buffer, options: Record<string, unknown>): Buffer[] };
  Receiver: new (options: { isServer: boolean }) => EventEmitter & { write(chunk: Buffer): void };
};

/** What ws itself writes for an unmasked text message: its header, then the payload. */
function wsFrame(payload: Buffer): Buffer {
  const parts = Sender.frame(payload, { fin: true, opcode: 1, mask: false, readOnly: false, rsv1: false }) 
  return Buffer.concat(parts);
}

describe('textFrame', () => {
  for (const size of [0, 1, 125, 126, 127, 65_535, 65_536, 70_000]) {
    it(`builds the same bytes as ws for a payload of ${size} bytes`, () => {
      const payload = Buffer.alloc(size, 'a');
      expect(textFrame(payload).equals(wsFrame(payload))).toBe(true);
    });
  }

  it('is read back by a ws client as the same text message', async () => {
    const receiver = new Receiver({ isServer: false });
    const text = JSON.stringify({ type: 'chat', message: 'hola ñandú '.repeat(30) });
    const heard = new Promise<string>((resolve) => receiver.on('message', (data: Buffer, isBinary: boolean) => resolve(`${isBinary}:${data.toString()}`)));
    receiver.write(textFrame(Buffer.from(text)));
    expect(await heard).toBe(`false:${text}`);
  });
});

describe('SharedFrame', () => {
  it('frames its payload once, however many sockets ask', () => {
    const shared = new SharedFrame(Buffer.from('{"type":"viewers","count":3}'));
    expect(shared.framed).toBe(shared.framed);
    expect(shared.framed.subarray(2).toString()).toBe('{"type":"viewers","count":3}');
  });
});
