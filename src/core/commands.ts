/**
 * The command registry: every top-level command the core understands, declared once with its
 * help, its sub-verbs and their arguments, what a typed message may carry, where it runs,
 * whether it needs an open session, and its handler. `bot.ts` routes commands through it;
 * adapters read names, verbs, arguments and help from it rather than keeping lists of their own.
 */
import type { PersonRef, Reply } from './kernel/types.js';
import { DRILL_VERBS, FORGET_VERBS, MOCK_VERBS, PRACTICE_ARGS, placeholderOf, type ArgSpec, type VerbSpec } from './command-args.js';
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

export type CommandCall = {
  ctx: PracticeCtx;
  args: string[];
  /** The people the command's person arguments name, in order, as the platform resolved them. */
  people: readonly PersonRef[];
  services: CommandServices;
};

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
  /** The words that may follow the name as its first argument, each with its own arguments. */
  verbs?: readonly VerbSpec[];
  /** What `<name> help` says above and below its lines, one per verb, built from `verbs`. */
  verbHelp?: { title: string; note?: string };
  /** The arguments of a command without verbs. */
  args?: readonly ArgSpec[];
  typed: TypedArgs;
  /**
   * Where it acts: `session` on the person's open question (typed in a channel, it goes to the
   * session's thread there), `drill` on the drill open in the room, `anywhere` where it was typed.
   */
  room: 'anywhere' | 'session' | 'drill';
  /** Asked mid-session without touching it: the terminal lists it beside the session's own commands. */
  midSession?: boolean;
  /** Moves past the open question, so a half-typed answer to it is dropped. */
  leavesQuestion?: boolean;
};

type SessionFree = { needsSession: false; run: (call: CommandCall) => Promise<Reply[]> | Reply[] };
type SessionBound = { needsSession: true; run: (call: CommandCall, session: SessionRecord) => Promise<Reply[]> | Reply[] };
export type CommandSpec<N extends string = string> = Base<N> & (SessionFree | SessionBound);

const info = (ctx: PracticeCtx, text: string): Reply[] => [privateReply(ctx.conversation, ctx.actor, text)];

const alone: TypedArgs = { maxArgs: 0 };

