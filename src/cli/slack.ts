import { Command } from 'commander';
import { slackSettings } from '../adapters/slack/settings.js';
import { createApp } from '../app.js';
import { loadConfig } from '../config.js';
import { untilStopped } from './lifecycle.js';

export function slackCommand(): Command {
  return new Command('slack')
    .description('run the Slack app: Socket Mode when SLACK_APP_TOKEN is set, otherwise HTTP on SLACK_PORT at /slack/events')
    .addHelpText('after', `
Settings (environment or .env): SLACK_BOT_TOKEN always; SLACK_APP_TOKEN for Socket Mode, or
SLACK_SIGNING_SECRET (and SLACK_PORT) for HTTP mode. Create the app from manifest.yml; an app
created from an older manifest needs the im:write and files:write scopes and should_escape: true
on /sparring (then reinstall) for mock interviews and the progress chart. Due work (gradings
another process left, replies waiting to be sent, timed drill injects) is run every
SPARRING_WORK_INTERVAL_MS while it runs, and at once on start.`)
    .action(async () => {
      const config = loadConfig();
      const settings = slackSettings(config);
      // Bolt is loaded only here, so every other sparring command starts without it.
      const { createSlackAdapter } = await import('../adapters/slack/index.js');
      const app = await createApp(config);
      const slack = createSlackAdapter({ bot: app.bot, state: app.stores.platform, tickMs: config.SPARRING_WORK_INTERVAL_MS, ...settings });
      try {
        const started = await slack.start();
        const where = started.mode === 'socket' ? 'Socket Mode' : `HTTP on port ${started.port}, events at /slack/events`;
        console.error(`sparring: Slack app running${started.team ? ` in ${started.team}` : ''} (${where}); Ctrl-C to stop`);
        await untilStopped();
        console.error('sparring: stopping after the answers in progress are graded…');
      } finally {
        await slack.stop().catch(() => undefined);
        await app.close();
      }
    });
}
