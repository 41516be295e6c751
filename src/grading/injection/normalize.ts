import type { Span } from '../lexical/text.js';
import { confusable } from './confusables.js';
import { identity, mapView, ViewBuilder, type View } from './view.js';

/**
 * The views every answer is read through, each undoing disguises a model sees through:
 * cleanView (Unicode compatibility forms, invisible characters, inline escapes), foldView
 * (case and accents) and latinBaseView (look-alike letters, identifiers), then
 * collapseSpaced (letters written one at a time).
 */

// Characters that render as nothing (or as a blank) and so can hide inside a word: format
// characters (zero-width, bidi, soft hyphen), variation selectors, fillers, braille blank.
const INVISIBLE_RE = /^[\p{Cf}\p{Cc}\u034F\u115F\u1160\u17B4\u17B5\u180B-\u180F\u2800\u3164\uFFA0\uFE00-\uFE0F\u{E0000}-\u{E0FFF}\u{1D173}-\u{1D17A}]$/u;

const NAMED_ENTITIES: Record<string, string> = {
  amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', sol: '/', bsol: '\\', colon: ':', semi: ';', comma: ',',
  period: '.', excl: '!', quest: '?', num: '#', lpar: '(', rpar: ')', lsqb: '[', rsqb: ']', lbrack: '[', rbrack: ']',
  lcub: '{', rcub: '}', vert: '|', verbar: '|', lowbar: '_', hyphen: '-', dash: '-', ndash: '-', mdash: '-', equals: '=',
  plus: '+', ast: '*', percnt: '%', dollar: '$', commat: '@', grave: '`', hat: '^', tilde: '~', newline: '\n', tab: '\t',
  szlig: 'ß', aelig: 'æ', oelig: 'œ', zwsp: '', zwj: '', zwnj: '', shy: '', lrm: '', rlm: '',
};
const ACCENTED_ENTITY_RE = /^([a-zA-Z])(?:acute|grave|circ|uml|tilde|cedil|ring|slash|caron|macr|breve|ogon|dot)$/;
const NUM_ENTITY_RE = /&#(?:(\d{1,7})|[xX]([0-9a-fA-F]{1,6}));?/y;
const NAMED_ENTITY_RE = /&([A-Za-z][A-Za-z0-9]{1,31});/y;
const PERCENT_RUN_RE = /(?:%[0-9a-fA-F]{2})+/y;
const BACKSLASH_RE = /\\(?:x([0-9a-fA-F]{2})|u\{([0-9a-fA-F]{1,6})\}|u([0-9a-fA-F]{4}))/y;

function utf8Length(lead: number): number {
  if (lead < 0x80) return 1;
  if (lead >= 0xc2 && lead <= 0xdf) return 2;
  if (lead >= 0xe0 && lead <= 0xef) return 3;
  if (lead >= 0xf0 && lead <= 0xf4) return 4;
  return 0;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });
/** Per-character results are the same every time; answers reuse few distinct non-ASCII characters. */
const NFKC_CACHE = new Map<string, string>();
const LATIN_CACHE = new Map<string, string>();
const FOLD_CACHE = new Map<string, string>();

/**
 * Step one, kept case-sensitive (base64 needs case): NFKC per character (full-width,
 * mathematical and circled letters become ASCII), invisible characters dropped, Unicode tag
 * characters turned back into the ASCII they smuggle, and inline escapes decoded in place:
 * HTML entities, %XX URL escapes and \xNN / \uNNNN, since a model reads all of them as text.
 */
export function cleanView(answer: string): View {
  // The common case: printable ASCII and newlines, nothing to decode.
  if (/^[\x20-\x24\x27-\x5b\x5d-\x7e\n\t]*$/.test(answer)) return identity(answer);
  const b = new ViewBuilder(answer.length);
  const emit = createViewEmitter(answer, b);
  let i = 0;
  while (i < answer.length) {
    const code = answer.charCodeAt(i);
    // Plain printable ASCII (nearly every character of every answer) is copied as is.
    if (code >= 0x20 && code < 0x7f && code !== 0x26 && code !== 0x25 && code !== 0x5c) {
      b.pushCode(code, i, i + 1);
      i++;
      continue;
    }
    const c = answer[i]!;
    const used = c === '&' ? decodeEntity(answer, i, emit) : c === '%' ? decodePercentRun(answer, i, emit) : c === '\\' ? decodeBackslashEscape(answer, i, emit) : 0;
    if (used > 0) {
      i += used;
      continue;
    }
    const cp = answer.codePointAt(i)!;
    const len = cp > 0xffff ? 2 : 1;
    emit(answer.slice(i, i + len), i, i + len);
    i += len;
  }
  return b.build();
}

