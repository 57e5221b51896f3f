import type { ParsedClientMessage } from '@palco/sdk/protocol';
import { describeError, isDatabaseUnreachable, logUnavailable } from '../errors.js';
import type { Logger } from '../log.js';
import type { ChatService } from '../services/chat.js';
import { moderateUser, type ModerationDeps } from '../services/moderation.js';
import type { QuestionService } from '../services/questions.js';
import type { Connection } from './connection.js';
import { errorMessage } from './frames.js';

/** A client message that asks for a change, as opposed to `auth` and `ping`. */
export type Command = Exclude<ParsedClientMessage, { type: 'auth' | 'ping' }>;

export interface CommandServices extends ModerationDeps {
  chat: ChatService;
  questions: QuestionService;
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
      return { id: command.id, data: await services.chat.remove(eventId, member, command.id) };
    case 'ask': {
      const question = await services.questions.ask(eventId, member, command.question, command.cid);
      return { id: question.id, data: question };
    }
    case 'approve':
      return { id: command.id, data: await services.questions.approve(eventId, member, command.id) };
    case 'reject':
      return { id: command.id, data: await services.questions.reject(eventId, member, command.id) };
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
  }
}

/** Runs a command and answers it: an ack with its result, or an error with its code (and `retry_after`). */
export async function runAndAnswer(command: Command, connection: Connection, services: CommandServices, logger: Logger) {
  if (!connection.isOpen) return;
  try {
    const result = await runCommand(command, connection, services);
    if (command.ref !== undefined) connection.send({ type: 'ack', ref: command.ref, ...result });
  } catch (error) {
    const { status, code, extra } = describeError(error);
    if (isDatabaseUnreachable(error)) logUnavailable(logger, error);
    else if (status >= 500) logger.error({ err: error, type: command.type }, 'socket command failed');
    connection.send(errorMessage(code, connection.lang, { ref: command.ref, retry_after: extra.retry_after }));
  }
}
