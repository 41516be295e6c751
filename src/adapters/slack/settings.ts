import type { Config } from '../../config.js';
import { UserError } from '../../core/kernel/errors.js';

export type SlackSettings = { botToken: string; signingSecret?: string; appToken?: string; port: number; apiUrl: string };

/**
 * The Slack settings `sparring slack` needs, checked up front so a missing or swapped token is
 * one line naming the variable rather than a stack trace from Bolt. Checked here, not in the
 * config schema, so a half-configured Slack block never stops `sparring practice`.
 */
export function slackSettings(config: Config): SlackSettings {
  const { SLACK_BOT_TOKEN: botToken, SLACK_SIGNING_SECRET: signingSecret, SLACK_APP_TOKEN: appToken } = config;
  if (!botToken) throw new UserError('setting SLACK_BOT_TOKEN: required for `sparring slack` (the Bot User OAuth Token, xoxb-…)');
  if (!botToken.startsWith('xoxb-')) throw new UserError('setting SLACK_BOT_TOKEN: must be a bot token starting with xoxb-');
  if (appToken && !appToken.startsWith('xapp-')) throw new UserError('setting SLACK_APP_TOKEN: must be an app-level token starting with xapp-');
  if (!appToken && !signingSecret) {
    throw new UserError('setting SLACK_SIGNING_SECRET: required for HTTP mode (or set SLACK_APP_TOKEN to use Socket Mode)');
  }
  return {
    botToken,
    ...(signingSecret ? { signingSecret } : {}),
    ...(appToken ? { appToken } : {}),
    port: config.SLACK_PORT,
    apiUrl: config.SLACK_API_URL,
  };
}
