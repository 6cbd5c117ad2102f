/**
 * PutRule's `ScheduleExpression`: `rate(value unit)` and the six-field `cron(...)` of EventBridge, parsed and asked
 * for their next fire time. [semantics §10, DOC scheduled-rule-pattern]
 */

import { EventBridgeValidationError } from "./errors";

export const INVALID_SCHEDULE_EXPRESSION_MESSAGE = "Parameter ScheduleExpression is not valid.";

/** A parsed schedule: when it fires next, strictly after `afterMs`, counting a rate from `startMs`. */
export interface Schedule {
  readonly expression: string;
  /** The first fire time strictly after `afterMs`, or `undefined` when the schedule never fires again. */
  nextFireTime(afterMs: number, startMs: number): number | undefined;
}

const MINUTE_MS = 60_000;
const RATE_UNITS: Readonly<Record<string, number>> = {
  minute: MINUTE_MS,
  minutes: MINUTE_MS,
  hour: 60 * MINUTE_MS,
  hours: 60 * MINUTE_MS,
  day: 24 * 60 * MINUTE_MS,
  days: 24 * 60 * MINUTE_MS,
};
const MONTH_NAMES = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];
const WEEKDAY_NAMES = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];
/** How far ahead a cron schedule is searched; beyond that it is taken as never firing again. */
const CRON_SEARCH_DAYS = 366 * 8;

/** The schedule of a valid expression, or a ValidationException "Parameter ScheduleExpression is not valid.". */
export function parseScheduleExpression(expression: string): Schedule {
  const schedule = tryParse(expression);
  if (!schedule) throw new EventBridgeValidationError(INVALID_SCHEDULE_EXPRESSION_MESSAGE);
  return schedule;
}

function tryParse(expression: string): Schedule | undefined {
  const rate = /^rate\((\d+) ([a-z]+)\)$/.exec(expression);
  if (rate) return parseRate(expression, rate[1] ?? "", rate[2] ?? "");
  const cron = /^cron\((.*)\)$/.exec(expression);
  if (cron) return parseCron(expression, cron[1] ?? "");
  return undefined;
}

function parseRate(expression: string, valueText: string, unit: string): Schedule | undefined {
  const value = Number(valueText);
  const unitMs = RATE_UNITS[unit];
  if (unitMs === undefined || !Number.isSafeInteger(value) || value < 1) return undefined;
  // rate(1 hours) and rate(5 hour) are not valid: singular for 1, plural otherwise.
  if ((value === 1) !== !unit.endsWith("s")) return undefined;
  const periodMs = value * unitMs;
  return {
    expression,
    nextFireTime: (afterMs, startMs) => startMs + (Math.floor((afterMs - startMs) / periodMs) + 1) * periodMs,
  };
}

/** A day as the day fields see it. */
interface Day {
  readonly year: number;
  readonly month: number; // 1-12
  readonly dayOfMonth: number;
  readonly dayOfWeek: number; // 1 (SUN) - 7 (SAT)
  readonly daysInMonth: number;
}

type DayTest = (day: Day) => boolean;

function parseCron(expression: string, body: string): Schedule | undefined {
  const fields = body.split(" ");
  if (fields.length !== 6 || fields.some((field) => field === "")) return undefined;
  const [minuteField, hourField, dayOfMonthField, monthField, dayOfWeekField, yearField] = fields as [
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  // Exactly one of day-of-month and day-of-week is `?`.
  if ((dayOfMonthField === "?") === (dayOfWeekField === "?")) return undefined;
  const minutes = parseValueField(minuteField, 0, 59, []);
  const hours = parseValueField(hourField, 0, 23, []);
  const months = parseValueField(monthField, 1, 12, MONTH_NAMES);
  const years = parseValueField(yearField, 1970, 2199, []);
  const dayOfMonth = dayOfMonthField === "?" ? () => true : parseDayOfMonth(dayOfMonthField);
  const dayOfWeek = dayOfWeekField === "?" ? () => true : parseDayOfWeek(dayOfWeekField);
  if (!minutes || !hours || !months || !years || !dayOfMonth || !dayOfWeek) return undefined;
  const minuteList = [...minutes].sort((a, b) => a - b);
  const hourList = [...hours].sort((a, b) => a - b);
  return {
    expression,
    nextFireTime(afterMs) {
      const after = new Date(Math.floor(afterMs / MINUTE_MS) * MINUTE_MS);
      const firstDay = Date.UTC(after.getUTCFullYear(), after.getUTCMonth(), after.getUTCDate());
      for (let index = 0; index < CRON_SEARCH_DAYS; index += 1) {
        const dayStart = firstDay + index * 24 * 60 * MINUTE_MS;
        const date = new Date(dayStart);
        const day: Day = {
          year: date.getUTCFullYear(),
          month: date.getUTCMonth() + 1,
          dayOfMonth: date.getUTCDate(),
          dayOfWeek: date.getUTCDay() + 1,
          daysInMonth: new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 0)).getUTCDate(),
        };
        if (day.year > 2199) return undefined;
        if (!years.has(day.year) || !months.has(day.month) || !dayOfMonth(day) || !dayOfWeek(day)) continue;
        for (const hour of hourList) {
          for (const minute of minuteList) {
            const time = dayStart + (hour * 60 + minute) * MINUTE_MS;
            if (time > afterMs) return time;
          }
        }
      }
      return undefined;
    },
  };
}

