import {
  ApplicationCommandOptionType,
  ApplicationCommandType,
  ApplicationIntegrationType,
  InteractionContextType,
  type APIApplicationCommandBasicOption,
  type APIApplicationCommandOptionChoice,
  type APIApplicationCommandSubcommandOption,
  type RESTPutAPIApplicationCommandsJSONBody,
} from 'discord.js';
import type { Catalog } from '../../content/load.js';
import { commandSpec } from '../../core/commands.js';
import { MAX_SESSION_LENGTH } from '../../core/practice/select.js';

/**
 * Slash commands mirror the Slack and CLI commands one for one: the descriptions are the core
 * registry's summaries, so help reads the same everywhere. This list only sets Discord's order.
 */
const SIMPLE: [string, string][] = (['hint', 'skip', 'next', 'end', 'history', 'help', 'progress', 'forget-me'] as const).map((name) => [name, commandSpec(name)!.summary]);

const { String: STRING, Integer: INTEGER, User: USER, Subcommand: SUB } = ApplicationCommandOptionType;
type Option = APIApplicationCommandBasicOption;
const sub = (name: string, description: string, options: Option[] = []): APIApplicationCommandSubcommandOption => ({ name, description, type: SUB, options });
const mockId: Option = { name: 'id', description: 'The mock interview number (see /mock list)', type: INTEGER, required: true, min_value: 1 };

/** `/drill <sub>`: each subcommand is the `drill` word of the same name (`open` is `drill <scenario>`). */
const DRILL_SUBCOMMANDS = [
  sub('open', 'Open an incident drill in this channel (in a thread); you facilitate', [{ name: 'scenario', description: 'The scenario', type: STRING, required: true, autocomplete: true }]),
  sub('list', 'The drill scenarios'),
  sub('join', 'Join the drill here with a role (or "all" to play every role)', [{ name: 'role', description: 'The role', type: STRING, autocomplete: true }]),
  sub('leave', 'Leave the drill (your role is kept if you come back)'),
  sub('status', 'The roles and who holds them'),
  sub('begin', 'Facilitator: start the drill'),
  sub('pause', 'Facilitator: pause the timed injects'),
  sub('resume', 'Facilitator: resume the timed injects'),
  sub('skip', 'Facilitator: skip the next timed inject'),
  sub('release', 'Facilitator: release the next inject now, or a named one', [{ name: 'inject', description: 'Inject id (default: the next timed one)', type: STRING }]),
  sub('decide', 'Take the open decision (its owner role, or everyone by vote)', [{ name: 'option', description: 'The option', type: STRING, required: true, autocomplete: true }]),
  sub('report', 'The after-action report so far'),
  sub('end', 'Facilitator: end the drill and post the after-action report'),
];

/** `/mock <sub>`: user options become mentions, which is what `mock` reads. */
const MOCK_SUBCOMMANDS = [
  sub('start', 'Interview someone in a private thread; you get a private scorecard', [
    { name: 'candidate', description: 'Who you interview', type: USER, required: true },
    { name: 'track', description: 'Interview track', type: STRING, autocomplete: true },
    { name: 'question', description: 'One specific question', type: STRING, autocomplete: true },
    { name: 'questions', description: 'How many questions (default 3)', type: INTEGER, min_value: 1, max_value: MAX_SESSION_LENGTH },
  ]),
  sub('list', 'Your mock interviews'),
  sub('show', 'The scorecard (panel only; the candidate once feedback is released)', [mockId]),
  sub('score', "Your score for one question, beside the bot's", [
    mockId,
    { name: 'question', description: 'Question number', type: INTEGER, required: true, min_value: 1 },
    { name: 'score', description: '0 to 100', type: INTEGER, required: true, min_value: 0, max_value: 100 },
    { name: 'notes', description: 'Notes (the candidate never sees them)', type: STRING, max_length: 2000 },
  ]),
  sub('panel', 'Add a scorer to the panel', [mockId, { name: 'user', description: 'The scorer to add', type: USER, required: true }]),
  sub('release', "Let the candidate see the bot's feedback (never your notes)", [mockId]),
  sub('end', 'Stop the interview early', [mockId]),
];