/** Writes one character of `answer[from, to)` to the view, cleaned: controls dropped, tag characters turned back into ASCII, NFKC. */
type Emit = (ch: string, from: number, to: number) => void;

function createViewEmitter(answer: string, b: ViewBuilder): Emit {
  return (ch, from, to) => {
    const cp = ch.codePointAt(0)!;
    if (cp < 0x80) {
      if (cp === 0x0a || cp === 0x09 || cp >= 0x20) b.push(cp === 0x7f ? '' : ch, from, to);
      else if (cp === 0x0d && answer[to] !== '\n') b.push('\n', from, to);
      return;
    }
    // Tag characters (U+E0020-E007E) are invisible copies of ASCII: "ASCII smuggling".
    if (cp >= 0xe0020 && cp <= 0xe007e) return b.push(String.fromCharCode(cp - 0xe0000), from, to);
    let out = NFKC_CACHE.get(ch);
    if (out === undefined) {
      out = cp === 0x2028 || cp === 0x2029 ? '\n' : INVISIBLE_RE.test(ch) ? '' : ch.normalize('NFKC');
      if (NFKC_CACHE.size < 4096) NFKC_CACHE.set(ch, out);
    }
    b.push(out, from, to);
  };
}

/** A numeric or named HTML entity at `i`, decoded; the length it took, 0 when there is none. */
function decodeEntity(answer: string, i: number, emit: Emit): number {
  NUM_ENTITY_RE.lastIndex = i;
  let m = NUM_ENTITY_RE.exec(answer);
  if (m) {
    const cp = m[1] !== undefined ? Number(m[1]) : parseInt(m[2]!, 16);
    if (cp > 0 && cp <= 0x10ffff && !(cp >= 0xd800 && cp <= 0xdfff)) {
      emit(String.fromCodePoint(cp), i, i + m[0].length);
      return m[0].length;
    }
  }
  NAMED_ENTITY_RE.lastIndex = i;
  m = NAMED_ENTITY_RE.exec(answer);
  if (m) {
    const name = m[1]!;
    const value = NAMED_ENTITIES[name] ?? NAMED_ENTITIES[name.toLowerCase()] ?? ACCENTED_ENTITY_RE.exec(name)?.[1];
    if (value !== undefined) {
      for (const ch of value) emit(ch, i, i + m[0].length);
      return m[0].length;
    }
  }
  return 0;
}

/** A run of %XX escapes at `i`, decoded as UTF-8 where it is well-formed text; the length it took, 0 when nothing decoded. */
function decodePercentRun(answer: string, i: number, emit: Emit): number {
  PERCENT_RUN_RE.lastIndex = i;
  const m = PERCENT_RUN_RE.exec(answer);
  if (!m) return 0;
  const n = m[0].length / 3;
  const bytes: number[] = [];
  for (let k = 0; k < n; k++) bytes.push(parseInt(m[0].slice(3 * k + 1, 3 * k + 3), 16));
  let k = 0;
  let decodedAny = false;
  while (k < n) {
    const len = utf8Length(bytes[k]!);
    let text: string | undefined;
    if (len > 0 && k + len <= n) {
      try {
        text = utf8.decode(Uint8Array.from(bytes.slice(k, k + len)));
      } catch {
        text = undefined;
      }
    }
    // "10%de" or "%ZZ" are not escapes: only well-formed text is decoded, the rest is kept.
    if (text === undefined || (len === 1 && bytes[k]! < 0x20 && bytes[k] !== 0x0a && bytes[k] !== 0x09)) {
      if (!decodedAny) break;
      for (let j = i + 3 * k; j < i + 3 * k + 3; j++) emit(answer[j]!, j, j + 1);
      k++;
      continue;
    }
    for (const ch of text) emit(ch, i + 3 * k, i + 3 * (k + len));
    decodedAny = true;
    k += len;
  }
  return decodedAny ? m[0].length : 0;
}

