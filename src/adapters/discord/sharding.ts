import { REST, Routes, ShardingManager, type RESTGetAPIGatewayBotResult } from 'discord.js';
import { UserError } from '../../core/kernel/errors.js';

/**
 * Discord requires sharding from 2,500 servers (the gateway refuses to identify unsharded,
 * close code 4011) and recommends about 1,000 servers per shard. Below that, one process is
 * simpler: `--shards` is for large installs, and `auto` asks Discord for the number.
 */
export type ShardingConfig = {
  token: string;
  apiUrl: string;
  shards: 'auto' | number;
  /** The file each shard process runs (the caller's entry point: the CLI's, for `sparring discord`). */
  script: string;
  log?: (message: string) => void;
};

/** discord.js's own `auto` always asks discord.com; asking DISCORD_API_URL keeps proxies and tests honest. */
export async function recommendedShards(token: string, apiUrl: string): Promise<number> {
  const gateway = (await new REST({ api: apiUrl }).setToken(token).get(Routes.gatewayBot())) as RESTGetAPIGatewayBotResult;
  return Math.max(1, gateway.shards);
}

export function parseShards(text: string): 'auto' | number {
  if (text === 'auto') return 'auto';
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new UserError('--shards must be "auto" or a positive number');
  return n;
}

export async function runSharded(config: ShardingConfig): Promise<ShardingManager> {
  const log = config.log ?? ((m: string) => console.error(m));
  const amount = config.shards === 'auto' ? await recommendedShards(config.token, config.apiUrl) : config.shards;
  const manager = new ShardingManager(config.script, {
    token: config.token,
    totalShards: amount,
    // Children inherit our loader flags (tsx in development) and the environment, settings included.
    execArgv: process.execArgv,
    respawn: true,
  });
  manager.on('shardCreate', (shard) => log(`sparring: started Discord shard ${shard.id + 1} of ${amount}`));
  await manager.spawn({ amount, timeout: 120_000 });
  return manager;
}
