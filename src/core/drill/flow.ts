import type { Catalog } from '../../content/load.js';
import type { Decision, Drill, Inject } from '../../content/schema.js';
import type { DrillMatcher, DrillRecord, DrillStore, DrillTimer, Participant } from './ports.js';
import { buildDrillReport, drillReportReply } from './report.js';
import { UserError } from '../kernel/errors.js';
import type { UserRecord } from '../practice/ports.js';
import type { Actor, Clock, ConversationRef, Reply, ReplyAction, ReplySection } from '../kernel/types.js';
import { privateReply } from '../kernel/replies.js';
import type { Action } from '../kernel/actions.js';

export type DrillDeps = { catalog: Catalog; drills: DrillStore; matcher: DrillMatcher; clock: Clock };

export type DrillCtx = { deps: DrillDeps; actor: Actor; conversation: ConversationRef; user: UserRecord };

/** A participant in this role may act for every role: one person rehearsing a whole scenario. */
export const ALL_ROLES = 'all';

const FACILITATOR_VERBS = ['begin', 'pause', 'resume', 'skip', 'release', 'end'] as const;

const say = (ctx: DrillCtx, text: string, extra: Partial<Reply> = {}): Reply => ({ to: ctx.conversation, visibility: 'public', text, ...extra });
const tell = (ctx: DrillCtx, text: string): Reply => privateReply(ctx.conversation, ctx.actor, text);

function scenarioOf(deps: DrillDeps, drill: DrillRecord): Drill {
  const scenario = deps.catalog.drills.get(drill.scenarioId);
  if (!scenario) throw new UserError(`This drill's scenario "${drill.scenarioId}" is no longer in the content.`);
  return scenario;
}

const roleName = (scenario: Drill, role: string) =>
  role === ALL_ROLES ? 'all roles' : scenario.roles.find((r) => r.id === role)?.name ?? role;

const active = (ps: Participant[]) => ps.filter((p) => p.leftAt === undefined);

function injectReply(ctx: DrillCtx, scenario: Drill, inject: Inject): Reply {
  const sections: ReplySection[] = [];
  if (inject.data) {
    const widths = inject.data.columns.map((c, i) => Math.max(c.length, ...inject.data!.rows.map((r) => String(r[i] ?? '').length)));
    const line = (cells: (string | number)[]) => cells.map((c, i) => String(c).padEnd(widths[i]!)).join('  ').trimEnd();
    sections.push({ title: inject.data.caption, body: ['```', line(inject.data.columns), ...inject.data.rows.map(line), '```'].join('\n') });
  }
  const actions: ReplyAction[] = [];
  if (inject.decision) {
    const d = inject.decision;
    sections.push({ title: 'Decision', body: `${d.prompt}\n_${d.vote ? 'Everyone votes; the majority decides.' : `Decided by: ${roleName(scenario, d.owner)}.`}_` });
    actions.push(...d.options.map((o) => ({ action: { do: 'drill-decide' as const, decision: d.id, option: o.id }, label: o.label })));
  }
  const audience = inject.roles.length ? `\n_For: ${inject.roles.map((r) => roleName(scenario, r)).join(', ')}_` : '';
  return say(ctx, `**${inject.title}**\n${inject.text}${audience}`, { role: 'inject', sections, actions });
}

/** Releases an inject: records it, schedules what follows it, and shows it to the room. */
async function release(ctx: DrillCtx, drill: DrillRecord, scenario: Drill, inject: Inject, how: string): Promise<Reply[]> {
  const { deps } = ctx;
  const now = deps.clock.now();
  await deps.drills.cancelTimers(drill.id, inject.id);
  await deps.drills.addEvent(drill.id, { at: now, kind: 'inject', ref: inject.id, value: how });
  for (const next of scenario.injects) {
    if (next.release.kind === 'after' && next.release.follows === inject.id) await deps.drills.schedule(drill.id, next.id, now + next.release.minutes * 60_000);
  }
  const replies = [injectReply(ctx, scenario, inject)];
  if (!inject.decision && (await deps.drills.pendingTimers(drill.id)).length === 0) {
    replies.push(say(ctx, '_No more injects are scheduled. Facilitator: `drill end` when the discussion is done, for the after-action report._', { role: 'info' }));
  }
  return replies;
}

