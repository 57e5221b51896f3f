import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { Role } from '../../protocol/codes.js';
import type { ChatMessage } from '../../protocol/models.js';
import type { ClientMessage, ServerMessage, WelcomeMessage } from '../../protocol/socket.js';

/** One client socket as the fake server sees it. */
export class FakeConnection {
  readonly received: ClientMessage[] = [];
  private waiters: Array<() => void> = [];

  constructor(
    readonly socket: WebSocket,
    readonly url: string,
  ) {
    socket.on('message', (data) => {
      this.received.push(JSON.parse(String(data)) as ClientMessage);
      for (const wake of this.waiters.splice(0)) wake();
    });
  }

  /** Resolves with the first received message (from the start) that matches. */
  async receive<T extends ClientMessage['type']>(type: T): Promise<Extract<ClientMessage, { type: T }>> {
    for (;;) {
      const found = this.received.find((message) => message.type === type);
      if (found) return found as Extract<ClientMessage, { type: T }>;
      await new Promise<void>((wake) => this.waiters.push(wake));
    }
  }

  send(frame: ServerMessage | ServerMessage[]): void {
    this.socket.send(JSON.stringify(frame));
  }

  /** Closes the socket with a code, as the real server does on purpose. */
  close(code: number, reason = ''): void {
    this.socket.close(code, reason);
  }

  /** Cuts the connection without a close frame, like a crashed server or a lost network. */
  drop(): void {
    this.socket.terminate();
  }
}

export interface FakeServerOptions {
  /** What the server answers to the auth frame; null sends nothing. */
  welcome?: (connection: FakeConnection) => WelcomeMessage | null;
  /** Items per history page, small so that paging is exercised. */
  historyPageSize?: number;
  /** Delay before a history page is answered, so live frames can race it. */
  historyDelayMs?: number;
  /** How many history requests are answered 503 first, as by a backend that is going away. */
  historyFailures?: number;
  /**
   * Answers chat commands itself, as the real server's per-socket command queue does: one at
   * a time, `serviceMs` each, refusing with `rate_limited` and `retry_after` (`retryAfter`
   * seconds, 1 by default) any that arrives while `capacity` already wait.
   */
  commandQueue?: { capacity: number; serviceMs: number; retryAfter?: number };
}

/**
 * The realtime backend reduced to what the client relies on: a socket endpoint at /ws that
 * welcomes after the auth frame, and GET /api/events/{slug}/chat?after= over the `chat` array.
 */
export class FakeServer {
  readonly connections: FakeConnection[] = [];
  readonly chat: ChatMessage[] = [];
  readonly historyRequests: URLSearchParams[] = [];
  private readonly http = createServer((request, response) => void this.serveHttp(request, response));
  private readonly sockets = new WebSocketServer({ server: this.http, path: '/ws' });
  private connectionWaiters: Array<() => void> = [];

  private constructor(private readonly options: FakeServerOptions) {
    this.sockets.on('connection', (socket, request) => {
      const connection = new FakeConnection(socket, request.url ?? '');
      this.connections.push(connection);
      if (this.options.commandQueue) this.serveCommands(connection, this.options.commandQueue);
      void connection.receive('auth').then(() => {
        const welcome = (this.options.welcome ?? (() => this.welcome()))(connection);
        if (welcome && socket.readyState === socket.OPEN) connection.send(welcome);
      });
      for (const wake of this.connectionWaiters.splice(0)) wake();
    });
  }

  static async start(options: FakeServerOptions = {}): Promise<FakeServer> {
    const server = new FakeServer(options);
    await new Promise<void>((resolve) => server.http.listen(0, '127.0.0.1', resolve));
    return server;
  }

  get baseUrl(): string {
    return `http://127.0.0.1:${(this.http.address() as AddressInfo).port}`;
  }

  /** The index-th connection (0 is the first), waiting for it if it has not arrived yet. */
  async connection(index: number): Promise<FakeConnection> {
    while (!this.connections[index]) await new Promise<void>((wake) => this.connectionWaiters.push(wake));
    return this.connections[index];
  }

