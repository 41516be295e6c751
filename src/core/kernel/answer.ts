/** Answers longer than this are cut before they are stored or graded. */
export const MAX_ANSWER_CHARS = 20_000;
export type SanitizedAnswer = { text: string; truncated: boolean };

/**
 * Makes raw user text safe to store and grade: CRLF/CR become LF, control characters other
 * than \n and \t are removed (zero-width and bidi controls too), and the text is capped at
 * MAX_ANSWER_CHARS (`truncated` says so). The caller stores `text`.
 */
export function sanitizeAnswer(raw: string): SanitizedAnswer {
  let text = raw
    .replace(/\r\n?/g, '\n')
    // C0/C1 controls except \t and \n; zero-width, bidi and BOM format characters.
    .replace(/[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]/g, '');
  let truncated = false;
  if (text.length > MAX_ANSWER_CHARS) {
    let cut = MAX_ANSWER_CHARS;
    // Don't split a surrogate pair.
    const c = text.charCodeAt(cut - 1);
    if (c >= 0xd800 && c <= 0xdbff) cut--;
    text = text.slice(0, cut);
    truncated = true;
  }
  return { text, truncated };
}
