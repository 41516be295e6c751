import type { Drill } from '../../content/schema.js';
import type { DrillEvent, DrillRecord, Participant } from './ports.js';
import type { ConversationRef, Reply } from '../kernel/types.js';

export type DrillReport = {
  drill: { id: number; scenario: string; title: string; status: string; startedAt?: string; endedAt?: string; minutes?: number };
  participants: { name: string; role: string }[];
  timeline: { minute: number; at: string; kind: string; text: string }[];
  decisions: { id: string; prompt: string; chosen?: string; recommended?: string; followedRecommendation?: boolean; by?: string; role?: string; minute?: number }[];
  objectives: {
    id: string;
    description: string;
    /** Every one of its expected actions was covered (the objective is met). */
    covered: boolean;
    /** How many of its expected actions were covered: what every rendering shows as "n/m actions". */
    progress: { covered: number; total: number };
    actions: { id: string; description: string; points: number; key: boolean; covered: boolean; by?: string; role?: string; minute?: number; quote?: string }[];
  }[];
  score: { points: number; max: number; percent: number };
  firstKeyActionMinute?: number;
  messages: number;
  strengths: string[];
  gaps: string[];
  debrief: string[];
  improvements: string[];
};

const iso = (ms?: number) => (ms === undefined ? undefined : new Date(ms).toISOString());

/** How the report names things: minutes since the start, roles, injects. */
type Names = {
  minute(at: number): number;
  roleName(id?: string): string;
  injectTitle(id?: string): string;
};

function namesFor(drill: DrillRecord, scenario: Drill): Names {
  const t0 = drill.startedAt ?? drill.createdAt;
  return {
    minute: (at) => Math.round(((at - t0) / 60_000) * 10) / 10,
    roleName: (id) => (id === undefined ? 'observer' : id === 'all' ? 'all roles' : scenario.roles.find((r) => r.id === id)?.name ?? id),
    injectTitle: (id) => scenario.injects.find((i) => i.id === id)?.title ?? id ?? '',
  };
}

function timelineOf(scenario: Drill, events: DrillEvent[], n: Names): DrillReport['timeline'] {
  const timeline: DrillReport['timeline'] = [];
  for (const e of events) {
    const base = { minute: n.minute(e.at), at: iso(e.at)!, kind: e.kind };
    if (e.kind === 'inject') timeline.push({ ...base, text: `Inject: ${n.injectTitle(e.ref)} (${e.value === 'timer' ? 'on time' : e.value?.startsWith('decision') ? 'after a decision' : e.value})` });
    if (e.kind === 'decision') {
      const option = scenario.injects.flatMap((i) => i.decision?.options ?? []).find((o) => o.id === e.value);
      timeline.push({ ...base, text: `Decision: ${option?.label ?? e.value} (${e.displayName ?? 'someone'}, ${n.roleName(e.role)})` });
    }
    if (e.kind === 'action') {
      const action = scenario.expectedActions.find((a) => a.id === e.ref);
      timeline.push({ ...base, text: `Action: ${action?.description ?? e.ref} (${e.displayName ?? 'someone'}, ${n.roleName(e.role)})` });
    }
    if (e.kind === 'control' && ['begin', 'pause', 'resume', 'end'].includes(e.ref ?? '')) timeline.push({ ...base, text: `Facilitator: ${e.ref}` });
  }
  return timeline;
}

/** Every decision the drill reached or offered, with what was chosen against what was recommended. */
function decisionsOf(scenario: Drill, events: DrillEvent[], n: Names): DrillReport['decisions'] {
  return scenario.injects.flatMap((inject) => {
    const d = inject.decision;
    if (!d) return [];
    const taken = events.find((e) => e.kind === 'decision' && e.ref === d.id);
    const recommended = d.options.find((o) => o.recommended);
    const chosen = d.options.find((o) => o.id === taken?.value);
    if (!taken && !events.some((e) => e.kind === 'inject' && e.ref === inject.id)) return [];
    return [{
      id: d.id, prompt: d.prompt, chosen: chosen?.label, recommended: recommended?.label,
      followedRecommendation: chosen && recommended ? chosen.id === recommended.id : undefined,
      by: taken?.displayName, role: taken ? n.roleName(taken.role) : undefined, minute: taken ? n.minute(taken.at) : undefined,
    }];
  });
}

