import { ErrorCode, PollKind, type Poll, type PollDraft, type PollTemplate } from '@palco/sdk/protocol';
import { PollRow, PollTemplateRow } from '../db/models.js';
import { AppError } from '../errors.js';
import type { Member } from '../services/member.js';
import { iso } from '../services/serialize.js';
import { checkedPollFields, type PollService } from './poll-service.js';
import { toPoll } from './tally.js';

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

  /** Saves a poll of the event as it is now (any status) as a template. */
  async saveFromPoll(eventId: number, member: Member, pollId: number): Promise<PollTemplate> {
    const row = await PollRow.findOne({ where: { id: pollId, event_id: eventId } });
    if (!row) throw new AppError(404, ErrorCode.pollNotFound);
    const poll = toPoll(row);
    const draft: PollDraft = { kind: poll.kind, question: poll.question };
    if (poll.options.length > 0) draft.options = poll.options.map((option) => option.text);
    // Option ids are their 1-based positions; a template keeps 0-based indexes, as poll_create takes them.
    if (poll.correct) draft.correct = poll.correct.map((id) => id - 1);
    if (poll.kind === PollKind.multiple && poll.max_choices) draft.max_choices = poll.max_choices;
    if (poll.time_limit_s) draft.time_limit_s = poll.time_limit_s;
    return this.save(member, draft);
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
