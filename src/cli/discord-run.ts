import { createDiscordAdapter } from '../adapters/discord/index.js';
import { createApp } from '../app.js';
import type { Config } from '../config.js';
import { need } from './lifecycle.js';

/** Connects one bot process (or one shard of many); resolves to its stop function once ready. */
export async function runDiscordBot(config: Config): Promise<() => Promise<void>> {
  const token = need(config.DISCORD_TOKEN, 'DISCORD_TOKEN', 'the bot token from the Developer Portal → Bot');
  const app = await createApp(config);
  const discord = createDiscordAdapter({ bot: app.bot, state: app.stores.platform, catalog: app.catalog, token, apiUrl: config.DISCORD_API_URL, tickIntervalMs: config.SPARRING_WORK_INTERVAL_MS });
  try {
    await discord.start();
  } catch (err) {
    await app.close();
    throw err;
  }
  const client = discord.client;
  const shard = client.shard ? ` (shard ${client.shard.ids.join(',')} of ${client.shard.count})` : '';
  console.error(`sparring: Discord bot ready as ${client.user?.tag ?? '?'} in ${client.guilds.cache.size} server(s)${shard}; grading with ${app.describe}`);
  return async () => {
    await discord.stop().catch(() => undefined);
    await app.close();
  };
}
