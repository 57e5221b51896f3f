import { Op, type WhereOptions } from 'sequelize';
import type { AuditAction, AuditChange, AuditEntry, AuditPage, AuditQuery } from '@palco/sdk/protocol';
import { AuditLogRow, UserRow } from '../db/models.js';
import { iso } from './serialize.js';

/*
 * The administrators' audit log (docs/privacy.md "Audit log"): every route that acts for an
 * administrator records through `recordAudit`, so who did what, when and what it changed is
 * written one way. Secrets are never written: only that they changed.
 */

export const secretMark = '[secret]';

export interface AuditRecord {
  /** The administrator; null for Palco's own jobs (retention). */
  actorId: number | null;
  action: AuditAction;
  eventId: number | null;
  targetType: 'event' | 'staff' | 'webhook' | 'participant' | 'report';
  targetId: number | null;
  changes?: Record<string, unknown>;
  at: Date;
}

export async function recordAudit(record: AuditRecord): Promise<void> {
  await AuditLogRow.create({
    actor_id: record.actorId,
    action: record.action,
    event_id: record.eventId,
    target_type: record.targetType,
    target_id: record.targetId,
    changes: JSON.stringify(record.changes ?? {}),
    created_at: record.at,
  });
}

const sameValue = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * The fields that differ between two snapshots of a thing, each with its before and after;
 * `secrets` are named but their values replaced by `[secret]`. Keys only in `after` count as
 * created, only in `before` as removed.
 */
export function changedFields(
  before: Record<string, unknown> | null,
  after: Record<string, unknown> | null,
  secrets: readonly string[] = [],
): Record<string, AuditChange> {
  const changes: Record<string, AuditChange> = {};
  const keys = new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})]);
  for (const key of keys) {
    const old = before?.[key];
    const now = after?.[key];
    if (sameValue(old, now)) continue;
    const hide = (value: unknown) => (value === undefined ? undefined : secrets.includes(key) ? secretMark : value);
    changes[key] = { ...(before ? { before: hide(old) } : {}), ...(after ? { after: hide(now) } : {}) };
  }
  return changes;
}

const defaultPageSize = 50;

/** Newest first, filtered by event, actor, action and time range; `before` pages on. */
export async function auditPage(query: AuditQuery): Promise<AuditPage> {
  const limit = query.limit ?? defaultPageSize;
  const where: WhereOptions<AuditLogRow> = {
    ...(query.event_id !== undefined ? { event_id: query.event_id } : {}),
    ...(query.actor_id !== undefined ? { actor_id: query.actor_id } : {}),
    ...(query.action !== undefined ? { action: query.action } : {}),
    ...(query.before !== undefined ? { id: { [Op.lt]: query.before } } : {}),
    ...(query.from || query.to
      ? { created_at: { ...(query.from ? { [Op.gte]: query.from } : {}), ...(query.to ? { [Op.lte]: query.to } : {}) } }
      : {}),
  };
  const rows = await AuditLogRow.findAll({ where, order: [['id', 'DESC']], limit: limit + 1 });
  const shown = rows.slice(0, limit);
  const actorIds = [...new Set(shown.map((row) => row.actor_id).filter((id): id is number => id !== null))];
  const actors = actorIds.length ? await UserRow.findAll({ attributes: ['id', 'name'], where: { id: actorIds } }) : [];
  const names = new Map(actors.map((actor) => [actor.id, actor.name]));
  return {
    items: shown.map((row): AuditEntry => ({
      id: row.id,
      actor_id: row.actor_id,
      actor_name: row.actor_id === null ? null : (names.get(row.actor_id) ?? null),
      action: row.action,
      event_id: row.event_id,
      target_type: row.target_type,
      target_id: row.target_id,
      changes: JSON.parse(row.changes) as AuditEntry['changes'],
      created_at: iso(row.created_at),
    })),
    has_more: rows.length > limit,
  };
}
