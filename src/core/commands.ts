/**
 * The command registry: every top-level command the core understands, declared once with its
 * help, its sub-verbs, what a typed message may carry, whether it needs an open session, and
 * its handler. `bot.ts` routes commands through it; adapters read names, verbs and help from it.
 */
import type { Reply } from './kernel/types.js';
import * as practice from './practice/flow.js';
import type { PracticeCtx } from './practice/context.js';
import type { SessionRecord } from './practice/ports.js';
import * as drill from './drill/flow.js';
import * as mock from './mock/flow.js';
import * as progressFlow from './progress/flow.js';
import { privateReply } from './kernel/replies.js';

/** What a handler may ask of the bot that runs it: the parts that are on only when configured. */
export type CommandServices = {
  /** The drill context, or a UserError when drills are off. */
  drillCtx(ctx: PracticeCtx): drill.DrillCtx;
  /** The mock context, or a UserError when mock interviews are off. */
  mockCtx(ctx: PracticeCtx): mock.MockCtx;
  progressDeps: progressFlow.ProgressDeps;
  forget(ctx: PracticeCtx, confirmed: boolean): Promise<Reply[]>;
};

export type CommandCall = { ctx: PracticeCtx; args: string[]; services: CommandServices };

/** What a command typed as a message (not a slash command) may carry after its name. */
export type TypedArgs = {
  /** How many words may follow the name, the verb included (Infinity: any number). */
  maxArgs: number;
  /** `required`: the first word must be one of the verbs; `optional`: no words, or a verb first. */
  verb?: 'required' | 'optional';
  /** Addressed to the bot (a mention), any first word counts, not just a verb: `drill <scenario>`. */
  anyVerbWhenAddressed?: boolean;
};

type Base<N extends string> = {
  name: N;
  /** The command's line in HELP_TEXT (after the bullet); `help` itself has none. */
  help?: string;
  /** A line HELP_TEXT shows after this command's, about what comes next. */
  helpNote?: string;
  /** One short sentence for platforms that list commands in a picker (Discord's slash commands). */
  summary: string;
  /** The words that may follow the name as its first argument. */
  verbs?: readonly string[];
  typed: TypedArgs;
};

type SessionFree = { needsSession: false; run: (call: CommandCall) => Promise<Reply[]> | Reply[] };
type SessionBound = { needsSession: true; run: (call: CommandCall, session: SessionRecord) => Promise<Reply[]> | Reply[] };
export type CommandSpec<N extends string = string> = Base<N> & (SessionFree | SessionBound);

const info = (ctx: PracticeCtx, text: string): Reply[] => [privateReply(ctx.conversation, ctx.actor, text)];

const alone: TypedArgs = { maxArgs: 0 };

