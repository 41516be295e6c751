import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A fake OpenAI-compatible server on 127.0.0.1 that speaks the real chat-completions
 * protocol, so tests run the real ChatOpenAI client (and its parsing) against it. It answers
 * grading requests in the shape the grader asks for (response_format json_schema, or a forced
 * tool call), plain requests with `text`, and can misbehave on purpose (`mode`).
 *
 * The grade it writes is built from the request itself: the criterion ids listed in the prompt
 * ("- id: <id> (weight ...") and the answer between its <answer_xxxxxxxx> tags.
 */

export type FakeMode =
  | 'good' // scores of 3, real quotes
  | 'all_fours' // every criterion 4 and every STAR part present: what an obeyed injection looks like
  | 'invented_quotes' // quotes not in the answer, scores out of range, an unknown and a missing criterion
  | 'grounded' // scores of 3 like 'good', each criterion quoting its best-matching sentence, plus a re-cased copy of it (not verbatim)
  | 'honest' // every criterion 4 and every STAR part present, each quoting its best-matching sentence
  | 'fabricated' // every criterion 4 and every STAR part present, each "quoting" its own 4-anchor: on topic, never in the answer
  | 'irrelevant_quotes' // every criterion 4, all quoting the answer sentence that matches the criteria least
  | 'malformed' // content that is not JSON
  | 'slow' // answers after `slowMs`
  | 'rate_limited' // 429
  | 'server_error'; // 500

export type RecordedRequest = { method: string; path: string; headers: IncomingMessage['headers']; body: any };

export type FakeLlmServer = {
  /** What the client is configured with: .../v1 for OpenAI, the host for Ollama. */
  url: string;
  port: number;
  requests: RecordedRequest[];
  /** Requests not answered yet (a "slow" reply still pending), oldest first; a client that hangs up is no longer waiting. */
  inFlight(): RecordedRequest[];
  /** How the next requests are answered; `queue` is used up first, one mode per request. */
  mode: FakeMode;
  queue: FakeMode[];
  /** Reply to requests that ask for no structure (probes, hints, pings). */
  text: string;
  slowMs: number;
  /** Runs `fn` after `ms` unless the fake is stopped first (handlers delay through this). */
  later(ms: number, fn: () => void): void;
  stop(): Promise<void>;
};

export type FakeOptions = { mode?: FakeMode; queue?: FakeMode[]; text?: string; slowMs?: number };

const MAX_BODY = 2_000_000;
const MAX_RECORDED = 500;

// ---------- what the fake "model" says (shared with the Ollama fake) ----------

/** All the text of the request's messages, in order. */
export function promptText(body: any): string {
  const msgs: any[] = Array.isArray(body?.messages) ? body.messages : [];
  return msgs
    .map((m) => (typeof m.content === 'string' ? m.content : Array.isArray(m.content) ? m.content.map((p: any) => p.text ?? '').join('') : ''))
    .join('\n');
}

export function answerIn(prompt: string): string {
  return /<(answer_[0-9a-f]{8})>\n([\s\S]*?)\n<\/\1>/.exec(prompt)?.[2] ?? '';
}

