import {
  ApplicationCommandOptionType,
  ApplicationCommandType,
  ApplicationIntegrationType,
  InteractionContextType,
  type APIApplicationCommandOptionChoice,
  type RESTPutAPIApplicationCommandsJSONBody,
} from 'discord.js';
import type { Catalog } from '../../content/load.js';
import { MAX_SESSION_LENGTH } from '../../core/select.js';

/** Slash commands mirror the Slack and CLI commands one for one, so help text reads the same everywhere. */
const SIMPLE: [string, string][] = [
  ['hint', 'A nudge for the open question'],
  ['skip', 'Move past the open question or follow-up'],
  ['next', 'Skip a follow-up and go to the next question'],
  ['end', 'Finish the session with a summary'],
  ['history', 'Your recent sessions and scores'],
  ['help', 'What Sparring can do'],
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
      description: 'Practise interview questions and get graded feedback',
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
  ];
}

/** Discord shows at most 25 choices, each name and value at most 100 characters. */
const MAX_CHOICES = 25;
const clip = (text: string, max = 100) => (text.length <= max ? text : `${text.slice(0, max - 1)}…`);

/** Choices for an autocompleted /practice option, from the loaded catalog. */
export function autocompleteChoices(
  catalog: Pick<Catalog, 'tracks' | 'questions'>,
  option: string,
  typed: string,
  track?: string | null,
): APIApplicationCommandOptionChoice<string>[] {
  const query = typed.trim().toLowerCase();
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
