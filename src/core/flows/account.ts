import { progressReport, type ProgressReport } from '../progress.js';
import type { ScheduleStore } from '../schedule-ports.js';
import type { Reply } from '../types.js';
import type { PracticeCtx } from './practice.js';

/** Draws the progress chart; rendering lives outside the core. */
export type ProgressChartRenderer = (report: ProgressReport) => { name: string; png: Uint8Array; alt: string };

/** Deletes everything about a user; implemented over the database in src/store/privacy.ts. */
export interface Privacy {
  /** Resolves once nothing about the user is left, with how many records went. */
  forgetUser(userId: number): Promise<{ total: number }>;
}

export type AccountDeps = { schedules?: ScheduleStore; chart?: ProgressChartRenderer; privacy?: Privacy };

const tell = (ctx: PracticeCtx, text: string, extra: Partial<Reply> = {}): Reply => ({
  to: ctx.conversation,
  visibility: { onlyFor: ctx.actor },
  role: 'history',
  text,
  ...extra,
});

export async function progress(ctx: PracticeCtx, account: AccountDeps): Promise<Reply[]> {
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
      ...(report.weakest ? { actions: [{ id: 'practice', label: `Practise ${report.weakest.competency}`.slice(0, 75), value: report.weakest.competency, style: 'primary' as const }] } : {}),
      ...(chart ? { attachments: [{ name: chart.name, contentType: 'image/png' as const, base64: Buffer.from(chart.png).toString('base64'), alt: chart.alt }] } : {}),
    }),
  ];
}

/** How long a forget-me request waits for its confirmation. */
export const FORGET_CONFIRM_MS = 10 * 60_000;

export async function forgetMe(ctx: PracticeCtx, account: AccountDeps, pending: Map<string, number>, confirmed: boolean): Promise<Reply[]> {
  const now = ctx.deps.clock.now();
  const asked = pending.get(ctx.user.key);
  if (!account.privacy) return [tell(ctx, 'Deleting your data is not available here.', { role: 'info' })];
  if (!confirmed || asked === undefined || now - asked > FORGET_CONFIRM_MS) {
    pending.set(ctx.user.key, now);
    return [
      tell(ctx, 'This deletes **everything** Sparring keeps about you here: your sessions, answers, grades, progress, drill messages, mock interviews about you and every note written about you. It cannot be undone.\nConfirm within 10 minutes with `forget-me confirm` or the button.', {
        role: 'info',
        actions: [{ id: 'forget-me-confirm', label: 'Delete everything about me', style: 'danger' }],
      }),
    ];
  }
  pending.delete(ctx.user.key);
  const { total } = await account.privacy.forgetUser(ctx.user.id);
  return [tell(ctx, `Done: ${total} record${total === 1 ? '' : 's'} about you were deleted. If you use Sparring again, it starts from nothing.`, { role: 'info' })];
}
