/**
 * Wall-clock times in an event's own zone, as `<input type="datetime-local">` reads and writes
 * them ("2026-12-01T18:30"), turned into UTC instants and back with the runtime's Intl
 * (no date library): the admin types the time the event's audience reads on its posters.
 */

const minuteMs = 60_000;
const dayMs = 24 * 60 * minuteMs;

const formatters = new Map<string, Intl.DateTimeFormat>();

/** The parts of `instant` on a clock in `zone`. */
function wallParts(instant: number, zone: string) {
  let format = formatters.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
    });
    formatters.set(zone, format);
  }
  const parts: Record<string, number> = {};
  for (const part of format.formatToParts(instant)) if (part.type !== 'literal') parts[part.type] = Number(part.value);
  return parts as Record<'year' | 'month' | 'day' | 'hour' | 'minute', number>;
}

/** The wall time of `instant` in `zone`, as if it were UTC (ms): the zone's offset is this minus `instant`. */
function wallAsUtc(instant: number, zone: string): number {
  const p = wallParts(instant, zone);
  return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute);
}

const offsetAt = (instant: number, zone: string) => wallAsUtc(instant, zone) - Math.floor(instant / minuteMs) * minuteMs;

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** An ISO instant as the `datetime-local` text of the clock in `zone` ('' for null or an unknown zone). */
export function zonedInputOf(iso: string | null, zone: string): string {
  if (!iso) return '';
  const instant = new Date(iso).getTime();
  if (Number.isNaN(instant)) return '';
  try {
    const p = wallParts(instant, zone);
    return `${pad(p.year, 4)}-${pad(p.month)}-${pad(p.day)}T${pad(p.hour)}:${pad(p.minute)}`;
  } catch {
    return '';
  }
}

/**
 * The UTC instant (ISO) at which clocks in `zone` show the `datetime-local` text `local`; null
 * for '' and for text that is not such a time. Around a change of offset: a time that happens
 * twice (clocks turned back) is the first one; a time that never happens (clocks turned
 * forward) is moved on by the gap, as clocks themselves read it (02:30 becomes 03:30).
 */
export function instantOfZonedInput(local: string, zone: string): string | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(local.trim());
  if (!match) return null;
  const [year, month, day, hour, minute] = match.slice(1).map(Number) as [number, number, number, number, number];
  const wall = Date.UTC(year, month - 1, day, hour, minute);
  if (Number.isNaN(wall)) return null;
  // Offsets a day either side: no zone changes its offset twice in two days.
  const before = offsetAt(wall - dayMs, zone);
  const after = offsetAt(wall + dayMs, zone);
  const matching = [wall - before, wall - after].filter((instant) => wallAsUtc(instant, zone) === wall).sort((a, b) => a - b);
  const instant = matching[0] ?? wall - before;
  return new Date(instant).toISOString();
}

/** Every IANA zone this runtime knows, UTC included, for a select; the given `current` kept if missing. */
export function timeZones(current: string): string[] {
  const known = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  const zones = new Set(['UTC', ...known]);
  if (current) zones.add(current);
  return [...zones];
}

/** The zone of the browser the form is read in, the default for a new event. */
export function browserTimeZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  } catch {
    return 'UTC';
  }
}
