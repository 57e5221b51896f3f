import type {
  AuthResult,
  ChatMessage,
  EventReport,
  MeResult,
  ModerationEntry,
  Page,
  ParticipantReport,
  PublicEvent,
  Question,
  TablePage,
} from '../protocol/models.js';
import type { LoginInput, ParticipantsQuery, RegisterInput, ReportQuestionsQuery } from '../protocol/http-schemas.js';
import type { Lang } from '../protocol/texts.js';
import type { HttpTransport } from './http.js';
import type { Session } from './session.js';

export interface HistoryOptions {
  /** Only items with a greater id: what a reconnecting client missed. */
  after?: number;
  limit?: number;
}

export type ReportExport = 'participants' | 'questions' | 'chat';

/** Search, sort and paging of the participants table; every field optional. */
export type ParticipantsOptions = ParticipantsQuery;
/** Search, status, sort and paging of the report's questions table; every field optional. */
export type ReportQuestionsOptions = ReportQuestionsQuery;

/** What attendees, moderators and speakers do over HTTP, all scoped to the client's event. */
export interface EventApi {
  getEvent(): Promise<PublicEvent>;
  /** Registers an attendee and keeps the session token. */
  register(input: RegisterInput): Promise<AuthResult>;
  /** Signs in (attendees with the event's access code, staff with their password) and keeps the token. */
  login(input: LoginInput): Promise<AuthResult>;
  /**
   * Asks for a single-use sign-in link to be mailed to `email` (valid 30 minutes). Resolves
   * alike whether or not the address is registered; rejects with `rate_limited` (per address
   * and per IP) or `invalid_input`.
   */
  requestSignInLink(email: string): Promise<void>;
  /** Signs in with an identity JWT signed by the producer's server, and keeps the token. */
  loginWithIdentity(identity: string): Promise<AuthResult>;
  /** Ends the session on the server and forgets the token. */
  logout(): Promise<void>;
  me(): Promise<MeResult>;
  /** Chat history, oldest first. */
  chatHistory(options?: HistoryOptions): Promise<Page<ChatMessage>>;
  /** Question history, oldest first. */
  questionHistory(options?: HistoryOptions): Promise<Page<Question>>;
  /** The event's figures, curve and watch-time distribution (moderators and administrators). */
  report(): Promise<EventReport>;
  /** A page of attendees with their watch time: searched by name, email or phone, sorted, `total` = how many match. */
  reportParticipants(options?: ParticipantsOptions): Promise<TablePage<ParticipantReport>>;
  /** A page of the event's questions, every status, with votes (most voted first by default). */
  reportQuestions(options?: ReportQuestionsOptions): Promise<TablePage<Question>>;
  /** One of the CSV exports, as text. */
  reportCsv(kind: ReportExport): Promise<string>;
  /**
   * The address of a CSV export, for a download link. It carries no token: it works where the
   * session cookie does (the backend's own pages); elsewhere use `reportCsv`.
   */
  reportCsvUrl(kind: ReportExport, lang?: Lang): string;
  moderationLog(options?: HistoryOptions): Promise<Page<ModerationEntry>>;
}

/** Logs out on the server and forgets the token. */
export async function endSession(http: HttpTransport, session: Session): Promise<void> {
  try {
    await http.request('POST', '/api/auth/logout', { expect: 'empty' });
  } finally {
    // An expired or revoked token is as good as logged out: forget it either way.
    session.setToken(null);
  }
}

export function createEventApi(http: HttpTransport, httpBase: string, eventSlug: string, session: Session): EventApi {
  const eventPath = `/api/events/${encodeURIComponent(eventSlug)}`;

  async function signIn(path: string, body: unknown): Promise<AuthResult> {
    const result = await http.request<AuthResult>('POST', `${eventPath}${path}`, { body });
    session.setToken(result.token);
    return result;
  }

  const history = <T>(path: string, options: HistoryOptions = {}) =>
    http.request<Page<T>>('GET', `${eventPath}${path}`, { query: { after: options.after, limit: options.limit } });

  return {
    getEvent: () => http.request('GET', eventPath),
    register: (input) => signIn('/register', input),
    login: (input) => signIn('/login', input),
    requestSignInLink: async (email) => {
      await http.request('POST', `${eventPath}/sign-in-link`, { body: { email } });
    },
    loginWithIdentity: (identity) => signIn('/identity', { identity }),
    logout: () => endSession(http, session),
    me: () => http.request('GET', '/api/me'),
    chatHistory: (options) => history<ChatMessage>('/chat', options),
    questionHistory: (options) => history<Question>('/questions', options),
    report: () => http.request('GET', `${eventPath}/reports`),
    reportParticipants: (options = {}) => http.request('GET', `${eventPath}/reports/participants`, { query: { ...options } }),
    reportQuestions: (options = {}) => http.request('GET', `${eventPath}/reports/questions`, { query: { ...options } }),
    reportCsv: (kind) => http.request('GET', `${eventPath}/reports/${kind}.csv`, { expect: 'text' }),
    reportCsvUrl: (kind, lang) => `${httpBase}${eventPath}/reports/${kind}.csv${lang ? `?lang=${lang}` : ''}`,
    moderationLog: (options) => history<ModerationEntry>('/moderation-log', options),
  };
}
