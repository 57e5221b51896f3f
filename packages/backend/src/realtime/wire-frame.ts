/**
 * A whole WebSocket text frame as a server sends it (RFC 6455 §5.2: FIN, opcode 1, no mask),
 * header and payload in one buffer. A broadcast is framed once per room flush and the same
 * bytes go to every socket with one write each, instead of ws building a header and writing
 * twice per socket. Only for sockets without compression (perMessageDeflate is off).
 */
export function textFrame(payload: Buffer): Buffer {
  const length = payload.length;
  const headerLength = length < 126 ? 2 : length < 65_536 ? 4 : 10;
  const frame = Buffer.allocUnsafe(headerLength + length);
  frame[0] = 0x81;
  if (length < 126) {
    frame[1] = length;
  } else if (length < 65_536) {
    frame[1] = 126;
    frame.writeUInt16BE(length, 2);
  } else {
    frame[1] = 127;
    frame.writeUInt32BE(Math.floor(length / 2 ** 32), 2);
    frame.writeUInt32BE(length >>> 0, 6);
  }
  payload.copy(frame, headerLength);
  return frame;
}

/** A frame built once for many sockets: the payload, and the whole frame made on first use. */
export class SharedFrame {
  private wire: Buffer | null = null;

  constructor(readonly payload: Buffer) {}

  get framed(): Buffer {
    return (this.wire ??= textFrame(this.payload));
  }
}
