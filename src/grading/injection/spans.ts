import type { Span } from '../lexical/text.js';

const CLAUSE_BREAK = /[\n.!?。！？]/;

/** The sentence or line around `span`: from the previous sentence end or newline to the next. */
export function clauseAround(text: string, span: Span): Span {
  let s = span.start;
  while (s > 0 && !CLAUSE_BREAK.test(text[s - 1]!)) s--;
  while (s < span.start && /\s/.test(text[s]!)) s++;
  let e = span.end;
  while (e < text.length && !CLAUSE_BREAK.test(text[e]!)) e++;
  if (e < text.length && text[e] !== '\n') e++;
  return { start: s, end: Math.max(e, span.end) };
}

/** From the sentence `span` starts in to the next blank line (or the end). */
export function paragraphFrom(text: string, span: Span): Span {
  const start = clauseAround(text, span).start;
  const blank = /\n[ \t]*\n/g;
  blank.lastIndex = span.end;
  const m = blank.exec(text);
  return { start, end: m ? m.index : text.length };
}

/** Sorted, with overlapping or touching spans joined. */
export function mergeSpans(spans: Span[]): Span[] {
  const sorted = [...spans].filter((s) => s.end > s.start).sort((a, b) => a.start - b.start || a.end - b.end);
  const out: Span[] = [];
  for (const sp of sorted) {
    const last = out[out.length - 1];
    if (last && sp.start <= last.end) last.end = Math.max(last.end, sp.end);
    else out.push({ ...sp });
  }
  return out;
}

/** Each span that touches one of `containers` grows to cover it (a hit inside a code block takes the block). */
export function widenTo(spans: Span[], containers: Span[]): Span[] {
  if (containers.length === 0) return spans;
  return spans.map((sp) => {
    let { start, end } = sp;
    for (const c of containers) {
      if (c.start < end && sp.start < c.end) {
        start = Math.min(start, c.start);
        end = Math.max(end, c.end);
      }
    }
    return { start, end };
  });
}
