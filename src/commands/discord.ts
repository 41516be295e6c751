import { Command } from 'commander';
import { createDiscordAdapter } from '../adapters/discord/index.js';
import { registerCommands } from '../adapters/discord/register.js';
import { parseShards, runSharded } from '../adapters/discord/sharding.js';
import { createApp } from '../app.js';
import { loadConfig, type Config } from '../config.js';
import { UserError } from '../core/errors.js';

const need = (value: string | undefined, name: string, where: string): string => {
  if (!value) throw new UserError(`setting ${name}: required (${where})`);
  return value;
};

/** Resolves on Ctrl-C or a service manager's stop, so in-flight gradings can finish first. */
export function untilStopped(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const stop = (signal: NodeJS.Signals) => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve(signal);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

/** Connects one bot process (or one shard of many); resolves to its stop function once ready. */
export async function runDiscordBot(config: Config): Promise<() => Promise<void>> {
  const token = need(config.DISCORD_TOKEN, 'DISCORD_TOKEN', 'the bot token from the Developer Portal → Bot');
  const app = createApp(config);
  const discord = createDiscordAdapter({ bot: app.bot, catalog: app.catalog, token, apiUrl: config.DISCORD_API_URL });
  try {
    await discord.start();
  } catch (err) {
    app.close();
    throw err;
  }
  const client = discord.client;
  const shard = client.shard ? ` (shard ${client.shard.ids.join(',')} of ${client.shard.count})` : '';
  console.error(`sparring: Discord bot ready as ${client.user?.tag ?? '?'} in ${client.guilds.cache.size} server(s)${shard}; grading with ${app.describe}`);
  return async () => {
    await discord.stop().catch(() => undefined);
    app.close();
  };
}

export function discordCommand(): Command {
  const command = new Command('discord')
    .description('run the Discord bot: slash commands, a private thread per practice session or mock interview, drills in public threads')
    .option('--shards <n|auto>', 'run under discord.js ShardingManager (required from 2,500 servers)')
    .addHelpText('after', `
Settings (environment or .env): DISCORD_TOKEN; DISCORD_APPLICATION_ID for "register";
DISCORD_GUILD_ID to register to one server instantly; DISCORD_API_URL for a proxy.
Run "sparring discord register" once (and after upgrades) so the slash commands exist.`)
    .action(async (opts: { shards?: string }) => {
      const config = loadConfig();
      const token = need(config.DISCORD_TOKEN, 'DISCORD_TOKEN', 'the bot token from the Developer Portal → Bot');
      if (opts.shards) {
        const manager = await runSharded({ token, apiUrl: config.DISCORD_API_URL, shards: parseShards(opts.shards) });
        await untilStopped();
        // A terminal's Ctrl-C reaches the shards too, a service manager's stop may not: stop each one
        // (SIGTERM, which a shard handles by finishing its gradings) without respawning it.
        manager.respawn = false;
        for (const shard of manager.shards.values()) shard.kill();
        return;
      }
      const stop = await runDiscordBot(config);
      console.error('sparring: Ctrl-C to stop');
      await untilStopped();
      console.error('sparring: stopping after the answers in progress are graded…');
      await stop();
    });

  command.addCommand(
    new Command('register')
      .description('register the slash commands: to DISCORD_GUILD_ID when set (instant), otherwise globally (up to an hour)')
      .action(async () => {
        const config = loadConfig();
        const result = await registerCommands({
          token: need(config.DISCORD_TOKEN, 'DISCORD_TOKEN', 'the bot token from the Developer Portal → Bot'),
          applicationId: need(config.DISCORD_APPLICATION_ID, 'DISCORD_APPLICATION_ID', 'Developer Portal → General Information'),
          ...(config.DISCORD_GUILD_ID ? { guildId: config.DISCORD_GUILD_ID } : {}),
          apiUrl: config.DISCORD_API_URL,
        });
        console.log(
          result.scope === 'guild'
            ? `Registered ${result.count} slash commands to server ${config.DISCORD_GUILD_ID}; they are available now.`
            : `Registered ${result.count} slash commands globally; Discord can take up to an hour to show them everywhere.`,
        );
      }),
  );
  return command;
}