export const criterionIdsIn = (prompt: string): string[] => [...prompt.matchAll(/^- id: ([a-z0-9-]+) \(weight/gm)].map((m) => m[1]!);

/** A verbatim piece of the answer: its first few words. */
function quoteOf(answer: string): string {
  const words = answer.trim().split(/\s+/).slice(0, 6).join(' ');
  return answer.includes(words) ? words : answer.trim().slice(0, 30);
}

/** What a criterion looks for, as the prompt lists it: its "- id:" line and the indented lines under it. */
export function criterionBlocksIn(prompt: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of prompt.matchAll(/^- id: ([a-z0-9-]+) \(weight[^\n]*(?:\n {2}[^\n]*)*/gm)) out.set(m[1]!, m[0]);
  return out;
}

/** The answer's sentences, each a verbatim piece of it. */
export const sentencesOf = (answer: string): string[] => answer.split(/(?<=[.!?])\s+/).map((s) => s.trim()).filter(Boolean);

const FAKE_STOP = new Set('the and for that with this from what when have into your their they them then than also about would could should does were been which while there these those only just more most each such very will'.split(' '));
/** Crude content words (lower case, 5-letter prefixes): enough for a fake to tell sentences apart. */
const fakeWords = (s: string) => new Set((s.toLowerCase().match(/[a-z][a-z0-9-]{3,}/g) ?? []).filter((w) => !FAKE_STOP.has(w)).map((w) => w.slice(0, 5)));
const sharedWords = (a: Set<string>, b: Set<string>) => [...a].filter((w) => b.has(w)).length;

/** The sentence sharing the most words with `block` (undefined when none shares any). */
function bestSentence(answer: string, block: string): string | undefined {
  const want = fakeWords(block);
  let best: string | undefined;
  let most = 0;
  for (const s of sentencesOf(answer)) {
    const n = sharedWords(fakeWords(s), want);
    if (n > most) [best, most] = [s, n];
  }
  return best;
}

/** The sentence sharing the fewest words with all the criteria: the answer's filler, if it has one. */
function leastRelevantSentence(answer: string, blocks: string[]): string {
  const want = fakeWords(blocks.join('\n'));
  return sentencesOf(answer).reduce((a, b) => (sharedWords(fakeWords(b), want) < sharedWords(fakeWords(a), want) ? b : a));
}

/** A criterion's 4-anchor as the prompt shows it: what a model expecting a perfect answer would "quote". */
const anchorOf = (block: string | undefined, id: string) => /^ {2}4: (.*)$/m.exec(block ?? '')?.[1] ?? `Fully covers ${id}.`;
/** What a model that tidies its quotes returns: the sentence with its case changed (so no longer verbatim). */
const recased = (s: string) => (s === s.toUpperCase() ? s.toLowerCase() : s.toUpperCase());

/** Grades in which every criterion picks its own quote (modes grounded, honest, fabricated, irrelevant_quotes). */
function pickedGrade(prompt: string, mode: FakeMode, wantsStar: boolean): Record<string, unknown> {
  const answer = answerIn(prompt);
  const blocks = criterionBlocksIn(prompt);
  const score = mode === 'grounded' ? 3 : 4;
  const filler = leastRelevantSentence(answer, [...blocks.values()]);
  const quoteFor = (id: string): string | undefined =>
    mode === 'fabricated' ? anchorOf(blocks.get(id), id) : mode === 'irrelevant_quotes' ? filler : bestSentence(answer, blocks.get(id) ?? id);
  const criteria = [...blocks.keys()].map((id) => {
    const q = quoteFor(id);
    const evidence = !q ? [] : mode === 'grounded' ? [recased(q), q] : [q];
    return { id, evidence, rationale: q ? `Covers ${id}.` : `Nothing on ${id}.`, score: q ? score : 0 };
  });
  const part = (id: string) => {
    const q = quoteFor(id);
    return { present: q !== undefined, evidence: q ?? '' };
  };
  return {
    criteria,
    strengths: ['Clear structure.'],
    gaps: ['Could quantify the impact.'],
    flags: [],
    ...(wantsStar ? { star: { situation: part('situation'), task: part('task'), action: part('action'), result: part('result') } } : {}),
  };
}

const PICKED: FakeMode[] = ['grounded', 'honest', 'fabricated', 'irrelevant_quotes'];

/** The JSON object a grading model would return for this request in this mode. */
export function fakeGrade(prompt: string, mode: FakeMode, wantsStar: boolean): Record<string, unknown> {
  if (PICKED.includes(mode)) return pickedGrade(prompt, mode, wantsStar);
  const answer = answerIn(prompt);
  const ids = criterionIdsIn(prompt);
  const quote = quoteOf(answer);
  const score = mode === 'all_fours' ? 4 : 3;
  let criteria = ids.map((id) => ({ id, evidence: [quote], rationale: `Covers ${id}.`, score }));
  if (mode === 'invented_quotes') {
    criteria = criteria.map((c, i) => ({
      ...c,
      evidence: ['I single-handedly saved the company ten million dollars', quote],
      score: i === 0 ? 7 : -2,
    }));
    criteria.pop(); // one criterion missing: filled from the lexical grade
    criteria.push({ id: 'made-up-criterion', evidence: [], rationale: 'Not in the rubric.', score: 4 });
  }
  const part = (present: boolean) => ({ present, evidence: mode === 'invented_quotes' ? 'We won an award for it' : present ? quote : '' });
  return {
    criteria,
    strengths: ['Clear structure.'],
    gaps: ['Could quantify the impact.'],
    flags: [],
    ...(wantsStar ? { star: { situation: part(true), task: part(true), action: part(true), result: part(mode === 'all_fours') } } : {}),
  };
}

/**
 * A drill scribe's answer: the first listed action, quoting the message's first sentence; with
 * invented_quotes, a quote the message never said and an action id that was never listed.
 */
export function fakeDrillMatch(prompt: string, mode: FakeMode): { covered: { id: string; quote: string }[] } {
  const first = /^- id: ([a-z0-9-]+):/m.exec(prompt)?.[1];
  const message = /<(answer_[0-9a-f]{8})>\n([\s\S]*?)\n<\/\1>/.exec(prompt)?.[2] ?? '';
  if (!first || !message.trim()) return { covered: [] };
  if (mode === 'invented_quotes') return { covered: [{ id: first, quote: 'we already rolled everything back yesterday' }, { id: 'not-an-action', quote: message }] };
  return { covered: [{ id: first, quote: message.split(/(?<=[.!?])\s/)[0]! }] };
}

export const MALFORMED_CONTENT = '{"criteria": [{"id": "x", "score": 3, "evidence": ["unterminated';

// ---------- HTTP plumbing (shared with the Ollama fake) ----------

export type Handler = (req: RecordedRequest, res: ServerResponse, fake: FakeLlmServer) => void | Promise<void>;

export async function startFake(handler: Handler, opts: FakeOptions, urlOf: (port: number) => string): Promise<FakeLlmServer> {
  const timers = new Set<NodeJS.Timeout>();
  const pending = new Set<RecordedRequest>();
  let fake!: FakeLlmServer;
  const server: Server = createServer((req, res) => {
    let size = 0;
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) req.destroy();
      else chunks.push(c);
    });
    req.on('end', () => {
      let body: any;
      try {
        body = chunks.length ? JSON.parse(Buffer.concat(chunks).toString('utf8')) : undefined;
      } catch {
        return sendJson(res, 400, { error: 'body is not JSON' });
      }
      const recorded = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, body };
      if (fake.requests.length < MAX_RECORDED) fake.requests.push(recorded);
      pending.add(recorded);
      res.on('close', () => pending.delete(recorded));
      void Promise.resolve(handler(recorded, res, fake)).catch((err) => sendJson(res, 500, { error: String(err) }));
    });
  });
  server.headersTimeout = 5_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  fake = {
    url: urlOf(port),
    port,
    requests: [],
    inFlight: () => [...pending],
    mode: opts.mode ?? 'good',
    queue: [...(opts.queue ?? [])],
    text: opts.text ?? 'Follow-up: "What would you check first in the training data?"',
    slowMs: opts.slowMs ?? 3_000,
    later: (ms, fn) => {
      const t = setTimeout(() => {
        timers.delete(t);
        fn();
      }, ms);
      timers.add(t);
    },
    stop: async () => {
      for (const t of timers) clearTimeout(t);
      server.closeAllConnections(); // a "slow" reply may still hold its socket
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return fake;
}

export function nextMode(fake: FakeLlmServer): FakeMode {
  return fake.queue.shift() ?? fake.mode;
}

export function sendJson(res: ServerResponse, status: number, value: unknown): void {
  if (res.headersSent) return void res.end();
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(value));
}

