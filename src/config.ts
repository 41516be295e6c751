import { existsSync } from 'node:fs';
import { z } from 'zod';
import { UserError } from './core/kernel/errors.js';

/**
 * Every setting, from the environment (and ./.env when present). Each is documented in
 * .env.example; a bad value is a one-line error naming the variable.
 */
const positiveInt = z.coerce.number().int().positive();
const url = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' });

export const ConfigSchema = z.object({
  SPARRING_DB: z.string().min(1).default('./data/sparring.db'),
  /** When set, PostgreSQL holds everything instead of the SQLite file SPARRING_DB (several processes may share it). */
  SPARRING_DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/, error: 'must be a postgres://user:password@host:port/database URL' }).optional(),
  SPARRING_CONTENT_DIR: z.string().min(1).optional(),

  LLM_PROVIDER: z.enum(['offline', 'ollama', 'openai']).default('offline'),
  OLLAMA_HOST: url.default('http://127.0.0.1:11434'),
  OLLAMA_MODEL: z.string().min(1).default('llama3.1:8b'),
  OPENAI_API_KEY: z.string().min(1).optional(),
  OPENAI_BASE_URL: url.optional(),
  OPENAI_MODEL: z.string().min(1).default('gpt-4o-mini'),
  /** A chat reply should come within seconds; past this the offline grader answers instead. */
  LLM_TIMEOUT_MS: positiveInt.default(20_000),
  LLM_MAX_RETRIES: z.coerce.number().int().min(0).max(5).default(1),
  LLM_TEMPERATURE: z.coerce.number().min(0).max(2).default(0),
  /** Per user: at most this many LLM gradings per window; beyond it the offline grader answers. */
  LLM_RATE_LIMIT: positiveInt.default(20),
  LLM_RATE_WINDOW_MINUTES: positiveInt.default(10),
  /** With a hosted provider, e-mail addresses, phone numbers and similar are masked before an answer leaves the machine. */
  SPARRING_REDACT_PII: z.stringbool({ error: 'must be true or false' }).default(true),
  /** Sessions and drills older than this many days are deleted; unset keeps everything. */
  SPARRING_RETENTION_DAYS: positiveInt.optional(),
  /**
   * How long a process holds a job (a grading, a delivery) without renewing its claim; a process
   * that dies holding one loses it after this long and another process takes it over.
   */
  SPARRING_JOB_LEASE_MS: positiveInt.default(30_000),
  /** How often a running bot looks for due jobs: another process's leftovers, retries, the outbox. */
  SPARRING_WORK_INTERVAL_MS: positiveInt.default(1_000),

  /** Slack bot token (xoxb-…); `sparring slack` needs it in either mode. */
  SLACK_BOT_TOKEN: z.string().min(1).optional(),
  /** Verifies that HTTP requests come from Slack; required unless SLACK_APP_TOKEN is set. */
  SLACK_SIGNING_SECRET: z.string().min(1).optional(),
  /** App-level token (xapp-…, scope connections:write): when set, Socket Mode, no public URL. */
  SLACK_APP_TOKEN: z.string().min(1).optional(),
  /** HTTP mode listens here (0 = any free port), at /slack/events. */
  SLACK_PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  /** Slack's Web API base; tests and proxies point it elsewhere. */
  SLACK_API_URL: url.default('https://slack.com/api/'),

  /** Discord bot token (Developer Portal → Bot); `sparring discord` and `discord register` need it. */
  DISCORD_TOKEN: z.string().min(1).optional(),
  /** The application's id (Developer Portal → General Information); `discord register` needs it. */
  DISCORD_APPLICATION_ID: z.string().regex(/^\d{17,20}$/, 'must be a Discord id (17–20 digits)').optional(),
  /** When set, `discord register` registers to this server only (instant); otherwise globally. */
  DISCORD_GUILD_ID: z.string().regex(/^\d{17,20}$/, 'must be a Discord id (17–20 digits)').optional(),
  /** Discord's REST base; proxies and tests point it elsewhere (the gateway address comes from it). */
  DISCORD_API_URL: url.default('https://discord.com/api'),
});

export type Config = z.infer<typeof ConfigSchema>;

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const result = ConfigSchema.safeParse(env);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    throw new UserError(`setting ${issue.path.join('.')}: ${issue.message}`);
  }
  const config = result.data;
  if (config.LLM_PROVIDER === 'openai' && !config.OPENAI_API_KEY && !config.OPENAI_BASE_URL) {
    throw new UserError('setting OPENAI_API_KEY: required when LLM_PROVIDER=openai (or set OPENAI_BASE_URL for a local server)');
  }
  return config;
}

/** Reads ./.env into process.env without overriding what the shell already set. */
export function loadDotEnv(file = '.env'): void {
  if (existsSync(file)) process.loadEnvFile(file);
}
