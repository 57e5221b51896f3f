import { AuditAction } from '@palco/sdk/protocol';
import type { AppDeps } from '../context.js';
import { recordAudit } from './audit.js';
import { eraseExpiredEvents } from './personal-data.js';

/** How often a process looks for events whose retention ran out: an hour, as retention counts in days. */
export const retentionCheckIntervalMs = 60 * 60 * 1000;

/**
 * Erases the attendees of events closed longer ago than their `retention_days`, by the clock
 * `deps.now`, and records each event's erasure in the audit log with no actor. Safe to run on
 * every process at once: each event is claimed in the database by one of them.
 */
export async function runRetention(deps: Pick<AppDeps, 'db' | 'now'>): Promise<number> {
  const at = new Date(deps.now());
  const done = await eraseExpiredEvents(deps.db, at);
  for (const { eventId, erased } of done) {
    await recordAudit({
      actorId: null,
      action: AuditAction.personErasedByRetention,
      eventId,
      targetType: 'event',
      targetId: eventId,
      changes: { count: erased },
      at,
    });
  }
  return done.reduce((total, event) => total + event.erased, 0);
}

/** Runs `runRetention` every `intervalMs` until stopped; a failed run is logged and tried again next time. */
export function startRetention(deps: Pick<AppDeps, 'db' | 'now' | 'logger'>, intervalMs = retentionCheckIntervalMs): () => void {
  const timer = setInterval(() => {
    runRetention(deps).catch((error: unknown) => deps.logger.warn({ err: error }, 'retention run failed'));
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
