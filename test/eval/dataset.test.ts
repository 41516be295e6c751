import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCsv } from '../../src/eval/csv.js';
import { parseDataset } from '../../src/eval/dataset.js';
import { runEval } from '../../src/eval/run.js';
import { evalCommand } from '../../src/cli/eval.js';
import { createLexicalGrader } from '../../src/grading/lexical/grader.js';
import type { Grader } from '../../src/core/kernel/grading.js';

const HEADER = 'id,dataset,question,reference,answer,score,max_score';

const CSV = [
  HEADER,
  'a1,t,Why does the bulb light?,The bulb is in a closed path with the battery || The circuit is closed,"the bulb is in a closed path with the battery, so current flows",1,1',
  'a2,t,Why does the bulb light?,The bulb is in a closed path with the battery || The circuit is closed,"It is ""magic""\r\nreally",0,1',
  'a3,t,Why does the bulb light?,The bulb is in a closed path,oops "broken,0,1',
  'a4,t,Why does the bulb light?,The bulb is in a closed path,too,many,fields,here,0,1',
  'a5,t,Why does the bulb light?,The bulb is in a closed path,because the circuit path is closed,x,1',
  'a6,t,Why does the bulb light?,The bulb is in a closed path,the switch is open so no current,0,1',
].join('\n');

describe('CSV and dataset reading', () => {
  it('reads RFC 4180 quoting: commas, doubled quotes and line breaks inside quotes', () => {
    const recs = parseCsv('a,b\n"x, y","say ""hi""\nthere"\nlast,row\n');
    expect(recs.map((r) => r.line)).toEqual([1, 2, 4]);
    expect(recs[1]!.fields).toEqual(['x, y', 'say "hi"\nthere']);
  });

  it('counts a CRLF inside quotes as one line and reads on after a bad quote; a quote never closed ends the file', () => {
    const recs = parseCsv('a,b\r\n"x\r\ny",1\r\n"p"q,2\r\n\r\nz,3\r\n"open,4\r\nmore\r\n');
    expect(recs.map((r) => [r.line, r.error ?? 'ok'])).toEqual([
      [1, 'ok'],
      [2, 'ok'],
      [4, 'unexpected character after closing quote'],
      [6, 'ok'],
      [7, 'unterminated quoted field'],
    ]);
    expect(recs[1]!.fields).toEqual(['x\r\ny', '1']);
    expect(recs[3]!.fields).toEqual(['z', '3']);
  });

  it('skips malformed rows with their line numbers and keeps the rest', () => {
    const { rows, skipped } = parseDataset(CSV);
    expect(rows.map((r) => r.id)).toEqual(['a1', 'a2', 'a6']);
    expect(rows[0]!.references).toEqual(['The bulb is in a closed path with the battery', 'The circuit is closed']);
    expect(rows[1]!.answer).toBe('It is "magic"\r\nreally');
    expect(skipped.map((s) => s.line)).toEqual([5, 6, 7]);
    expect(skipped[1]!.reason).toMatch(/expected 7 fields/);
    expect(skipped[2]!.reason).toMatch(/score is not a number/);
  });

  it('a file with no valid row is an error', () => {
    expect(() => parseDataset(`${HEADER}\nb1,t,q,r,a,zz,1\n`)).toThrow(/no valid row/);
    expect(() => parseDataset('id,question\n1,q\n')).toThrow(/missing column/);
  });

  it('runEval grades every valid row and reports metrics and skipped lines', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sparring-eval-'));
    const file = join(dir, 'd.csv');
    writeFileSync(file, CSV);
    const r = await runEval({ file, grader: createLexicalGrader() });
    expect(r.n).toBe(3);
    expect(r.skipped.map((s) => s.line)).toEqual([5, 6, 7]);
    expect(r.macro_f1).toBeGreaterThan(0.5);
    expect(r.answers_per_second).toBeGreaterThan(0);

    let out = '';
    let err = '';
    const stdout = { write: (s: string) => ((out += s), true) } as unknown as NodeJS.WritableStream;
    const stderr = { write: (s: string) => ((err += s), true) } as unknown as NodeJS.WritableStream;
    await evalCommand({ stdout, stderr }).parseAsync(['--dataset', file, '--json', '--limit', '2'], { from: 'user' });
    const json = JSON.parse(out.trim());
    expect(Object.keys(json).sort()).toEqual(
      ['answers_per_second', 'macro_f1', 'mae', 'max_score', 'n', 'pearson', 'qwk', 'skipped', 'spearman'].sort(),
    );
    expect(json.n).toBe(2);
    expect(json.skipped).toBe(3);
    expect(err).toBe('');
  });

  it('reports MAE on the data set\'s own scale: points of 5 for a 0-5 partial-credit set', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sparring-eval-'));
    const file = join(dir, 'p.csv');
    const rows = [
      ['p1', 'What does a compiler do?', 'It translates source code into machine code.', 'It translates the source code of a program into machine code.', 5],
      ['p2', 'What does a compiler do?', 'It translates source code into machine code.', 'It runs the program.', 1],
      ['p3', 'What is a stack?', 'A last-in first-out data structure.', 'A structure where the last item pushed is the first popped.', 4.5],
    ];
    writeFileSync(file, [HEADER, ...rows.map(([id, ...rest]) => `${id},t,${rest.join(',')},5`)].join('\n'));
    const grader = createLexicalGrader();
    const r = await runEval({ file, grader });
    const { targetFromReferences } = await import('../../src/grading/reference-target.js');
    let err = 0;
    for (const [id, q, ref, answer, score] of rows) {
      const g = await grader.grade({ target: targetFromReferences(String(q), [String(ref)], String(id)), answer: String(answer) });
      err += Math.abs((g.score / 100) * 5 - Number(score));
    }
    expect(r.max_score).toBe(5);
    expect(r.mae).toBeCloseTo(err / rows.length, 6);
  });

  it('passes an answer that earns half marks when the grader states no correctness verdict (the LLM grader)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sparring-eval-'));
    const file = join(dir, 'd.csv');
    writeFileSync(file, CSV);
    // Scores 80 for the correct row and 10 for the wrong ones: a perfect split of the labels.
    const grader: Grader = {
      kind: 'llm',
      grade: async ({ answer }) => ({ score: /closed path|current flows/.test(answer) ? 80 : 10, criteria: [], strengths: [], gaps: [], flags: [], grader: { kind: 'llm', rubricVersion: 'x' } }),
    };
    const r = await runEval({ file, grader });
    expect(r.n).toBe(3);
    expect(r.macro_f1).toBe(1);
  });

  it('the llm grader without a provider is a one-line error and exit code 1', async () => {
    let err = '';
    const stderr = { write: (s: string) => ((err += s), true) } as unknown as NodeJS.WritableStream;
    const before = process.exitCode;
    await evalCommand({ stderr }).parseAsync(['--dataset', 'x.csv', '--grader', 'llm'], { from: 'user' });
    expect(err).toBe('error: LLM grader not configured: set LLM_PROVIDER\n');
    expect(process.exitCode).toBe(1);
    process.exitCode = before;
  });
});