async function openDecision(deps: DrillDeps, drill: DrillRecord, scenario: Drill): Promise<Decision | undefined> {
  const decided = new Set(await deps.drills.eventRefs(drill.id, 'decision'));
  const released = (await deps.drills.eventRefs(drill.id, 'inject')).map((id) => scenario.injects.find((i) => i.id === id));
  return released.reverse().find((i) => i?.decision && !decided.has(i.decision.id))?.decision;
}

function pickRole(scenario: Drill, participants: Participant[], wanted?: string): string {
  if (wanted) {
    const w = wanted.toLowerCase();
    if (w === ALL_ROLES) return ALL_ROLES;
    const role = scenario.roles.find((r) => r.id === w || r.name.toLowerCase() === w);
    if (!role) throw new UserError(`No role "${wanted}" in this drill. Roles: ${scenario.roles.map((r) => r.id).join(', ')}, or "all" to play every role.`);
    return role.id;
  }
  const taken = (id: string) => active(participants).filter((p) => p.role === id).length;
  const open = scenario.roles.find((r) => r.required && taken(r.id) === 0) ?? scenario.roles.find((r) => taken(r.id) === 0);
  return (open ?? [...scenario.roles].sort((a, b) => taken(a.id) - taken(b.id))[0]!).id;
}

function rolesReply(ctx: DrillCtx, scenario: Drill, participants: Participant[]): Reply {
  const fields = scenario.roles.map((r): [string, string] => {
    const who = active(participants).filter((p) => p.role === r.id || p.role === ALL_ROLES).map((p) => p.displayName);
    return [`${r.name}${r.required ? ' (required)' : ''}`, who.length ? who.join(', ') : '_open_'];
  });
  return say(ctx, `**${scenario.title}**: roles`, {
    role: 'roster',
    sections: [{ fields }],
    actions: scenario.roles.map((r) => ({ action: { do: 'drill-join' as const, role: r.id }, label: `Join as ${r.name}`.slice(0, 75) })),
  });
}

async function recordMessage(ctx: DrillCtx, drill: DrillRecord, scenario: Drill, text: string): Promise<Reply[]> {
  const { deps } = ctx;
  const me = (await deps.drills.participants(drill.id)).find((p) => p.userId === ctx.user.id && p.leftAt === undefined);
  const now = deps.clock.now();
  await deps.drills.addEvent(drill.id, { at: now, kind: 'message', userId: ctx.user.id, role: me?.role, value: text });
  if (drill.status !== 'running') return [];
  const covered = new Set(await deps.drills.eventRefs(drill.id, 'action'));
  const open = scenario.expectedActions.filter((a) => !covered.has(a.id));
  for (const hit of await deps.matcher.match(text, open)) {
    await deps.drills.addEvent(drill.id, { at: now, kind: 'action', userId: ctx.user.id, role: me?.role, ref: hit.actionId, detail: hit.quote });
  }
  return [];
}

/** A choice: an option's id or label, and from a button the decision it was offered for. */
type Choice = { decision?: string; option: string };

/** Typed `drill decide <option>`, or `<decision>:<option>` as Discord's autocomplete fills it in (see drillChoices). */
function typedChoice(text: string): Choice {
  const colon = text.indexOf(':');
  return colon < 0 ? { option: text } : { decision: text.slice(0, colon), option: text.slice(colon + 1) };
}

