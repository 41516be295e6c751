import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { loadConfig } from '../config.js';
import { need, untilStopped } from './lifecycle.js';

/** The file each shard process runs: discord-shard.js next to this module in dist (discord-shard.ts under tsx). */
const shardEntry = (): string => fileURLToPath(new URL(`./discord-shard${extname(fileURLToPath(import.meta.url))}`, import.meta.url));

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
      // discord.js is loaded only here, so every other sparring command starts without it.
      if (opts.shards) {
        const { parseShards, runSharded } = await import('../adapters/discord/sharding.js');
        const manager = await runSharded({ token, apiUrl: config.DISCORD_API_URL, shards: parseShards(opts.shards), script: shardEntry() });
        await untilStopped();
        // A terminal's Ctrl-C reaches the shards too, a service manager's stop may not: stop each one
        // (SIGTERM, which a shard handles by finishing its gradings) without respawning it.
        manager.respawn = false;
        for (const shard of manager.shards.values()) shard.kill();
        return;
      }
      const { runDiscordBot } = await import('./discord-run.js');
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
        const { registerCommands } = await import('../adapters/discord/register.js');
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
