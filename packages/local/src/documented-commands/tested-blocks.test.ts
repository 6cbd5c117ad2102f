import { describe, expect, it } from "vitest";
import { readTestedBlocks, TestedBlockMarkerError } from "./tested-blocks";

describe("readTestedBlocks", () => {
  it("reads each marked block with its language and the unlabelled output block after it", () => {
    const markdown = [
      "# t",
      "<!-- tested: first -->",
      "```sh",
      "echo hi",
      "```",
      "",
      "```",
      "hi",
      "```",
      "```sh",
      "not tested",
      "```",
      "<!-- tested: second -->",
      "```ts",
      "x()",
      "```",
    ].join("\n");

    const blocks = readTestedBlocks(markdown);

    expect(blocks).toEqual([
      { name: "first", language: "sh", code: "echo hi\n", line: 2, output: "hi\n" },
      { name: "second", language: "ts", code: "x()\n", line: 13 },
    ]);
  });

  it("refuses a marker that is not followed at once by a code block", () => {
    expect(() => readTestedBlocks("<!-- tested: lost -->\n\n```sh\nls\n```\n")).toThrow(TestedBlockMarkerError);
  });

  it("refuses a name used twice", () => {
    expect(() => readTestedBlocks("<!-- tested: a -->\n```sh\nls\n```\n<!-- tested: a -->\n```sh\npwd\n```\n")).toThrow(
      /used by two/,
    );
  });
});