/** Usable in servers and in DMs with the bot (not as a user-installed app elsewhere). */
const WHERE = {
  contexts: [InteractionContextType.Guild, InteractionContextType.BotDM],
  integration_types: [ApplicationIntegrationType.GuildInstall],
};

export function commandDefinitions(): RESTPutAPIApplicationCommandsJSONBody {
  return [
    {
      name: 'practice',
      description: commandSpec('practice')!.summary,
      type: ApplicationCommandType.ChatInput,
      ...WHERE,
      options: [
        { name: 'track', description: 'Interview track', type: ApplicationCommandOptionType.String, autocomplete: true, required: false },
        { name: 'question', description: 'One specific question', type: ApplicationCommandOptionType.String, autocomplete: true, required: false },
        {
          name: 'questions',
          description: 'How many questions (default 3)',
          type: ApplicationCommandOptionType.Integer,
          min_value: 1,
          max_value: MAX_SESSION_LENGTH,
          required: false,
        },
      ],
    },
    ...SIMPLE.map(([name, description]) => ({ name, description, type: ApplicationCommandType.ChatInput, ...WHERE })),
    { name: 'drill', description: commandSpec('drill')!.summary, type: ApplicationCommandType.ChatInput, ...WHERE, options: DRILL_SUBCOMMANDS },
    // Mock interviews need a server: the candidate's private thread lives in the manager's channel.
    { name: 'mock', description: commandSpec('mock')!.summary, type: ApplicationCommandType.ChatInput, contexts: [InteractionContextType.Guild], integration_types: WHERE.integration_types, options: MOCK_SUBCOMMANDS },
  ];
}

/** Discord shows at most 25 choices, each name and value at most 100 characters. */
const MAX_CHOICES = 25;
const clip = (text: string, max = 100) => (text.length <= max ? text : `${text.slice(0, max - 1)}…`);

/** A choice the adapter learnt from the core (a drill's roles, an open decision's options). */
export type KnownChoice = { name: string; value: string };

/** Choices for an autocompleted option, from the loaded catalog (or, for drill roles and decisions, what the room offers). */
export function autocompleteChoices(
  catalog: Pick<Catalog, 'tracks' | 'questions'> & Partial<Pick<Catalog, 'drills'>>,
  option: string,
  typed: string,
  track?: string | null,
  known: KnownChoice[] = [],
): APIApplicationCommandOptionChoice<string>[] {
  const query = typed.trim().toLowerCase();
  if (option === 'scenario') {
    return [...(catalog.drills?.values() ?? [])]
      .filter((d) => !query || d.id.includes(query) || d.title.toLowerCase().includes(query))
      .slice(0, MAX_CHOICES)
      .map((d) => ({ name: clip(`${d.title} (${d.durationMinutes} min)`), value: clip(d.id) }));
  }
  if (option === 'role' || option === 'option') {
    return known
      .filter((k) => !query || k.value.toLowerCase().includes(query) || k.name.toLowerCase().includes(query))
      .slice(0, MAX_CHOICES)
      .map((k) => ({ name: clip(k.name), value: clip(k.value) }));
  }
  if (option === 'track') {
    return [...catalog.tracks.values()]
      .filter((t) => !query || t.id.includes(query) || t.title.toLowerCase().includes(query))
      .slice(0, MAX_CHOICES)
      .map((t) => ({ name: clip(t.title), value: clip(t.id) }));
  }
  if (option === 'question') {
    return [...catalog.questions.values()]
      .filter((q) => !track || q.track === track)
      .filter((q) => !query || q.id.includes(query) || q.prompt.toLowerCase().includes(query) || q.competency.includes(query))
      .slice(0, MAX_CHOICES)
      .map((q) => ({ name: clip(`${q.id} · ${q.prompt.replace(/\s+/g, ' ')}`), value: clip(q.id) }));
  }
  return [];
}
