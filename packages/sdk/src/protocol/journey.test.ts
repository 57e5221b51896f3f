import { describe, expect, it } from 'vitest';
import { EventState, eventState, type EventSchedule } from './journey.js';

const now = Date.parse('2026-12-01T18:00:00Z');
const open: EventSchedule = { is_active: true, starts_at: null, live_at: null, replay_url: null, on_demand_until: null };
const closed: EventSchedule = { ...open, is_active: false };

describe('eventState (the table of DESIGN.md "The attendee journey")', () => {
  it('is scheduled while an open event has a start time and has not gone live', () => {
    expect(eventState({ ...open, starts_at: '2026-12-02T18:00:00Z' }, now)).toBe(EventState.scheduled);
    // A start time already past changes nothing: only an administrator starts the broadcast.
    expect(eventState({ ...open, starts_at: '2026-11-30T18:00:00Z' }, now)).toBe(EventState.scheduled);
  });

  it('is live once an administrator started it, or at once for an open event without a start time', () => {
    expect(eventState({ ...open, starts_at: '2026-12-02T18:00:00Z', live_at: '2026-12-01T17:59:00Z' }, now)).toBe(EventState.live);
    expect(eventState(open, now)).toBe(EventState.live);
  });

  it('is on demand while a closed event has a replay whose window is still ahead', () => {
    const replay = { ...closed, replay_url: 'https://video.example/replay', on_demand_until: new Date(now + 1) };
    expect(eventState(replay, now)).toBe(EventState.onDemand);
  });

  it('is ended when closed without a replay, without a window, or once the window has passed', () => {
    expect(eventState(closed, now)).toBe(EventState.ended);
    expect(eventState({ ...closed, replay_url: 'https://video.example/replay' }, now)).toBe(EventState.ended);
    expect(eventState({ ...closed, replay_url: 'https://video.example/replay', on_demand_until: new Date(now) }, now)).toBe(EventState.ended);
    expect(eventState({ ...closed, replay_url: null, on_demand_until: new Date(now + 60_000) }, now)).toBe(EventState.ended);
  });
});
