/**
 * Socket traffic of this process since it started, for /metrics. Plain additions, because
 * they sit on the fan-out path that writes a frame to every socket of an event; the
 * metrics registry reads them when it is scraped.
 */
export const traffic = {
  /** Client messages received by admitted sockets (one per frame). */
  messagesIn: 0,
  /**
   * Client frames read and handled, admitted or not, up to the one that spent a budget;
   * frames that arrive after the server gave up on a socket are discarded uncounted.
   */
  framesIn: 0,
  /** Sockets closed with 1008 because they spent their frame budget. */
  overBudgetDropped: 0,
  /** Frames written to sockets, and the messages they held (a coalesced frame holds several). */
  framesOut: 0,
  messagesOut: 0,
  /** Sockets closed with 1013 because they stopped reading (broadcasts or their own replies). */
  slowReadersDropped: 0,
};
