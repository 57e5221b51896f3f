import { describe, expect, it } from 'vitest';
import { instantOfZonedInput, timeZones, zonedInputOf } from './zoned-time.js';

describe('times typed in the event zone', () => {
  it('reads a Mexico City evening as the UTC instant six hours later', () => {
    expect(instantOfZonedInput('2026-12-01T18:30', 'America/Mexico_City')).toBe('2026-12-02T00:30:00.000Z');
    expect(zonedInputOf('2026-12-02T00:30:00.000Z', 'America/Mexico_City')).toBe('2026-12-01T18:30');
  });

  it('keeps the same wall time on both sides of a summer-time change in Madrid', () => {
    expect(instantOfZonedInput('2026-03-28T10:00', 'Europe/Madrid')).toBe('2026-03-28T09:00:00.000Z');
    expect(instantOfZonedInput('2026-03-30T10:00', 'Europe/Madrid')).toBe('2026-03-30T08:00:00.000Z');
  });

  it('moves a time that never happens (clocks turned forward) on by the gap', () => {
    const instant = instantOfZonedInput('2026-03-29T02:30', 'Europe/Madrid');
    expect(instant).toBe('2026-03-29T01:30:00.000Z');
    expect(zonedInputOf(instant, 'Europe/Madrid')).toBe('2026-03-29T03:30');
  });

  it('takes the first of a time that happens twice (clocks turned back)', () => {
    expect(instantOfZonedInput('2026-10-25T02:30', 'Europe/Madrid')).toBe('2026-10-25T00:30:00.000Z');
    expect(instantOfZonedInput('2026-11-01T01:30', 'America/New_York')).toBe('2026-11-01T05:30:00.000Z');
  });

  it('round-trips every quarter hour of a year in a zone with summer time', () => {
    for (let instant = Date.UTC(2026, 0, 1); instant < Date.UTC(2027, 0, 1); instant += 15 * 60_000 * 97) {
      const iso = new Date(instant).toISOString();
      const local = zonedInputOf(iso, 'America/Santiago');
      const back = instantOfZonedInput(local, 'America/Santiago')!;
      expect(zonedInputOf(back, 'America/Santiago')).toBe(local);
    }
  });

  it('answers null for an empty or malformed time and lists UTC among the zones', () => {
    expect(instantOfZonedInput('', 'UTC')).toBeNull();
    expect(instantOfZonedInput('mañana', 'UTC')).toBeNull();
    expect(zonedInputOf(null, 'UTC')).toBe('');
    expect(timeZones('UTC')).toContain('UTC');
    expect(timeZones('UTC')).toContain('America/Mexico_City');
  });
});
