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
 * `count` client text frames, cycling through `payloads` (each under 126 bytes), as one buffer.
 * A client must mask its frames (RFC 6455 §5.3); a zero key leaves the payload as written.
 */
export function clientFrames(payloads: string[], count: number): Buffer {
  const encoded = payloads.map((payload) => {
    const bytes = Buffer.from(payload);
    if (bytes.length > 125) throw new Error('payload too long for a one-byte length');
    return Buffer.concat([Buffer.from([0x81, 0x80 | bytes.length, 0, 0, 0, 0]), bytes]);
  });
  return Buffer.concat(Array.from({ length: count }, (_, index) => encoded[index % encoded.length]!));
}
