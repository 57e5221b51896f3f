import * as v from 'valibot';

/** What the audit log records: every administrator action (docs/privacy.md, "Audit log"). */
export const AuditAction = {
  eventCreated: 'event_created',
  eventChanged: 'event_changed',
  eventOpened: 'event_opened',
  eventClosed: 'event_closed',
  staffAdded: 'staff_added',
  staffChanged: 'staff_changed',
  staffPasswordReset: 'staff_password_reset',
  staffRemoved: 'staff_removed',
  webhookAdded: 'webhook_added',
  webhookChanged: 'webhook_changed',
  webhookRemoved: 'webhook_removed',
  webhookRedelivered: 'webhook_redelivered',
  /** A report downloaded: `changes.export` names it (participants.csv, chat.xlsx, …). */
  reportExported: 'report_exported',
  personExported: 'person_exported',
  personErased: 'person_erased',
  /** Erased by the event's `retention_days`, with no administrator behind it (actor null). */
  personErasedByRetention: 'person_erased_by_retention',
  waitlistAdmitted: 'waitlist_admitted',
} as const;
export type AuditAction = (typeof AuditAction)[keyof typeof AuditAction];
export const auditActions = Object.values(AuditAction) as [AuditAction, ...AuditAction[]];

/** A changed field: its value before and after. Secrets and hashes appear as `"[secret]"`. */
export interface AuditChange {
  before?: unknown;
  after?: unknown;
}

/** One entry of the audit log (GET /api/admin/audit). */
export interface AuditEntry {
  id: number;
  /** The administrator who acted; null for Palco's own jobs (retention). */
  actor_id: number | null;
  actor_name: string | null;
  action: AuditAction;
  event_id: number | null;
  /** What was acted upon: `event`, `staff`, `webhook`, `participant`, `report`. */
  target_type: string;
  target_id: number | null;
  /** Field → before/after; or other facts of the action (`export`, `count`). */
  changes: Record<string, AuditChange | unknown>;
  /** ISO 8601, UTC. */
  created_at: string;
}

/** `before` = the last id of the previous page: entries come newest first. */
export interface AuditPage {
  items: AuditEntry[];
  has_more: boolean;
}

const idText = v.pipe(v.string('invalid_type'), v.regex(/^\d{1,15}$/, 'invalid_type'), v.transform(Number));
const instant = v.pipe(
  v.string('invalid_type'),
  v.check((text) => !Number.isNaN(Date.parse(text)), 'invalid_date'),
  v.transform((text) => new Date(text)),
);

/** GET /api/admin/audit?event_id=&actor_id=&action=&from=&to=&before=&limit= */
export const AuditQuery = v.object({
  event_id: v.optional(idText),
  actor_id: v.optional(idText),
  action: v.optional(v.picklist(auditActions, 'invalid_action')),
  /** ISO 8601 instants, inclusive. */
  from: v.optional(instant),
  to: v.optional(instant),
  before: v.optional(idText),
  limit: v.optional(v.pipe(v.string('invalid_type'), v.regex(/^\d{1,3}$/, 'invalid_type'), v.transform(Number), v.minValue(1, 'too_small'), v.maxValue(200, 'too_large'))),
});
export type AuditQuery = v.InferOutput<typeof AuditQuery>;