async function decide(ctx: DrillCtx, drill: DrillRecord, scenario: Drill, choice: Choice): Promise<Reply[]> {
  const { deps } = ctx;
  if (drill.status !== 'running') throw new UserError('Decisions are taken while the drill is running.');
  const decision = await openDecision(deps, drill, scenario);
  if (!decision || (choice.decision && choice.decision !== decision.id)) return [tell(ctx, 'There is no open decision for that.')];
  const option = decision.options.find((o) => o.id === choice.option || o.label.toLowerCase() === choice.option.toLowerCase());
  if (!option) return [tell(ctx, `Choose one of: ${decision.options.map((o) => `\`${o.id}\` (${o.label})`).join(', ')}.`)];
  const participants = active(await deps.drills.participants(drill.id));
  const me = participants.find((p) => p.userId === ctx.user.id);
  if (!me) return [tell(ctx, 'Join the drill first: `drill join [role]`.')];
  const now = deps.clock.now();

  if (decision.vote) {
    await deps.drills.addEvent(drill.id, { at: now, kind: 'vote', userId: ctx.user.id, role: me.role, ref: decision.id, value: option.id });
    const latest = new Map<number, string>();
    for (const e of await deps.drills.events(drill.id)) if (e.kind === 'vote' && e.ref === decision.id && e.userId !== undefined) latest.set(e.userId, e.value!);
    const votes = participants.filter((p) => latest.get(p.userId) === option.id).length;
    if (votes * 2 <= participants.length) {
      return [say(ctx, `${ctx.actor.displayName} voted for **${option.label}** (${votes} of ${participants.length}; a majority decides).`, { role: 'info' })];
    }
  } else if (me.role !== decision.owner && me.role !== ALL_ROLES) {
    return [tell(ctx, `This decision belongs to the ${roleName(scenario, decision.owner)}.`)];
  }

  await deps.drills.addEvent(drill.id, { at: now, kind: 'decision', userId: ctx.user.id, role: me.role, ref: decision.id, value: option.id });
  const replies = [say(ctx, `**Decision:** ${option.label} (${decision.vote ? 'by vote' : `${ctx.actor.displayName}, ${roleName(scenario, me.role)}`}).${option.consequence ? `\n${option.consequence}` : ''}`, { role: 'info' })];
  const next = option.next ? scenario.injects.find((i) => i.id === option.next) : undefined;
  return next ? [...replies, ...(await release(ctx, drill, scenario, next, `decision:${option.id}`))] : replies;
}

async function facilitate(ctx: DrillCtx, drill: DrillRecord, scenario: Drill, verb: (typeof FACILITATOR_VERBS)[number], arg?: string): Promise<Reply[]> {
  const { deps } = ctx;
  if (drill.facilitatorId !== ctx.user.id) return [tell(ctx, 'Only the facilitator can do that.')];
  const now = deps.clock.now();
  const control = () => deps.drills.addEvent(drill.id, { at: now, kind: 'control', userId: ctx.user.id, ref: verb, ...(arg ? { value: arg } : {}) });
  switch (verb) {
    case 'begin': {
      if (drill.status !== 'lobby') return [tell(ctx, 'The drill has already begun.')];
      const participants = active(await deps.drills.participants(drill.id));
      const missing = scenario.roles.filter((r) => r.required && !participants.some((p) => p.role === r.id || p.role === ALL_ROLES));
      if (missing.length) return [tell(ctx, `Someone needs to join as ${missing.map((r) => r.name).join(', ')} first (\`drill join ${missing[0]!.id}\`).`)];
      await deps.drills.setStatus(drill.id, 'running', now);
      await control();
      const start = scenario.injects.find((i) => i.release.kind === 'start')!;
      const objectives = scenario.objectives.map((o) => `• ${o.description}`).join('\n');
      return [say(ctx, `**${scenario.title}** has begun.\n${scenario.summary}`, { role: 'info', sections: [{ title: 'Objectives', body: objectives }] }), ...(await release(ctx, { ...drill, status: 'running' }, scenario, start, 'start'))];
    }
    case 'pause':
      if (drill.status !== 'running') return [tell(ctx, 'The drill is not running.')];
      await deps.drills.pauseTimers(drill.id, now);
      await deps.drills.setStatus(drill.id, 'paused', now);
      await control();
      return [say(ctx, '⏸ Drill paused. Timed injects wait until `drill resume`.', { role: 'info' })];
    case 'resume':
      if (drill.status !== 'paused') return [tell(ctx, 'The drill is not paused.')];
      await deps.drills.resumeTimers(drill.id, now);
      await deps.drills.setStatus(drill.id, 'running', now);
      await control();
      return [say(ctx, '▶ Drill resumed.', { role: 'info' })];
    case 'skip': {
      const next = (await deps.drills.pendingTimers(drill.id))[0];
      if (!next) return [tell(ctx, 'No timed inject is waiting.')];
      await deps.drills.cancelTimers(drill.id, next.injectId);
      await control();
      return [say(ctx, `Skipped the next inject (${scenario.injects.find((i) => i.id === next.injectId)?.title ?? next.injectId}).`, { role: 'info' })];
    }
    case 'release': {
      if (drill.status === 'lobby') return [tell(ctx, 'Begin the drill first: `drill begin`.')];
      const id = arg ?? (await deps.drills.pendingTimers(drill.id))[0]?.injectId;
      const inject = scenario.injects.find((i) => i.id === id);
      if (!inject) {
        const manual = scenario.injects.filter((i) => i.release.kind === 'facilitator').map((i) => i.id);
        return [tell(ctx, id ? `No inject "${id}". Injects you can release: ${manual.join(', ') || 'none'}.` : `No timed inject is waiting. Injects you can release: ${manual.join(', ') || 'none'}.`)];
      }
      await control();
      return release(ctx, drill, scenario, inject, 'facilitator');
    }
    case 'end': {
      await deps.drills.cancelTimers(drill.id);
      await deps.drills.setStatus(drill.id, 'ended', now);
      await control();
      const ended = (await deps.drills.getDrill(drill.id))!;
      const report = buildDrillReport(ended, scenario, await deps.drills.events(drill.id), await deps.drills.participants(drill.id));
      return [drillReportReply(ctx.conversation, report)];
    }
  }
}

