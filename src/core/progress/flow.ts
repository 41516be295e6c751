import { progressReport, type ProgressReport } from './report.js';
import type { ScheduleStore } from '../practice/schedule-ports.js';
import type { Reply } from '../kernel/types.js';
import type { PracticeCtx, PracticeDeps } from '../practice/context.js';
import { privateReply } from '../kernel/replies.js';

/** A drawn progress chart: a PNG and its description for screen readers. */
export type ProgressChart = { name: string; png: Uint8Array; alt: string };

/** Draws the progress chart; rendering lives outside the core. */
export type ProgressChartRenderer = (report: ProgressReport) => ProgressChart;

export type ProgressDeps = { schedules?: ScheduleStore; chart?: ProgressChartRenderer };

const tell = (ctx: PracticeCtx, text: string, extra: Partial<Reply> = {}): Reply => privateReply(ctx.conversation, ctx.actor, text, { role: 'history', ...extra });

async function reportOf(deps: Pick<PracticeDeps, 'store' | 'catalog' | 'clock'>, account: ProgressDeps, userId: number): Promise<ProgressReport> {
  const schedules = account.schedules ? { schedules: await account.schedules.schedules(userId) } : {};
  return progressReport(deps.store, deps.catalog, userId, { now: deps.clock.now(), ...schedules });
}

/** Nothing to draw before the first graded answer, so no chart then. */
const chartOf = (report: ProgressReport, account: ProgressDeps): ProgressChart | undefined =>
  report.answered === 0 ? undefined : account.chart?.(report);

/**
 * The chart the `progress` command attaches, as a query: views that show progress outside a
 * conversation (Slack's App Home) draw the same picture without running the command.
 */
export async function progressChart(deps: Pick<PracticeDeps, 'store' | 'catalog' | 'clock'>, account: ProgressDeps, userId: number): Promise<ProgressChart | undefined> {
  if (!account.chart) return undefined;
  return chartOf(await reportOf(deps, account, userId), account);
}

export async function progress(ctx: PracticeCtx, account: ProgressDeps): Promise<Reply[]> {
  const report = await reportOf(ctx.deps, account, ctx.user.id);
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
  const chart = chartOf(report, account);
  return [
    tell(ctx, `**Your progress**: ${report.answered} graded answer${report.answered === 1 ? '' : 's'}${report.weakest ? `; work on **${report.weakest.competency}** next` : ''}.`, {
      sections,
      ...(report.weakest ? { actions: [{ action: { do: 'practice' as const, focus: report.weakest.competency }, label: `Practise ${report.weakest.competency}`.slice(0, 75), style: 'primary' as const }] } : {}),
      ...(chart ? { attachments: [{ name: chart.name, contentType: 'image/png' as const, base64: Buffer.from(chart.png).toString('base64'), alt: chart.alt }] } : {}),
    }),
  ];
}
