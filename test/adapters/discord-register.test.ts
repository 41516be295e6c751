import { afterEach, describe, expect, it, vi } from 'vitest';
import { commandDefinitions } from '../../src/adapters/discord/commands.js';
import { registerCommands } from '../../src/adapters/discord/register.js';
import { discordCommand } from '../../src/cli/discord.js';
import { APP_ID, GUILD_ID, startFakeDiscord, type FakeDiscord } from '../fakes/discord/index.js';

let fake: FakeDiscord | undefined;
const saved = { ...process.env };
afterEach(async () => {
  await fake?.close();
  fake = undefined;
  for (const k of Object.keys(process.env)) if (k.startsWith('DISCORD_')) delete process.env[k];
  Object.assign(process.env, saved);
  vi.restoreAllMocks();
});

/** Runs `sparring discord <args>` in-process with these settings. */
async function run(env: Record<string, string>, ...args: string[]) {
  for (const k of Object.keys(process.env)) if (k.startsWith('DISCORD_')) delete process.env[k];
  Object.assign(process.env, env);
  const out = vi.spyOn(console, 'log').mockImplementation(() => {});
  await discordCommand().exitOverride().parseAsync(args, { from: 'user' });
  return out.mock.calls.map((c) => c.join(' ')).join('\n');
}

describe('sparring discord register', () => {
  it('PUTs the slash command definitions to the guild route when DISCORD_GUILD_ID is set', async () => {
    fake = await startFakeDiscord();
    const out = await run({ DISCORD_TOKEN: 'test-token', DISCORD_APPLICATION_ID: APP_ID, DISCORD_GUILD_ID: GUILD_ID, DISCORD_API_URL: fake.apiUrl }, 'register');
    const put = fake.requests.find((r) => r.method === 'PUT')!;
    expect(put.path).toBe(`/applications/${APP_ID}/guilds/${GUILD_ID}/commands`);
    expect(put.auth).toBe('Bot test-token');
    expect(put.body).toEqual(commandDefinitions());
    expect(put.body.map((c: { name: string }) => c.name)).toEqual(['practice', 'hint', 'skip', 'next', 'end', 'history', 'help', 'progress', 'forget-me', 'drill', 'mock']);
    const practice = put.body[0];
    expect(practice.options.filter((o: { autocomplete?: boolean }) => o.autocomplete).map((o: { name: string }) => o.name)).toEqual(['track', 'question']);
    expect(out).toMatch(/Registered 11 slash commands to server/);
  });

  it('registers globally without a guild', async () => {
    fake = await startFakeDiscord();
    const result = await registerCommands({ token: 't', applicationId: APP_ID, apiUrl: fake.apiUrl });
    expect(result).toEqual({ scope: 'global', count: 11 });
    expect(fake.requests.find((r) => r.method === 'PUT')!.path).toBe(`/applications/${APP_ID}/commands`);
  });

  it('defines /drill and /mock as subcommands that map onto the text commands, within Discord\'s rules', () => {
    type Opt = { name: string; description: string; type: number; required?: boolean; autocomplete?: boolean; options?: Opt[] };
    const defs = commandDefinitions() as unknown as Opt[];
    const byName = (name: string) => defs.find((d) => d.name === name)!;
    const subs = (name: string) => Object.fromEntries(byName(name).options!.map((o) => [o.name, o]));

    const drill = subs('drill');
    expect(Object.keys(drill)).toEqual(['open', 'list', 'join', 'leave', 'status', 'begin', 'pause', 'resume', 'skip', 'release', 'decide', 'report', 'end']);
    expect(Object.values(drill).every((o) => o.type === 1)).toBe(true);
    expect(drill['open']!.options).toEqual([expect.objectContaining({ name: 'scenario', type: 3, required: true, autocomplete: true })]);
    expect(drill['join']!.options).toEqual([expect.objectContaining({ name: 'role', autocomplete: true })]);
    expect(drill['decide']!.options).toEqual([expect.objectContaining({ name: 'option', required: true, autocomplete: true })]);
    expect(drill['release']!.options!.map((o) => o.name)).toEqual(['inject']);

    const mock = subs('mock');
    expect(Object.keys(mock)).toEqual(['start', 'list', 'show', 'score', 'panel', 'release', 'end']);
    expect(mock['start']!.options!.map((o) => [o.name, o.type])).toEqual([['candidate', 6], ['track', 3], ['question', 3], ['questions', 4]]);
    expect(mock['panel']!.options!.map((o) => [o.name, o.type])).toEqual([['id', 4], ['user', 6]]);
    expect(mock['score']!.options!.map((o) => o.name)).toEqual(['id', 'question', 'score', 'notes']);
    expect(byName('progress').options).toBeUndefined();
    expect(byName('forget-me').options).toBeUndefined();

    // Discord refuses the whole PUT for any of these: check them all, recursively.
    const check = (o: Opt) => {
      expect(o.name).toMatch(/^[-_a-z0-9]{1,32}$/);
      expect(o.description.length).toBeGreaterThan(0);
      expect(o.description.length).toBeLessThanOrEqual(100);
      const options = o.options ?? [];
      expect(options.length).toBeLessThanOrEqual(25);
      const firstOptional = options.findIndex((x) => !x.required);
      if (firstOptional >= 0) expect(options.slice(firstOptional).some((x) => x.required)).toBe(false);
      options.forEach(check);
    };
    defs.forEach(check);
  });

  it('names the setting that is missing or wrong, in one line', async () => {
    await expect(run({}, 'register')).rejects.toThrow(/^setting DISCORD_TOKEN: required/);
    await expect(run({ DISCORD_TOKEN: 't' }, 'register')).rejects.toThrow(/^setting DISCORD_APPLICATION_ID: required/);
    await expect(run({ DISCORD_TOKEN: 't', DISCORD_APPLICATION_ID: 'abc' }, 'register')).rejects.toThrow(/^setting DISCORD_APPLICATION_ID: must be a Discord id/);
    await expect(run({ DISCORD_TOKEN: 't', DISCORD_API_URL: 'not a url' }, 'register')).rejects.toThrow(/^setting DISCORD_API_URL/);
    await expect(run({})).rejects.toThrow(/^setting DISCORD_TOKEN: required/);

    fake = await startFakeDiscord();
    fake.fail('PUT', /commands$/, 403, { code: 50001, message: 'Missing Access' }, 1);
    await expect(
      run({ DISCORD_TOKEN: 't', DISCORD_APPLICATION_ID: APP_ID, DISCORD_GUILD_ID: GUILD_ID, DISCORD_API_URL: fake.apiUrl }, 'register'),
    ).rejects.toThrow(/^setting DISCORD_GUILD_ID: the bot is not in server/);
    fake.fail('PUT', /commands$/, 401, { code: 0, message: '401: Unauthorized' });
    await expect(registerCommands({ token: 'bad', applicationId: APP_ID, apiUrl: fake.apiUrl })).rejects.toThrow(/^setting DISCORD_TOKEN: Discord rejected/);
  });
});
