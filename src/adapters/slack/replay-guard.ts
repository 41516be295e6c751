/**
 * Slack signs every request with its timestamp; Bolt checks the signature and refuses requests
 * older than five minutes, but accepts one from the future and the same signed request twice.
 * This guard runs before Bolt sees a request: a timestamp more than five minutes away from now
 * in either direction, or a signature already seen (a captured request replayed inside the
 * window), is refused with 401. Slack's own retries are signed anew, so they pass here and are
 * deduplicated by their event id.
 */
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { PlatformState } from '../../core/kernel/platform-state.js';

/** Slack's own window for a request's timestamp. */
export const MAX_SKEW_SECONDS = 5 * 60;

const header = (req: IncomingMessage, name: string): string | undefined => {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
};

/** Why a request is refused before Bolt verifies it, or undefined to pass it on. */
export async function refusal(req: IncomingMessage, state: Pick<PlatformState, 'seenEvent'>, nowMs: number): Promise<string | undefined> {
  const ts = Number(header(req, 'x-slack-request-timestamp'));
  const signature = header(req, 'x-slack-signature');
  // Without both headers Bolt refuses the request itself; nothing to remember here.
  if (!Number.isFinite(ts) || !signature) return undefined;
  if (Math.abs(nowMs / 1000 - ts) > MAX_SKEW_SECONDS) return 'timestamp outside the five-minute window';
  if (await state.seenEvent('slack', `signature:${signature}`)) return 'a replay of a request already received';
  return undefined;
}

export function guardRequests(
  inner: RequestListener,
  state: Pick<PlatformState, 'seenEvent'>,
  log: (message: string, err?: unknown) => void,
  now: () => number = Date.now,
): RequestListener {
  return (req: IncomingMessage, res: ServerResponse) => {
    refusal(req, state, now()).then(
      (why) => {
        if (!why) return inner(req, res);
        log(`sparring: refused a Slack request (${why})`);
        res.writeHead(401).end();
      },
      (err: unknown) => {
        log('sparring: could not check a Slack request for replays', err);
        res.writeHead(500).end();
      },
    );
  };
}
