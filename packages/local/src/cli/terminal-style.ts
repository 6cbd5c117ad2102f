/** How the CLI marks up text: ANSI colours on a terminal, plain text otherwise. */
export interface TerminalStyle {
  readonly bold: (text: string) => string;
  readonly dim: (text: string) => string;
  readonly green: (text: string) => string;
  readonly yellow: (text: string) => string;
  readonly red: (text: string) => string;
}

const plain = (text: string) => text;
const ansi = (open: number, close: number) => (text: string) => `\u001b[${open}m${text}\u001b[${close}m`;

export const PLAIN_STYLE: TerminalStyle = { bold: plain, dim: plain, green: plain, yellow: plain, red: plain };
const COLOUR_STYLE: TerminalStyle = {
  bold: ansi(1, 22),
  dim: ansi(2, 22),
  green: ansi(32, 39),
  yellow: ansi(33, 39),
  red: ansi(31, 39),
};

/**
 * Colour only for a person at a terminal: never into a pipe or a file, and never when
 * NO_COLOR is set to anything non-empty (https://no-color.org) or TERM is "dumb".
 */
export function terminalStyleFor(isTTY: boolean | undefined, env: NodeJS.ProcessEnv): TerminalStyle {
  const wanted = isTTY === true && !env.NO_COLOR && env.TERM !== "dumb";
  return wanted ? COLOUR_STYLE : PLAIN_STYLE;
}

/** The visible length of text that may hold ANSI colour codes. */
export function visibleLength(text: string): number {
  // eslint-disable-next-line no-control-regex
  // biome-ignore lint/suspicious/noControlCharactersInRegex: ESC starts the colour codes this strips
  return text.replace(/\u001b\[\d+m/g, "").length;
}