/** A \xNN, \uNNNN or \u{...} escape at `i`, decoded; the length it took, 0 when there is none. */
function decodeBackslashEscape(answer: string, i: number, emit: Emit): number {
  BACKSLASH_RE.lastIndex = i;
  const m = BACKSLASH_RE.exec(answer);
  if (!m) return 0;
  const cp = parseInt(m[1] ?? m[2] ?? m[3]!, 16);
  if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return 0;
  emit(String.fromCodePoint(cp), i, i + m[0].length);
  return m[0].length;
}

const QUOTES: Record<string, string> = {
  '\u2018': "'", '\u2019': "'", '\u201A': "'", '\u201B': "'", '\u02BC': "'", '\u2032': "'", '\u00B4': "'",
  '\u201C': '"', '\u201D': '"', '\u201E': '"', '\u201F': '"', '\u2033': '"', '\u00AB': '"', '\u00BB': '"',
  '\u2010': '-', '\u2011': '-', '\u2012': '-', '\u2013': '-', '\u2014': '-', '\u2015': '-', '\u2212': '-',
};
const SPECIAL_FOLDS: Record<string, string> = {
  ß: 'ss', æ: 'ae', œ: 'oe', ø: 'o', đ: 'd', ł: 'l', þ: 'th', ð: 'd', ĳ: 'ij',
  // Arabic: hamza forms of alef and alef maqsura written either way; Devanagari nukta optional.
  'أ': 'ا', 'إ': 'ا', 'آ': 'ا', 'ٱ': 'ا', 'ى': 'ي', 'ـ': '', '\u093C': '',
};
const ARABIC_MARKS_RE = /[\u064B-\u065F\u0670]/;
const LATIN_RE = /\p{Script=Latin}/u;
const MARK_RE = /\p{M}/u;

/**
 * Lower case, accents removed from Latin letters only (so "règles" matches "regles" while
 * Russian "й" or Japanese "が" keep their marks), typographic quotes and dashes made ASCII.
 */
function foldChar(ch: string, prev: string | undefined): string {
  if (ch.length === 1 && ch.charCodeAt(0) < 0x80) return ch.toLowerCase();
  const q = QUOTES[ch];
  if (q !== undefined) return q;
  // A combining mark left after a Latin letter (decomposed input): part of an accent.
  if (MARK_RE.test(ch)) return (prev !== undefined && prev < '\u0250' && /[a-z]/.test(prev)) || ARABIC_MARKS_RE.test(ch) || ch === '\u093C' ? '' : ch;
  const lower = ch.toLowerCase();
  const special = SPECIAL_FOLDS[lower];
  if (special !== undefined) return special;
  if (LATIN_RE.test(lower)) return lower.normalize('NFD').replace(/\p{M}/gu, '');
  return lower;
}

const lowerAscii = (code: number) => (code >= 65 && code <= 90 ? code + 32 : code);

/** Lower-cased and accent-folded, scripts kept: the view for Russian, Chinese, Japanese patterns. */
export function foldView(clean: View): View {
  return mapView(
    clean,
    (ch, i, b) => {
      let out = FOLD_CACHE.get(ch);
      if (out === undefined) {
        out = foldChar(ch, b.last());
        if (!MARK_RE.test(ch) && FOLD_CACHE.size < 4096) FOLD_CACHE.set(ch, out);
      }
      b.push(out, clean.from[i]!, clean.to[i + ch.length - 1]!);
    },
    (code, i, b) => b.pushCode(lowerAscii(code), clean.from[i]!, clean.to[i]!),
  );
}

/**
 * The view for Latin-script patterns: folded like foldView, look-alike letters mapped to
 * Latin, "_" read as a space and camelCase split ("ignorePreviousInstructions"), so one
 * pattern covers the ways a phrase can be disguised as an identifier.
 */
export function latinBaseView(clean: View): View {
  const t = clean.text;
  // ASCII without camelCase: lower-casing and "_" keep every offset.
  if (!/[^\x00-\x7f]|[a-z][A-Z][a-z]/.test(t)) return { text: t.toLowerCase().replace(/_/g, ' '), from: clean.from, to: clean.to };
  return mapView(
    clean,
    (ch, i, b) => {
      let out = LATIN_CACHE.get(ch);
      if (out === undefined) {
        // Mapped before and after lower-casing: some look-alikes only have a Latin twin in one case.
        out = [...foldChar(confusable(ch), b.last())].map(confusable).join('');
        // Combining marks depend on the letter before them, so they are not cached.
        if (!MARK_RE.test(ch) && LATIN_CACHE.size < 4096) LATIN_CACHE.set(ch, out);
      }
      b.push(out, clean.from[i]!, clean.to[i + ch.length - 1]!);
    },
    (code, i, b) => {
      const from = clean.from[i]!;
      const to = clean.to[i]!;
      if (code === 95) return b.pushCode(32, from, to);
      if (code >= 65 && code <= 90) {
        const prev = i > 0 ? t.charCodeAt(i - 1) : 0;
        const next = t.charCodeAt(i + 1);
        // "ignorePrevious" splits; "erongI" (reversed "Ignore") and "myID" do not.
        if (prev >= 97 && prev <= 122 && next >= 97 && next <= 122) b.pushCode(32, from, from);
        return b.pushCode(code + 32, from, to);
      }
      b.pushCode(code, from, to);
    },
  );
}

