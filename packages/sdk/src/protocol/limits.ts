/** Sizes shared by the schemas, the server and the widgets' input fields. */
export const Limits = {
  nameMax: 120,
  emailMax: 254,
  phoneMax: 40,
  passwordMin: 8,
  passwordMax: 200,
  chatMax: 500,
  questionMax: 1000,
  titleMax: 200,
  descriptionMax: 5000,
  urlMax: 2000,
  /** A client id (`cid`) of a chat message or question: 8–64 of A–Z, a–z, 0–9, _ and -. */
  clientIdMin: 8,
  clientIdMax: 64,
  clientIdPattern: /^[A-Za-z0-9_-]+$/,
  slugPattern: /^[a-z0-9][a-z0-9-]{1,62}$/,
  historyPageMax: 200,
  /** Rows per page of a report table, and the longest search text. */
  reportPageMax: 500,
  reportSearchMax: 200,
  welcomeChatCount: 50,
  /**
   * An event's own blocked words: at most 1000 entries of 1–50 characters, enough for a
   * brand's list and small enough to compile in milliseconds (scripts/bench/word-filter.mjs
   * measures the matching).
   */
  blockedWordsMax: 1000,
  blockedWordMax: 50,
  /** A timeout (`moderate` with `duration_s`): a minute to a day, in seconds. */
  timeoutMinSeconds: 60,
  timeoutMaxSeconds: 86_400,
  /** The timeouts the moderator queue offers, in minutes. */
  timeoutChoicesMinutes: [1, 5, 10, 60],
  /** The reason given for a moderation action, shown to the person concerned. */
  reasonMax: 200,
  /** A moderator's typed answer to a question. */
  answerMax: 2000,
  /** A question's label (topic). */
  labelMax: 40,
  /** How long `begin_edit` keeps a question for one moderator, in seconds. */
  editLeaseSeconds: 60,
  /** Questions one `approve_all` may name. */
  approveAllMax: 200,
  /** Largest socket frame a client may send, in bytes. */
  maxFrameBytes: 16 * 1024,
  /** Frames one socket message may be cut into (RFC 6455 §5.4 fragments); past it, close 1008. */
  maxMessageFragments: 4,
  /** Largest HTTP JSON body, in bytes. */
  maxBodyBytes: 64 * 1024,
  heartbeatIntervalMs: 60_000,
  /**
   * Webhooks per event. Each registration writes one delivery row per subscribed webhook, so
   * the cap bounds that fan-out; producers relay to more systems from one receiver of theirs.
   */
  webhooksPerEvent: 20,
  /** The most visible time one `ping` may claim (a day): the server caps it far lower anyway. */
  visibleMsMax: 86_400_000,
} as const;