/** Each objective with its expected actions, covered or not, by whom and when. */
function objectivesOf(scenario: Drill, events: DrillEvent[], n: Names): DrillReport['objectives'] {
  const coverage = new Map(events.filter((e) => e.kind === 'action').map((e) => [e.ref!, e]));
  return scenario.objectives.map((o) => {
    const actions = scenario.expectedActions.filter((a) => a.objective === o.id).map((a) => {
      const hit = coverage.get(a.id);
      return { id: a.id, description: a.description, points: a.points, key: a.key, covered: Boolean(hit), by: hit?.displayName, role: hit ? n.roleName(hit.role) : undefined, minute: hit ? n.minute(hit.at) : undefined, quote: hit?.detail };
    });
    const done = actions.filter((a) => a.covered).length;
    return { id: o.id, description: o.description, covered: actions.length > 0 && done === actions.length, progress: { covered: done, total: actions.length }, actions };
  });
}

/** Strengths, gaps and improvements, all read from the same per-action coverage as the coverage lines. */
function findingsOf(scenario: Drill, objectives: DrillReport['objectives'], decisions: DrillReport['decisions'], n: Names): Pick<DrillReport, 'strengths' | 'gaps' | 'improvements'> {
  const strengths = [
    ...objectives.filter((o) => o.covered).map((o) => `Objective met: ${o.description}`),
    ...decisions.filter((d) => d.followedRecommendation).map((d) => `Recommended call on "${d.prompt}": ${d.chosen}`),
  ];
  // Gaps name every action not taken (key ones first): listing only key actions let "None" sit beside "2/3 actions".
  const missed = objectives.flatMap((o) => o.actions).filter((a) => !a.covered);
  const gaps = [
    ...missed.filter((a) => a.key).map((a) => `Key action not taken: ${a.description}`),
    ...missed.filter((a) => !a.key).map((a) => `Action not taken: ${a.description}`),
    ...decisions.filter((d) => d.followedRecommendation === false).map((d) => `On "${d.prompt}" the team chose ${d.chosen}; recommended: ${d.recommended}`),
    ...decisions.filter((d) => !d.chosen).map((d) => `Decision left open: ${d.prompt}`),
  ];
  const improvements = missed.map((a) => {
    const owner = scenario.expectedActions.find((x) => x.id === a.id)?.role;
    return `${owner ? `${n.roleName(owner)}: ` : ''}${a.description}`;
  });
  return { strengths, gaps, improvements };
}

/** The after-action report, derived entirely from the drill's recorded events. */
export function buildDrillReport(drill: DrillRecord, scenario: Drill, events: DrillEvent[], participants: Participant[]): DrillReport {
  const n = namesFor(drill, scenario);
  const decisions = decisionsOf(scenario, events, n);
  const objectives = objectivesOf(scenario, events, n);
  const all = objectives.flatMap((o) => o.actions);
  const max = all.reduce((s, a) => s + a.points, 0);
  const points = all.filter((a) => a.covered).reduce((s, a) => s + a.points, 0);
  const keyMinutes = all.filter((a) => a.key && a.minute !== undefined).map((a) => a.minute!);
  const { strengths, gaps, improvements } = findingsOf(scenario, objectives, decisions, n);
  return {
    drill: {
      id: drill.id, scenario: scenario.id, title: scenario.title, status: drill.status,
      startedAt: iso(drill.startedAt), endedAt: iso(drill.endedAt),
      minutes: drill.startedAt && drill.endedAt ? n.minute(drill.endedAt) : undefined,
    },
    participants: participants.map((p) => ({ name: p.displayName, role: n.roleName(p.role) })),
    timeline: timelineOf(scenario, events, n),
    decisions,
    objectives,
    score: { points, max, percent: max ? Math.round((points / max) * 100) : 0 },
    firstKeyActionMinute: keyMinutes.length ? Math.min(...keyMinutes) : undefined,
    messages: events.filter((e) => e.kind === 'message').length,
    strengths,
    gaps,
    debrief: scenario.debrief,
    improvements,
  };
}

