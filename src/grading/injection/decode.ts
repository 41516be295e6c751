import type { Span } from '../lexical/text.js';
import { toOriginal, type View } from './view.js';

/**
 * Encoded blobs an answer might carry to slip an instruction past a text filter while a
 * model still reads it: base64, base32, hex bytes, 8-bit binary and Morse code. (URL escapes, HTML entities and
 * \x escapes are decoded in place by cleanView; ROT13 and reversed text are views.) Only
 * blobs that decode to readable text are returned: a hash, an ID or a long identifier decodes
 * to bytes that are not UTF-8 text, and is left alone.
 */
export type DecodedBlob = { span: Span; text: string; encoding: 'base64' | 'base32' | 'hex' | 'binary' | 'morse' };

// The blob is group 1, after a boundary character: cheaper than a lookbehind tried at every position.
const BASE64_RE = /(?:^|[^A-Za-z0-9+/=_-])([A-Za-z0-9+/_-]{16,}={0,2})(?![A-Za-z0-9+/=_-])/g;
const HEX_RE = /(?:^|[^0-9A-Za-z])((?:0x)?[0-9A-Fa-f]{2}(?:[ :,-]?(?:0x)?[0-9A-Fa-f]{2}){7,})(?![0-9A-Za-z])/g;
const BINARY_RE = /(?<![01])[01]{8}(?:[ ,]?[01]{8}){3,}(?![01])/g;
const BASE32_RE = /(?:^|[^A-Za-z0-9])([A-Z2-7]{16,}={0,6})(?![A-Za-z0-9])/g;
// Dots and dashes in letter groups, words split by " / " or three spaces.
const MORSE_RE = /(?:^|[^.\-\w])((?:[.\-]{1,6}(?: {1,3}| \/ ))+[.\-]{1,6})(?![\w])/g;
const MORSE: Record<string, string> = {
  '.-': 'a', '-...': 'b', '-.-.': 'c', '-..': 'd', '.': 'e', '..-.': 'f', '--.': 'g', '....': 'h', '..': 'i', '.---': 'j',
  '-.-': 'k', '.-..': 'l', '--': 'm', '-.': 'n', '---': 'o', '.--.': 'p', '--.-': 'q', '.-.': 'r', '...': 's', '-': 't',
  '..-': 'u', '...-': 'v', '.--': 'w', '-..-': 'x', '-.--': 'y', '--..': 'z', '.----': '1', '..---': '2', '...--': '3',
  '....-': '4', '.....': '5', '-....': '6', '--...': '7', '---..': '8', '----.': '9', '-----': '0',
};

const utf8 = new TextDecoder('utf-8', { fatal: true });

function decodeUtf8(bytes: Uint8Array): string | undefined {
  try {
    return utf8.decode(bytes);
  } catch {
    return undefined;
  }
}

/**
 * Reads as language: nearly all printable, mostly letters, several words (or CJK text,
 * which has no spaces). Random bytes fail the first test almost always.
 */
export function isReadable(s: string): boolean {
  if (s.length < 8) return false;
  let printable = 0;
  let letters = 0;
  let spaces = 0;
  let cjk = 0;
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (c === 0x20) spaces++;
    if (c === 0x0a || c === 0x09 || (c >= 0x20 && c < 0x7f) || (c >= 0xa0 && !(c >= 0xfff0))) printable++;
    if (/\p{L}/u.test(ch)) letters++;
    if (/[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]/.test(ch)) cjk++;
  }
  const n = [...s].length;
  return printable / n >= 0.97 && letters / n >= 0.55 && (spaces >= 2 || cjk >= 4);
}

function decodeBase64(s: string): string | undefined {
  const body = s.replace(/=+$/, '').replace(/-/g, '+').replace(/_/g, '/');
  if (body.length % 4 === 1) return undefined;
  // Plain words ("internationalization") match the alphabet too; real blobs mix case or digits.
  if (!/[0-9+/]/.test(body) && !(/[a-z]/.test(body) && /[A-Z]/.test(body))) return undefined;
  const text = decodeUtf8(Buffer.from(body, 'base64'));
  return text !== undefined && isReadable(text) ? text : undefined;
}

function decodeHex(s: string): string | undefined {
  const digits = s.replace(/0x/gi, '').replace(/[^0-9A-Fa-f]/g, '');
  if (digits.length % 2 !== 0) return undefined;
  const text = decodeUtf8(Buffer.from(digits, 'hex'));
  return text !== undefined && isReadable(text) ? text : undefined;
}

