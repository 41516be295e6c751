import type { Span } from '../lexical/text.js';
import { UTF16, ViewBuilder, type View } from './view.js';

/**
 * Views that undo one disguise each, built from the Latin view: leetspeak, ROT13, reversed
 * text, and punctuation inside words. The detector builds them only when they can matter.
 */

const MIXED_RE = /[a-z][0-9@$!|€]|[0-9@$!|€][a-z]/;
const LEET: Record<string, string> = { '0': 'o', '1': 'i', '2': 'z', '3': 'e', '4': 'a', '5': 's', '6': 'g', '7': 't', '8': 'b', '9': 'g', '@': 'a', $: 's', '!': 'i', '|': 'l', '€': 'e' };

/**
 * Digits and symbols read as letters ("1gn0re", "fu11 m4rks", "$c0re"), but only inside a
 * word that also has letters: "4", "100" or "4/4" stay numbers. Same length as `src`, so
 * offsets carry over; `changed` lists the words rewritten, so only the text around them
 * needs a second scan. Undefined when nothing changed.
 */
export function leetView(src: View): { view: View; changed: Span[] } | undefined {
  const t = src.text;
  // Only words that mix letters with digits or symbols.
  if (!MIXED_RE.test(t)) return undefined;
  const pieces: string[] = [];
  const changed: Span[] = [];
  let from = 0;
  for (const m of t.matchAll(/[a-z0-9@$!|€]+/g)) {
    const w = m[0];
    if (w.length < 2 || !MIXED_RE.test(w)) continue;
    let out = '';
    for (let k = 0; k < w.length; k++) {
      const c = w[k]!;
      const l = LEET[c];
      // "!" and "|" are punctuation at the end of a word ("ignore!"), letters inside it.
      if (l === undefined || ((c === '!' || c === '|') && k === w.length - 1)) {
        out += c;
        continue;
      }
      // "11" in "fu11" and a "1" beside an "l" read as l; a lone "1" as i ("1gn0re").
      const near = (w[k - 1] ?? '') + (w[k + 1] ?? '');
      out += c === '1' && /[1l]/.test(near) ? 'l' : l;
    }
    pieces.push(t.slice(from, m.index), out);
    from = m.index + w.length;
    changed.push({ start: m.index, end: from });
  }
  if (changed.length === 0) return undefined;
  pieces.push(t.slice(from));
  return { view: { text: pieces.join(''), from: src.from, to: src.to }, changed };
}

/** ROT13 of the ASCII letters; same length, same offsets. */
export function rot13View(src: View): View {
  const t = src.text;
  const codes = new Uint16Array(t.length);
  for (let i = 0; i < t.length; i++) {
    const c = t.charCodeAt(i);
    codes[i] = c >= 97 && c <= 122 ? ((c - 97 + 13) % 26) + 97 : c;
  }
  return { text: UTF16.decode(codes), from: src.from, to: src.to };
}

/** The view read backwards ("skram lluf evig"); offsets reversed with it. */
export function reversedView(src: View): View {
  const text = src.text.split('').reverse().join('');
  let from: Int32Array | undefined;
  let to: Int32Array | undefined;
  // Offsets are only needed when something matched, which is almost never.
  return {
    text,
    get from() {
      return (from ??= src.from.slice().reverse());
    },
    get to() {
      return (to ??= src.to.slice().reverse());
    },
  };
}

const INNER_SEPARATORS = new Set(['-', '.', '*', '_', '·', "'", '|', '/', '~', '+', ':', '•', '`']);

/**
 * Punctuation inside a word removed ("ig-nore", "ru.bric" become "ignore", "rubric").
 * `joins` are the squeezed-view offsets where something was removed, so a caller can tell a
 * word that was broken up from one that merely touches a hyphen ("rubric-based").
 */
export function squeezeView(src: View): { view: View; joins: Set<number> } | undefined {
  const t = src.text;
  const b = new ViewBuilder(t.length);
  const joins = new Set<number>();
  const letter = (c: string | undefined) => c !== undefined && c >= 'a' && c <= 'z';
  for (let i = 0; i < t.length; i++) {
    if (INNER_SEPARATORS.has(t[i]!) && letter(b.last()) && letter(t[i + 1])) {
      joins.add(b.length);
      continue;
    }
    b.push(t[i]!, src.from[i]!, src.to[i]!);
  }
  return joins.size > 0 ? { view: b.build(), joins } : undefined;
}