/** `drill …` commands. */
export async function drillCommand(ctx: DrillCtx, args: string[]): Promise<Reply[]> {
  const { deps } = ctx;
  const [verb = 'status', ...rest] = args.map((a) => a.trim()).filter(Boolean);
  const drill = await deps.drills.drillIn(ctx.conversation);
  const scenario = drill && scenarioOf(deps, drill);

  if (verb === 'list') {
    const lines = [...deps.catalog.drills.values()].map((d) => `• \`${d.id}\`: ${d.title} (${d.durationMinutes} min, ${d.roles.length} roles)`);
    return [tell(ctx, lines.length ? `**Drill scenarios**\n${lines.join('\n')}` : 'No drill scenarios are installed.')];
  }
  if (!drill || !scenario) {
    if (verb === 'status') return [tell(ctx, 'No drill in this channel. `drill list` shows the scenarios; `drill <scenario>` opens one.')];
    const chosen = deps.catalog.drills.get(verb.toLowerCase());
    if (!chosen) throw new UserError(`No drill "${verb}". \`drill list\` shows the scenarios.`);
    const created = await deps.drills.createDrill(chosen.id, ctx.conversation, ctx.user.id, deps.clock.now());
    const intro = say(ctx, `**Drill: ${chosen.title}**\n${chosen.summary}\n_${ctx.actor.displayName} facilitates. Join with a role, then the facilitator says \`drill begin\`._`, { role: 'info', opens: { kind: 'drill', title: chosen.title } });
    return [intro, rolesReply(ctx, chosen, await deps.drills.participants(created.id))];
  }
  if (deps.catalog.drills.has(verb)) throw new UserError('A drill is already open here. End it (`drill end`) or use another channel.');

  switch (verb) {
    case 'status':
    case 'roles':
      return [rolesReply(ctx, scenario, await deps.drills.participants(drill.id))];
    case 'join': {
      if (drill.status === 'ended') return [tell(ctx, 'That drill has ended.')];
      const participants = await deps.drills.participants(drill.id);
      const existing = participants.find((p) => p.userId === ctx.user.id);
      // Coming back keeps your role unless you ask for another one.
      const role = rest[0] ? pickRole(scenario, participants, rest[0]) : existing?.role ?? pickRole(scenario, participants);
      await deps.drills.join(drill.id, ctx.user.id, role, deps.clock.now());
      const verbText = existing ? (existing.leftAt !== undefined ? 'is back' : 'is now') : 'joined';
      return [say(ctx, `${ctx.actor.displayName} ${verbText} as **${roleName(scenario, role)}**.`, { role: 'info' })];
    }
    case 'leave':
      await deps.drills.leave(drill.id, ctx.user.id, deps.clock.now());
      return [say(ctx, `${ctx.actor.displayName} left the drill (their role is kept if they come back).`, { role: 'info' })];
    case 'decide':
      if (!rest[0]) return [tell(ctx, 'Say which option: `drill decide <option>`.')];
      return decide(ctx, drill, scenario, typedChoice(rest.join(' ')));
    case 'report':
      return [drillReportReply(ctx.conversation, buildDrillReport(drill, scenario, await deps.drills.events(drill.id), await deps.drills.participants(drill.id)))];
    default:
      if ((FACILITATOR_VERBS as readonly string[]).includes(verb)) return facilitate(ctx, drill, scenario, verb as (typeof FACILITATOR_VERBS)[number], rest[0]);
      throw new UserError(`Unknown drill command "${verb}". Say \`drill help\`.`);
  }
}

