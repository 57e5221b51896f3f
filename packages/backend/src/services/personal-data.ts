import { rm } from 'node:fs/promises';
import { Op, type Transaction } from 'sequelize';
import { ErrorCode, MailStatus, ModerationLogAction, Role, WebhookTopic, type AuditChange, type PersonExport } from '@palco/sdk/protocol';
import type { Database } from '../db/database.js';
import {
  AuditLogRow,
  ChatMessageRow,
  EventRow,
  HeldChatRow,
  MailOutboxRow,
  ModerationActionRow,
  PollVoteRow,
  QuestionRow,
  QuestionVoteRow,
  SessionAnalyticsRow,
  UserRow,
  WebhookDeliveryRow,
  WebhookRow,
} from '../db/models.js';
import { AppError } from '../errors.js';
import { fieldValuesOf, iso, isoOrNull, toChatMessage, toQuestion } from './serialize.js';

/*
 * A person's data (docs/privacy.md): everything Palco holds about one person of an event, as
 * one JSON document, and its erasure. Erasing replaces what names or describes the person
 * with placeholders that keep the unique keys valid, and leaves the counts (registrations,
 * votes, watch time, questions by status) as they were.
 */

/** The placeholders an erased person's row and texts take. */
export const erased = {
  name: (userId: number) => `erased-${userId}`,
  email: (userId: number) => `erased-${userId}@invalid`,
  text: '[erased]',
} as const;

/** The person of `eventId` with id `userId` (an attendee or a member of its staff), or 404. */
export async function personOf(eventId: number, userId: number): Promise<UserRow> {
  const user = await UserRow.findOne({ where: { id: userId, event_id: eventId } });
  if (!user) throw new AppError(404, ErrorCode.notFound);
  return user;
}

/** Everything Palco holds about one person of an event. */
export async function exportPerson(user: UserRow): Promise<PersonExport> {
  const [chat, questions, votes, watch, mail] = await Promise.all([
    ChatMessageRow.findAll({ where: { user_id: user.id }, order: [['id', 'ASC']] }),
    QuestionRow.findAll({ where: { user_id: user.id }, order: [['id', 'ASC']] }),
    QuestionVoteRow.findAll({ where: { user_id: user.id }, order: [['id', 'ASC']] }),
    SessionAnalyticsRow.findOne({ where: { user_id: user.id } }),
    MailOutboxRow.findAll({ where: { user_id: user.id }, order: [['id', 'ASC']] }),
  ]);
  return {
    registration: {
      id: user.id,
      event_id: user.event_id,
      name: user.name,
      email: user.email,
      phone: user.phone,
      role: user.role,
      status: user.status,
      registered_at: iso(user.created_at),
      erased_at: isoOrNull(user.erased_at ?? null),
      flags: { chat_blocked: Boolean(user.chat_blocked), qa_blocked: Boolean(user.qa_blocked), banned: Boolean(user.banned) },
    },
    fields: fieldValuesOf(user),
    consent: { at: isoOrNull(user.consent_at ?? null), version: user.consent_version ?? null, ip: user.consent_ip ?? null },
    chat: chat.map((row) => ({ ...toChatMessage(row), deleted_at: isoOrNull(row.deleted_at) })),
    questions: questions.map(toQuestion),
    votes: votes.map((vote) => ({ question_id: vote.question_id })),
    watch_time: watch
      ? {
          total_seconds: watch.total_seconds,
          live_seconds: watch.live_seconds,
          on_demand_seconds: watch.on_demand_seconds,
          first_seen: iso(watch.start_time),
          last_ping: iso(watch.last_ping),
        }
      : null,
    emails: mail.map((row) => ({ kind: row.kind, recipient: row.recipient, status: row.status, sent_at: isoOrNull(row.sent_at ?? null) })),
  };
}

/** The person's own values in one webhook body, replaced where the body is about them; null when it is not. */
function scrubDelivery(payload: string, user: UserRow): string | null {
  const body = JSON.parse(payload) as { topic: string; data: Record<string, unknown> };
  if (body.topic === WebhookTopic.userRegistered && body.data.id === user.id) {
    body.data = { ...body.data, name: erased.name(user.id), email: erased.email(user.id), phone: null, fields: {} };
  } else if (body.topic === WebhookTopic.questionApproved && body.data.user_id === user.id) {
    body.data = { ...body.data, user_name: erased.name(user.id), question: erased.text };
  } else {
    return null;
  }
  return JSON.stringify(body);
}

/** Audit values that named the person (a staff member's name and email), replaced. */
function scrubAuditChanges(changes: string, user: UserRow): string {
  const parsed = JSON.parse(changes) as Record<string, AuditChange>;
  const placeholders: Record<string, string | null> = { name: erased.name(user.id), email: erased.email(user.id), phone: null };
  for (const [field, placeholder] of Object.entries(placeholders)) {
    const change = parsed[field];
    if (!change || typeof change !== 'object') continue;
    parsed[field] = Object.fromEntries(Object.keys(change).map((side) => [side, placeholder]));
  }
  return JSON.stringify(parsed);
}