/** True only because `gaps` names every action not taken and every decision off the recommendation. */
const NO_GAPS = 'None: every expected action was covered.';

const progressText = (o: DrillReport['objectives'][number]) => `${o.progress.covered}/${o.progress.total} actions`;

export function drillReportReply(to: ConversationRef, r: DrillReport): Reply {
  const bullet = (xs: string[], none: string) => (xs.length ? xs.map((x) => `• ${x}`).join('\n') : none);
  return {
    to,
    visibility: 'public',
    role: 'summary',
    text: `**After-action report: ${r.drill.title}**\nScore ${r.score.points}/${r.score.max} (${r.score.percent}%) · ${r.messages} messages · first key action ${r.firstKeyActionMinute === undefined ? 'not taken' : `at minute ${r.firstKeyActionMinute}`}`,
    sections: [
      { title: 'Coverage', fields: r.objectives.map((o): [string, string] => [o.description.replace(/\.$/, ''), progressText(o)]) },
      { title: 'Decisions', body: bullet(r.decisions.map((d) => `${d.prompt}: ${d.chosen ?? 'not taken'}${d.followedRecommendation === false ? ` (recommended: ${d.recommended})` : ''}`), 'No decisions were reached.') },
      { title: 'Strengths', body: bullet(r.strengths, 'None recorded.') },
      { title: 'Gaps', body: bullet(r.gaps, NO_GAPS) },
      { title: 'Debrief', body: bullet(r.debrief, '') },
    ],
  };
}

export function drillReportMarkdown(r: DrillReport): string {
  const lines = [
    `# After-action report: ${r.drill.title}`,
    '',
    `Drill #${r.drill.id} (\`${r.drill.scenario}\`), ${r.drill.startedAt ?? 'not started'} to ${r.drill.endedAt ?? 'not ended'}${r.drill.minutes === undefined ? '' : ` (${r.drill.minutes} min)`}.`,
    '',
    `**Score:** ${r.score.points}/${r.score.max} (${r.score.percent}%). **First key action:** ${r.firstKeyActionMinute === undefined ? 'not taken' : `minute ${r.firstKeyActionMinute}`}. **Messages:** ${r.messages}.`,
    '',
    '## Participants',
    '',
    ...r.participants.map((p) => `- ${p.name}: ${p.role}`),
    '',
    '## Timeline',
    '',
    '| min | what happened |',
    '|---:|---|',
    ...r.timeline.map((t) => `| ${t.minute} | ${t.text.replace(/\|/g, '\\|')} |`),
    '',
    '## Decisions',
    '',
    ...(r.decisions.length ? r.decisions.map((d) => `- ${d.prompt} **${d.chosen ?? 'not taken'}**${d.by ? ` (${d.by}, ${d.role}, minute ${d.minute})` : ''}; recommended: ${d.recommended ?? 'n/a'}`) : ['- None reached.']),
    '',
    '## Coverage',
    '',
  ];
  for (const o of r.objectives) {
    lines.push(`### ${o.covered ? '✅' : '⬜'} ${o.description.replace(/\.$/, '')} (${progressText(o)})`, '');
    for (const a of o.actions) {
      lines.push(`- ${a.covered ? '✅' : '⬜'} ${a.description} (${a.points} pts${a.key ? ', key' : ''})${a.covered ? `: ${a.by}, ${a.role}, minute ${a.minute}${a.quote ? `, “${a.quote.replace(/\s+/g, ' ')}”` : ''}` : ''}`);
    }
    lines.push('');
  }
  const list = (title: string, xs: string[], none: string) => [`## ${title}`, '', ...(xs.length ? xs.map((x) => `- ${x}`) : [`- ${none}`]), ''];
  lines.push(...list('Strengths', r.strengths, 'None recorded.'), ...list('Gaps', r.gaps, NO_GAPS), ...list('Improvement actions', r.improvements, 'None: every expected action was covered.'), ...list('Debrief questions', r.debrief, ''));
  return lines.join('\n');
}
