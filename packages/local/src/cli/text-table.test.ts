import { describe, expect, it } from "vitest";
import { formatTable } from "./text-table";

describe("text tables", () => {
  it("cuts the widest column with … so that the table fits the width", () => {
    const rows = [
      {
        rule: "payment3-dev-processor",
        arn: `arn:aws:lambda:ap-southeast-1:000000000000:function:${"x".repeat(120)}`,
        retries: 3,
      },
    ];

    const table = formatTable(rows, { maxWidth: 80 });

    const lines = table.split("\n");
    expect(Math.max(...lines.map((line) => line.length))).toBe(80);
    expect(lines[2]).toMatch(/^payment3-dev-processor {2}arn:aws:lambda:\S+… {2}3$/);
    expect(lines[0]).toMatch(/^rule {20}arn {2,}retries$/);
  });

  it("leaves a table that fits as it is, one line per row, newlines in a cell flattened", () => {
    const table = formatTable([{ id: "a", error: "first line\n  second line" }]);

    expect(table).toBe("id  error\n--  ----------------------\na   first line second line");
  });
});
