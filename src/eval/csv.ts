import { parse, type CastingContext } from 'csv-parse/sync';

/**
 * RFC 4180 CSV through csv-parse: quoted fields may hold commas, doubled quotes and line breaks;
 * CRLF, LF or CR line ends; a BOM is skipped; empty lines are ignored. Each record carries the
 * 1-based line it starts on, so problems can be reported as `file:line`. A row that breaks the
 * format comes back with `error` rather than throwing, and reading goes on at the next line: a
 * quote inside an unquoted field, or text after a closing quote, keeps the row's fields as written;
 * a quote never closed (to the end of the file) leaves no fields.
 */
export type CsvRecord = { line: number; fields: string[]; error?: string };

/** What a cast field holds when its quotes are wrong: the text, and why (the row stays, flagged). */
type BadQuote = { text: string; problem: string };

type Parsed = { record: (string | BadQuote)[]; info: { bytes: number } };
type SkipEvent = { records: number; bytes: number; code: string; message: string };

const LINE_BREAK = /\r\n|\r|\n/g;
const lineBreaks = (text: string) => text.match(LINE_BREAK)?.length ?? 0;

const REASONS: Record<string, string> = { CSV_QUOTE_NOT_CLOSED: 'unterminated quoted field' };

export function parseCsv(text: string): CsvRecord[] {
  const buf = Buffer.from(text, 'utf8');
  const skips: SkipEvent[] = [];
  // relax_quotes keeps a stray quote as text instead of losing the rest of the row (or file), so
  // each field is checked here: a quoted field must be exactly its value quoted, ending where
  // csv-parse says it ends (`bytes`, the offset of the separator after it).
  const checkQuotes = (value: string, context: CastingContext): string | BadQuote => {
    if (!context.quoting) return value.includes('"') ? { text: value, problem: 'quote inside an unquoted field' } : value;
    const quoted = `"${value.replaceAll('"', '""')}"`;
    const size = Buffer.byteLength(quoted);
    const end = context.bytes;
    return end >= size && buf.toString('utf8', end - size, end) === quoted ? value : { text: value, problem: 'unexpected character after closing quote' };
  };
  const rows = parse(buf, {
    bom: true,
    info: true,
    record_delimiter: ['\r\n', '\n', '\r'],
    skip_empty_lines: true,
    relax_column_count: true,
    relax_quotes: true,
    cast: checkQuotes,
    // What is left to fail (a quote never closed) is reported, not thrown.
    skip_records_with_error: true,
    on_skip: (err) => {
      const e = err as (Error & { code?: string; records?: number; bytes?: number }) | undefined;
      skips.push({ records: e?.records ?? 0, bytes: e?.bytes ?? 0, code: e?.code ?? '', message: e?.message.split('\n')[0] ?? 'unreadable row' });
    },
  }) as unknown as Parsed[];

  // csv-parse counts a CRLF inside a quoted field as two lines, so lines are counted here from byte
  // offsets it reports exactly: where each row ends (`info.bytes`) and where a skipped row failed.
  let counted = 0;
  let line = 1;
  const lineAt = (offset: number): number => {
    line += lineBreaks(buf.toString('utf8', counted, offset));
    counted = offset;
    return line;
  };
  const out: CsvRecord[] = [];
  let nextSkip = 0;
  const reportSkips = (before: number) => {
    // One report for the objections csv-parse raised between two rows it read.
    if (nextSkip >= skips.length || skips[nextSkip]!.records > before) return;
    const first = skips[nextSkip]!;
    let at = first.bytes;
    while (buf[at] === 0x0a || buf[at] === 0x0d) at++; // empty lines before the row
    out.push({ line: lineAt(at), fields: [], error: REASONS[first.code] ?? first.message });
    while (nextSkip < skips.length && skips[nextSkip]!.records <= before) nextSkip++;
  };

  rows.forEach(({ record, info }, i) => {
    reportSkips(i);
    const fields = record.map((f) => (typeof f === 'string' ? f : f.text));
    if (fields.length === 1 && fields[0] === '') return; // a line holding only "": empty, as before
    const end = info.bytes;
    const last = buf[end - 1];
    const endsWithBreak = last === 0x0a || last === 0x0d;
    const startLine = lineAt(end) - (endsWithBreak ? 1 : 0) - fields.reduce((n, f) => n + lineBreaks(f), 0);
    const bad = record.find((f): f is BadQuote => typeof f !== 'string');
    out.push(bad ? { line: startLine, fields, error: bad.problem } : { line: startLine, fields });
  });
  reportSkips(rows.length);
  return out;
}
