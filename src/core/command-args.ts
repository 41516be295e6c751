/**
 * What follows a command's name, declared once for every platform: its verbs and each verb's
 * typed arguments. Discord builds its subcommands and options from these, Slack knows from them
 * which commands name people, and the terminal prints its usage lines from them.
 */
import { MAX_SESSION_LENGTH } from './practice/select.js';

/**
 * Where an argument's suggestions come from. Adapters that autocomplete key their handlers by
 * these names, so a new source is a new handler there, not a new option name to match.
 */
export type ChoiceSource = 'track' | 'question' | 'scenario' | 'role' | 'option';

type ArgBase = {
  /** The option's name where a platform names options (Discord: lowercase, at most 32 characters). */
  name: string;
  /** One short line (Discord: at most 100 characters). */
  description: string;
  required?: boolean;
  /** How the argument reads in a usage line; `<name>` (or `[name]` when optional) by default. */
  placeholder?: string;
  /** Given, these arguments are left out: a named question is a session of its own. */
  supersedes?: readonly string[];
};

export type ArgSpec = ArgBase &
  (
    | {
        kind: 'text' | 'choice';
        /** For `choice`: where the suggestions come from. */
        source?: ChoiceSource;
        maxLength?: number;
        /**
         * The value may hold spaces and is passed on as typed. Otherwise its spaces become `-`,
         * so it stays the one word the text command expects (`drill join incident lead`).
         */
        multiword?: boolean;
      }
    | {
        kind: 'number';
        min?: number;
        max?: number;
        /** Typed after this flag (`--questions 3`) rather than by position. */
        flag?: string;
      }
    | {
        /** A person: the platform resolves them and passes them as data (IncomingEvent `people`). */
        kind: 'person';
      }
  );

export type VerbSpec = {
  /** The word typed after the command, and the platform's subcommand name. */
  name: string;
  /** One short line for pickers (Discord: at most 100 characters). */
  summary: string;
  args?: readonly ArgSpec[];
  /**
   * Typed without its word, the arguments straight after the command: `drill <scenario>`,
   * `mock @candidate`. Platforms with subcommands still need a name for it (`open`, `start`).
   */
  implicit?: boolean;
  /** Typed only, not offered in pickers: Discord's own help and role list cover it. */
  typedOnly?: boolean;
  /** Concerns no particular drill or session, so it is answered where it was typed. */
  room?: 'anywhere';
};

const mockId: ArgSpec = { name: 'id', description: 'The mock interview number (see /mock list)', kind: 'number', required: true, min: 1 };

/** `practice` and `mock` pick questions the same way: a track or one question, and how many. */
const selection = (countFlag?: string): ArgSpec[] => [
  { name: 'track', description: 'Interview track', kind: 'choice', source: 'track', multiword: true },
  { name: 'question', description: 'One specific question', kind: 'choice', source: 'question', multiword: true, supersedes: ['track', 'questions'] },
  { name: 'questions', description: 'How many questions (default 3)', kind: 'number', min: 1, max: MAX_SESSION_LENGTH, ...(countFlag ? { flag: countFlag } : {}) },
];

export const PRACTICE_ARGS: readonly ArgSpec[] = selection();

export const DRILL_VERBS: readonly VerbSpec[] = [
  {
    name: 'open',
    implicit: true,
    summary: 'Open an incident drill in this channel (in a thread); you facilitate',
    args: [{ name: 'scenario', description: 'The scenario', kind: 'choice', source: 'scenario', required: true }],
  },
  { name: 'help', summary: 'How drills work', typedOnly: true, room: 'anywhere' },
  { name: 'list', summary: 'The drill scenarios', room: 'anywhere' },
  { name: 'join', summary: 'Join the drill here with a role (or "all" to play every role)', args: [{ name: 'role', description: 'The role', kind: 'choice', source: 'role' }] },
  { name: 'leave', summary: 'Leave the drill (your role is kept if you come back)' },
  { name: 'roles', summary: 'The roles and who holds them', typedOnly: true },
  { name: 'status', summary: 'The roles and who holds them' },
  { name: 'begin', summary: 'Facilitator: start the drill' },
  { name: 'pause', summary: 'Facilitator: pause the timed injects' },
  { name: 'resume', summary: 'Facilitator: resume the timed injects' },
  { name: 'skip', summary: 'Facilitator: skip the next timed inject' },
  { name: 'release', summary: 'Facilitator: release the next inject now, or a named one', args: [{ name: 'inject', description: 'Inject id (default: the next timed one)', kind: 'text' }] },
  {
    name: 'decide',
    summary: 'Take the open decision (its owner role, or everyone by vote)',
    args: [{ name: 'option', description: 'The option', kind: 'choice', source: 'option', required: true, multiword: true }],
  },
  { name: 'report', summary: 'The after-action report so far' },
  { name: 'end', summary: 'Facilitator: end the drill and post the after-action report' },
];

export const MOCK_VERBS: readonly VerbSpec[] = [
  {
    name: 'start',
    implicit: true,
    summary: 'Interview someone in a private thread; you get a private scorecard',
    args: [{ name: 'candidate', description: 'Who you interview', kind: 'person', required: true, placeholder: '@candidate' }, ...selection('--questions')],
  },
  { name: 'help', summary: 'What mock interviews can do', typedOnly: true },
  { name: 'list', summary: 'Your mock interviews' },
  { name: 'show', summary: 'The scorecard (panel only; the candidate once feedback is released)', args: [mockId] },
  {
    name: 'score',
    summary: "Your score for one question, beside the bot's",
    args: [
      mockId,
      { name: 'question', description: 'Question number', kind: 'number', required: true, min: 1, placeholder: '<n>' },
      { name: 'score', description: '0 to 100', kind: 'number', required: true, min: 0, max: 100, placeholder: '<0-100>' },
      { name: 'notes', description: 'Notes (the candidate never sees them)', kind: 'text', maxLength: 2000, multiword: true },
    ],
  },
  { name: 'panel', summary: 'Add a scorer to the panel', args: [mockId, { name: 'user', description: 'The scorer to add', kind: 'person', required: true, placeholder: '@manager' }] },
  { name: 'release', summary: "Let the candidate see the bot's feedback (never your notes)", args: [mockId] },
  { name: 'end', summary: 'Stop the interview early', args: [mockId] },
];

export const FORGET_VERBS: readonly VerbSpec[] = [{ name: 'confirm', summary: 'Delete everything now', typedOnly: true }];

/** `drill join [role]`: how an argument reads in a usage line. */
export const placeholderOf = (arg: ArgSpec): string =>
  arg.placeholder ?? ('flag' in arg && arg.flag ? `[${arg.flag} N]` : arg.required ? `<${arg.name}>` : `[${arg.name}]`);