/** A field of values, ranges, lists, `*` and `/` increments (names allowed where given), as the set of its values. */
function parseValueField(field: string, min: number, max: number, names: readonly string[]): Set<number> | undefined {
  const values = new Set<number>();
  for (const item of field.split(",")) {
    const itemValues = parseValueItem(item, min, max, names);
    if (!itemValues) return undefined;
    for (const value of itemValues) values.add(value);
  }
  return values;
}

function parseValueItem(item: string, min: number, max: number, names: readonly string[]): number[] | undefined {
  const [range, stepText, ...rest] = item.split("/");
  if (range === undefined || rest.length > 0) return undefined;
  let step = 1;
  if (stepText !== undefined) {
    if (!/^\d+$/.test(stepText)) return undefined;
    step = Number(stepText);
    if (step < 1) return undefined;
  }
  let from: number;
  let to: number;
  if (range === "*") {
    from = min;
    to = max;
  } else {
    const bounds = range.split("-");
    if (bounds.length > 2) return undefined;
    const first = parseValue(bounds[0] ?? "", min, max, names);
    const last = bounds.length === 2 ? parseValue(bounds[1] ?? "", min, max, names) : undefined;
    if (first === undefined || (bounds.length === 2 && last === undefined)) return undefined;
    from = first;
    // `a/n` runs from a to the end of the field.
    to = last ?? (stepText === undefined ? first : max);
  }
  const values: number[] = [];
  if (from <= to) {
    for (let value = from; value <= to; value += step) values.push(value);
  } else {
    // A wrapping range such as FRI-MON or NOV-FEB.
    for (let offset = 0; offset <= max - from + (to - min); offset += step) {
      const value = from + offset;
      values.push(value > max ? value - (max - min + 1) : value);
    }
  }
  return values;
}

function parseValue(text: string, min: number, max: number, names: readonly string[]): number | undefined {
  const named = names.indexOf(text.toUpperCase());
  if (named >= 0) return min + named;
  if (!/^\d+$/.test(text)) return undefined;
  const value = Number(text);
  return value >= min && value <= max ? value : undefined;
}

/** Day-of-month: values, ranges, lists, `*`, `/`, `L` (last day), `LW` (last weekday), `nW` (weekday nearest n). */
function parseDayOfMonth(field: string): DayTest | undefined {
  if (field === "L") return (day) => day.dayOfMonth === day.daysInMonth;
  if (field === "LW") return (day) => day.dayOfMonth === nearestWeekday(day, day.daysInMonth);
  const weekday = /^(\d+)W$/.exec(field);
  if (weekday) {
    const target = Number(weekday[1]);
    if (target < 1 || target > 31) return undefined;
    return (day) => target <= day.daysInMonth && day.dayOfMonth === nearestWeekday(day, target);
  }
  const values = parseValueField(field, 1, 31, []);
  return values && ((day) => values.has(day.dayOfMonth));
}

/** The weekday (Monday-Friday) of the day's month nearest `target`, not leaving the month. */
function nearestWeekday(day: Day, target: number): number {
  const weekday = new Date(Date.UTC(day.year, day.month - 1, target)).getUTCDay();
  if (weekday === 6) return target === 1 ? 3 : target - 1;
  if (weekday === 0) return target === day.daysInMonth ? target - 2 : target + 1;
  return target;
}

/** Day-of-week: values (1-7 or SUN-SAT), ranges, lists, `*`, `L` (SAT), `nL` (last n of the month), `n#k` (k-th n). */
function parseDayOfWeek(field: string): DayTest | undefined {
  if (field === "L") return (day) => day.dayOfWeek === 7;
  const last = /^([^#L]+)L$/.exec(field);
  if (last) {
    const weekday = parseValue(last[1] ?? "", 1, 7, WEEKDAY_NAMES);
    if (weekday === undefined) return undefined;
    return (day) => day.dayOfWeek === weekday && day.dayOfMonth + 7 > day.daysInMonth;
  }
  if (field.includes("#")) {
    // Only one expression with `#`: "3#1,6#3" is two and not valid.
    const nth = /^([^#,]+)#([1-5])$/.exec(field);
    const weekday = nth ? parseValue(nth[1] ?? "", 1, 7, WEEKDAY_NAMES) : undefined;
    if (!nth || weekday === undefined) return undefined;
    const occurrence = Number(nth[2]);
    return (day) => day.dayOfWeek === weekday && Math.ceil(day.dayOfMonth / 7) === occurrence;
  }
  const values = parseValueField(field, 1, 7, WEEKDAY_NAMES);
  return values && ((day) => values.has(day.dayOfWeek));
}