function decodeBinary(s: string): string | undefined {
  const bits = s.replace(/[^01]/g, '');
  const bytes = new Uint8Array(bits.length / 8);
  for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(bits.slice(8 * i, 8 * i + 8), 2);
  const text = decodeUtf8(bytes);
  return text !== undefined && isReadable(text) ? text : undefined;
}

function decodeBase32(s: string): string | undefined {
  const body = s.replace(/=+$/, '');
  let bits = '';
  for (const c of body) {
    const v = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'.indexOf(c);
    if (v < 0) return undefined;
    bits += v.toString(2).padStart(5, '0');
  }
  const bytes = new Uint8Array(Math.floor(bits.length / 8));
  for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(bits.slice(8 * i, 8 * i + 8), 2);
  const text = decodeUtf8(bytes);
  return text !== undefined && isReadable(text) ? text : undefined;
}

function decodeMorse(s: string): string | undefined {
  const words = s.trim().split(/ \/ | {3}/);
  let out = '';
  for (const w of words) {
    for (const letter of w.trim().split(/ +/)) {
      const c = MORSE[letter];
      if (c === undefined) return undefined;
      out += c;
    }
    out += ' ';
  }
  out = out.trim();
  return isReadable(out) ? out : undefined;
}

/** Readable blobs in the (case-preserving) clean view, with their spans in the original answer. */
const CANDIDATE_RE = /[A-Za-z0-9+/_-]{16}|[0-9A-Fa-f]{2}[ :,-]?[0-9A-Fa-f]{2}[ :,-]?[0-9A-Fa-f]{2}[ :,-]?[0-9A-Fa-f]{2}|[.-]{1,6} [.-]{1,6} [.-]{1,6} [.-]{1,6} [.-]{1,6}/;

export function decodeBlobs(clean: View): DecodedBlob[] {
  const t = clean.text;
  const out: DecodedBlob[] = [];
  // Nearly every answer has nothing long enough to be a blob: one cheap test skips the rest.
  if (!CANDIDATE_RE.test(t)) return out;
  const add = (start: number, end: number, text: string, encoding: DecodedBlob['encoding']) =>
    out.push({ span: toOriginal(clean, start, end), text, encoding });

  // Base64 may be wrapped over several lines or split by spaces: try each piece, then each
  // run of pieces separated only by whitespace, joined.
  const pieces = [...t.matchAll(BASE64_RE)].map((m) => {
    const start = m.index + m[0].length - m[1]!.length;
    return { start, end: start + m[1]!.length, s: m[1]! };
  });
  let k = 0;
  while (k < pieces.length) {
    let j = k;
    while (j + 1 < pieces.length && /^\s{1,3}$/.test(t.slice(pieces[j]!.end, pieces[j + 1]!.start))) j++;
    const run = pieces.slice(k, j + 1);
    const joined = run.length > 1 ? decodeBase64(run.map((p) => p.s).join('')) : undefined;
    if (joined !== undefined) add(run[0]!.start, run[run.length - 1]!.end, joined, 'base64');
    else {
      for (const p of run) {
        const text = decodeBase64(p.s);
        if (text !== undefined) add(p.start, p.end, text, 'base64');
      }
    }
    k = j + 1;
  }
  for (const m of t.matchAll(HEX_RE)) {
    const text = decodeHex(m[1]!);
    const start = m.index + m[0].length - m[1]!.length;
    if (text !== undefined) add(start, start + m[1]!.length, text, 'hex');
  }
  for (const m of t.matchAll(BASE32_RE)) {
    const text = decodeBase32(m[1]!);
    const start = m.index + m[0].length - m[1]!.length;
    if (text !== undefined) add(start, start + m[1]!.length, text, 'base32');
  }
  if (t.includes('. ') || t.includes('- ')) {
    for (const m of t.matchAll(MORSE_RE)) {
      if (m[1]!.length < 12) continue;
      const text = decodeMorse(m[1]!);
      const start = m.index + m[0].length - m[1]!.length;
      if (text !== undefined) add(start, start + m[1]!.length, text, 'morse');
    }
  }
  if (t.includes('00') || t.includes('01')) {
    for (const m of t.matchAll(BINARY_RE)) {
      const text = decodeBinary(m[0]);
      if (text !== undefined) add(m.index, m.index + m[0].length, text, 'binary');
    }
  }
  return out;
}