/** A message in a room with a drill: recorded, and matched against the expected actions. */
export async function drillMessage(ctx: DrillCtx, drill: DrillRecord, text: string): Promise<Reply[]> {
  return recordMessage(ctx, drill, scenarioOf(ctx.deps, drill), text);
}

/** Buttons: join a role, take a decision. */
export async function drillAction(ctx: DrillCtx, action: Extract<Action, { do: 'drill-join' | 'drill-decide' }>): Promise<Reply[]> {
  switch (action.do) {
    case 'drill-join':
      return drillCommand(ctx, ['join', action.role]);
    case 'drill-decide': {
      const drill = await ctx.deps.drills.drillIn(ctx.conversation);
      if (!drill) return [tell(ctx, 'That button belongs to a drill that has ended.')];
      return decide(ctx, drill, scenarioOf(ctx.deps, drill), { decision: action.decision, option: action.option });
    }
  }
}

/**
 * What a drill room offers now: its roles, and its open decision with that decision's options.
 * The decision's id lets a picker name it, so a choice made after it closed is refused, not
 * applied to the next decision.
 */
export type DrillChoices = { roles: { id: string; name: string }[]; decision?: { id: string; options: { id: string; label: string }[] } };

/** For pickers such as Discord's autocomplete: read from the store and the catalog, so a restart loses nothing. */
export async function drillChoices(deps: DrillDeps, conversation: ConversationRef): Promise<DrillChoices | undefined> {
  const drill = await deps.drills.drillIn(conversation);
  const scenario = drill && deps.catalog.drills.get(drill.scenarioId);
  if (!drill || !scenario) return undefined;
  const decision = await openDecision(deps, drill, scenario);
  return {
    roles: scenario.roles.map((r) => ({ id: r.id, name: r.name })),
    ...(decision ? { decision: { id: decision.id, options: decision.options.map((o) => ({ id: o.id, label: o.label })) } } : {}),
  };
}

/** Runs a job in the line of a drill's room, after whatever people there sent before it. */
export type InRoom = (drill: DrillRecord, job: () => Promise<Reply[]>) => Promise<Reply[]>;

/**
 * Runs one inject's release as one transaction with the outbox entry of its replies, keyed by
 * the drill and the inject, and delivers them: a crash after the timer fired still posts the inject.
 */
export type Durably = (drill: DrillRecord, injectId: string, release: () => Promise<Reply[]>) => Promise<Reply[]>;

/**
 * Releases every timed inject that is due (also after a restart, at once), returning what to post.
 * With `platform`, only that platform's drills: a Slack process must not fire a Discord drill's
 * timer it cannot deliver when both share one database. Each drill's releases wait their turn in
 * its room (`inRoom`), so a `drill end` or `drill pause` sent just before is seen first; drills
 * go side by side, so one busy room does not hold back the others.
 */
export async function releaseDue(
  deps: DrillDeps, now: number, ctxFor: (drill: DrillRecord) => Promise<DrillCtx>, platform?: string,
  inRoom: InRoom = (_, job) => job(), durably: Durably = (_d, _i, job) => job(),
): Promise<Reply[]> {
  const byDrill = new Map<number, DrillTimer[]>();
  for (const timer of await deps.drills.dueTimers(now)) byDrill.set(timer.drillId, [...(byDrill.get(timer.drillId) ?? []), timer]);
  const released = await Promise.all([...byDrill].map(async ([drillId, timers]) => {
    const seen = await deps.drills.getDrill(drillId);
    if (!seen || (platform && seen.conversation.platform !== platform)) return [];
    return inRoom(seen, async () => {
      const replies: Reply[] = [];
      for (const timer of timers) {
        // Read again in the room's line: what ran ahead of this may have paused or ended the drill.
        const drill = await deps.drills.getDrill(drillId);
        if (!drill || drill.status !== 'running') continue;
        const scenario = deps.catalog.drills.get(drill.scenarioId);
        const inject = scenario?.injects.find((i) => i.id === timer.injectId);
        replies.push(...(await durably(drill, timer.injectId, async () => {
          if (!(await deps.drills.fireTimer(timer.id)) || !scenario || !inject) return [];
          return release(await ctxFor(drill), drill, scenario, inject, 'timer');
        })));
      }
      return replies;
    });
  }));
  return released.flat();
}
