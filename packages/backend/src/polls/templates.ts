import { ErrorCode, type Poll, type PollDraft, type PollTemplate } from '@palco/sdk/protocol';
import { PollTemplateRow } from '../db/models.js';
import { AppError } from '../errors.js';
import type { Member } from '../services/member.js';
import { iso } from '../services/serialize.js';
import { checkedPollFields, type PollService } from './poll-service.js';

type TemplateDraft = Omit<PollDraft, 'kind' | 'question'>;

function toTemplate(row: PollTemplateRow): PollTemplate {
  const draft = JSON.parse(row.draft) as TemplateDraft;
  return {
    id: row.id,
    kind: row.kind,
    question: row.question,
    options: draft.options ?? [],
    ...(draft.correct ? { correct: draft.correct } : {}),
    ...(draft.max_choices ? { max_choices: draft.max_choices } : {}),
    ...(draft.time_limit_s ? { time_limit_s: draft.time_limit_s } : {}),
    created_by: row.created_by,
    created_at: iso(row.created_at),
  };
}

/**
 * Poll templates: administrators save polls to use again; administrators and moderators
 * make a draft from one in any event they run. A template is checked as `poll_create` checks
 * a poll, so a draft made from it is always valid.
 */
export class PollTemplates {
  constructor(
    private readonly polls: PollService,
    private readonly now: () => number,
  ) {}

  async save(member: Member, draft: PollDraft): Promise<PollTemplate> {
    checkedPollFields(draft.kind, draft);
    const { kind, question, ...rest } = draft;
    const row = await PollTemplateRow.create({ created_by: member.id, kind, question, draft: JSON.stringify(rest), created_at: new Date(this.now()) });
    return toTemplate(row);
  }

  async list(): Promise<PollTemplate[]> {
    return (await PollTemplateRow.findAll({ order: [['id', 'ASC']] })).map(toTemplate);
  }

  async remove(templateId: number): Promise<void> {
    if ((await PollTemplateRow.destroy({ where: { id: templateId } })) === 0) throw new AppError(404, ErrorCode.notFound);
  }

  /** A new draft in the event from the template, broadcast to the event's staff as any draft. */
  async use(eventId: number, member: Member, templateId: number): Promise<Poll> {
    const row = await PollTemplateRow.findByPk(templateId);
    if (!row) throw new AppError(404, ErrorCode.notFound);
    const draft = JSON.parse(row.draft) as TemplateDraft;
    return this.polls.create(eventId, member, { kind: row.kind, question: row.question, ...draft });
  }
}
