import type { ChatInputCommandInteraction } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { commandOf } from '../../src/adapters/discord/parse.js';

type Given = Record<string, string | number | { id: string; name: string }>;

/** Just the option reads commandOf makes, over plain values: a user option is `{ id, name }`. */
function interaction(commandName: string, subcommand: string | null, given: Given): ChatInputCommandInteraction {
  const user = (n: string) => (typeof given[n] === 'object' ? (given[n] as { id: string; name: string }) : undefined);
  return {
    commandName,
    options: {
      getSubcommand: () => subcommand,
      getString: (n: string) => (typeof given[n] === 'string' ? given[n] : null),
      getInteger: (n: string) => (typeof given[n] === 'number' ? given[n] : null),
      get: (n: string) => (given[n] === undefined ? null : { value: user(n)?.id ?? given[n] }),
      getUser: (n: string) => (user(n) ? { id: user(n)!.id, username: user(n)!.name, globalName: null } : null),
      getMember: () => null,
    },
  } as unknown as ChatInputCommandInteraction;
}

describe('Discord slash commands as the text commands the registry declares', () => {
  it('reads options into words: one word unless the argument may hold several, a flag where declared', () => {
    expect(commandOf(interaction('practice', null, { track: 'ml', questions: 4 })).args).toEqual(['ml', '4']);
    expect(commandOf(interaction('practice', null, { question: 'q1', track: 'ml', questions: 2 })).args).toEqual(['q1']);
    expect(commandOf(interaction('drill', 'open', { scenario: 'near-miss' })).args).toEqual(['near-miss']);
    expect(commandOf(interaction('drill', 'join', { role: 'incident lead' })).args).toEqual(['join', 'incident-lead']);
    expect(commandOf(interaction('drill', 'decide', { option: ' roll back now ' })).args).toEqual(['decide', 'roll back now']);
    expect(commandOf(interaction('mock', 'score', { id: 3, question: 1, score: 80, notes: 'good one' })).args).toEqual(['score', '3', '1', '80', 'good one']);
    expect(commandOf(interaction('mock', 'start', { candidate: { id: '42', name: 'bob' }, track: 'ml', questions: 2 })).args).toEqual(['@42', 'ml', '--questions', '2']);
  });

  it('passes user options as people, the word in the args only marking where they stood', () => {
    expect(commandOf(interaction('mock', 'panel', { id: 3, user: { id: '7', name: 'omar' } }))).toEqual({ args: ['panel', '3', '@7'], people: [{ userId: '7', displayName: 'omar' }] });
    expect(commandOf(interaction('mock', 'start', { candidate: { id: '42', name: 'bob' } })).people).toEqual([{ userId: '42', displayName: 'bob' }]);
    expect(commandOf(interaction('hint', null, {}))).toEqual({ args: [], people: [] });
  });
});
