import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { JsonLinesFile } from "./json-files";

const directories: string[] = [];
afterEach(() => {
  for (const directory of directories.splice(0)) rmSync(directory, { recursive: true, force: true });
});

function fileIn(name: string, content?: string): string {
  const directory = mkdtempSync(join(tmpdir(), "json-lines-"));
  directories.push(directory);
  const path = join(directory, name);
  if (content !== undefined) writeFileSync(path, content);
  return path;
}

const parseNumberRecord = (value: unknown): { n: number } | undefined =>
  typeof value === "object" && value !== null && typeof (value as { n?: unknown }).n === "number"
    ? (value as { n: number })
    : undefined;

describe("JsonLinesFile", () => {
  it("skips lines that are not JSON or not valid records, warning with the file and line number", () => {
    // Prepare
    const path = fileIn("records.jsonl", '{"n": 1}\n{"n": "two"}\n\n{"n": 3}\n{"n": 4');
    const warnings: string[] = [];

    // Act
    const content = new JsonLinesFile(path).read(parseNumberRecord, (message) => warnings.push(message));

    // Assert
    expect(content).toEqual({ records: [{ n: 1 }, { n: 3 }], skippedLines: 2, endsCleanly: false });
    expect(warnings).toEqual([
      `Skipped line 2 of ${path}: its content is not a valid record.`,
      `Skipped line 5 of ${path}: it is not valid JSON (a partial write?).`,
    ]);
  });

  it("buffers appends until flushed and rewrites the whole file on rewrite", () => {
    // Prepare
    const path = fileIn("records.jsonl");
    const file = new JsonLinesFile(path);
    file.append({ n: 1 });
    file.append({ n: 2 });

    // Act
    file.flush();
    const afterFlush = readFileSync(path, "utf8");
    file.append({ n: 3 });
    file.rewrite([{ n: 9 }]);
    file.flush();

    // Assert
    expect(afterFlush).toBe('{"n":1}\n{"n":2}\n');
    expect(readFileSync(path, "utf8")).toBe('{"n":9}\n');
  });

  it("reads a missing file as empty", () => {
    // Prepare
    const path = fileIn("missing.jsonl");

    // Act
    const content = new JsonLinesFile(path).read(parseNumberRecord, () => undefined);

    // Assert
    expect(content).toEqual({ records: [], skippedLines: 0, endsCleanly: true });
  });
});