const REGISTRY = [
  {
    name: 'help',
    summary: 'What Sparring can do',
    typed: alone,
    needsSession: false,
    run: ({ ctx }): Reply[] => info(ctx, HELP_TEXT),
  },
  {
    name: 'practice',
    help: '`practice [track|competency|difficulty|question-id] [N]`: start a session (default: a mix of 3)',
    helpNote: 'then type your answer; behavioral questions want STAR: situation, task, action, result',
    summary: 'Practise interview questions and get graded feedback',
    typed: { maxArgs: 3 },
    needsSession: false,
    run: ({ ctx, args }) => practice.start(ctx, args),
  },
  {
    name: 'hint',
    help: '`hint`: a nudge for the open question',
    summary: 'A nudge for the open question',
    typed: alone,
    needsSession: true,
    run: ({ ctx }, session) => practice.hint(ctx, session),
  },
  {
    name: 'skip',
    help: '`skip`: move past the open question or follow-up',
    summary: 'Move past the open question or follow-up',
    typed: alone,
    needsSession: true,
    run: ({ ctx }, session) => practice.skip(ctx, session),
  },
  {
    name: 'next',
    help: '`next`: skip a follow-up and go to the next question',
    summary: 'Skip a follow-up and go to the next question',
    typed: alone,
    needsSession: true,
    run: ({ ctx }, session) => practice.skip(ctx, session),
  },
  {
    name: 'end',
    help: '`end`: finish with a session summary',
    summary: 'Finish the session with a summary',
    typed: alone,
    needsSession: true,
    run: ({ ctx }, session) => practice.finish(ctx, session),
  },
  {
    name: 'history',
    help: '`history`: your recent sessions and scores',
    summary: 'Your recent sessions and scores',
    typed: alone,
    needsSession: false,
    run: ({ ctx }) => practice.history(ctx),
  },
  {
    name: 'progress',
    help: '`progress`: your average per competency, its trend, and what comes back for review',
    summary: 'Your average per competency, its trend and a chart (only you see it)',
    typed: alone,
    needsSession: false,
    run: ({ ctx, services }) => progressFlow.progress(ctx, services.progressDeps),
  },
  {
    name: 'drill',
    help: '`drill list` / `drill <scenario>`: incident tabletop drills for a team (`drill help`)',
    summary: 'Incident tabletop drills for a team',
    verbs: ['help', 'list', 'join', 'leave', 'roles', 'status', 'decide', 'report', 'begin', 'pause', 'resume', 'skip', 'release', 'end'],
    // "drill down into the metrics" stays an answer; "@Sparring drill holiday-fraud-drift" opens one.
    typed: { maxArgs: 3, verb: 'required', anyVerbWhenAddressed: true },
    needsSession: false,
    run: ({ ctx, args, services }) => drill.drillCommand(services.drillCtx(ctx), args),
  },
  {
    name: 'mock',
    help: '`mock @candidate`: run a mock interview with a private scorecard (`mock help`)',
    summary: 'Mock interviews with a private scorecard (for hiring managers)',
    verbs: ['help', 'list', 'show', 'score', 'panel', 'release', 'end'],
    typed: { maxArgs: Infinity, verb: 'required' },
    needsSession: false,
    run: ({ ctx, args, services }) => mock.mockCommand(services.mockCtx(ctx), args),
  },
  {
    name: 'forget-me',
    help: '`forget-me`: delete everything Sparring keeps about you (asks to confirm)',
    summary: 'Delete everything Sparring keeps about you (asks to confirm)',
    verbs: ['confirm'],
    typed: { maxArgs: 1, verb: 'optional' },
    needsSession: false,
    run: ({ ctx, args, services }) => services.forget(ctx, args[0]?.toLowerCase() === 'confirm'),
  },
] as const satisfies readonly CommandSpec[];

export type CommandName = (typeof REGISTRY)[number]['name'];

/** Every command, in the order the help text lists them. */
export const COMMAND_SPECS: readonly CommandSpec<CommandName>[] = REGISTRY;

export const COMMANDS = REGISTRY.map((c) => c.name) as readonly CommandName[];

export function commandSpec(name: string): CommandSpec<CommandName> | undefined {
  return COMMAND_SPECS.find((c) => c.name === name);
}

export const HELP_TEXT: string = [
  '**Sparring**: practise interview questions and get graded, evidence-backed feedback.',
  '',
  ...COMMAND_SPECS.flatMap((c) => [c.help, c.helpNote].filter((line): line is string => line !== undefined).map((line) => `• ${line}`)),
].join('\n');

export type TypedCommand = { name: string; args: string[] };

/**
 * A command typed as a message ("hint", "/skip", "practice drift", "drill end"), by the rules
 * each command declares in `typed`: strict on purpose, so an answer is never mistaken for one.
 */
export function typedCommandOf(text: string, opts: { addressed?: boolean } = {}): TypedCommand | undefined {
  const words = text.trim().replace(/^\//, '').split(/\s+/).filter(Boolean);
  const spec = commandSpec(words[0]?.toLowerCase() ?? '');
  if (!spec) return undefined;
  const { name, typed } = spec;
  const args = words.slice(1);
  if (args.length > typed.maxArgs) return undefined;
  if (!typed.verb) return { name, args };
  const verb = args[0]?.toLowerCase();
  if (verb === undefined) return typed.verb === 'optional' ? { name, args } : undefined;
  if (!spec.verbs?.includes(verb) && !(typed.anyVerbWhenAddressed && opts.addressed)) return undefined;
  return { name, args: [verb, ...args.slice(1)] };
}