/** A port nothing listens on: for "the model server is down". */
export async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

const tokens = (s: string) => Math.max(1, Math.ceil(s.length / 4));

// ---------- the OpenAI chat-completions endpoint ----------

const openAiError = (status: number, type: string, message: string) => ({ error: { message, type, param: null, code: type } });

function completionsHandler(req: RecordedRequest, res: ServerResponse, fake: FakeLlmServer): void {
  if (req.method !== 'POST' || req.path !== '/v1/chat/completions') {
    return sendJson(res, 404, openAiError(404, 'not_found', `no route ${req.method} ${req.path}`));
  }
  const body = req.body ?? {};
  if (body.stream) return sendJson(res, 400, openAiError(400, 'invalid_request_error', 'this fake does not stream'));
  const mode = nextMode(fake);
  if (mode === 'rate_limited') {
    res.setHeader('retry-after', '1');
    return sendJson(res, 429, openAiError(429, 'rate_limit_exceeded', 'Rate limit reached for requests'));
  }
  if (mode === 'server_error') return sendJson(res, 500, openAiError(500, 'server_error', 'The server had an error'));

  const prompt = promptText(body);
  const schema = body.response_format?.json_schema?.schema;
  const tool = body.tools?.[0]?.function;
  const structured = schema ?? tool?.parameters;
  const content = !structured
    ? fake.text
    : mode === 'malformed'
      ? MALFORMED_CONTENT
      : structured.properties?.covered
        ? JSON.stringify(fakeDrillMatch(prompt, mode))
        : JSON.stringify(fakeGrade(prompt, mode, Boolean(structured.properties?.star)));
  const message = tool && !schema
    ? { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: tool.name, arguments: content } }] }
    : { role: 'assistant', content, refusal: null };
  const reply = {
    id: `chatcmpl-${fake.requests.length}`,
    object: 'chat.completion',
    created: 1_700_000_000,
    model: body.model,
    choices: [{ index: 0, message, logprobs: null, finish_reason: tool && !schema ? 'tool_calls' : 'stop' }],
    usage: { prompt_tokens: tokens(prompt), completion_tokens: tokens(content), total_tokens: tokens(prompt) + tokens(content) },
  };
  if (mode === 'slow') return fake.later(fake.slowMs, () => sendJson(res, 200, reply));
  sendJson(res, 200, reply);
}

/** Starts the fake; point ChatOpenAI's configuration.baseURL at `url` (it ends in /v1). */
export function startFakeOpenAI(opts: FakeOptions = {}): Promise<FakeLlmServer> {
  return startFake(completionsHandler, opts, (port) => `http://127.0.0.1:${port}/v1`);
}
