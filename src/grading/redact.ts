import { keepVerbatimEvidence } from './pipeline.js';
import type { Grader } from '../core/kernel/grading.js';

/**
 * Personal data that must not leave for a hosted LLM, replaced by a token naming its kind.
 * Order matters: earlier kinds claim their text first (an IBAN's digits are not a phone).
 */
export type PiiKind = 'email' | 'iban' | 'card' | 'ssn' | 'phone' | 'ip';

export type Redaction = { text: string; count: number; kinds: Partial<Record<PiiKind, number>> };

const digitsOf = (s: string) => s.replace(/\D/g, '');

function luhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return sum % 10 === 0;
}

/** ISO 13616 check: move the country code and check digits to the end, letters to numbers, mod 97 = 1. */
function ibanValid(raw: string): boolean {
  const s = raw.replace(/\s/g, '').toUpperCase();
  if (s.length < 15 || s.length > 34) return false;
  const moved = s.slice(4) + s.slice(0, 4);
  let rem = 0;
  for (const ch of moved) {
    const v = ch >= 'A' && ch <= 'Z' ? String(ch.charCodeAt(0) - 55) : ch;
    for (const d of v) rem = (rem * 10 + Number(d)) % 97;
  }
  return rem === 1;
}

type Rule = { kind: PiiKind; re: RegExp; valid?: (match: string) => boolean };

// A number glued to letters, digits, or a decimal point on either side is part of something else.
const L = String.raw`(?<![\w.+-])`;
const R = String.raw`(?![\w]|[.,]\d)`;

const RULES: Rule[] = [
  { kind: 'email', re: /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g },
  { kind: 'iban', re: new RegExp(String.raw`\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,4})?\b`, 'g'), valid: ibanValid },
  // 13–19 digits, optionally in groups, starting as card numbers do (2–6), passing Luhn.
  {
    kind: 'card',
    re: new RegExp(`${L}[2-6]\\d{3}(?:[ -]?\\d){9,15}${R}`, 'g'),
    valid: (m) => {
      const d = digitsOf(m);
      return d.length >= 13 && d.length <= 19 && luhn(d) && /^[\d]+$|^\d{4}([ -])\d{4}\1\d{4}\1\d{1,7}$|^\d{4}([ -])\d{6}\2\d{4,5}$/.test(m);
    },
  },
  // US social security numbers: 123-45-6789 (not 000, 666 or 9xx areas, 00 groups, 0000 serials).
  { kind: 'ssn', re: new RegExp(`${L}(?!000|666|9\\d\\d)\\d{3}([- ])(?!00)\\d{2}\\1(?!0000)\\d{4}${R}`, 'g') },
  // International: +CC then 7–14 more digits with spaces, dots, dashes or a bracketed part.
  {
    kind: 'phone',
    re: /(?<![\w+])\+\d{1,3}(?:[ .-]?\(?\d{1,5}\)?){2,6}(?![\w]|[.,]\d)/g,
    valid: (m) => digitsOf(m).length >= 8 && digitsOf(m).length <= 15,
  },
  // US/NANP: (555) 123-4567, 555-123-4567, 555.123.4567, 555 123 4567, 1-555-123-4567; separators required.
  { kind: 'phone', re: new RegExp(`${L}(?:1[ .-])?(?:\\(\\d{3}\\) ?|\\d{3}([ .-]))\\d{3}[ .-]\\d{4}${R}`, 'g'), valid: (m) => /^(?:1[ .-])?(?:\(\d{3}\) ?\d{3}[ .-]|\d{3}([ .-])\d{3}\1)\d{4}$/.test(m) },
  // IPv4, each part 0–255; not a version number ("v1.2.3.4", "1.2.3.4.5").
  { kind: 'ip', re: new RegExp(`(?<![\\w.]|v|V)(?:(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(?![\\w]|\\.\\d)`, 'g') },
];

/**
 * Replaces e-mail addresses, phone numbers, card numbers (Luhn-valid), IBANs (mod-97 valid),
 * IPv4 addresses and US SSNs with `[email]`, `[phone]`, `[card]`, `[iban]`, `[ip]`, `[ssn]`.
 * Ordinary numbers (40%, 2,000 images, 99.5, 2024, v1.2.3) are left alone.
 */
export function redactPii(text: string): Redaction {
  const kinds: Partial<Record<PiiKind, number>> = {};
  let out = text;
  for (const rule of RULES) {
    out = out.replace(rule.re, (m: string) => {
      if (rule.valid && !rule.valid(m)) return m;
      kinds[rule.kind] = (kinds[rule.kind] ?? 0) + 1;
      return `[${rule.kind}]`;
    });
  }
  const count = Object.values(kinds).reduce((a, b) => a + b, 0);
  return { text: out, count, kinds };
}

/**
 * A grader that never sees personal data: it grades the redacted answer, then applies the
 * evidence rule again against the original answer (the stored grade quotes the original, so a
 * quote with "[email]" in it is dropped and counted).
 * Answers with nothing to redact go through untouched.
 */
export function withRedaction(grader: Grader): Grader {
  return {
    kind: grader.kind,
    async grade(req) {
      const redacted = redactPii(req.answer);
      if (redacted.count === 0) return grader.grade(req);
      const grade = await grader.grade({ ...req, answer: redacted.text });
      return keepVerbatimEvidence(grade, req.answer);
    },
  };
}
