import { describe, expectTypeOf, it } from 'vitest';
import WebSocket from 'ws';
import type { AdminEvent, ChatMessage, HeldChat, Page, PublicEvent, Question } from '../protocol/models.js';
import type {
  ApprovedQuestionMessage,
  ChatServerMessage,
  EventClosedMessage,
  ModerationFlag,
  QuestionHighlightedMessage,
  WelcomeMessage,
} from '../protocol/socket.js';
import { createClient, type ModerateOptions } from './create-client.js';
import type { PalcoError } from './errors.js';
import type { StateChange } from './events.js';
import type { WebSocketConstructor } from './socket-types.js';

const client = createClient({ baseUrl: 'http://localhost:3000', event: 'demo', WebSocket });

describe('types', () => {
  it('accepts the ws package and the browser WebSocket as the WebSocket option', () => {
    expectTypeOf(WebSocket).toExtend<WebSocketConstructor>();
    expectTypeOf<typeof globalThis.WebSocket>().toExtend<WebSocketConstructor>();
  });

  it('types each event listener by the event name', () => {
    client.on('chat', (message) => expectTypeOf(message).toEqualTypeOf<ChatServerMessage>());
    client.on('approved_question', (message) => expectTypeOf(message).toEqualTypeOf<ApprovedQuestionMessage>());
    client.on('question_highlighted', (message) => expectTypeOf(message.id).toEqualTypeOf<number | null>());
    client.on('event_closed', (message) => expectTypeOf(message).toEqualTypeOf<EventClosedMessage>());
    client.on('welcome', (message) => expectTypeOf(message).toEqualTypeOf<WelcomeMessage>());
    client.on('state', (change) => expectTypeOf(change).toEqualTypeOf<StateChange>());
    client.on('error', (error) => expectTypeOf(error).toEqualTypeOf<PalcoError>());
    expectTypeOf(client.on('viewers', () => {})).toEqualTypeOf<() => void>();
    expectTypeOf<QuestionHighlightedMessage['type']>().toEqualTypeOf<'question_highlighted'>();
    // @ts-expect-error acks settle request promises; they are not an event
    client.on('ack', () => {});
    // @ts-expect-error not an event
    client.on('chatt', () => {});
  });

  it('types the realtime requests and what they resolve with', () => {
    expectTypeOf(client.chat).toEqualTypeOf<(message: string) => Promise<ChatMessage | HeldChat>>();
    expectTypeOf(client.ask).returns.resolves.toEqualTypeOf<Question>();
    expectTypeOf(client.highlight).parameter(0).toEqualTypeOf<number | null>();
    expectTypeOf(client.moderate).parameters.toEqualTypeOf<[userId: number, flag: ModerationFlag, value?: boolean, options?: ModerateOptions]>();
    // @ts-expect-error not a moderation flag
    void client.moderate(1, 'muted').catch(() => {});
    expectTypeOf(client.connect).returns.resolves.toEqualTypeOf<WelcomeMessage>();
  });

  it('types the REST methods from the protocol', () => {
    expectTypeOf(client.getEvent).returns.resolves.toEqualTypeOf<PublicEvent>();
    expectTypeOf(client.chatHistory).returns.resolves.toEqualTypeOf<Page<ChatMessage>>();
    expectTypeOf(client.admin.createEvent).returns.resolves.toEqualTypeOf<AdminEvent>();
    // @ts-expect-error email is required to register
    void client.register({ name: 'Ana', phone: '+34 600 000 000' }).catch(() => {});
  });
});
