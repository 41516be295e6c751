import { EventEmitter } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import {
  APP_ID,
  BOT_ID,
  botUser,
  dmChannel,
  GUILD_ID,
  guildPayload,
  interactionBase,
  messagePayload,
  shardOfGuild,
  snowflake,
  textChannel,
  threadChannel,
  type FakeUser,
  type MessageInput,
  type Where,
} from './payloads.js';

/** A file uploaded in a multipart/form-data request (`files[n]` parts), with its bytes. */
export type UploadedFile = { field: string; filename: string; contentType: string | undefined; data: Buffer };

export type Recorded = { method: string; path: string; query: URLSearchParams; body: any; auth: string | undefined; files: UploadedFile[] };

/**
 * Splits a multipart/form-data body: Discord takes the message as the `payload_json` part and
 * each file as a `files[n]` part with its filename and bytes.
 */
export function parseMultipart(raw: Buffer, contentType: string): { json: unknown; files: UploadedFile[] } {
  const boundary = /boundary="?([^";]+)"?/i.exec(contentType)?.[1];
  if (!boundary) throw new Error('fake Discord: multipart body without a boundary');
  const delimiter = Buffer.from(`--${boundary}`);
  const files: UploadedFile[] = [];
  let json: unknown;
  let at = raw.indexOf(delimiter);
  while (at >= 0) {
    const start = at + delimiter.length;
    if (raw.subarray(start, start + 2).toString() === '--') break;
    const next = raw.indexOf(delimiter, start);
    if (next < 0) break;
    // Each part: CRLF, headers, a blank line, the content, CRLF before the next delimiter.
    const part = raw.subarray(start + 2, next - 2);
    const split = part.indexOf('\r\n\r\n');
    const headers = part.subarray(0, split).toString('utf8');
    const data = part.subarray(split + 4);
    const field = /name="([^"]*)"/i.exec(headers)?.[1] ?? '';
    const filename = /filename="([^"]*)"/i.exec(headers)?.[1];
    const type = /content-type:\s*([^\r\n]+)/i.exec(headers)?.[1]?.trim();
    if (field === 'payload_json') json = JSON.parse(data.toString('utf8'));
    else if (filename !== undefined) files.push({ field, filename, contentType: type, data: Buffer.from(data) });
    at = next;
  }
  return { json, files };
}
type Failure = { method: string; path: RegExp; status: number; body: unknown; times: number };

export type SlashOption = { name: string; type: number; value?: string | number; focused?: boolean; options?: SlashOption[] };

/** Gateway intents bit for the privileged Message Content intent. */
const MESSAGE_CONTENT = 1 << 15;

/**
 * A local Discord: the REST API under /api/v10 (recording every request) and a gateway
 * websocket on the same port (HELLO, IDENTIFY → READY + GUILD_CREATE, heartbeat ACKs), so the
 * real discord.js Client connects to it exactly as it would to discord.com.
 *
 * The gateway is sharded as Discord's is: a connection identifies as `shard: [id, count]` and
 * hears only the events of its servers (shard = (guild id >> 22) % count), DMs on shard 0.
 * `shards` is how many GET /gateway/bot recommends (what `--shards auto` asks).
 */
