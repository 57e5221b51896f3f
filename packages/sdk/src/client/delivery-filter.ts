import { Limits } from '../protocol/limits.js';
import { questionMessage } from '../protocol/question-messages.js';
import type { WelcomeMessage } from '../protocol/socket.js';

type QuestionMessageType = 'pending_question' | 'approved_question';

/** How many of the newest chat ids are remembered; anything older counts as delivered. */
const rememberedChatIds = 2_000;
/**
 * Chat ids follow the order of the writes, not the order of arrival: two writes racing on
 * one database, or a message that crossed from another process, may overtake each other.
 * A catch-up therefore reaches this many delivered messages back and drops the repeats.
 */
const catchUpOverlap = Limits.welcomeChatCount;

/**
 * Remembers what listeners have already been given, so a reconnect (welcome snapshot, history
 * catch-up, frames racing both) never hands them the same chat message or question twice,
 * and a message that arrives after a newer one is still delivered.
 */
export class DeliveryFilter {
  /** The newest chat ids delivered, ascending. */
  private readonly chatIds: number[] = [];
  /** Ids up to this one fell out of memory: they are long delivered. */
  private forgottenUpTo = 0;
  private readonly questionsSeen = new Set<string>();

  /** Where a catch-up after a reconnect starts: a little before the newest message delivered. */
  get resumeAfter(): number {
    if (this.chatIds.length === 0) return this.forgottenUpTo;
    return this.chatIds[Math.max(0, this.chatIds.length - 1 - catchUpOverlap)]!;
  }

  /** Records what the first welcome showed; the listener received it as the welcome itself. */
  rememberWelcome(welcome: WelcomeMessage): void {
    for (const message of welcome.chat) this.acceptChat(message.id);
    for (const question of welcome.questions) {
      const message = questionMessage(question);
      if (message) this.acceptQuestion(message.type, question.id);
    }
  }

  /** True the first time a chat id is seen. */
  acceptChat(id: number): boolean {
    if (id <= this.forgottenUpTo) return false;
    const ids = this.chatIds;
    let index = ids.length;
    // Nearly every id is the newest: the search starts from the end and stops at once.
    while (index > 0 && ids[index - 1]! > id) index -= 1;
    if (ids[index - 1] === id) return false;
    ids.splice(index, 0, id);
    if (ids.length > rememberedChatIds) this.forgottenUpTo = ids.shift()!;
    return true;
  }

  /** True the first time a question is seen as pending, and the first time as approved. */
  acceptQuestion(type: QuestionMessageType, id: number): boolean {
    const key = `${type}:${id}`;
    if (this.questionsSeen.has(key)) return false;
    this.questionsSeen.add(key);
    return true;
  }
}
