/**
 * The App Home tab: the core's progress view (recent sessions, average per competency, the
 * weakest one), the progress chart as an image block when one was uploaded, and a button to
 * practise the weakest. Clicking it starts a session in the
 * app's DM, because a Home tab is not a conversation.
 */
import type { types } from '@slack/bolt';
import type { ProgressView } from '../../core/progress/report.js';
import { buttons, fitBlocks, imageBlock, LIMITS, plain, textSections } from './render.js';
import { toMrkdwn } from './text.js';

const pct = (score: number) => `${Math.round(score)}/100`;
const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** An uploaded chart: its Slack file id and a description for screen readers. */
export type HomeChart = { fileId: string; alt: string };

export function renderHome(view: ProgressView, chart?: HomeChart): types.HomeView {
  const content: types.KnownBlock[] = [{ type: 'header', text: plain('Your interview practice') }];

  if (view.answered === 0) {
    content.push(...textSections('No graded answers yet. Start a session below, or type `/sparring practice` in any channel I am in.'));
  } else {
    content.push(...textSections(toMrkdwn(`**${view.answered}** graded answer${view.answered === 1 ? '' : 's'} so far.`)));
    if (view.weakest) {
      content.push(...textSections(toMrkdwn(`**Weakest competency:** ${view.weakest.competency} (average ${pct(view.weakest.average)})`)));
    }
    if (chart) content.push(imageBlock(chart.fileId, chart.alt, 'Your progress'));
    content.push({ type: 'divider' }, ...textSections('*Average score per competency*'));
    const fields = view.competencies.map((c) => ({
      type: 'mrkdwn' as const,
      text: toMrkdwn(`**${c.competency}**\n${pct(c.average)} · ${c.answered} answer${c.answered === 1 ? '' : 's'}`),
      verbatim: true,
    }));
    for (let i = 0; i < fields.length; i += LIMITS.fieldsPerSection) {
      content.push({ type: 'section', fields: fields.slice(i, i + LIMITS.fieldsPerSection) });
    }
  }

  if (view.recent.length > 0) {
    const lines = view.recent.map(({ session, graded, averageScore }) =>
      `• ${day(session.createdAt)} · ${graded}/${session.plan.length} graded${averageScore === undefined ? '' : ` · average ${pct(averageScore)}`}${session.status === 'active' ? ' · _in progress_' : ''}`,
    );
    content.push({ type: 'divider' }, ...textSections(`*Recent sessions*\n${toMrkdwn(lines.join('\n'))}`));
  }

  const action = view.weakest
    ? { action: { do: 'practice' as const, focus: view.weakest.competency }, label: `Practise ${view.weakest.competency}`, style: 'primary' as const }
    : { action: { do: 'practice' as const }, label: 'Start practising', style: 'primary' as const };
  return { type: 'home', blocks: fitBlocks(content, buttons([action], {}), LIMITS.viewBlocks) };
}
