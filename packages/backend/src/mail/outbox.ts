import { Op, QueryTypes, UniqueConstraintError, type Model, type ModelStatic } from 'sequelize';
import {
  EventState,
  MailKind,
  MailStatus,
  Role,
  isTransactionalMail,
  pickLang,
} from '@palco/sdk/protocol';
import type { Config } from '../config.js';
import { Batcher } from '../db/batcher.js';
import { ClaimQueue, retryAt } from '../db/claim-queue.js';
import type { Database } from '../db/database.js';
import { EventRow, MailOutboxRow, UserRow } from '../db/models.js';
import type { Logger } from '../log.js';
import { withLang } from '../pages/render.js';
import { EventLoopLoad, RequestRate } from '../request-rate.js';
import { stateOf } from '../services/serialize.js';
import { mailEvent, type MailContext } from './compose.js';
import type { Mailer } from './mailer.js';
import { OutboxBatches } from './outbox-batches.js';
import { unsubscribeUrl } from './unsubscribe.js';

/** How long before `starts_at` each reminder is due. */
export const reminderLeadMs: Partial<Record<MailKind, number>> = {
  [MailKind.reminder24h]: 24 * 3_600_000,
  [MailKind.reminder1h]: 3_600_000,
};

/**
 * A reminder later than a quarter of its lead (6 h for the 24-hour one, 15 min for the
 * one-hour one) is skipped, not sent: "starts tomorrow" read on the day helps nobody.
 */
const lateness = (leadMs: number) => leadMs / 4;

/** How long a stopping process waits for SMTP conversations under way. */
const closeGraceMs = 5_000;

/** Who of an event's attendees a lifecycle message goes to. */
export type Audience = 'all' | 'watched' | 'missed';

type Verdict = { send: true } | { send: false; skip: string } | { send: false; dueAt: Date };

/**
 * Messages the outbox may have in flight now: `busyConcurrency` while a storm of arrivals
 * (over `busyRequestsPerSecond`) keeps the event loop busy (over `busyEventLoopShare` of its
 * time), so mail yields the CPU to the registrations and joins; `concurrency` otherwise.
 */
export function mailConcurrency(
  settings: Pick<Config['mail'], 'concurrency' | 'busyConcurrency' | 'busyRequestsPerSecond' | 'busyEventLoopShare'>,
  arrivalsPerSecond: number,
  loopShare: number,
): number {
  const storm = arrivalsPerSecond > settings.busyRequestsPerSecond && loopShare > settings.busyEventLoopShare;
  return storm ? settings.busyConcurrency : settings.concurrency;
}

/** `kind:user_id`: each person gets each lifecycle message once, whatever process queues it. */
const dedupeKey = (kind: MailKind, userId: number) => (kind === MailKind.signInLink ? null : `${kind}:${userId}`);

/**
 * Mail someone waits for at the page that asked for it: a sign-in link goes before whatever
 * else is due, such as the confirmations of a registration storm (ClaimQueueOptions.first).
 */
export const urgentMail = { kind: MailKind.signInLink };

interface QueuedMail {
  kind: MailKind;
  user: UserRow;
  sendAfter: Date;
}

/**
 * The email outbox (docs/journey.md "Email"): messages are rows first, claimed and retried by
 * the shared claim queue, rendered only when sent, so a reminder reads the event's schedule
 * as it is then and a sign-in link's token exists only in the message that carries it.
 */
export class MailOutbox {
  private readonly queue: ClaimQueue;
  private readonly inserts = new Batcher<QueuedMail, void>((batch) => this.insert(batch), 200);
  private readonly batches: OutboxBatches;
  private schedulerTimer: NodeJS.Timeout | null = null;
  /** `event:kind:due time` of the reminders this process has queued (a moved start makes a new key). */
  private readonly remindersQueued = new Set<string>();

  constructor(
    private readonly config: Config,
    private readonly db: Database,
    private readonly mailer: Mailer,
    private readonly logger: Logger,
    /** Milliseconds since the epoch; tests move it. */
    private readonly now: () => number,
    /** Arrivals at this process: under a storm of them, mail yields the CPU (MailSettings.busyConcurrency). */
    arrivals: RequestRate = new RequestRate(),
    loop: EventLoopLoad = new EventLoopLoad(),
  ) {
    this.queue = new ClaimQueue({
      model: MailOutboxRow as unknown as ModelStatic<Model>,
      dueColumn: 'send_after',
      concurrency: config.mail.concurrency,
      concurrencyNow: () => mailConcurrency(config.mail, arrivals.perSecond(), loop.utilization()),
      claimTokenColumn: 'claim_token',
      first: urgentMail,
      pollIntervalMs: config.mail.pollIntervalMs,
      claimMs: config.mail.timeoutMs * 3 + 60_000,
      attempt: (id, shutdown) => this.attempt(id, shutdown),
      now,
      logger,
      label: 'mail',
    });
    this.batches = new OutboxBatches(db, now);
  }

