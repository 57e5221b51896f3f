import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, type PalcoClient, type Timers } from '@palco/sdk';
import type { AuthResult, EventReport, ParticipantReport, Question, TablePage } from '@palco/sdk/protocol';
import { api } from '../support/http.js';
import { databaseTargets } from '../support/server.js';
import { createEvent, ManualClock, useRealtimeServer } from '../realtime/support.js';
import { eventually } from '../support/poll.js';

/**
 * The one clock of the scripted event: the server reads it for heartbeats and samples, and
 * the SDK clients' timers (their 60 s heartbeats among them) fire when it passes their time.
 */
class ScriptClock extends ManualClock implements Timers {
  private pending: Array<{ due: number; callback: () => void; handle: number }> = [];
  private nextHandle = 1;

  setTimeout(callback: () => void, ms: number): unknown {
    const handle = this.nextHandle++;
    this.pending.push({ due: this.time + ms, callback, handle });
    return handle;
  }

  clearTimeout(handle: unknown): void {
    this.pending = this.pending.filter((timer) => timer.handle !== handle);
  }

  /** Moves to `at`, running every timer that falls due on the way, at its own time. */
  runUntil(at: number) {
    for (;;) {
      const next = this.pending.filter((timer) => timer.due <= at).sort((a, b) => a.due - b.due)[0];
      if (!next) break;
      this.pending = this.pending.filter((timer) => timer !== next);
      this.time = next.due;
      next.callback();
    }
    this.time = at;
  }
}

const start = Date.parse('2026-03-01T19:00:00Z');
const minute = 60_000;
const at = (minutes: number) => new Date(start + minutes * minute).toISOString();

/**
 * Who comes when. Every group joins on a whole minute and leaves at `leave` minutes
 * (19:20:30 is 20.5). Concurrency at the minute samples: 10, 14, 24, 30, 30, 20 … 20, 10 … 10,
 * 4 … 4, 0: the peak is 30 at 19:03. Two more attendees register and never come.
 */
const groups = [
  { key: 'A', size: 10, join: 0, leave: 10, seconds: 600 },
  { key: 'B', size: 10, join: 2, leave: 5, seconds: 180 },
  { key: 'C', size: 6, join: 3, leave: 20.5, seconds: 1050 },
  { key: 'D', size: 4, join: 1, leave: 45, seconds: 2640 },
] as const;
const absentees = 2;
const lastMinute = 45;

interface Attendee {
  group: string;
  name: string;
  email: string;
  auth: AuthResult;
  client: PalcoClient | null;
  pongs: number;
}

