/**
 * Dates and times as HubSpot takes them (https://developers.hubspot.com/docs/api-reference/crm-properties-v3/guide):
 * a `date` property holds a calendar date, sent as `YYYY-MM-DD`; a `datetime` property holds an instant, sent as ISO
 * 8601 in UTC.
 *
 * Rules, in one place:
 * - A timestamp without an offset (`2026-03-01T10:00:00`, or a bare date for a datetime) is wall-clock time in the
 *   configured zone. A wall-clock time that does not exist (skipped by a DST change) moves forward by the gap,
 *   as `Temporal`'s "compatible" disambiguation does.
 * - A timestamp (ISO with a time part, or epoch milliseconds) given for a date property is accepted only when it is
 *   exactly midnight in the configured zone (UTC by default), and becomes that day; anything else would lose the
 *   time of day, so it is rejected.
 * - Years outside 0001–9999 are rejected: HubSpot's ISO strings have four-digit years.
 */

const MS_PER_DAY = 86_400_000;
const YEAR_MIN = 1;
const YEAR_MAX = 9999;

const ISO =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

export interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  millisecond: number;
}

/** Epoch ms of a UTC wall clock, valid for years 1–9999 (Date.UTC alone maps years 0–99 to 1900–1999). */
export function utcMs(clock: WallClock): number {
  const date = new Date(0);
  date.setUTCFullYear(clock.year, clock.month - 1, clock.day);
  date.setUTCHours(clock.hour, clock.minute, clock.second, clock.millisecond);
  return date.getTime();
}

function isRealDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  const probe = new Date(0);
  probe.setUTCFullYear(year, month - 1, day);
  return probe.getUTCMonth() === month - 1 && probe.getUTCDate() === day;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(zone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(zone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat("en-US", {
      timeZone: zone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
      era: "short",
    });
    formatters.set(zone, formatter);
  }
  return formatter;
}

/** The zone's offset from UTC at an instant, in ms (positive east of Greenwich). */
export function zoneOffsetMs(zone: string, instant: number): number {
  if (zone === "UTC" || zone === "Etc/UTC") return 0;
  const parts: Record<string, string> = {};
  for (const part of formatterFor(zone).formatToParts(new Date(instant))) parts[part.type] = part.value;
  const year = Number(parts.year) * (parts.era === "BC" || parts.era === "B" ? -1 : 1);
  const local = utcMs({
    year,
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour),
    minute: Number(parts.minute),
    second: Number(parts.second),
    millisecond: 0,
  });
  const whole = instant - (((instant % 1000) + 1000) % 1000);
  return local - whole;
}

/** The instant of a wall-clock time in a zone. */
export function zonedToInstant(clock: WallClock, zone: string): number {
  const local = utcMs(clock);
  if (zone === "UTC" || zone === "Etc/UTC") return local;
  const guess = local - zoneOffsetMs(zone, local);
  const offset = zoneOffsetMs(zone, guess);
  const instant = local - offset;
  // In a DST gap the second guess lands on the other side; take the later reading (moves forward by the gap).
  const check = zoneOffsetMs(zone, instant);
  return check === offset ? instant : local - check;
}

/** The calendar date of an instant in a zone, as YYYY-MM-DD. */
export function dateInZone(instant: number, zone: string): { text: string; midnight: boolean } {
  const local = instant + zoneOffsetMs(zone, instant);
  const date = new Date(local);
  const text = `${pad(date.getUTCFullYear(), 4)}-${pad(date.getUTCMonth() + 1, 2)}-${pad(date.getUTCDate(), 2)}`;
  return { text, midnight: ((local % MS_PER_DAY) + MS_PER_DAY) % MS_PER_DAY === 0 };
}

const pad = (value: number, width: number) => String(value).padStart(width, "0");

export type Parsed =
  | { kind: "date"; year: number; month: number; day: number }
  | { kind: "instant"; ms: number; hasTime: boolean }
  | { kind: "invalid"; reason: string };

/**
 * Parses an ISO 8601 date or date-time string. A value with an offset (or Z) is an instant; one without is
 * wall-clock time in `zone`. A bare date stays a date.
 */
export function parseIso(text: string, zone: string): Parsed {
  const match = ISO.exec(text.trim());
  if (!match) return { kind: "invalid", reason: "is not an ISO 8601 date or date-time" };
  const [, y, mo, d, h, mi, s, fraction, offset] = match;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  if (year < YEAR_MIN || year > YEAR_MAX || !isRealDate(year, month, day)) {
    return { kind: "invalid", reason: "is not a real calendar date" };
  }
  if (h === undefined) {
    if (offset) return { kind: "invalid", reason: "has an offset but no time" };
    return { kind: "date", year, month, day };
  }
  const clock: WallClock = {
    year,
    month,
    day,
    hour: Number(h),
    minute: Number(mi),
    second: s === undefined ? 0 : Number(s),
    millisecond: fraction === undefined ? 0 : Math.floor(Number(`0.${fraction}`) * 1000),
  };
  if (clock.hour > 23 || clock.minute > 59 || clock.second > 59) {
    return { kind: "invalid", reason: "has a time of day that does not exist" };
  }
  if (!offset) return { kind: "instant", ms: zonedToInstant(clock, zone), hasTime: true };
  return { kind: "instant", ms: utcMs(clock) - offsetMs(offset), hasTime: true };
}

function offsetMs(offset: string): number {
  if (offset.toUpperCase() === "Z") return 0;
  const sign = offset.startsWith("-") ? -1 : 1;
  const digits = offset.slice(1).replace(":", "");
  const hours = Number(digits.slice(0, 2));
  const minutes = digits.length > 2 ? Number(digits.slice(2, 4)) : 0;
  return sign * (hours * 60 + minutes) * 60_000;
}

const EARLIEST = utcMs({ year: YEAR_MIN, month: 1, day: 1, hour: 0, minute: 0, second: 0, millisecond: 0 });
const LATEST = utcMs({
  year: YEAR_MAX,
  month: 12,
  day: 31,
  hour: 23,
  minute: 59,
  second: 59,
  millisecond: 999,
});

/** An epoch-ms instant HubSpot can hold (years 0001–9999). */
export const isInRange = (ms: number) => Number.isFinite(ms) && ms >= EARLIEST && ms <= LATEST;

export const toIsoDate = (year: number, month: number, day: number) =>
  `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`;

/** ISO 8601 in UTC with four-digit years (toISOString would write +0xxxx for nothing here, but keep it explicit). */
export const toIsoInstant = (ms: number) => new Date(ms).toISOString();
