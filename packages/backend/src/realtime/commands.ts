import { fieldProblemText, type ParsedClientMessage } from '@palco/sdk/protocol';
import { describeError, isDatabaseUnreachable, logUnavailable } from '../errors.js';
import type { Logger } from '../log.js';
import type { AppDeps } from '../context.js';
import { PollService } from '../polls/poll-service.js';
import { ReactionService } from '../polls/reactions.js';
import { ChatService } from '../services/chat.js';
import { moderateUser, type ModerationDeps } from '../services/moderation.js';
import { QuestionService } from '../services/questions.js';
import type { Connection } from './connection.js';
import { errorMessage } from './frames.js';
import { WriteGate } from './write-gate.js';

/** A client message that asks for a change, as opposed to `auth` and `ping`. */
export type Command = Exclude<ParsedClientMessage, { type: 'auth' | 'ping' }>;

export interface CommandServices extends ModerationDeps {
  polls: PollService;
  reactions: ReactionService;
  /** The state and confirmation check every command passes first. */
  gate: WriteGate;
}

/** The services the commands of one process's sockets run on; the hub stops polls and reactions at shutdown. */
export function createCommandServices(deps: AppDeps): CommandServices {
  return {
    bus: deps.bus,
    now: () => deps.now(),
    chat: new ChatService(deps),
    questions: new QuestionService(deps),
    polls: new PollService(deps),
    reactions: new ReactionService(deps),
    gate: new WriteGate(deps),
  };
}

/** What an ack carries: the id of the created or changed item and the item itself. */
export interface CommandResult {
  id?: number;
  data: unknown;
}

/**
 * Runs one command for the member behind a socket. Who may do what is checked by the
 * services, from the member's session role; nothing the client sends names a role.
 */
export async function runCommand(
  command: Command,
  connection: Connection,
  services: CommandServices,
): Promise<CommandResult> {
  const { eventId, member } = connection;
  switch (command.type) {
    case 'chat': {
      const chat = await services.chat.post(eventId, member, command.message, command.cid);
      return { id: chat.id, data: chat };
    }
    case 'delete_chat':
      return { id: command.id, data: await services.chat.remove(eventId, member, command.id, command.reason) };
    case 'release_chat':
      return { id: command.id, data: await services.chat.release(eventId, member, command.id) };
    case 'reject_chat':
      return { id: command.id, data: await services.chat.rejectHeld(eventId, member, command.id, command.reason) };
    case 'pin_chat':
      return { data: await services.chat.pin(eventId, member, command) };
    case 'ask': {
      const question = await services.questions.ask(eventId, member, command.question, command.cid, command.anonymous);
      return { id: question.id, data: question };
    }
    case 'approve':
      return { id: command.id, data: await services.questions.approve(eventId, member, command.id) };
    case 'approve_all':
      return { data: await services.questions.approveAll(eventId, member, command.ids) };
    case 'reject':
      return { id: command.id, data: await services.questions.reject(eventId, member, command.id, command.reason) };
    case 'answer':
      return { id: command.id, data: await services.questions.answer(eventId, member, command.id, command.text) };
    case 'archive':
      return { id: command.id, data: await services.questions.archive(eventId, member, command.id) };
    case 'restore':
      return { id: command.id, data: await services.questions.restore(eventId, member, command.id) };
    case 'begin_edit':
      return { id: command.id, data: await services.questions.beginEdit(eventId, member, command.id) };
    case 'edit_question':
      return { id: command.id, data: await services.questions.edit(eventId, member, command.id, command.question, command.version) };
    case 'label':
      return { id: command.id, data: await services.questions.label(eventId, member, command.id, command.label) };
    case 'read':
      return { id: command.id, data: await services.questions.markRead(eventId, member, command.id) };
    case 'upvote':
      return { id: command.id, data: await services.questions.upvote(eventId, member, command.id) };
    case 'highlight': {
      const highlighted = await services.questions.highlight(eventId, member, command.id);
      return highlighted.id === null ? { data: highlighted } : { id: highlighted.id, data: highlighted };
    }
    case 'moderate': {
      const flags = await moderateUser(services, eventId, member, command);
      return { id: flags.user_id, data: flags };
    }
    case 'poll_create': {
      const { type: _type, ref: _ref, ...draft } = command;
      const poll = await services.polls.create(eventId, member, draft);
      return { id: poll.id, data: poll };
    }
    case 'poll_update': {
      const { type: _type, ref: _ref, id, ...changes } = command;
      return { id, data: await services.polls.update(eventId, member, id, changes) };
    }
    case 'poll_open':
      return { id: command.id, data: await services.polls.open(eventId, member, command.id) };
    case 'poll_close':
      return { id: command.id, data: await services.polls.close(eventId, member, command.id) };
    case 'poll_reveal':
      return { id: command.id, data: await services.polls.reveal(eventId, member, command.id, command.visible) };
    case 'poll_delete':
      return { id: command.id, data: await services.polls.remove(eventId, member, command.id) };
    case 'poll_vote':
      return { id: command.id, data: await services.polls.vote(eventId, member, command) };
    case 'poll_answer_review':
      return { id: command.id, data: await services.polls.reviewAnswer(eventId, member, command.id, command.status) };
    case 'react':
      return { data: await services.reactions.react(eventId, member, command.emoji) };
  }
}

/** Runs a command and answers it, if the socket is still open: an ack with its result, or an error with its code (and `retry_after`). */
export async function runAndAnswer(command: Command, connection: Connection, services: CommandServices, logger: Logger) {
  // A socket the client closed after sending still has it carried out; one the server closed does not.
  if (connection.closedByServer) return;
  try {
    await services.gate.check(command, connection);
    const result = await runCommand(command, connection, services);
    if (command.ref !== undefined) connection.send({ type: 'ack', ref: command.ref, ...result });
  } catch (error) {
    const { status, code, extra } = describeError(error);
    if (isDatabaseUnreachable(error)) logUnavailable(logger, error);
    else if (status >= 500) logger.error({ err: error, type: command.type }, 'socket command failed');
    const fields = extra.fields && Object.fromEntries(Object.entries(extra.fields).map(([field, problem]) => [field, fieldProblemText(problem, connection.lang)]));
    connection.send(errorMessage(code, connection.lang, { ref: command.ref, retry_after: extra.retry_after, fields }));
  }
}
