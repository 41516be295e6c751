import { DiscordAPIError, REST, RESTJSONErrorCodes, Routes } from 'discord.js';
import { UserError } from '../../core/kernel/errors.js';
import { commandDefinitions } from './commands.js';
import { DEFAULT_DISCORD_API } from './index.js';

export type RegisterConfig = { token: string; applicationId: string; guildId?: string; apiUrl?: string };

export type RegisterResult = { scope: 'guild' | 'global'; count: number };

/**
 * Replaces the application's slash commands with ours (PUT is a bulk overwrite, so removed
 * commands disappear). Guild commands show up at once; global ones can take up to an hour.
 */
export async function registerCommands(config: RegisterConfig): Promise<RegisterResult> {
  const rest = new REST({ api: config.apiUrl ?? DEFAULT_DISCORD_API }).setToken(config.token);
  const body = commandDefinitions();
  const route = config.guildId
    ? Routes.applicationGuildCommands(config.applicationId, config.guildId)
    : Routes.applicationCommands(config.applicationId);
  try {
    await rest.put(route, { body });
  } catch (err) {
    throw explain(err, config);
  }
  return { scope: config.guildId ? 'guild' : 'global', count: body.length };
}

function explain(err: unknown, config: RegisterConfig): unknown {
  if (!(err instanceof DiscordAPIError)) {
    const code = (err as { cause?: { code?: string } })?.cause?.code;
    return code ? new UserError(`setting DISCORD_API_URL: cannot reach ${config.apiUrl ?? DEFAULT_DISCORD_API} (${code})`) : err;
  }
  if (err.status === 401) return new UserError('setting DISCORD_TOKEN: Discord rejected the token');
  if (config.guildId && (err.code === RESTJSONErrorCodes.MissingAccess || err.code === RESTJSONErrorCodes.UnknownGuild)) {
    return new UserError(`setting DISCORD_GUILD_ID: the bot is not in server ${config.guildId} (invite it with the applications.commands scope first)`);
  }
  if (err.status === 403 || err.status === 404 || err.code === RESTJSONErrorCodes.UnknownApplication) {
    return new UserError(`setting DISCORD_APPLICATION_ID: Discord refused application ${config.applicationId} for this token (${err.message})`);
  }
  return new UserError(`Discord refused the command definitions: ${err.message}`);
}
