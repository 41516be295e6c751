import { Command } from 'commander';
import { renderReplyText } from '../adapters/text-render.js';
import { loadCatalog } from '../content/load.js';
import { UserError } from '../core/kernel/errors.js';
import { scorecardSections } from '../core/practice/scorecard.js';
import { sanitizeAnswer } from '../core/kernel/answer.js';
import { targetFor } from '../core/practice/target.js';
import type { Grader } from '../core/kernel/grading.js';
import { decodeUtf8, readFileBytes, readStream } from './io.js';

import type { Catalog } from '../content/load.js';

/** Settings are read when the command runs, so a bad setting only fails the command that needs it. */
export type GradeCommandDeps = { graders: (catalog: Catalog) => Promise<Grader>; contentDir: () => string | undefined };

export function gradeCommand(deps: GradeCommandDeps): Command {
  return new Command('grade')
    .description('grade one answer to a question and print the scorecard')
    .requiredOption('--question <id>', 'question id (see "sparring content list")')
    .option('--answer-file <file>', 'read the answer from this file instead of stdin')
    .option('--json', 'print the Grade as JSON')
    .action(async (opts: { question: string; answerFile?: string; json?: boolean }) => {
      const catalog = loadCatalog(deps.contentDir());
      const question = catalog.questions.get(opts.question);
      if (!question) throw new UserError(`unknown question "${opts.question}"; run "sparring content list" to see the ids`);
      if (!opts.answerFile && process.stdin.isTTY) console.error('Type your answer, then press Ctrl-D.');
      const bytes = opts.answerFile ? readFileBytes(opts.answerFile) : await readStream(process.stdin);
      const decoded = decodeUtf8(bytes);
      if (decoded.invalidUtf8) console.error('note: the answer had bytes that are not UTF-8; they were replaced.');
      const { text, truncated } = sanitizeAnswer(decoded.text);
      if (truncated) console.error('note: the answer was cut to its first 20,000 characters.');
      if (!text.trim()) throw new UserError('the answer is empty');
      const target = targetFor(question, catalog);
      const grade = await (await deps.graders(catalog)).grade({ target, answer: text });
      if (opts.json) {
        console.log(JSON.stringify(grade, null, 2));
        return;
      }
      console.log(renderReplyText({ text: `**Score: ${Math.round(grade.score)}/100** · ${question.id}`, sections: scorecardSections(grade, target.criteria) }));
    });
}
