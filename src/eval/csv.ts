/**
 * A small RFC 4180 reader: quoted fields may hold commas, doubled quotes and line breaks;
 * CRLF or LF line ends. Each record carries the 1-based line it starts on so problems can
 * be reported as `file:line`.
 */
export type CsvRecord = { line: number; fields: string[]; error?: string };

export function parseCsv(text: string): CsvRecord[] {
  const out: CsvRecord[] = [];
  let i = 0;
  let line = 1;
  const n = text.length;
  if (text.charCodeAt(0) === 0xfeff) i = 1;
  while (i < n) {
    const startLine = line;
    const fields: string[] = [];
    let error: string | undefined;
    let field = '';
    let atEnd = false;
    while (!atEnd) {
      if (text[i] === '"') {
        i++;
        let closed = false;
        while (i < n) {
          const ch = text[i]!;
          if (ch === '"') {
            if (text[i + 1] === '"') {
              field += '"';
              i += 2;
              continue;
            }
            i++;
            closed = true;
            break;
          }
          if (ch === '\n') line++;
          field += ch;
          i++;
        }
        if (!closed) error ??= 'unterminated quoted field';
        // Anything between the closing quote and the next separator is malformed.
        while (i < n && text[i] !== ',' && text[i] !== '\n' && text[i] !== '\r') {
          error ??= 'unexpected character after closing quote';
          field += text[i];
          i++;
        }
      } else {
        while (i < n && text[i] !== ',' && text[i] !== '\n' && text[i] !== '\r') {
          if (text[i] === '"') error ??= 'quote inside an unquoted field';
          field += text[i];
          i++;
        }
      }
      fields.push(field);
      field = '';
      if (i >= n) atEnd = true;
      else if (text[i] === ',') i++;
      else {
        if (text[i] === '\r') i++;
        if (text[i] === '\n') i++;
        line++;
        atEnd = true;
      }
    }
    const blank = fields.length === 1 && fields[0] === '' && !error;
    if (!blank) out.push(error ? { line: startLine, fields, error } : { line: startLine, fields });
  }
  return out;
}
