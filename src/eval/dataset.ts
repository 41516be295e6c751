import { readFileSync } from 'node:fs';
import { parseCsv } from './csv.js';

/** One labelled answer of a grading data set (format in data/README.md). */
export type DatasetRow = {
  line: number;
  id: string;
  dataset: string;
  question: string;
  references: string[];
  answer: string;
  score: number;
  maxScore: number;
};

export type Skipped = { line: number; reason: string };
export type Dataset = { rows: DatasetRow[]; skipped: Skipped[] };

const DATASET_COLUMNS = ['id', 'dataset', 'question', 'reference', 'answer', 'score', 'max_score'] as const;

/** References are joined by ` || ` in the `reference` column, best first. */
function splitReferences(cell: string): string[] {
  return cell
    .split(/\s\|\|\s/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

export function parseDataset(text: string, name = 'dataset'): Dataset {
  const records = parseCsv(text);
  const header = records.shift();
  if (!header) throw new Error(`${name}: empty file`);
  const cols = header.fields.map((f) => f.trim().toLowerCase());
  const idx: Record<string, number> = {};
  for (const c of DATASET_COLUMNS) {
    const k = cols.indexOf(c);
    if (k < 0) throw new Error(`${name}:${header.line}: missing column "${c}" (need ${DATASET_COLUMNS.join(',')})`);
    idx[c] = k;
  }
  const rows: DatasetRow[] = [];
  const skipped: Skipped[] = [];
  for (const r of records) {
    const skip = (reason: string) => skipped.push({ line: r.line, reason });
    if (r.error) {
      skip(r.error);
      continue;
    }
    if (r.fields.length !== cols.length) {
      skip(`expected ${cols.length} fields, found ${r.fields.length}`);
      continue;
    }
    const get = (c: (typeof DATASET_COLUMNS)[number]) => r.fields[idx[c]!]!;
    const score = Number(get('score'));
    const maxScore = Number(get('max_score'));
    const references = splitReferences(get('reference'));
    if (get('question').trim() === '') skip('empty question');
    else if (references.length === 0) skip('empty reference');
    else if (get('score').trim() === '' || !Number.isFinite(score)) skip(`score is not a number: "${get('score')}"`);
    else if (get('max_score').trim() === '' || !Number.isFinite(maxScore) || maxScore <= 0) {
      skip(`max_score is not a positive number: "${get('max_score')}"`);
    } else if (score < 0 || score > maxScore) skip(`score ${score} is outside 0..${maxScore}`);
    else {
      rows.push({
        line: r.line,
        id: get('id'),
        dataset: get('dataset'),
        question: get('question'),
        references,
        answer: get('answer'),
        score,
        maxScore,
      });
    }
  }
  if (rows.length === 0) throw new Error(`${name}: no valid row (${skipped.length} skipped)`);
  return { rows, skipped };
}

export function readDataset(file: string): Dataset {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new Error(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
  return parseDataset(text, file);
}
