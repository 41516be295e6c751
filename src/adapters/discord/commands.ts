import {
  ApplicationCommandOptionType,
  ApplicationCommandType,
  ApplicationIntegrationType,
  InteractionContextType,
  type APIApplicationCommandBasicOption,
  type APIApplicationCommandOptionChoice,
  type APIApplicationCommandSubcommandOption,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
  type RESTPutAPIApplicationCommandsJSONBody,
} from 'discord.js';
import type { Catalog } from '../../content/load.js';
import type { ArgSpec, ChoiceSource } from '../../core/command-args.js';
import { COMMAND_SPECS, commandSpec, pickerVerbs, type CommandName, type CommandSpec } from '../../core/commands.js';

/**
 * Slash commands mirror the Slack and CLI commands one for one, built from the core registry:
 * descriptions are its summaries, `/drill` and `/mock` subcommands its verbs, options its typed
 * arguments, so help reads the same everywhere. This list only sets Discord's order.
 */
const ORDER: readonly CommandName[] = ['practice', 'hint', 'skip', 'next', 'end', 'history', 'help', 'progress', 'forget-me', 'drill', 'mock'];

const { String: STRING, Integer: INTEGER, User: USER, Subcommand: SUB } = ApplicationCommandOptionType;

function optionOf(arg: ArgSpec): APIApplicationCommandBasicOption {
  const base = { name: arg.name, description: arg.description, required: arg.required ?? false };
  switch (arg.kind) {
    case 'person':
      return { ...base, type: USER };
    case 'number':
      return { ...base, type: INTEGER, ...(arg.min !== undefined ? { min_value: arg.min } : {}), ...(arg.max !== undefined ? { max_value: arg.max } : {}) };
    case 'text':
    case 'choice':
      return { ...base, type: STRING, ...(arg.source ? { autocomplete: true } : {}), ...(arg.maxLength !== undefined ? { max_length: arg.maxLength } : {}) };
  }
}

/** `/drill <sub>`: each subcommand is the verb of the same name (`open` is `drill <scenario>`). */
const subcommandsOf = (spec: CommandSpec): APIApplicationCommandSubcommandOption[] =>
  pickerVerbs(spec).map((v) => ({ name: v.name, description: v.summary, type: SUB, options: (v.args ?? []).map(optionOf) }));

/** Usable in servers and in DMs with the bot (not as a user-installed app elsewhere). */
const WHERE = {
  contexts: [InteractionContextType.Guild, InteractionContextType.BotDM],
  integration_types: [ApplicationIntegrationType.GuildInstall],
};
/** Mock interviews need a server: the candidate's private thread lives in the manager's channel. */
const SERVER_ONLY: ReadonlySet<string> = new Set(['mock']);

function definitionOf(spec: CommandSpec): RESTPostAPIChatInputApplicationCommandsJSONBody {
  const subs = subcommandsOf(spec);
  const options = subs.length ? subs : spec.args?.length ? spec.args.map(optionOf) : undefined;
  return {
    name: spec.name,
    description: spec.summary,
    type: ApplicationCommandType.ChatInput,
    ...(SERVER_ONLY.has(spec.name) ? { ...WHERE, contexts: [InteractionContextType.Guild] } : WHERE),
    ...(options ? { options } : {}),
  };
}

const rank = (name: string) => {
  const at = ORDER.indexOf(name as CommandName);
  return at < 0 ? ORDER.length : at;
};

export function commandDefinitions(): RESTPutAPIApplicationCommandsJSONBody {
  return [...COMMAND_SPECS].sort((a, b) => rank(a.name) - rank(b.name)).map(definitionOf);
}

/** The typed arguments behind a slash command's options: the subcommand's verb, or the command's own. */
export function argsOf(commandName: string, subcommand: string | null): readonly ArgSpec[] {
  const spec = commandSpec(commandName);
  if (!spec) return [];
  if (subcommand === null) return spec.args ?? [];
  return spec.verbs?.find((v) => v.name === subcommand)?.args ?? [];
}

/** Where an option's suggestions come from, by the registry: autocomplete handlers are keyed by it. */
export function choiceSourceOf(commandName: string, subcommand: string | null, option: string): ChoiceSource | undefined {
  const arg = argsOf(commandName, subcommand).find((a) => a.name === option);
  return arg && (arg.kind === 'choice' || arg.kind === 'text') ? arg.source : undefined;
}

/** Discord shows at most 25 choices, each name and value at most 100 characters. */
const MAX_CHOICES = 25;
const clip = (text: string, max = 100) => (text.length <= max ? text : `${text.slice(0, max - 1)}…`);

/** A choice the adapter learnt from the core (a drill's roles, an open decision's options). */
export type KnownChoice = { name: string; value: string };

/** Choices for an autocompleted option, named by its registry source (`track`, `role`…), from the loaded catalog (or, for drill roles and decisions, what the room offers). */
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
