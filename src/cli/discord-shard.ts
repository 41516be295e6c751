/**
 * Entry point of one shard process under `sparring discord --shards`: discord.js's
 * ShardingManager forks this file with SHARDS and SHARD_COUNT set, which the Client reads.
 */
import { loadConfig, loadDotEnv } from '../config.js';
import { runDiscordBot } from './discord-run.js';
import { untilStopped } from './lifecycle.js';

try {
  loadDotEnv();
  const stop = await runDiscordBot(loadConfig());
  await untilStopped();
  await stop();
} catch (err) {
  console.error(`sparring: Discord shard failed: ${(err as Error)?.message ?? String(err)}`);
  process.exitCode = 1;
}
// The IPC channel to the ShardingManager would keep this process alive after its work is done.
process.disconnect?.();
