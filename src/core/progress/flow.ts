import { progressReport, type ProgressReport } from './report.js';
import type { ScheduleStore } from '../practice/schedule-ports.js';
import type { Reply } from '../kernel/types.js';
import type { PracticeCtx } from '../practice/context.js';
import { privateReply } from '../kernel/replies.js';

/** Draws the progress chart; rendering lives outside the core. */
export type ProgressChartRenderer = (report: ProgressReport) => { name: string; png: Uint8Array; alt: string };

export type ProgressDeps = { schedules?: ScheduleStore; chart?: ProgressChartRenderer };

const tell = (ctx: PracticeCtx, text: string, extra: Partial<Reply> = {}): Reply => privateReply(ctx.conversation, ctx.actor, text, { role: 'history', ...extra });

export async function progress(ctx: PracticeCtx, account: ProgressDeps): Promise<Reply[]> {
  const { deps } = ctx;
  const now = deps.clock.now();
  const report = await progressReport(deps.store, deps.catalog, ctx.user.id, { now, ...(account.schedules ? { schedules: await account.schedules.schedules(ctx.user.id) } : {}) });
  if (report.answered === 0) return [tell(ctx, 'No graded practice answers yet. Say `practice` to start; your progress shows here afterwards.')];
  const trendOf = (competency: string) => {
    const points = report.trend.find((t) => t.competency === competency)?.points ?? [];
    return points.length > 1 ? ` · trend ${points.map((p) => Math.round(p.average)).join(' → ')}` : '';
  };
  const sections = [
    {
      title: 'By competency (weakest first)',
      fields: report.competencies.map((c): [string, string] => [c.competency, `${Math.round(c.average)}/100 over ${c.answered} answer${c.answered === 1 ? '' : 's'}${trendOf(c.competency)}`]),
    },
    ...(report.queue.length
      ? [{
          title: `Coming back for review${report.dueNow ? ` (${report.dueNow} due now)` : ''}`,
          fields: report.queue.map((q): [string, string] => [q.questionId, `${q.due ? 'due now' : `due ${new Date(q.dueAt).toISOString().slice(0, 10)}`} · last ${Math.round(q.lastScore)}/100`]),
        }]
      : []),
  ];
  const chart = account.chart?.(report);
  return [
    tell(ctx, `**Your progress**: ${report.answered} graded answer${report.answered === 1 ? '' : 's'}${report.weakest ? `; work on **${report.weakest.competency}** next` : ''}.`, {
      sections,
      ...(report.weakest ? { actions: [{ action: { do: 'practice' as const, focus: report.weakest.competency }, label: `Practise ${report.weakest.competency}`.slice(0, 75), style: 'primary' as const }] } : {}),
      ...(chart ? { attachments: [{ name: chart.name, contentType: 'image/png' as const, base64: Buffer.from(chart.png).toString('base64'), alt: chart.alt }] } : {}),
    }),
  ];
}
