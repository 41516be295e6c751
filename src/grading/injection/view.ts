import type { Span } from '../lexical/text.js';

/**
 * A rewritten copy of the answer in which every character remembers the range of the original
 * it came from (`from[i]`..`to[i]`), so a match found after folding, un-spacing or decoding
 * still points at the exact characters to mask. Views are for matching only, never shown.
 */
export type View = { text: string; from: Int32Array; to: Int32Array };

export const UTF16 = new TextDecoder('utf-16le');

/** Appends characters with their original ranges; typed arrays because this runs on every answer. */
export class ViewBuilder {
  private codes: Uint16Array;
  private f: Int32Array;
  private t: Int32Array;
  private n = 0;
  constructor(capacity: number) {
    const c = Math.max(16, capacity);
    this.codes = new Uint16Array(c);
    this.f = new Int32Array(c);
    this.t = new Int32Array(c);
  }
  pushCode(code: number, from: number, to: number): void {
    if (this.n === this.codes.length) {
      const grow = <T extends Uint16Array | Int32Array>(a: T, make: (n: number) => T): T => {
        const b = make(a.length * 2);
        b.set(a);
        return b;
      };
      this.codes = grow(this.codes, (n) => new Uint16Array(n));
      this.f = grow(this.f, (n) => new Int32Array(n));
      this.t = grow(this.t, (n) => new Int32Array(n));
    }
    this.codes[this.n] = code;
    this.f[this.n] = from;
    this.t[this.n] = to;
    this.n++;
  }
  push(s: string, from: number, to: number): void {
    for (let i = 0; i < s.length; i++) this.pushCode(s.charCodeAt(i), from, to);
  }
  get length(): number {
    return this.n;
  }
  lastCode(): number {
    return this.n > 0 ? this.codes[this.n - 1]! : -1;
  }
  last(): string | undefined {
    return this.n > 0 ? String.fromCharCode(this.codes[this.n - 1]!) : undefined;
  }
  build(): View {
    // Same length either way: a lone surrogate decodes to U+FFFD, one unit for one.
    const text = UTF16.decode(this.codes.subarray(0, this.n));
    return { text, from: this.f.slice(0, this.n), to: this.t.slice(0, this.n) };
  }
}

/** The original range behind view[start, end) (min/max, so reversed views work too). */
export function toOriginal(v: View, start: number, end: number): Span {
  if (v.text.length === 0) return { start: 0, end: 0 };
  const s = Math.min(Math.max(start, 0), v.text.length - 1);
  const e = Math.min(Math.max(end, s + 1), v.text.length);
  let lo = v.from[s]!;
  let hi = v.to[s]!;
  for (let k = s + 1; k < e; k++) {
    if (v.from[k]! < lo) lo = v.from[k]!;
    if (v.to[k]! > hi) hi = v.to[k]!;
  }
  return { start: lo, end: hi };
}

/** Offsets of a view that is the answer itself, one character for one. */
export function identity(text: string): View {
  const from = new Int32Array(text.length);
  const to = new Int32Array(text.length);
  for (let i = 0; i < text.length; i++) {
    from[i] = i;
    to[i] = i + 1;
  }
  return { text, from, to };
}

/** Rewrites a view character by character; ASCII takes the fast path. */
export function mapView(src: View, fn: (ch: string, i: number, b: ViewBuilder) => void, ascii: (code: number, i: number, b: ViewBuilder) => void): View {
  const b = new ViewBuilder(src.text.length + 16);
  const t = src.text;
  for (let i = 0; i < t.length; ) {
    const code = t.charCodeAt(i);
    if (code < 0x80) {
      ascii(code, i, b);
      i++;
      continue;
    }
    const cp = t.codePointAt(i)!;
    const len = cp > 0xffff ? 2 : 1;
    fn(t.slice(i, i + len), i, b);
    i += len;
  }
  return b.build();
}
