import type { Catalog } from '../../content/load.js';
import type { MockRecord, PanelScore } from './ports.js';
import type { TurnRecord } from '../practice/ports.js';

export type MockQuestionRow = {
  number: number;
  questionId: string;
  competency: string;
  prompt: string;
  answer?: string;
  bot?: number;
  followUp?: { prompt: string; answer?: string; bot?: number };
  strengths: string[];
  gaps: string[];
  scorers: { name: string; score: number; notes: string }[];
  /** Highest minus lowest of the bot's and every scorer's score. */
  spread?: number;
};

export type MockReport = {
  id: number;
  candidate: string;
  panel: string[];
  status: string;
  released: boolean;
  startedAt: string;
  questions: MockQuestionRow[];
  competencies: { competency: string; bot?: number; panel?: number }[];
  overall: { bot?: number; panel?: number };
  /** The question the scorers (bot included) disagree on most. */
  disagreement?: { number: number; questionId: string; spread: number };
};

const mean = (xs: number[]) => (xs.length ? Math.round(xs.reduce((a, b) => a + b, 0) / xs.length) : undefined);

export function buildMockReport(
  mock: MockRecord,
  names: { candidate: string; panel: string[] },
  turns: TurnRecord[],
  scores: PanelScore[],
  catalog: Pick<Catalog, 'questions'>,
): MockReport {
  const mains = turns.filter((t) => t.kind === 'main');
  const questions = mains.map((t, i): MockQuestionRow => {
    const q = catalog.questions.get(t.questionId);
    const follow = turns.find((f) => f.kind === 'followup' && f.questionId === t.questionId && f.id > t.id);
    const scorers = scores.filter((s) => s.turnId === t.id).map((s) => ({ name: s.scorerName, score: s.score, notes: s.notes }));
    const bot = t.grade ? Math.round(t.grade.score) : undefined;
    const all = [...(bot === undefined ? [] : [bot]), ...scorers.map((s) => s.score)];
    return {
      number: i + 1,
      questionId: t.questionId,
      competency: q?.competency ?? 'unknown',
      prompt: t.prompt,
      answer: t.answer,
      bot,
      ...(follow ? { followUp: { prompt: follow.prompt, answer: follow.answer, bot: follow.grade ? Math.round(follow.grade.score) : undefined } } : {}),
      strengths: t.grade?.strengths ?? [],
      gaps: t.grade?.gaps ?? [],
      scorers,
      spread: all.length > 1 ? Math.max(...all) - Math.min(...all) : undefined,
    };
  });
  const competencies = [...new Set(questions.map((q) => q.competency))].map((competency) => {
    const rows = questions.filter((q) => q.competency === competency);
    return {
      competency,
      bot: mean(rows.flatMap((r) => (r.bot === undefined ? [] : [r.bot]))),
      panel: mean(rows.flatMap((r) => r.scorers.map((s) => s.score))),
    };
  });
  const widest = [...questions].filter((q) => q.spread !== undefined).sort((a, b) => b.spread! - a.spread! || a.number - b.number)[0];
  return {
    id: mock.id,
    candidate: names.candidate,
    panel: names.panel,
    status: mock.status,
    released: mock.released,
    startedAt: new Date(mock.createdAt).toISOString(),
    questions,
    competencies,
    overall: {
      bot: mean(questions.flatMap((q) => (q.bot === undefined ? [] : [q.bot]))),
      panel: mean(questions.flatMap((q) => q.scorers.map((s) => s.score))),
    },
    ...(widest && widest.spread! > 0 ? { disagreement: { number: widest.number, questionId: widest.questionId, spread: widest.spread! } } : {}),
  };
}

const cell = (v: number | undefined) => (v === undefined ? '–' : String(v));

export function mockReportMarkdown(r: MockReport): string {
  const lines = [
    `# Mock interview #${r.id}: ${r.candidate}`,
    '',
    `Panel: ${r.panel.join(', ')}. Started ${r.startedAt}. Status: ${r.status}. Feedback ${r.released ? 'released to the candidate' : 'not released'}.`,
    '',
    `**Overall:** bot ${cell(r.overall.bot)}/100, panel ${cell(r.overall.panel)}/100.`,
    ...(r.disagreement ? ['', `**Most disagreement:** question ${r.disagreement.number} (\`${r.disagreement.questionId}\`), a spread of ${r.disagreement.spread} points.`] : []),
    '',
    '## By competency',
    '',
    '| competency | bot | panel |',
    '|---|---:|---:|',
    ...r.competencies.map((c) => `| ${c.competency} | ${cell(c.bot)} | ${cell(c.panel)} |`),
    '',
    '## Questions',
  ];
  for (const q of r.questions) {
    lines.push('', `### ${q.number}. ${q.questionId} (${q.competency})`, '', `> ${q.prompt.replace(/\n/g, ' ')}`, '');
    lines.push(`**Answer:** ${q.answer ? q.answer.replace(/\s+/g, ' ') : '_not answered_'}`, '');
    lines.push(`- Bot: ${cell(q.bot)}/100${q.followUp ? ` (follow-up ${cell(q.followUp.bot)}/100)` : ''}`);
    for (const s of q.scorers) lines.push(`- ${s.name}: ${s.score}/100${s.notes ? `: ${s.notes}` : ''}`);
    if (q.spread !== undefined) lines.push(`- Spread: ${q.spread}`);
  }
  return `${lines.join('\n')}\n`;
}

const csvField = (v: string | number | undefined) => {
  const s = v === undefined ? '' : String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

/** One row per question and scorer (the bot included), so a spreadsheet can pivot it. */
export function mockReportCsv(r: MockReport): string {
  const rows = [['mock_id', 'candidate', 'question_number', 'question_id', 'competency', 'scorer', 'score', 'notes']];
  for (const q of r.questions) {
    rows.push([String(r.id), r.candidate, String(q.number), q.questionId, q.competency, 'bot', cell(q.bot).replace('–', ''), '']);
    for (const s of q.scorers) rows.push([String(r.id), r.candidate, String(q.number), q.questionId, q.competency, s.name, String(s.score), s.notes]);
  }
  return `${rows.map((row) => row.map(csvField).join(',')).join('\n')}\n`;
}
