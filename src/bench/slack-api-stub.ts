import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * Just enough of Slack's Web API on 127.0.0.1 for `sparring bench` to run the real Bolt apps
 * against (auth.test, chat.postMessage and friends answer ok): the bench measures our side,
 * so this end answers at once and keeps only what the bench reads back, the threads opened.
 */
export type SlackApiStub = {
  url: string;
  /** The ts of the first top-level message posted in each channel: where a session's thread is. */
  threadIn(channel: string): string | undefined;
  close(): Promise<void>;
};

export async function startSlackApiStub(): Promise<SlackApiStub> {
  const threads = new Map<string, string>();
  let counter = 0;
  const server = createServer((req, res) => {
    let raw = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (raw += chunk));
    req.on('end', () => {
      const method = (req.url ?? '').replace(/^\/api\//, '').split('?')[0];
      const params = (req.headers['content-type'] ?? '').includes('json') ? (JSON.parse(raw || '{}') as Record<string, unknown>) : Object.fromEntries(new URLSearchParams(raw));
      const ts = `${1_763_800_000 + ++counter}.000100`;
      const channel = String(params['channel'] ?? '');
      let body: Record<string, unknown> = { ok: true };
      if (method === 'auth.test') body = { ok: true, team: 'Bench', team_id: 'T0BENCH', user: 'sparring', user_id: 'U0BOT', bot_id: 'B0BOT' };
      else if (method === 'chat.postMessage') {
        if (!params['thread_ts'] && !threads.has(channel)) threads.set(channel, ts);
        body = { ok: true, channel, ts, message: { ts } };
      } else if (method === 'chat.postEphemeral') body = { ok: true, message_ts: ts };
      else if (method === 'conversations.open') body = { ok: true, channel: { id: `D${String(params['users'] ?? '').slice(1)}` } };
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/`,
    threadIn: (channel) => threads.get(channel),
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
