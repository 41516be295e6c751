import { COMMANDS } from './commands.js';

export type CommandText = { name: string; args: string[] };

/**
 * Reads "/hint" or "/practice drift 2" typed as text (terminal, chat, scripts). Only known
 * commands count, so an answer that happens to start with a slash is still an answer.
 */
export function parseCommandText(text: string, known: readonly string[] = COMMANDS): CommandText | undefined {
  const match = /^\/([a-z-]+)(?:\s+(.*))?$/i.exec(text.trim());
  if (!match) return undefined;
  const name = match[1]!.toLowerCase();
  if (!known.includes(name)) return undefined;
  return { name, args: (match[2] ?? '').split(/\s+/).filter(Boolean) };
}
