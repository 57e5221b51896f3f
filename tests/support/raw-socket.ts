import { randomBytes } from 'node:crypto';
import { connect as tcpConnect, type Socket } from 'node:net';

/**
 * Completes a WebSocket handshake by hand on `path` (e.g. `/ws?event=x&token=y`) and stops
 * reading: a client whose network stalled, or a flooder that never reads its replies.
 */
export async function stalledSocket(serverUrl: string, path: string): Promise<Socket> {
  const { port } = new URL(serverUrl);
  const socket = tcpConnect(Number(port), '127.0.0.1');
  socket.on('error', () => {});
  socket.write(
    [
      `GET ${path} HTTP/1.1`,
      `Host: 127.0.0.1:${port}`,
      'Upgrade: websocket',
      'Connection: Upgrade',
      `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}`,
      'Sec-WebSocket-Version: 13',
      '',
      '',
    ].join('\r\n'),
  );
  await new Promise<void>((resolve, reject) => {
    let head = '';
    const read = (chunk: Buffer) => {
      head += chunk.toString('latin1');
      if (!head.includes('\r\n\r\n')) return;
      socket.pause();
      socket.off('data', read);
      if (head.startsWith('HTTP/1.1 101')) resolve();
      else reject(new Error(`handshake refused: ${head.split('\r\n')[0]}`));
    };
    socket.on('data', read);
  });
  return socket;
}

/**
 * One client frame (a text frame unless `opcode` says otherwise) of up to 65 535 bytes. A
 * client must mask its frames (RFC 6455 §5.3); a zero key leaves the payload as written.
 */
export function clientFrame(payload: string | Buffer, opcode = 0x1): Buffer {
  const bytes = Buffer.from(payload);
  if (bytes.length > 0xffff) throw new Error('payload too long for a two-byte length');
  const length = bytes.length < 126 ? Buffer.from([0x80 | bytes.length]) : Buffer.from([0x80 | 126, bytes.length >> 8, bytes.length & 0xff]);
  return Buffer.concat([Buffer.from([0x80 | opcode]), length, Buffer.alloc(4), bytes]);
}

/** A client's close frame with `code` (1000, a normal close, unless given). */
export function closeFrame(code = 1000): Buffer {
  const body = Buffer.alloc(2);
  body.writeUInt16BE(code);
  return clientFrame(body, 0x8);
}

/** `count` client text frames, cycling through `payloads`, as one buffer. */
export function clientFrames(payloads: string[], count: number): Buffer {
  const encoded = payloads.map((payload) => clientFrame(payload));
  return Buffer.concat(Array.from({ length: count }, (_, index) => encoded[index % encoded.length]!));
}
