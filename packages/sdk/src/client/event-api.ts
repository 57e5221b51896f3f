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
import type { Poll, PollsSnapshot, PollTemplate } from '../protocol/polls.js';
import type { WaitlistedResult } from '../protocol/registration.js';
import type { Lang } from '../protocol/texts.js';
import type { HttpTransport } from './http.js';
import type { Session } from './session.js';

export interface HistoryOptions {
  /** Only items with a greater id: what a reconnecting client missed. */
  after?: number;
  /** Chat only: the page of older messages just before this id (still oldest first). */
  before?: number;
  limit?: number;
}

export type ReportExport = 'participants' | 'questions' | 'chat' | 'polls' | 'moderation';

/** Search, sort and paging of the participants table; every field optional. */
export type ParticipantsOptions = ParticipantsQuery;
/** Search, status, sort and paging of the report's questions table; every field optional. */
export type ReportQuestionsOptions = ReportQuestionsQuery;

/** What attendees, moderators and speakers do over HTTP, all scoped to the client's event. */
export interface EventApi {
  getEvent(): Promise<PublicEvent>;
  /**
   * Registers an attendee and keeps the session token; past the event's capacity, a
   * `{status: "waitlisted"}` answer and no session (tell them apart with `isWaitlisted`).
   */
  register(input: RegisterInput): Promise<AuthResult | WaitlistedResult>;
  /** The signed-in attendee withdraws: their seat is freed and the session ends. */
  cancelRegistration(): Promise<void>;
  /** Signs in (attendees with the event's access code, staff with their password) and keeps the token. */
  login(input: LoginInput): Promise<AuthResult>;
  /**
   * Signs in with an identity JWT signed by the producer's server, and keeps the token; a
   * first use past the event's capacity is a `WaitlistedResult` and no session.
   */
  loginWithIdentity(identity: string): Promise<AuthResult | WaitlistedResult>;
  /**
   * Asks for a single-use sign-in link to be mailed to `email` (valid 30 minutes). Resolves
   * alike whether or not the address is registered; rejects with `rate_limited` (per address
   * and per IP) or `invalid_input`.
   */
  requestSignInLink(email: string): Promise<void>;
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
  /** The polls this member may see, the results they may see and their own votes. */
  polls(): Promise<PollsSnapshot>;
  /** Moderators and administrators: the saved poll templates. */
  pollTemplates(): Promise<PollTemplate[]>;
  /** Moderators and administrators: a new draft poll in this event from a template. */
  pollFromTemplate(templateId: number): Promise<Poll>;
  /** Administrators: saves one of this event's polls as a template. */
  savePollAsTemplate(pollId: number): Promise<PollTemplate>;
}

/** True for a registration answered with a place on the waitlist rather than a session. */
export function isWaitlisted(result: AuthResult | WaitlistedResult): result is WaitlistedResult {
  return 'status' in result && result.status === 'waitlisted';
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

  /** A registration path (the form or an identity token): a session, or a place on the waitlist and none. */
  async function registerAt(path: string, body: unknown): Promise<AuthResult | WaitlistedResult> {
    const result = await http.request<AuthResult | WaitlistedResult>('POST', `${eventPath}${path}`, { body });
    if (!isWaitlisted(result)) session.setToken(result.token);
    return result;
  }

  const history = <T>(path: string, options: HistoryOptions = {}) =>
    http.request<Page<T>>('GET', `${eventPath}${path}`, { query: { after: options.after, before: options.before, limit: options.limit } });

  return {
    getEvent: () => http.request('GET', eventPath),
    register: (input) => registerAt('/register', input),
    async cancelRegistration() {
      await http.request('DELETE', `${eventPath}/registration`, { expect: 'empty' });
      session.setToken(null);
    },
    login: (input) => signIn('/login', input),
    loginWithIdentity: (identity) => registerAt('/identity', { identity }),
    requestSignInLink: async (email) => {
      await http.request('POST', `${eventPath}/sign-in-link`, { body: { email } });
    },
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
    polls: () => http.request('GET', `${eventPath}/polls`),
    pollTemplates: () => http.request('GET', `${eventPath}/poll-templates`),
    pollFromTemplate: (templateId) => http.request('POST', `${eventPath}/poll-templates/${templateId}/polls`, { body: {} }),
    savePollAsTemplate: (pollId) => http.request('POST', `${eventPath}/poll-templates`, { body: { poll_id: pollId } }),
  };
}
