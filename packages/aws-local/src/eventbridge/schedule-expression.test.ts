import { describe, expect, it } from "vitest";
import { parseScheduleExpression } from "./schedule-expression";

// Cases from "Schedule expressions for rules":
// https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-scheduled-rule-pattern.html

function nextTimes(expression: string, from: string, count: number): string[] {
  const schedule = parseScheduleExpression(expression);
  const start = Date.parse(from);
  const times: string[] = [];
  let after = start;
  for (let index = 0; index < count; index += 1) {
    const next = schedule.nextFireTime(after, start);
    if (next === undefined) break;
    times.push(new Date(next).toISOString());
    after = next;
  }
  return times;
}

describe("the next fire time of a schedule expression", () => {
  it("counts a rate from when the rule started", () => {
    expect(nextTimes("rate(5 minutes)", "2026-03-01T10:02:30.000Z", 3)).toEqual([
      "2026-03-01T10:07:30.000Z",
      "2026-03-01T10:12:30.000Z",
      "2026-03-01T10:17:30.000Z",
    ]);
  });

  it("fires cron(0 10 * * ? *) at 10:00 UTC every day", () => {
    expect(nextTimes("cron(0 10 * * ? *)", "2026-03-01T10:00:00.000Z", 2)).toEqual([
      "2026-03-02T10:00:00.000Z",
      "2026-03-03T10:00:00.000Z",
    ]);
  });

  it("fires cron(0/15 * * * ? *) every 15 minutes", () => {
    expect(nextTimes("cron(0/15 * * * ? *)", "2026-03-01T10:07:00.000Z", 3)).toEqual([
      "2026-03-01T10:15:00.000Z",
      "2026-03-01T10:30:00.000Z",
      "2026-03-01T10:45:00.000Z",
    ]);
  });

  it("fires cron(0 18 ? * MON-FRI *) on weekdays only", () => {
    // 2026-03-06 is a Friday.
    expect(nextTimes("cron(0 18 ? * MON-FRI *)", "2026-03-06T19:00:00.000Z", 2)).toEqual([
      "2026-03-09T18:00:00.000Z",
      "2026-03-10T18:00:00.000Z",
    ]);
  });

  it("fires cron(0 8 1 * ? *) on the first day of every month", () => {
    expect(nextTimes("cron(0 8 1 * ? *)", "2026-01-15T00:00:00.000Z", 2)).toEqual([
      "2026-02-01T08:00:00.000Z",
      "2026-03-01T08:00:00.000Z",
    ]);
  });

  it("understands L, W and # in the day fields", () => {
    expect(nextTimes("cron(0 0 L * ? *)", "2026-02-01T00:00:00.000Z", 1)).toEqual(["2026-02-28T00:00:00.000Z"]);
    // 2026-03-01 is a Sunday: the weekday nearest the 1st is Monday the 2nd.
    expect(nextTimes("cron(0 0 1W * ? *)", "2026-02-15T00:00:00.000Z", 1)).toEqual(["2026-03-02T00:00:00.000Z"]);
    // 3#2: the second Tuesday; in March 2026 the 10th.
    expect(nextTimes("cron(0 0 ? * 3#2 *)", "2026-03-01T00:00:00.000Z", 1)).toEqual(["2026-03-10T00:00:00.000Z"]);
    // 6L: the last Friday; in March 2026 the 27th.
    expect(nextTimes("cron(0 0 ? * 6L *)", "2026-03-01T00:00:00.000Z", 1)).toEqual(["2026-03-27T00:00:00.000Z"]);
  });

  it("stops after the last year the expression names", () => {
    expect(nextTimes("cron(0 12 31 DEC ? 2026)", "2026-06-01T00:00:00.000Z", 2)).toEqual(["2026-12-31T12:00:00.000Z"]);
  });
});