describe.each(databaseTargets)('a scripted event of 30 attendees on $name', (target) => {
  let event: Awaited<ReturnType<typeof createEvent>>;
  const clock = new ScriptClock(start);
  const attendees: Attendee[] = [];
  let moderator: PalcoClient;
  const questionIds: Record<string, number> = {};
  const expectedCurve: Array<{ at: string; viewers: number }> = [];

  const sdkClient = (token: string) =>
    createClient({ baseUrl: server.url, event: event.slug, WebSocket, token, timers: clock, requestTimeoutMs: 60 * 60_000 });

  const connected = () => attendees.filter((attendee) => attendee.client);

  async function join(attendee: Attendee) {
    const client = sdkClient(attendee.auth.token);
    client.on('pong', () => {
      attendee.pongs += 1;
    });
    await client.connect();
    attendee.client = client;
  }

  async function leave(attendee: Attendee) {
    attendee.client!.disconnect();
    attendee.client = null;
  }

  /** Moves the clock to `minutes`, lets every due heartbeat reach the server and be answered. */
  async function advanceTo(minutes: number) {
    const before = connected().map((attendee) => [attendee, attendee.pongs] as const);
    clock.runUntil(start + minutes * minute);
    await eventually(
      () => before.every(([attendee, pongs]) => attendee.pongs > pongs),
      Boolean,
      10_000,
    );
  }

  async function sample(minutes: number) {
    const viewers = connected().length;
    await eventually(() => server.hub.viewersNow(event.id), (count) => count === viewers, 10_000);
    await server.hub.analytics.sampleViewers();
    expectedCurve.push({ at: at(minutes), viewers });
  }

  const server = useRealtimeServer(target, { viewerSampleMs: 3_600_000, watchTimeFlushMs: 3_600_000 });
  beforeAll(async () => {
    server.deps.now = clock.now;
    event = await createEvent(server, 'guion');
    for (const group of groups) {
      for (let index = 1; index <= group.size; index += 1) {
        const label = `${group.key}${String(index).padStart(2, '0')}`;
        const name = `Grupo ${group.key} ${label}`;
        const email = `${label.toLowerCase()}@guion.test`;
        const response = await api<AuthResult>(server.url, `/api/events/${event.slug}/register`, {
          body: { name, email, phone: `+34 600 000 ${label}`.replace(/[A-D]/, String(group.key.charCodeAt(0) - 64)) },
        });
        expect(response.status).toBe(201);
        attendees.push({ group: group.key, name, email, auth: response.body, client: null, pongs: 0 });
      }
    }
    for (let index = 1; index <= absentees; index += 1) {
      const response = await api(server.url, `/api/events/${event.slug}/register`, {
        body: { name: `Ausente Núñez ${index}`, email: `ausente${index}@guion.test`, phone: '+34 611 111 111' },
      });
      expect(response.status).toBe(201);
    }
    moderator = sdkClient(event.moderator.token);
    await moderator.connect();
    // A second tab of the first attendee, 19:01–19:04: watch time and viewers count the person once.
    let secondTab: PalcoClient | null = null;

    for (let minutes = 0; minutes <= lastMinute; minutes += 1) {
      if (minutes > 0) await advanceTo(minutes);
      for (const group of groups) {
        const members = attendees.filter((attendee) => attendee.group === group.key);
        if (group.leave === minutes) for (const attendee of members) await leave(attendee);
        if (group.join === minutes) for (const attendee of members) await join(attendee);
      }
      if (minutes === 1) {
        secondTab = sdkClient(attendees[0]!.auth.token);
        await secondTab.connect();
      }
      if (minutes === 4) {
        secondTab!.disconnect();
        await talk();
      }
      if (minutes === 20) {
        // Group C leaves half a minute after the sample, between two heartbeats.
        await sample(minutes);
        clock.runUntil(start + 20.5 * minute);
        for (const attendee of attendees.filter((attendee) => attendee.group === 'C')) await leave(attendee);
        // The server counts the time up to each close when it sees it: before the clock moves on.
        await eventually(() => server.hub.viewersNow(event.id), (count) => count === connected().length, 10_000);
        continue;
      }
      await sample(minutes);
    }
    await eventually(() => server.hub.viewersNow(event.id), (count) => count === 0, 10_000);
    moderator.disconnect();
    await server.hub.analytics.flushWatchTime();
  }, 120_000);

  /** At 19:04, with all 30 in: one chat message each (two deleted), eight questions, votes. */
  async function talk() {
    const ids: number[] = [];
    for (const attendee of connected()) ids.push((await attendee.client!.chat(`Hola desde ${attendee.name}, ¿qué tal? ñ`)).id);
    await moderator.deleteChat(ids[0]!);
    await moderator.deleteChat(ids[1]!);
    const asker = (index: number) => connected()[index]!.client!;
    const ask = async (key: string, index: number, text: string) => {
      questionIds[key] = (await asker(index).ask(text)).id;
    };
    await ask('pending1', 0, '¿Habrá grabación?');
    await ask('pending2', 1, '¿Dónde están las diapositivas?');
    await ask('popular', 2, '¿Cuándo sale la versión 2?');
    await ask('liked', 3, '¿Funciona en el móvil?');
    await ask('approved', 4, '¿Cuánto cuesta?');
    await ask('read1', 5, '¿Quién presenta?');
    await ask('read2', 6, '¿Hay preguntas al final?');
    await ask('rejected', 7, 'spam spam');
    for (const key of ['popular', 'liked', 'approved', 'read1', 'read2']) await moderator.approve(questionIds[key]!);
    await moderator.reject(questionIds.rejected!);
    for (let index = 10; index < 15; index += 1) await asker(index).upvote(questionIds.popular!);
    for (let index = 15; index < 18; index += 1) await asker(index).upvote(questionIds.liked!);
    await asker(20).upvote(questionIds.read1!);
    await moderator.read(questionIds.read1!);
    await moderator.read(questionIds.read2!);
  }

  afterAll(async () => {
    moderator?.disconnect();
    for (const attendee of attendees) attendee.client?.disconnect();
  });

  const get = async <T>(path: string, token = event.moderator.token) => {
    const response = await api<T>(server.url, `/api/events/${event.slug}/reports${path}`, { token });
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    return response.body;
  };

  it('reports exact totals, average, peak and when, questions by status, chat and the curve', async () => {
    const report = await get<EventReport>('');
    expect(report).toMatchObject({
      active_now: 0,
      total_participants: 32,
      peak: { viewers: 30, at: at(3) },
      // 10×600 + 10×180 + 6×1050 + 4×2640 = 24 660 s = 411 min, over 30 who came: 13.7.
      watch: { total_minutes: 411, average_minutes: 13.7, watchers: 30, live_minutes: 411, on_demand_minutes: 0 },
      questions: { pending: 2, approved: 3, read: 2, rejected: 1, total: 8 },
      chat_messages: 28,
    });
    expect(expectedCurve.slice(0, 6).map((point) => point.viewers)).toEqual([10, 14, 24, 30, 30, 20]);
    expect(report.curve).toEqual(expectedCurve);
    expect(report.distribution).toEqual([
      // All of it watched live: nobody watched a replay (everyone under a minute of it).
      { from_minutes: 0, to_minutes: 1, participants: 2, live_participants: 2, on_demand_participants: 32 },
      { from_minutes: 1, to_minutes: 5, participants: 10, live_participants: 10, on_demand_participants: 0 },
      { from_minutes: 5, to_minutes: 15, participants: 10, live_participants: 10, on_demand_participants: 0 },
      { from_minutes: 15, to_minutes: 30, participants: 6, live_participants: 6, on_demand_participants: 0 },
      { from_minutes: 30, to_minutes: 60, participants: 4, live_participants: 4, on_demand_participants: 0 },
      { from_minutes: 60, to_minutes: 120, participants: 0, live_participants: 0, on_demand_participants: 0 },
      { from_minutes: 120, to_minutes: null, participants: 0, live_participants: 0, on_demand_participants: 0 },
    ]);
  });

  it('gives each attendee exactly the time they were connected, two tabs counted once', async () => {
    const page = await get<TablePage<ParticipantReport>>('/participants?limit=500');
    expect(page.total).toBe(32);
    const byEmail = new Map(page.items.map((participant) => [participant.email, participant]));
    for (const group of groups) {
      for (const attendee of attendees.filter((attendee) => attendee.group === group.key)) {
        expect(byEmail.get(attendee.email), attendee.name).toMatchObject({
          total_seconds: group.seconds,
          total_minutes: Math.floor(group.seconds / 60),
          last_ping: new Date(start + group.leave * minute).toISOString(),
        });
      }
    }
    expect(page.items.filter((participant) => participant.last_ping === null).map((participant) => participant.total_seconds)).toEqual([0, 0]);
  });

  it('pages, sorts and searches the participants in the database', async () => {
    const inOrder = await get<TablePage<ParticipantReport>>('/participants?limit=500');
    const second = await get<TablePage<ParticipantReport>>('/participants?offset=7&limit=7');
    expect(second).toMatchObject({ total: 32, offset: 7, limit: 7 });
    expect(second.items).toEqual(inOrder.items.slice(7, 14));

    const longest = await get<TablePage<ParticipantReport>>('/participants?sort=minutes&dir=desc&limit=5');
    expect(longest.items.map((participant) => participant.total_seconds)).toEqual([2640, 2640, 2640, 2640, 1050]);
    const byName = await get<TablePage<ParticipantReport>>('/participants?sort=name&dir=desc&limit=3');
    expect(byName.items.map((participant) => participant.name)).toEqual(['Grupo D D04', 'Grupo D D03', 'Grupo D D02']);
    const byEmail = await get<TablePage<ParticipantReport>>('/participants?sort=email&limit=2');
    expect(byEmail.items.map((participant) => participant.email)).toEqual(['a01@guion.test', 'a02@guion.test']);

    const groupC = await get<TablePage<ParticipantReport>>(`/participants?q=${encodeURIComponent('grupo c')}&sort=name`);
    expect(groupC.total).toBe(6);
    expect(groupC.items.map((participant) => participant.name)).toEqual(['C01', 'C02', 'C03', 'C04', 'C05', 'C06'].map((label) => `Grupo C ${label}`));
    expect((await get<TablePage<ParticipantReport>>('/participants?q=b07%40guion')).items.map((participant) => participant.name)).toEqual(['Grupo B B07']);
    expect((await get<TablePage<ParticipantReport>>('/participants?q=611%20111')).total).toBe(2);
    expect((await get<TablePage<ParticipantReport>>(`/participants?q=${encodeURIComponent('Núñez')}`)).total).toBe(2);
    // LIKE's wildcards in the search are plain characters.
    expect((await get<TablePage<ParticipantReport>>('/participants?q=%25')).total).toBe(0);
    expect((await get<TablePage<ParticipantReport>>('/participants?q=_')).total).toBe(0);
  });

  it('lists the questions with votes and status, most voted first, filtered and searched', async () => {
    const all = await get<TablePage<Question>>('/questions');
    expect(all.total).toBe(8);
    expect(all.items.slice(0, 3).map((question) => [question.id, question.upvotes])).toEqual([
      [questionIds.popular, 5],
      [questionIds.liked, 3],
      [questionIds.read1, 1],
    ]);
    const read = await get<TablePage<Question>>('/questions?status=read&sort=created_at&dir=asc');
    expect(read.items.map((question) => question.id)).toEqual([questionIds.read1, questionIds.read2]);
    expect(read.items.every((question) => question.status === 'read' && question.read_at !== null)).toBe(true);
    const pending = await get<TablePage<Question>>(`/questions?status=pending&q=${encodeURIComponent('diapositivas')}`);
    expect(pending.items.map((question) => question.id)).toEqual([questionIds.pending2]);
    const byStatus = await get<TablePage<Question>>('/questions?sort=status&dir=asc&limit=8');
    expect(byStatus.items.map((question) => question.status)).toEqual(['pending', 'pending', 'approved', 'approved', 'approved', 'read', 'read', 'rejected']);
  });

  it('refuses bad table parameters with 422 and names the field, in Spanish or English', async () => {
    const cases: Array<[string, string]> = [
      ['/participants?sort=password', 'sort'],
      ['/participants?dir=up', 'dir'],
      ['/participants?limit=0', 'limit'],
      ['/participants?limit=501', 'limit'],
      ['/participants?limit=abc', 'limit'],
      ['/participants?offset=-1', 'offset'],
      ['/participants?offset=1e3', 'offset'],
      [`/participants?q=${'x'.repeat(201)}`, 'q'],
      ['/participants?q=a&q=b', 'q'],
      ['/questions?status=archived', 'status'],
      ['/questions?sort=minutes', 'sort'],
    ];
    for (const [path, field] of cases) {
      const response = await api(server.url, `/api/events/${event.slug}/reports${path}`, { token: event.admin });
      expect(response.status, path).toBe(422);
      expect(response.body.error).toBe('invalid_input');
      expect(Object.keys(response.body.fields), path).toEqual([field]);
    }
    const english = await api(server.url, `/api/events/${event.slug}/reports/participants?sort=x&lang=en`, { token: event.admin });
    expect(english.body).toMatchObject({ message: 'Please check the highlighted fields.', fields: { sort: 'Invalid sort order.' } });
  });
});
