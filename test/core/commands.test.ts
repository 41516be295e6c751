import { describe, expect, it } from 'vitest';
import { COMMAND_SPECS, commandRoom, namesPeople, typedCommandOf, usageOf, verbHelpText } from '../../src/core/commands.js';
import { IncomingEventSchema } from '../../src/core/kernel/types.js';

describe('the command registry as every platform reads it', () => {
  it('says where each command acts, a drill verb narrowing it', () => {
    for (const name of ['practice', 'help', 'history', 'progress', 'forget-me', 'mock']) expect(commandRoom(name, [])).toBe('anywhere');
    for (const name of ['hint', 'skip', 'next', 'end']) expect(commandRoom(name, [])).toBe('session');
    expect(commandRoom('drill', ['end'])).toBe('drill');
    expect(commandRoom('drill', ['holiday-fraud-drift'])).toBe('drill');
    expect(commandRoom('drill', [])).toBe('drill');
    expect(commandRoom('drill', ['List'])).toBe('anywhere');
    expect(commandRoom('drill', ['help'])).toBe('anywhere');
    expect(commandRoom('no-such-command', [])).toBe('session');
  });

  it('knows which commands name people', () => {
    expect(COMMAND_SPECS.filter((c) => namesPeople(c.name)).map((c) => c.name)).toEqual(['mock']);
  });

  it('types a verb typed without its word only as its arguments: `drill open` and `mock start` stay answers', () => {
    expect(typedCommandOf('drill open')).toBeUndefined();
    expect(typedCommandOf('mock start')).toBeUndefined();
    expect(typedCommandOf('mock list')).toEqual({ name: 'mock', args: ['list'] });
  });

  it('writes usage lines from the verbs\' arguments', () => {
    expect(usageOf('mock', 'score')).toBe('mock score <id> <n> <0-100> [notes]');
    // Typed, the count is a flag: `mock @cara drift --questions 2`.
    expect(usageOf('mock', 'start')).toBe('mock @candidate [track] [question] [--questions N]');
    expect(usageOf('mock', 'panel')).toBe('mock panel <id> @manager');
    expect(usageOf('drill', 'release')).toBe('drill release [inject]');
    expect(usageOf('drill', 'release', { requiredOnly: true })).toBe('drill release');
    expect(usageOf('drill', 'open')).toBe('drill <scenario>');
  });

  it('answers `drill help` and `mock help` with a line per verb, from the same declarations', () => {
    const drillHelp = verbHelpText('drill');
    for (const v of ['list', 'join', 'leave', 'begin', 'pause', 'resume', 'skip', 'release', 'decide', 'report', 'end']) expect(drillHelp).toContain(`\`${usageOf('drill', v)}\``);
    expect(drillHelp).toContain('`drill <scenario>`');
    expect(drillHelp).not.toContain('`drill help`');
    expect(verbHelpText('mock')).toContain('`mock score <id> <n> <0-100> [notes]`: Your score for one question');
  });

  it('gives every verb a summary and every argument a description, once per name', () => {
    for (const spec of COMMAND_SPECS) {
      const verbs = spec.verbs ?? [];
      expect(new Set(verbs.map((v) => v.name)).size).toBe(verbs.length);
      for (const args of [spec.args ?? [], ...verbs.map((v) => v.args ?? [])]) {
        expect(new Set(args.map((a) => a.name)).size).toBe(args.length);
        for (const a of args) expect(a.description.length).toBeGreaterThan(0);
      }
      for (const v of verbs) expect(v.summary.length).toBeGreaterThan(0);
    }
  });

  it('carries the people a command names as data on the event', () => {
    const who = { actor: { platform: 'memory', workspace: 'w', userId: 'M1', displayName: 'Maya', isBot: false }, conversation: { platform: 'memory', workspace: 'w', channel: 'c' } };
    const event = { kind: 'command', name: 'mock', args: ['@C1'], people: [{ userId: 'C1', displayName: 'Cara' }], ...who };
    expect(IncomingEventSchema.parse(event)).toEqual(event);
    expect(IncomingEventSchema.safeParse({ ...event, people: [{ userId: '' }] }).success).toBe(false);
  });
});