  /** Starts sending and scheduling reminders; with PALCO_MAIL=off there is nothing to send. */
  start() {
    if (!this.config.mail.enabled) return;
    this.queue.start();
    if (this.schedulerTimer) return;
    this.schedulerTimer = setInterval(() => void this.tick(), this.config.mail.schedulerIntervalMs);
    this.schedulerTimer.unref();
    void this.tick();
  }

  /**
   * Stops scheduling and sending. An SMTP conversation under way cannot be cut short, so it
   * gets `closeGraceMs` to finish; one still going then is left to its claim, which expires
   * and lets another process (or the next start) send it.
   */
  async close() {
    if (this.schedulerTimer) clearInterval(this.schedulerTimer);
    this.schedulerTimer = null;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.queue.close(), new Promise<void>((resolve) => (timer = setTimeout(resolve, closeGraceMs)))]);
    clearTimeout(timer);
    await this.mailer.close();
  }

  /** Resolves once nothing is being read or sent: tests wait on it after moving the clock. */
  idle(): Promise<void> {
    return this.queue.idle();
  }

  /**
   * Queues one message to one attendee, due now. A lifecycle kind already queued for them
   * is not queued again. Resolves once stored and never rejects: a mail problem must not
   * fail the registration or sign-in that asked for it.
   */
  async send(kind: MailKind, user: UserRow): Promise<void> {
    if (!this.config.mail.enabled) return;
    try {
      await this.inserts.add({ kind, user, sendAfter: new Date(this.now()) });
      this.queue.kick();
    } catch (error) {
      this.logger.error({ err: error, kind, userId: user.id }, 'mail could not be queued');
    }
  }

  /**
   * Queues `kind` for every attendee of the event in `audience` who has not had it and has
   * not unsubscribed, in one INSERT … SELECT; resolves with how many were queued, or null
   * when the database refused (logged), and never rejects. Run by two processes at once, the
   * unique (kind, person) key keeps one copy.
   */
  async queueForAttendees(event: EventRow, kind: MailKind, audience: Audience = 'all'): Promise<number | null> {
    if (!this.config.mail.enabled) return 0;
    try {
      const queued = await this.insertForAttendees(event.id, kind, audience).catch((error: unknown) => {
        // Another process queued the same people between our check and our insert: once more finds the rest.
        if (error instanceof UniqueConstraintError) return this.insertForAttendees(event.id, kind, audience);
        throw error;
      });
      if (queued > 0) this.queue.kick();
      return queued;
    } catch (error) {
      this.logger.error({ err: error, kind, eventId: event.id }, 'mail could not be queued');
      return null;
    }
  }

  /**
   * Queues the reminders that are due: for each open event not yet live whose start is at
   * most a day ahead, each reminder between its time and its lateness limit. Nothing is
   * stored ahead of time, so moving `starts_at` moves the reminders with it, and one that
   * would now be overdue is never queued.
   */
  async tick(): Promise<void> {
    const now = this.now();
    try {
      // Only events whose start is within the longest lead: a reminder of any other is not due.
      const longestLeadMs = Math.max(...Object.values(reminderLeadMs));
      const upcoming = await EventRow.findAll({
        where: { is_active: true, live_at: null, starts_at: { [Op.gt]: new Date(now), [Op.lte]: new Date(now + longestLeadMs) } },
        attributes: ['id', 'starts_at'],
      });
      for (const event of upcoming) {
        if (!event.starts_at) continue;
        for (const [kind, leadMs] of Object.entries(reminderLeadMs) as Array<[MailKind, number]>) {
          const dueAt = event.starts_at.getTime() - leadMs;
          // Once a process queued a reminder for an event's start, it does not scan the attendees again each minute.
          const key = `${event.id}:${kind}:${dueAt}`;
          if (now < dueAt || now > dueAt + lateness(leadMs) || this.remindersQueued.has(key)) continue;
          if ((await this.queueForAttendees(event, kind)) !== null) this.remindersQueued.add(key);
        }
      }
    } catch (error) {
      this.logger.error({ err: error }, 'mail reminders could not be scheduled');
    }
  }

  private async insert(batch: QueuedMail[]): Promise<PromiseSettledResult<void>[]> {
    const rows = batch.map(({ kind, user, sendAfter }) => ({
      kind,
      recipient: user.email,
      user_id: user.id,
      event_id: user.event_id!,
      send_after: sendAfter,
      dedupe_key: dedupeKey(kind, user.id),
    }));
    try {
      await MailOutboxRow.bulkCreate(rows);
      return rows.map(() => ({ status: 'fulfilled', value: undefined }));
    } catch (error) {
      if (!(error instanceof UniqueConstraintError)) throw error;
      // One of them was queued before: insert each alone, and a duplicate is simply done.
      return Promise.all(
        rows.map(async (row) => {
          try {
            await MailOutboxRow.create(row);
          } catch (single) {
            if (!(single instanceof UniqueConstraintError)) return { status: 'rejected', reason: single } as const;
          }
          return { status: 'fulfilled', value: undefined } as const;
        }),
      );
    }
  }

  private async insertForAttendees(eventId: number, kind: MailKind, audience: Audience): Promise<number> {
    const key = this.db.dialect === 'mysql' ? "CONCAT(:kind, ':', u.id)" : "(:kind || ':' || u.id)";
    const watched = 'EXISTS (SELECT 1 FROM session_analytics s WHERE s.user_id = u.id AND s.event_id = u.event_id)';
    const filter = audience === 'watched' ? `AND ${watched}` : audience === 'missed' ? `AND NOT ${watched}` : '';
    const now = new Date(this.now());
    const [, affected] = await this.db.sequelize.query(
      `INSERT INTO mail_outbox (kind, recipient, user_id, event_id, status, attempts, send_after, dedupe_key, created_at)
       SELECT :kind, u.email, u.id, u.event_id, :pending, 0, :now, ${key}, :now
       FROM users u
       WHERE u.event_id = :eventId AND u.role = :attendee AND u.banned = 0 AND u.unsubscribed_at IS NULL ${filter}
         AND NOT EXISTS (SELECT 1 FROM mail_outbox m WHERE m.dedupe_key = ${key})`,
      {
        replacements: { kind, pending: MailStatus.pending, now, eventId, attendee: Role.attendee },
        type: QueryTypes.INSERT,
      },
    );
    return Number(affected) || 0;
  }

  /** Whether a claimed message still makes sense now, and when a moved reminder is due instead. */
  private judge(row: MailOutboxRow, event: EventRow, user: UserRow, now: number): Verdict {
    if (user.banned) return { send: false, skip: 'attendee banned' };
    if (!isTransactionalMail(row.kind) && user.unsubscribed_at) return { send: false, skip: 'unsubscribed' };
    const leadMs = reminderLeadMs[row.kind];
    if (leadMs !== undefined) {
      if (!event.starts_at || stateOf(event, now) !== EventState.scheduled) return { send: false, skip: 'event no longer scheduled' };
      const dueAt = event.starts_at.getTime() - leadMs;
      if (now < dueAt) return { send: false, dueAt: new Date(dueAt) };
      if (now > dueAt + lateness(leadMs)) return { send: false, skip: 'overdue' };
    }
    if (row.kind === MailKind.live && stateOf(event, now) !== EventState.live) return { send: false, skip: 'event no longer live' };
    return { send: true };
  }

  private async attempt(id: number, shutdown: AbortSignal) {
    const loaded = await this.batches.load.add(id);
    if (!loaded) return;
    const { row, event, user } = loaded;
    const now = this.now();
    if (shutdown.aborted) {
      await row.update({ status: MailStatus.pending, send_after: new Date(now) });
      return;
    }
    const verdict: Verdict = !event || !user ? { send: false, skip: 'registration gone' } : this.judge(row, event, user, now);
    if (!verdict.send) {
      await row.update(
        'dueAt' in verdict
          ? { status: MailStatus.pending, send_after: verdict.dueAt }
          : { status: MailStatus.skipped, last_error: verdict.skip },
      );
      return;
    }
    let sent;
    try {
      sent = await this.mailer.send(await this.context(row, event!, user!), `${row.id}-${row.kind}`);
    } catch (error) {
      const attempts = row.attempts + 1;
      const retry = retryAt(attempts, this.config.mail.retryDelaysMs, this.now());
      this.logger.warn({ err: describeSendError(error), mailId: row.id, attempts }, 'mail not sent');
      await row.update({
        status: retry === null ? MailStatus.failed : MailStatus.pending,
        attempts,
        last_error: describeSendError(error),
        send_after: retry ?? new Date(this.now()),
      });
      return;
    }
    // Out of the try: a message that left is never marked for another attempt. Should this
    // write fail, the claim expires and the message is sent again then (at least once).
    await this.batches.markSent.add({ id: row.id, payload: JSON.stringify({ message_id: sent.messageId, response: sent.response }) });
  }

  /** What the mail worker renders the message from. */
  private async context(row: MailOutboxRow, event: EventRow, user: UserRow): Promise<MailContext> {
    const { publicUrl, secret } = this.config;
    const transactional = isTransactionalMail(row.kind);
    // A fresh token per attempt: only the message that carries it ever holds it.
    // A waitlisted attendee has no session to open yet: their button leads to the event's page.
    // The page it opens speaks the language the message is written in, whatever the browser prefers.
    const actionPath =
      row.kind === MailKind.waitlisted
        ? `/e/${event.slug}`
        : transactional
          ? `/e/${event.slug}/auth?token=${await this.batches.signInToken.add(user)}`
          : `/e/${event.slug}/watch`;
    const actionUrl = `${publicUrl}${withLang(actionPath, pickLang(user.lang))}`;
    return {
      kind: row.kind,
      event: mailEvent(event),
      recipient: { name: user.name, email: row.recipient, lang: user.lang },
      publicUrl,
      actionUrl,
      unsubscribeUrl: transactional ? null : unsubscribeUrl(publicUrl, secret, event.slug, user.id),
    };
  }
}

/** The SMTP server's answer when there was one ("550 5.1.1 …"), else the error. */
function describeSendError(error: unknown): string {
  const smtp = error as { responseCode?: number; response?: string; code?: string; message?: string };
  return (smtp.response ?? `${smtp.code ? `${smtp.code}: ` : ''}${smtp.message ?? String(error)}`).slice(0, 500);
}