const REGISTRY = [
  {
    name: 'practice',
    help: '`practice [track|competency|difficulty|question-id] [N]`: start a session (default: a mix of 3)',
    helpNote: 'then type your answer; behavioral questions want STAR: situation, task, action, result',
    summary: 'Practise interview questions and get graded feedback',
    args: PRACTICE_ARGS,
    typed: { maxArgs: 3 },
    room: 'anywhere',
    leavesQuestion: true,
    needsSession: false,
    run: ({ ctx, args }) => practice.start(ctx, args),
  },
  {
    name: 'hint',
    help: '`hint`: a nudge for the open question',
    summary: 'A nudge for the open question',
    typed: alone,
    room: 'session',
    needsSession: true,
    run: ({ ctx }, session) => practice.hint(ctx, session),
  },
  {
    name: 'skip',
    help: '`skip`: move past the open question or follow-up',
    summary: 'Move past the open question or follow-up',
    typed: alone,
    room: 'session',
    leavesQuestion: true,
    needsSession: true,
    run: ({ ctx }, session) => practice.skip(ctx, session),
  },
  {
    name: 'next',
    help: '`next`: skip a follow-up and go to the next question',
    summary: 'Skip a follow-up and go to the next question',
    typed: alone,
    room: 'session',
    leavesQuestion: true,
    needsSession: true,
    run: ({ ctx }, session) => practice.skip(ctx, session),
  },
  {
    name: 'end',
    help: '`end`: finish with a session summary',
    summary: 'Finish the session with a summary',
    typed: alone,
    room: 'session',
    leavesQuestion: true,
    needsSession: true,
    run: ({ ctx }, session) => practice.finish(ctx, session),
  },
  {
    name: 'history',
    help: '`history`: your recent sessions and scores',
    summary: 'Your recent sessions and scores',
    typed: alone,
    room: 'anywhere',
    midSession: true,
    needsSession: false,
    run: ({ ctx }) => practice.history(ctx),
  },
  {
    name: 'help',
    summary: 'What Sparring can do',
    typed: alone,
    room: 'anywhere',
    midSession: true,
    needsSession: false,
    run: ({ ctx }): Reply[] => info(ctx, HELP_TEXT),
  },
  {
    name: 'progress',
    help: '`progress`: your average per competency, its trend, and what comes back for review',
    summary: 'Your average per competency, its trend and a chart (only you see it)',
    typed: alone,
    room: 'anywhere',
    needsSession: false,
    run: ({ ctx, services }) => progressFlow.progress(ctx, services.progressDeps),
  },
  {
    name: 'drill',
    help: '`drill list` / `drill <scenario>`: incident tabletop drills for a team (`drill help`)',
    summary: 'Incident tabletop drills for a team',
    verbs: DRILL_VERBS,
    verbHelp: { title: '**Drills**: rehearse an incident as a team.', note: 'anything else you write in the drill is recorded with your role and time' },
    // "drill down into the metrics" stays an answer; "@Sparring drill holiday-fraud-drift" opens one.
    typed: { maxArgs: 3, verb: 'required', anyVerbWhenAddressed: true },
    room: 'drill',
    needsSession: false,
    run: ({ ctx, args, services }): Reply[] | Promise<Reply[]> => {
      const drillCtx = services.drillCtx(ctx);
      return isHelp(args) ? info(ctx, verbHelpText('drill')) : drill.drillCommand(drillCtx, args);
    },
  },
  {
    name: 'mock',
    help: '`mock @candidate`: run a mock interview with a private scorecard (`mock help`)',
    summary: 'Mock interviews with a private scorecard (for hiring managers)',
    verbs: MOCK_VERBS,
    verbHelp: { title: '**Mock interviews** (for hiring managers)' },
    typed: { maxArgs: Infinity, verb: 'required' },
    room: 'anywhere',
    needsSession: false,
    run: ({ ctx, args, people, services }): Reply[] | Promise<Reply[]> => {
      const mockCtx = services.mockCtx(ctx);
      // A bare `mock` is a question about what it does.
      return args.length === 0 || isHelp(args) ? info(ctx, verbHelpText('mock')) : mock.mockCommand(mockCtx, args, people);
    },
  },
  {
    name: 'forget-me',
    help: '`forget-me`: delete everything Sparring keeps about you (asks to confirm)',
    summary: 'Delete everything Sparring keeps about you (asks to confirm)',
    verbs: FORGET_VERBS,
    typed: { maxArgs: 1, verb: 'optional' },
    room: 'anywhere',
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

/** The verb the arguments start with; any other first word is the implicit verb's argument (`drill <scenario>`). */
export function verbOf(spec: CommandSpec, args: readonly string[]): VerbSpec | undefined {
  const word = args[0]?.toLowerCase();
  if (word === undefined) return undefined;
  return spec.verbs?.find((v) => !v.implicit && v.name === word) ?? spec.verbs?.find((v) => v.implicit);
}

/** The verbs a platform offers as subcommands, in order; none for a command whose verbs are typed only. */
export const pickerVerbs = (spec: CommandSpec): readonly VerbSpec[] => spec.verbs?.filter((v) => !v.typedOnly) ?? [];

/** Where a command acts (see `room`); a verb may narrow it: `drill list` concerns no particular drill. */
export function commandRoom(name: string, args: readonly string[]): CommandSpec['room'] {
  const spec = commandSpec(name.toLowerCase());
  if (!spec) return 'session';
  return verbOf(spec, args)?.room ?? spec.room;
}

/** Does any of the command's arguments name a person? Platforms then resolve mentions into `people`. */
export function namesPeople(name: string): boolean {
  const spec = commandSpec(name.toLowerCase());
  const args = [...(spec?.args ?? []), ...(spec?.verbs ?? []).flatMap((v) => v.args ?? [])];
  return args.some((a) => a.kind === 'person');
}

/**
 * How a command is typed: `mock score <id> <n> <0-100> [notes]`. `requiredOnly` keeps a short
 * list of several verbs short.
 */
export function usageOf(name: string, verb?: string, opts: { requiredOnly?: boolean } = {}): string {
  const spec = commandSpec(name);
  if (!spec) return name;
  const v = verb === undefined ? undefined : spec.verbs?.find((x) => x.name === verb);
  const args = (v ? v.args : spec.args) ?? [];
  const shown = args.filter((a) => a.required || !opts.requiredOnly).map(placeholderOf);
  return [name, ...(v && !v.implicit ? [v.name] : []), ...shown].join(' ');
}

const isHelp = (args: readonly string[]) => args[0]?.toLowerCase() === 'help';

/** `drill help`, `mock help`: a line per verb, its usage and its summary, as the registry declares them. */
export function verbHelpText(name: string): string {
  const spec = commandSpec(name);
  const lines = (spec?.verbs ?? []).filter((v) => v.name !== 'help').map((v) => `• \`${usageOf(name, v.name)}\`: ${v.summary}`);
  const note = spec?.verbHelp?.note;
  return [spec?.verbHelp?.title ?? `**${name}**`, ...lines, ...(note ? [`• ${note}`] : [])].join('\n');
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
  const known = spec.verbs?.some((v) => !v.implicit && v.name === verb);
  if (!known && !(typed.anyVerbWhenAddressed && opts.addressed)) return undefined;
  return { name, args: [verb, ...args.slice(1)] };
}