export async function startFakeDiscord(opts: { messageContentAllowed?: boolean; shards?: number } = {}) {
  const requests: Recorded[] = [];
  const identifies: { intents: number; shard: [number, number] }[] = [];
  const events = new EventEmitter();
  const failures: Failure[] = [];
  const channels = new Map<string, any>([[textChannelId(), textChannel()]]);
  const guilds = new Set<string>([GUILD_ID]);
  const sockets = new Set<WebSocket>();
  /** Which shard each identified connection is; one not identified yet hears nothing. */
  const shardOf = new Map<WebSocket, [number, number]>();
  let seq = 0;

  function textChannelId() {
    return textChannel().id;
  }

  const http = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => route(req, res, Buffer.concat(chunks)));
  });
  const wss = new WebSocketServer({ noServer: true });
  http.on('upgrade', (req, socket, head) => wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req)));
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const port = (http.address() as AddressInfo).port;
  const apiUrl = `http://127.0.0.1:${port}/api`;
  const gatewayUrl = `ws://127.0.0.1:${port}`;

  const send = (ws: WebSocket, payload: unknown) => ws.send(JSON.stringify(payload));
  /** Whether the connection is the shard that owns the guild (no guild: a DM, shard 0's). */
  const owns = (ws: WebSocket, guildId: string | null | undefined) => {
    const shard = shardOf.get(ws);
    if (!shard) return false;
    return shard[0] === (guildId ? shardOfGuild(guildId, shard[1]) : 0);
  };
  const dispatch = (t: string, d: any) => {
    for (const ws of sockets) if (owns(ws, d?.guild_id)) send(ws, { op: 0, t, s: ++seq, d });
  };

  wss.on('connection', (ws) => {
    sockets.add(ws);
    ws.on('close', () => {
      sockets.delete(ws);
      shardOf.delete(ws);
    });
    send(ws, { op: 10, d: { heartbeat_interval: 45_000 } });
    ws.on('message', (data) => {
      const packet = JSON.parse(data.toString()) as { op: number; d: any };
      if (packet.op === 1) send(ws, { op: 11 });
      if (packet.op !== 2) return;
      const shard: [number, number] = packet.d.shard ?? [0, 1];
      identifies.push({ intents: packet.d.intents, shard });
      if (packet.d.intents & MESSAGE_CONTENT && opts.messageContentAllowed === false) {
        ws.close(4014, 'Disallowed intent(s).');
        return;
      }
      shardOf.set(ws, shard);
      const mine = [...guilds].filter((id) => owns(ws, id));
      send(ws, {
        op: 0,
        t: 'READY',
        s: ++seq,
        d: {
          v: 10,
          user: botUser,
          guilds: mine.map((id) => ({ id, unavailable: true })),
          session_id: `session-${snowflake()}`,
          resume_gateway_url: gatewayUrl,
          shard,
          application: { id: APP_ID, flags: 0 },
        },
      });
      // Like Discord, GUILD_CREATE carries the guild's channels and its active threads.
      for (const id of mine) {
        const inGuild = [...channels.values()].filter((c) => c.guild_id === id);
        send(ws, { op: 0, t: 'GUILD_CREATE', s: ++seq, d: { ...guildPayload(id, inGuild.filter((c) => c.type === 0)), threads: inGuild.filter((c) => c.type === 11 || c.type === 12) } });
      }
    });
  });

  function reply(res: ServerResponse, status: number, body?: unknown) {
    if (body === undefined) {
      res.writeHead(status).end();
      return;
    }
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  }

  /** A message the bot posted; Discord echoes the bot's own channel messages back over the gateway. */
  function botMessage(channelId: string, body: any, echo: boolean) {
    const channel = channels.get(channelId);
    const msg = messagePayload({ channelId, guildId: channel?.guild_id ?? null, author: botUser, content: body?.content ?? '', embeds: body?.embeds, components: body?.components, flags: body?.flags });
    if (echo) dispatch('MESSAGE_CREATE', msg);
    return msg;
  }

  function route(req: IncomingMessage, res: ServerResponse, raw: Buffer) {
    const url = new URL(req.url ?? '/', apiUrl);
    const path = url.pathname.replace(/^\/api\/v\d+/, '');
    const method = req.method ?? 'GET';
    let body: any;
    let files: UploadedFile[] = [];
    const contentType = req.headers['content-type'] ?? '';
    if (/^multipart\/form-data/i.test(contentType)) {
      const parsed = parseMultipart(raw, contentType);
      body = parsed.json;
      files = parsed.files;
    } else {
      const text = raw.toString('utf8');
      try {
        body = text ? JSON.parse(text) : undefined;
      } catch {
        body = text;
      }
    }
    const recorded: Recorded = { method, path, query: url.searchParams, body, auth: req.headers.authorization, files };
    requests.push(recorded);
    events.emit('request', recorded);

    const failure = failures.find((f) => f.times > 0 && f.method === method && f.path.test(path));
    if (failure) {
      failure.times--;
      return reply(res, failure.status, failure.body);
    }
    let m: RegExpMatchArray | null;
    if (method === 'GET' && path === '/gateway/bot') {
      return reply(res, 200, { url: gatewayUrl, shards: opts.shards ?? 1, session_start_limit: { total: 1000, remaining: 999, reset_after: 0, max_concurrency: 1 } });
    }
    if (method === 'POST' && /^\/interactions\/\d+\/[^/]+\/callback$/.test(path)) {
      return url.searchParams.get('with_response') === 'true' ? reply(res, 200, { interaction: { id: path.split('/')[2], type: 2 } }) : reply(res, 204);
    }
    if ((m = path.match(/^\/webhooks\/(\d+)\/([^/]+)(?:\/messages\/([^/]+))?$/))) {
      if (method === 'DELETE') return reply(res, 204);
      return reply(res, 200, botMessage(channelOfToken(m[2]!), body, false));
    }
    if ((m = path.match(/^\/channels\/(\d+)\/threads$/)) && method === 'POST') {
      const thread = threadChannel({ id: snowflake(), parentId: m[1]!, type: body.type ?? 11, name: body.name, guildId: channels.get(m[1]!)?.guild_id });
      channels.set(thread.id, thread);
      dispatch('THREAD_CREATE', { ...thread, newly_created: true });
      return reply(res, 201, thread);
    }
    if ((m = path.match(/^\/channels\/(\d+)\/messages\/(\d+)\/threads$/)) && method === 'POST') {
      const thread = threadChannel({ id: m[2]!, parentId: m[1]!, type: 11, name: body.name, guildId: channels.get(m[1]!)?.guild_id });
      channels.set(thread.id, thread);
      dispatch('THREAD_CREATE', { ...thread, newly_created: true });
      return reply(res, 201, thread);
    }
    if ((m = path.match(/^\/channels\/(\d+)\/messages$/)) && method === 'POST') {
      if (!channels.has(m[1]!)) return reply(res, 404, { code: 10003, message: 'Unknown Channel' });
      return reply(res, 200, botMessage(m[1]!, body, true));
    }
    if (path.match(/^\/channels\/\d+\/thread-members\/\d+$/) && method === 'PUT') return reply(res, 204);
    if (path.match(/^\/channels\/\d+\/typing$/) && method === 'POST') return reply(res, 204);
    if ((m = path.match(/^\/channels\/(\d+)$/))) {
      const channel = channels.get(m[1]!);
      if (!channel) return reply(res, 404, { code: 10003, message: 'Unknown Channel' });
      if (method === 'DELETE') channels.delete(m[1]!);
      return reply(res, 200, channel);
    }
    if (method === 'POST' && path === '/users/@me/channels') {
      // Like Discord, the bot and a person have one DM channel: the one they already talk in, if any.
      const open = [...channels.values()].find((c) => c.type === 1 && c.recipients?.[0]?.id === body.recipient_id);
      if (open) return reply(res, 200, open);
      const channel = dmChannel(`9${body.recipient_id.slice(1)}`, { id: body.recipient_id, username: `user${body.recipient_id.slice(-3)}` });
      channels.set(channel.id, channel);
      return reply(res, 200, channel);
    }
    if ((m = path.match(/^\/applications\/(\d+)(?:\/guilds\/(\d+))?\/commands$/)) && method === 'PUT') {
      return reply(res, 200, (body as any[]).map((c) => ({ id: snowflake(), application_id: m![1], version: snowflake(), ...(m![2] ? { guild_id: m![2] } : {}), ...c })));
    }
    return reply(res, 404, { code: 0, message: `fake Discord: no route for ${method} ${path}` });
  }

  // Webhook followups land in the interaction's channel; the token tells us which.
  const tokenChannels = new Map<string, string>();
  const channelOfToken = (token: string) => tokenChannels.get(token) ?? textChannelId();

  function channelFor(channelId: string): Where {
    const channel = channels.get(channelId);
    if (!channel) throw new Error(`fake Discord: unknown channel ${channelId}`);
    return { guildId: channel.guild_id ?? null, channel };
  }

  function interaction(type: number, user: FakeUser, channelId: string, data: unknown, extra: Record<string, unknown> = {}) {
    const payload = interactionBase(type, user, channelFor(channelId), data, extra);
    tokenChannels.set(payload.token, channelId);
    dispatch('INTERACTION_CREATE', payload);
    return payload;
  }

  return {
    apiUrl,
    gatewayUrl,
    requests,
    identifies,
    channels,
    /** Another server with a text channel of its own (to connections identifying after this); returns the channel's id. */
    addGuild(guildId: string, channelId = snowflake()): string {
      guilds.add(guildId);
      channels.set(channelId, textChannel(channelId, guildId));
      return channelId;
    },
    /** The next `times` requests matching method and path fail with this status and Discord error body. */
    fail(method: string, path: RegExp, status: number, body: { code: number; message: string }, times = Infinity) {
      failures.push({ method, path, status, body, times });
    },
    /** Resolves with the first recorded request (past or future) that matches. */
    waitFor(match: (r: Recorded) => boolean, timeoutMs = 5_000): Promise<Recorded> {
      const seen = requests.find(match);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          events.off('request', on);
          reject(new Error('fake Discord: timed out waiting for a request'));
        }, timeoutMs);
        const on = (r: Recorded) => {
          if (!match(r)) return;
          clearTimeout(timer);
          events.off('request', on);
          resolve(r);
        };
        events.on('request', on);
      });
    },
    openDm(user: FakeUser) {
      const channel = dmChannel(snowflake(), user);
      channels.set(channel.id, channel);
      return channel.id;
    },
    /** Options may nest (a subcommand, type 1, with its own options); user options need `resolved` (see resolvedUsers). */
    slash(user: FakeUser, channelId: string, name: string, options: SlashOption[] = [], resolved?: unknown) {
      return interaction(2, user, channelId, { id: snowflake(), name, type: 1, options, ...(resolved ? { resolved } : {}) });
    },
    autocomplete(user: FakeUser, channelId: string, name: string, options: SlashOption[]) {
      return interaction(4, user, channelId, { id: snowflake(), name, type: 1, options });
    },
    button(user: FakeUser, channelId: string, customId: string) {
      const message = messagePayload({ channelId, guildId: channels.get(channelId)?.guild_id ?? null, author: botUser, content: 'question' });
      return interaction(3, user, channelId, { custom_id: customId, component_type: 2 }, { message });
    },
    /** A pick in a string select menu (component type 3) on a message the bot posted. */
    select(user: FakeUser, channelId: string, customId: string, values: string[]) {
      const message = messagePayload({ channelId, guildId: channels.get(channelId)?.guild_id ?? null, author: botUser, content: 'menu' });
      return interaction(3, user, channelId, { custom_id: customId, component_type: 3, values }, { message });
    },
    modalSubmit(user: FakeUser, channelId: string, customId: string, fields: Record<string, string>) {
      const components = Object.entries(fields).map(([id, value]) => ({ type: 1, components: [{ type: 4, custom_id: id, value }] }));
      return interaction(5, user, channelId, { custom_id: customId, components });
    },
    message(input: Omit<MessageInput, 'guildId'>) {
      const payload = messagePayload({ ...input, guildId: channels.get(input.channelId)?.guild_id ?? null });
      dispatch('MESSAGE_CREATE', payload);
      return payload;
    },
    dispatch,
    botId: BOT_ID,
    async close() {
      for (const ws of sockets) ws.terminate();
      wss.close();
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}

export type FakeDiscord = Awaited<ReturnType<typeof startFakeDiscord>>;