const SEPARATORS = new Set([' ', '.', '-', '*', '·', '•', '|', '/', '+', '~', ',', "'", '"', '`', ':', '\t', '‧', '∙', '⋅', '_', '=']);
const TOKEN_CHAR_RE = /[\p{L}\p{N}@$]/u;

function isTokenChar(c: string | undefined): boolean {
  if (c === undefined) return false;
  const code = c.charCodeAt(0);
  if (code < 0x80) return (code >= 97 && code <= 122) || (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || c === '@' || c === '$';
  return TOKEN_CHAR_RE.test(c);
}

/** `runs`: every joined run, `squashed`: those that came out as one word (view offsets). */
export type Collapsed = { view: View; runs: Span[]; squashed: Span[] };

const SPACED_RUN_RE = /(?:^|[^\p{L}\p{N}@$])[\p{L}\p{N}@$][ .\-*·•|/+~,'"`:\t‧∙⋅_=]{1,3}[\p{L}\p{N}@$][ .\-*·•|/+~,'"`:\t‧∙⋅_=]{1,3}[\p{L}\p{N}@$](?![\p{L}\p{N}@$])/u;

/**
 * Joins letters written one at a time with a separator between them ("i g n o r e",
 * "i.g.n.o.r.e", "r-u-b-r-i-c"): three or more single-character tokens in a row become one
 * word. A separator unlike the usual one in the run ("i g n o r e   t h e") becomes a space.
 * Runs that come out as one word are returned (view offsets) for a keyword check, since
 * "ignoretherubric" has no word boundaries left for ordinary patterns.
 */
export function collapseSpaced(src: View): Collapsed {
  const t = src.text;
  // Most answers have no run of three one-letter tokens: nothing to join.
  if (!SPACED_RUN_RE.test(t)) return { view: src, runs: [], squashed: [] };
  const n = t.length;
  const b = new ViewBuilder(n);
  const squashed: Span[] = [];
  const runs: Span[] = [];
  const single = (k: number) => isTokenChar(t[k]) && !isTokenChar(t[k - 1]) && !isTokenChar(t[k + 1]);
  const copy = (k: number) => b.push(t[k]!, src.from[k]!, src.to[k]!);
  let i = 0;
  while (i < n) {
    if (!single(i)) {
      copy(i++);
      continue;
    }
    const tokens = [i];
    const seps: string[] = [];
    let p = i;
    for (;;) {
      let j = p + 1;
      while (j < n && j - p - 1 < 3 && SEPARATORS.has(t[j]!)) j++;
      if (j === p + 1 || j >= n || !single(j)) break;
      tokens.push(j);
      seps.push(t.slice(p + 1, j));
      p = j;
    }
    const letters = tokens.filter((k) => /\p{L}/u.test(t[k]!)).length;
    if (tokens.length < 3 || letters < 2) {
      copy(i++);
      continue;
    }
    const counts = new Map<string, number>();
    for (const s of seps) counts.set(s, (counts.get(s) ?? 0) + 1);
    let usual = seps[0]!;
    for (const [s, c] of counts) if (c > counts.get(usual)!) usual = s;
    const start = b.length;
    let gaps = 0;
    tokens.forEach((k, idx) => {
      if (idx > 0 && seps[idx - 1] !== usual) {
        const gapStart = tokens[idx - 1]! + 1;
        b.push(' ', src.from[gapStart]!, src.to[k - 1]!);
        gaps++;
      }
      copy(k);
    });
    runs.push({ start, end: b.length });
    if (gaps === 0) squashed.push({ start, end: b.length });
    i = tokens[tokens.length - 1]! + 1;
  }
  return { view: b.build(), runs, squashed };
}
