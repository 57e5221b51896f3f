/**
 * Socket traffic of this process since it started, for /metrics. Plain additions, because
 * they sit on the fan-out path that writes a frame to every socket of an event; the
 * metrics registry reads them when it is scraped.
 */
export const traffic = {
  /** Client messages received by admitted sockets (one per frame). */
  messagesIn: 0,
  /** Frames written to sockets, and the messages they held (a coalesced frame holds several). */
  framesOut: 0,
  messagesOut: 0,
  /** Sockets closed with 1013 because they stopped reading. */
  slowReadersDropped: 0,
};
