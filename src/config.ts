import { existsSync } from 'node:fs';
import { z } from 'zod';
import { UserError } from './core/errors.js';

/**
 * Every setting, from the environment (and ./.env when present). Each is documented in
 * .env.example; a bad value is a one-line error naming the variable.
 */
export const ConfigSchema = z.object({
  SPARRING_DB: z.string().min(1).default('./data/sparring.db'),
  SPARRING_CONTENT_DIR: z.string().min(1).optional(),
});

export type Config = z.infer<typeof ConfigSchema>;

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const result = ConfigSchema.safeParse(env);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    throw new UserError(`setting ${issue.path.join('.')}: ${issue.message}`);
  }
  return result.data;
}

/** Reads ./.env into process.env without overriding what the shell already set. */
export function loadDotEnv(file = '.env'): void {
  if (existsSync(file)) process.loadEnvFile(file);
}
