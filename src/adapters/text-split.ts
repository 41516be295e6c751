/** Where a hard cut at `at` may fall: never between the halves of a surrogate pair (an emoji). */
export function surrogateSafeCut(text: string, at: number): number {
  const code = text.charCodeAt(at - 1);
  return Math.max(code >= 0xd800 && code <= 0xdbff ? at - 1 : at, 1);
}

export type SafeCut = (text: string, at: number) => number;

/** Cuts to at most `max` characters, ending with "…". */
export function truncate(text: string, max: number, safeCut: SafeCut = surrogateSafeCut): string {
  if (text.length <= max) return text;
  return `${text.slice(0, safeCut(text, max - 1))}…`;
}

/**
 * Splits text into chunks of at most `max` characters, preferring line breaks, then spaces,
 * so a long scorecard becomes several blocks or embeds instead of an error from the platform.
 */
export function splitText(text: string, max: number, safeCut: SafeCut = surrogateSafeCut): string[] {
  const chunks: string[] = [];
  let rest = text;
  while (rest.length > max) {
    const window = rest.slice(0, max + 1);
    let cut = window.lastIndexOf('\n');
    if (cut < max / 2) cut = window.lastIndexOf(' ');
    if (cut < max / 2) cut = safeCut(rest, max);
    chunks.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).replace(/^[\n ]/, '');
  }
  if (rest.length > 0 || chunks.length === 0) chunks.push(rest);
  return chunks;
}
