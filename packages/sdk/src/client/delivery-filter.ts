import type { WelcomeMessage } from '../protocol/socket.js';

type QuestionMessageType = 'pending_question' | 'approved_question';

/**
 * Remembers what listeners have already been given, so a reconnect (welcome snapshot, history
 * catch-up, frames racing both) never hands them the same chat message or question twice.
 */
export class DeliveryFilter {
  /** Chat ids only grow, so the highest one delivered stands for all of them. */
  private highestChatIdSeen = 0;
  private readonly questionsSeen = new Set<string>();

  get highestChatId(): number {
    return this.highestChatIdSeen;
  }

  /** Records what the first welcome showed; the listener received it as the welcome itself. */
  rememberWelcome(welcome: WelcomeMessage): void {
    for (const message of welcome.chat) this.acceptChat(message.id);
    for (const question of welcome.questions) {
      const type = questionMessageType(question.status);
      if (type) this.acceptQuestion(type, question.id);
    }
  }

  /** True the first time a chat id newer than all delivered ones is seen. */
  acceptChat(id: number): boolean {
    if (id <= this.highestChatIdSeen) return false;
    this.highestChatIdSeen = id;
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

export function questionMessageType(status: string): QuestionMessageType | null {
  if (status === 'pending') return 'pending_question';
  if (status === 'approved') return 'approved_question';
  return null;
}