  /** Adds a message to the history and returns it. */
  addChat(id: number, message = `message ${id}`): ChatMessage {
    const item = { id, user_id: 7, user_name: 'Ana', message, timestamp: '10:00', created_at: new Date().toISOString() };
    this.chat.push(item);
    return item;
  }

  /** A welcome holding the latest history, as the real server sends. */
  welcome(overrides: Partial<WelcomeMessage> = {}): WelcomeMessage {
    return {
      type: 'welcome',
      user: {
        id: 7, name: 'Ana', email: 'ana@example.com', phone: null, role: Role.attendee, event_id: 1,
        chat_blocked: false, qa_blocked: false, banned: false, chat_blocked_until: null, qa_blocked_until: null, confirmed: true,
      },
      event: {
        id: 1, slug: 'demo', title: 'Demo', logo_url: null, video_url: null, video_kind: 'auto', is_active: true,
        registration_open: true, allowed_email_domains: [], slow_mode_seconds: 0, allow_anonymous_questions: false,
        registration_fields: [], phone_required: true, privacy_notice: null, capacity: null, waitlist: false,
        starts_at: null, ends_at: null, time_zone: 'UTC', description: null, live_at: null,
        replay_url: null, on_demand_until: null, replay_registration: false, sign_in: 'link',
        require_confirmation: false, state: 'live',
      },
      chat: this.chat.slice(-50),
      questions: [],
      voted: [],
      highlighted: null,
      viewers: 1,
      heartbeat_ms: 60_000,
      polls: [],
      poll_results: [],
      my_votes: [],
      ...overrides,
    };
  }

  /** Chat commands refused `rate_limited` by the command queue, by client id. */
  readonly refusedCommands: string[] = [];

  private serveCommands(connection: FakeConnection, queue: NonNullable<FakeServerOptions['commandQueue']>): void {
    let waiting = 0;
    let turn = Promise.resolve();
    connection.socket.on('message', (data) => {
      const message = JSON.parse(String(data)) as ClientMessage;
      if (message.type !== 'chat') return;
      if (waiting >= queue.capacity) {
        this.refusedCommands.push(message.cid ?? '');
        const refusal = { type: 'error', code: 'rate_limited', message: 'Espera', retry_after: queue.retryAfter ?? 1 } as const;
        return connection.send(message.ref === undefined ? refusal : { ...refusal, ref: message.ref });
      }
      waiting += 1;
      turn = turn.then(async () => {
        await new Promise((wake) => setTimeout(wake, queue.serviceMs));
        waiting -= 1;
        const stored = this.chat.find((item) => item.message === message.message) ?? this.addChat(this.chat.length + 1, message.message);
        if (message.ref !== undefined) connection.send({ type: 'ack', ref: message.ref, id: stored.id, data: stored });
      });
    });
  }

  async close(): Promise<void> {
    for (const connection of this.connections) connection.drop();
    await new Promise<void>((resolve) => this.sockets.close(() => resolve()));
    await new Promise<void>((resolve) => this.http.close(() => resolve()));
  }

  private async serveHttp(request: IncomingMessage, response: ServerResponse): Promise<void> {
    // Not this.baseUrl: a request may still arrive while the server closes, when it has no address.
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    if (request.method !== 'GET' || !/^\/api\/events\/[^/]+\/chat$/.test(url.pathname)) {
      response.writeHead(404, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ error: 'not_found', message: 'Not found' }));
      return;
    }
    this.historyRequests.push(url.searchParams);
    if (this.historyRequests.length <= (this.options.historyFailures ?? 0)) {
      response.writeHead(503, { 'content-type': 'application/json', 'retry-after': '1' });
      response.end(JSON.stringify({ error: 'service_unavailable', message: 'Vuelve a intentarlo', retry_after: 1 }));
      return;
    }
    if (this.options.historyDelayMs) await new Promise((wake) => setTimeout(wake, this.options.historyDelayMs));
    const after = Number(url.searchParams.get('after') ?? 0);
    const pageSize = this.options.historyPageSize ?? 200;
    const newer = this.chat.filter((message) => message.id > after);
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ items: newer.slice(0, pageSize), has_more: newer.length > pageSize }));
  }
}
