import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A fake Slack on 127.0.0.1, both directions:
 *  - the Web API (POST /api/<method>, form or JSON bodies, bearer token) answering auth.test,
 *    chat.postMessage (returns a ts; a user id as channel lands in that user's DM, D…),
 *    chat.postEphemeral, chat.update, views.open, views.publish, conversations.open (a user's
 *    DM is D + their id without the U), files.getUploadURLExternal, the upload URL it hands
 *    out (a multipart POST; the file's bytes are recorded as method "upload"),
 *    files.completeUploadExternal, plus response_url posts.
 *    It records every call, can answer 429 with Retry-After once, or fail a method once.
 *  - Slack's outbound side: requests signed with the signing secret (v0 HMAC-SHA256 over
 *    "v0:timestamp:body", current timestamp) sent to the app's /slack/events.
 * The real WebClient and Bolt receiver run against it; only the far end is fake.
 */

export const BOT_USER_ID = 'U0BOT';
export const BOT_ID = 'B0BOT';

export type SlackCall = { method: string; params: Record<string, any>; token?: string; ts?: string; channel?: string };

/** A file uploaded through files.uploadV2: its bytes, and where completeUploadExternal shared it. */
export type UploadedFile = { id: string; filename: string; altText?: string; bytes?: Buffer; channel?: string; thread?: string; title?: string; completed: boolean };

/** A message as a person sees it in the client. */
export type SeenMessage = {
  channel: string;
  ts: string;
  thread?: string;
  ephemeral: boolean;
  /** Who it is for when ephemeral. */
  user?: string;
  text: string;
  blocks: any[];
  /** Every visible string: the fallback text and all block texts. */
  visibleText: string;
};

const JSON_FIELDS = new Set(['blocks', 'view', 'attachments', 'metadata', 'files']);

export async function startFakeSlackApi() {
  const calls: SlackCall[] = [];
  const rateLimited = new Map<string, number>();
  const failures = new Map<string, string>();
  const files = new Map<string, UploadedFile>();
  let tsCounter = 0;
  const nextTs = () => `${1_763_800_000 + ++tsCounter}.${String(tsCounter).padStart(6, '0')}`;

  const server = createServer(async (req, res) => {
    const bytes = await readBody(req);
    const raw = bytes.toString('utf8');
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname.startsWith('/upload/')) {
      // Slack's upload URL: the file arrives as multipart form data (field "body" from the WebClient).
      const id = url.pathname.slice('/upload/'.length);
      const file = files.get(id);
      const part = multipartFile(bytes, req.headers['content-type'] ?? '');
      calls.push({ method: 'upload', params: { fileId: id, bytes: part } });
      if (!file || !part) return send(res, 404, { ok: false });
      file.bytes = part;
      res.writeHead(200, { 'content-type': 'text/plain' });
      return res.end(`OK - ${part.length}`);
    }
    if (url.pathname.startsWith('/response/')) {
      calls.push({ method: 'response_url', params: JSON.parse(raw || '{}') });
      return send(res, 200, { ok: true });
    }
    const method = url.pathname.replace(/^\/api\//, '');
    const params = parseParams(raw, req.headers['content-type'] ?? '');
    const token = (req.headers.authorization ?? '').replace(/^Bearer /, '') || (params['token'] as string | undefined);
    const call: SlackCall = { method, params, ...(token ? { token } : {}) };

    const limited = rateLimited.get(method);
    if (limited !== undefined) {
      rateLimited.delete(method);
      calls.push({ ...call, method: `${method}:429` });
      res.writeHead(429, { 'retry-after': String(limited), 'content-type': 'application/json' });
      return res.end(JSON.stringify({ ok: false, error: 'ratelimited' }));
    }
    if (!token?.startsWith('xoxb-')) return send(res, 200, { ok: false, error: 'not_authed' });
    if (token === 'xoxb-revoked') return send(res, 200, { ok: false, error: 'invalid_auth' });
    const failure = failures.get(method);
    if (failure) {
      failures.delete(method);
      calls.push({ ...call, method: `${method}:${failure}` });
      return send(res, 200, { ok: false, error: failure });
    }
    calls.push(call);
    switch (method) {
      case 'auth.test':
        return send(res, 200, { ok: true, url: 'https://fake.slack.test/', team: 'Fake Co', user: 'sparring', team_id: 'T0FAKE', user_id: BOT_USER_ID, bot_id: BOT_ID });
      case 'chat.postMessage': {
        const ts = nextTs();
        // Posting to a user id lands in the app's DM with that user, as on Slack.
        const channel = /^[UW]/.test(params['channel']) ? `D${String(params['channel']).slice(1)}` : params['channel'];
        Object.assign(call, { ts, channel });
        return send(res, 200, { ok: true, channel, ts, message: { text: params['text'], ts, ...(params['thread_ts'] ? { thread_ts: params['thread_ts'] } : {}) } });
      }
      case 'chat.postEphemeral': {
        const ts = nextTs();
        Object.assign(call, { ts, channel: params['channel'] });
        return send(res, 200, { ok: true, message_ts: ts });
      }
      case 'chat.update':
        return send(res, 200, { ok: true, channel: params['channel'], ts: params['ts'] });
      case 'views.open':
      case 'views.publish':
        return send(res, 200, { ok: true, view: { id: `V${++tsCounter}`, ...(params['view'] ?? {}) } });
      case 'conversations.open': {
        const user = String(params['users'] ?? '').split(',')[0]!;
        if (!/^[UW]/.test(user)) return send(res, 200, { ok: false, error: 'user_not_found' });
        Object.assign(call, { channel: `D${user.slice(1)}` });
        return send(res, 200, { ok: true, channel: { id: `D${user.slice(1)}` } });
      }
      case 'files.getUploadURLExternal': {
        const id = `F${String(++tsCounter).padStart(8, '0')}`;
        files.set(id, { id, filename: String(params['filename']), ...(params['alt_text'] ? { altText: String(params['alt_text']) } : {}), completed: false });
        return send(res, 200, { ok: true, upload_url: `${base}/upload/${id}`, file_id: id });
      }
      case 'files.completeUploadExternal': {
        const listed = (params['files'] as { id: string; title?: string }[] | undefined) ?? [];
        const done: UploadedFile[] = [];
        for (const f of listed) {
          const file = files.get(f.id);
          if (!file?.bytes) return send(res, 200, { ok: false, error: 'file_not_found' });
          Object.assign(file, { completed: true, ...(f.title ? { title: f.title } : {}), ...(params['channel_id'] ? { channel: String(params['channel_id']) } : {}), ...(params['thread_ts'] ? { thread: String(params['thread_ts']) } : {}) });
          done.push(file);
        }
        return send(res, 200, { ok: true, files: done.map((f) => ({ id: f.id, name: f.filename, title: f.title ?? f.filename, mimetype: 'image/png', size: f.bytes!.length })) });
      }
      default:
        return send(res, 200, { ok: false, error: 'unknown_method' });
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const messages = (): SeenMessage[] =>
    calls
      .filter((c) => c.method === 'chat.postMessage' || c.method === 'chat.postEphemeral')
      .map((c) => {
        const blocks = (c.params['blocks'] as any[] | undefined) ?? [];
        const text = String(c.params['text'] ?? '');
        return {
          channel: c.channel!,
          ts: c.ts!,
          ...(c.params['thread_ts'] ? { thread: String(c.params['thread_ts']) } : {}),
          ephemeral: c.method === 'chat.postEphemeral',
          ...(c.method === 'chat.postEphemeral' ? { user: String(c.params['user']) } : {}),
          text,
          blocks,
          visibleText: [text, ...blockTexts(blocks)].join('\n'),
        };
      });

  return {
    url: `${base}/api/`,
    responseUrl: (id: string) => `${base}/response/${id}`,
    calls,
    callsTo: (method: string) => calls.filter((c) => c.method === method),
    /** The next call to `method` gets HTTP 429 with Retry-After: seconds. */
    rateLimitNext(method: string, seconds = 1) {
      rateLimited.set(method, seconds);
    },
    /** The next call to `method` answers ok: false with this error. */
    failNext(method: string, error: string) {
      failures.set(method, error);
    },
    messages,
    /** Files uploaded and completed, in order. */
    uploads: (): UploadedFile[] => [...files.values()].filter((f) => f.completed),
    /** What `user` sees in a DM or channel: public messages and their own ephemeral ones. */
    seenBy: (user: string) => messages().filter((m) => !m.ephemeral || m.user === user),
    /** Every text the bot sent anywhere: messages, modals, App Home, response_url answers. */
    everythingSent(): string[] {
      return calls.flatMap((c) => {
        if (c.method === 'chat.postMessage' || c.method === 'chat.postEphemeral') return [String(c.params['text'] ?? ''), ...blockTexts(c.params['blocks'] ?? [])];
        if (c.method === 'views.open' || c.method === 'views.publish') return [JSON.stringify(c.params['view'])];
        if (c.method === 'response_url') return [String(c.params['text'] ?? '')];
        return [];
      });
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export type FakeSlackApi = Awaited<ReturnType<typeof startFakeSlackApi>>;

/** Every string a person can read in some blocks: section texts, fields, context, labels, buttons. */
export function blockTexts(blocks: any[]): string[] {
  const out: string[] = [];
  const visit = (node: any) => {
    if (!node || typeof node !== 'object') return;
    if (Array.isArray(node)) return node.forEach(visit);
    if ((node.type === 'mrkdwn' || node.type === 'plain_text') && typeof node.text === 'string') out.push(node.text);
    for (const [k, v] of Object.entries(node)) if (k !== 'value' && k !== 'private_metadata') visit(v);
  };
  visit(blocks);
  return out;
}

/** The buttons in a message: action id, label and the raw value Slack sends back on a click. */
export function buttonsOf(message: Pick<SeenMessage, 'blocks'>): { actionId: string; label: string; value?: string }[] {
  return message.blocks
    .filter((b) => b.type === 'actions')
    .flatMap((b) => b.elements)
    .filter((e: any) => e.type === 'button')
    .map((e: any) => ({ actionId: e.action_id, label: e.text.text, ...(e.value !== undefined ? { value: e.value } : {}) }));
}

export function signature(secret: string, timestamp: number, body: string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

export type SendOptions = { retryNum?: number; timestamp?: number; signatureOverride?: string };

/** Slack's side of the Events API and interactivity: signed requests to the app. */
export function slackSender(eventsUrl: string, signingSecret: string) {
  let eventCounter = 0;
  async function post(body: string, contentType: string, opts: SendOptions = {}): Promise<Response> {
    const timestamp = opts.timestamp ?? Math.floor(Date.now() / 1000);
    return fetch(eventsUrl, {
      method: 'POST',
      headers: {
        'content-type': contentType,
        'x-slack-request-timestamp': String(timestamp),
        'x-slack-signature': opts.signatureOverride ?? signature(signingSecret, timestamp, body),
        ...(opts.retryNum !== undefined ? { 'x-slack-retry-num': String(opts.retryNum), 'x-slack-retry-reason': 'http_timeout' } : {}),
      },
      body,
    });
  }
  return {
    post,
    /** An Events API callback; returns the event_id so a test can replay it. */
    async event(team: string, event: Record<string, unknown>, opts: SendOptions & { eventId?: string } = {}) {
      const eventId = opts.eventId ?? `Ev${String(++eventCounter).padStart(8, '0')}`;
      return { eventId, response: await post(eventBody(team, event, eventId), 'application/json', opts) };
    },
    command(fields: Record<string, string>, opts: SendOptions = {}) {
      return post(new URLSearchParams(fields).toString(), 'application/x-www-form-urlencoded', opts);
    },
    interaction(payload: unknown, opts: SendOptions = {}) {
      return post(new URLSearchParams({ payload: JSON.stringify(payload) }).toString(), 'application/x-www-form-urlencoded', opts);
    },
  };
}

export type SlackSender = ReturnType<typeof slackSender>;

/**
 * The JSON body of an Events API callback. Slack retries an event with the same body (same
 * event_id) signed anew, so a test that replays one to another process posts these bytes again.
 */
export function eventBody(team: string, event: Record<string, unknown>, eventId: string): string {
  return JSON.stringify({
    token: 'legacy', team_id: team, api_app_id: 'A0SPAR', type: 'event_callback', event_id: eventId,
    event_time: Math.floor(Date.now() / 1000), event: { event_ts: `${Date.now() / 1000}`, ...event },
    authorizations: [{ team_id: team, user_id: BOT_USER_ID, is_bot: true }],
  });
}

function parseParams(raw: string, contentType: string): Record<string, any> {
  if (contentType.includes('application/json')) return raw ? JSON.parse(raw) : {};
  const params: Record<string, any> = {};
  for (const [k, v] of new URLSearchParams(raw)) params[k] = JSON_FIELDS.has(k) ? JSON.parse(v) : v;
  return params;
}

/** The first file part of a multipart/form-data body, as bytes. */
function multipartFile(body: Buffer, contentType: string): Buffer | undefined {
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/.exec(contentType);
  if (!boundary) return undefined;
  const delimiter = Buffer.from(`--${boundary[1] ?? boundary[2]}`);
  let at = body.indexOf(delimiter);
  while (at >= 0) {
    const next = body.indexOf(delimiter, at + delimiter.length);
    if (next < 0) return undefined;
    const part = body.subarray(at + delimiter.length, next);
    const headerEnd = part.indexOf('\r\n\r\n');
    if (headerEnd >= 0 && /filename=/i.test(part.subarray(0, headerEnd).toString('utf8'))) {
      // The part's content ends before the CRLF that precedes the next delimiter.
      return Buffer.from(part.subarray(headerEnd + 4, part.length - 2));
    }
    at = next;
  }
  return undefined;
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}