/**
 * Erases one person of an event, in one transaction: the row keeps its id (so votes, watch
 * time and the moderation log still count) but its name, email, phone, answers and consent
 * address become placeholders; their chat messages, questions, held messages and open-text poll
 * answers keep their place and status with the text replaced, and so do the moderation log's
 * copies of their words; webhook delivery bodies and audit values that quoted them are
 * rewritten. Their sessions end (token_version). Irreversible.
 */
export async function erasePerson(db: Database, user: UserRow, now: Date): Promise<void> {
  // Stored mail: the .eml files the embedded default wrote go; the outbox keeps the erased address.
  const sentFiles = (await MailOutboxRow.findAll({ attributes: ['payload'], where: { user_id: user.id, status: MailStatus.sent } }))
    .map((row) => (row.payload ? (JSON.parse(row.payload) as { response?: string }).response : undefined))
    .filter((response): response is string => typeof response === 'string' && response.endsWith('.eml'));
  await Promise.all(sentFiles.map((file) => rm(file, { force: true })));
  await db.sequelize.transaction(async (transaction: Transaction) => {
    // Queued mail to the person is not sent any more: it would carry the placeholders.
    await MailOutboxRow.update(
      { status: MailStatus.skipped, recipient: erased.email(user.id) },
      { where: { user_id: user.id, status: [MailStatus.pending, MailStatus.failed] }, transaction },
    );
    await MailOutboxRow.update({ recipient: erased.email(user.id) }, { where: { user_id: user.id }, transaction });
    await user.update(
      {
        name: erased.name(user.id),
        email: erased.email(user.id),
        phone: null,
        fields: null,
        consent_ip: null,
        password: user.role === Role.attendee ? null : user.password,
        erased_at: now,
        token_version: user.token_version + 1,
      },
      { transaction },
    );
    await ChatMessageRow.update({ user_name: erased.name(user.id), message: erased.text }, { where: { user_id: user.id }, transaction });
    await QuestionRow.update({ user_name: erased.name(user.id), question_text: erased.text }, { where: { user_id: user.id }, transaction });
    // What they wrote that moderation kept: messages held for review, and the moderation log's
    // copies of their words (a held message's text, a question's text before an edit, a pinned message of theirs).
    await HeldChatRow.update({ user_name: erased.name(user.id), message: erased.text }, { where: { user_id: user.id }, transaction });
    await ModerationActionRow.update(
      { detail: erased.text },
      {
        where: {
          target_user_id: user.id,
          action: [ModerationLogAction.holdChat, ModerationLogAction.editQuestion, ModerationLogAction.pinChat],
          detail: { [Op.ne]: null },
        },
        transaction,
      },
    );
    // Open-text poll answers are theirs; the counted words of a cloud are an aggregate and stay.
    await PollVoteRow.update({ text: erased.text }, { where: { user_id: user.id, text: { [Op.ne]: null } }, transaction });
    const webhookIds = (await WebhookRow.findAll({ attributes: ['id'], where: { event_id: user.event_id! }, transaction })).map((row) => row.id);
    if (webhookIds.length > 0) {
      const deliveries = await WebhookDeliveryRow.findAll({
        attributes: ['id', 'payload'],
        // Only bodies that carry the id at all are read; each is then judged by its structure.
        where: { webhook_id: webhookIds, payload: { [Op.like]: `%${user.id}%` } },
        transaction,
      });
      for (const delivery of deliveries) {
        const scrubbed = delivery.payload ? scrubDelivery(delivery.payload, user) : null;
        if (scrubbed !== null) await delivery.update({ payload: scrubbed }, { transaction });
      }
    }
    const entries = await AuditLogRow.findAll({
      where: { event_id: user.event_id, target_id: user.id, target_type: ['staff', 'participant'] },
      transaction,
    });
    for (const entry of entries) {
      const scrubbed = scrubAuditChanges(entry.changes, user);
      if (scrubbed !== entry.changes) await entry.update({ changes: scrubbed }, { transaction });
    }
  });
}

/**
 * Erases the attendees of every event closed more than its `retention_days` ago, once per
 * event across every process: the first to set `personal_data_erased_at` does the work.
 * Returns the number of people erased per event, for the audit log.
 */
export async function eraseExpiredEvents(db: Database, now: Date): Promise<Array<{ eventId: number; erased: number }>> {
  const closed = await EventRow.findAll({
    attributes: ['id', 'retention_days', 'closed_at'],
    where: { is_active: false, retention_days: { [Op.ne]: null }, closed_at: { [Op.ne]: null }, personal_data_erased_at: null },
  });
  const done: Array<{ eventId: number; erased: number }> = [];
  for (const event of closed) {
    const due = new Date(event.closed_at!).getTime() + event.retention_days! * 86_400_000;
    if (due > now.getTime()) continue;
    const [claimed] = await EventRow.update(
      { personal_data_erased_at: now },
      { where: { id: event.id, is_active: false, personal_data_erased_at: null } },
    );
    if (claimed !== 1) continue;
    const attendees = await UserRow.findAll({ where: { event_id: event.id, role: Role.attendee, erased_at: null } });
    for (const attendee of attendees) await erasePerson(db, attendee, now);
    done.push({ eventId: event.id, erased: attendees.length });
  }
  return done;
}
