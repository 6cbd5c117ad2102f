/** A fenced code block of a Markdown file that a test runs, marked `<!-- tested: <name> -->` on the line before it. */
export interface TestedBlock {
  readonly name: string;
  /** The fence's info string, e.g. `sh` or `ts`. */
  readonly language: string;
  readonly code: string;
  /** 1-based line of the marker, for messages. */
  readonly line: number;
  /** The text of an unlabelled fenced block right after it (blank lines between allowed): what running it prints. */
  readonly output?: string;
}

/** A `tested` marker that is not directly followed by a fenced code block, or a name used twice. */
export class TestedBlockMarkerError extends Error {
  override readonly name = "TestedBlockMarkerError";
  readonly code = "TestedBlockMarkerError";
}

const MARKER = /^<!--\s*tested:\s*([a-z0-9-]+)\s*-->\s*$/;
const FENCE_OPEN = /^(```+)\s*([\w-]*)\s*$/;

/**
 * The blocks of `markdown` marked for testing. Each marker must stand alone on the line right
 * before the block's opening fence, so moving a block without its marker fails loudly here.
 *
 * @throws TestedBlockMarkerError for a marker without a block after it, an unclosed block, or a
 *   name used twice.
 */
export function readTestedBlocks(markdown: string): TestedBlock[] {
  const lines = markdown.split("\n");
  const blocks: TestedBlock[] = [];
  for (let index = 0; index < lines.length; index += 1) {
    const marker = MARKER.exec(lines[index]!.trim());
    if (!marker) continue;
    const name = marker[1]!;
    const fence = FENCE_OPEN.exec(lines[index + 1] ?? "");
    if (!fence)
      throw new TestedBlockMarkerError(
        `line ${index + 1}: <!-- tested: ${name} --> must be followed at once by a fenced code block`,
      );
    const close = lines.findIndex((line, at) => at > index + 1 && line.trim() === fence[1]);
    if (close === -1)
      throw new TestedBlockMarkerError(`line ${index + 2}: the code block of "${name}" is never closed`);
    if (blocks.some((block) => block.name === name))
      throw new TestedBlockMarkerError(`line ${index + 1}: the name "${name}" is used by two tested blocks`);
    const output = unlabelledBlockAt(lines, close + 1);
    blocks.push({
      name,
      language: fence[2] ?? "",
      code: `${lines.slice(index + 2, close).join("\n")}\n`,
      line: index + 1,
      ...(output === undefined ? {} : { output: output.text }),
    });
    index = output?.close ?? close;
  }
  return blocks;
}

/** The fenced block without a language that starts at `from` (after blank lines), if there is one. */
function unlabelledBlockAt(lines: readonly string[], from: number): { text: string; close: number } | undefined {
  let open = from;
  while (open < lines.length && lines[open]!.trim() === "") open += 1;
  if (lines[open]?.trim() !== "```") return undefined;
  const close = lines.findIndex((line, at) => at > open && line.trim() === "```");
  if (close === -1) return undefined;
  return { text: `${lines.slice(open + 1, close).join("\n")}\n`, close };
}
