import type { ServerResponse } from 'node:http';
import {
  fakeGrade,
  MALFORMED_CONTENT,
  nextMode,
  promptText,
  sendJson,
  startFake,
  type FakeLlmServer,
  type FakeOptions,
  type RecordedRequest,
} from './openai-server.js';

/**
 * A fake Ollama server on 127.0.0.1 speaking Ollama's own API, so tests run the real
 * ChatOllama (and ollama-js) against it: POST /api/chat answers as NDJSON when `stream` is
 * true (ChatOllama always asks for that) or as one JSON object otherwise; a JSON schema in
 * `format` (or `tools`) gets a grade back, anything else gets `text`. Usage is reported as
 * prompt_eval_count / eval_count on the final chunk, as Ollama does. Modes as the OpenAI fake.
 * GET /api/version and GET /api/tags (the pulled models, `models`) answer as Ollama does.
 */

export type FakeOllamaOptions = FakeOptions & { models?: string[]; version?: string };

/** One entry of GET /api/tags, shaped like a real Ollama's. */
const tag = (name: string) => ({
  name,
  model: name,
  modified_at: new Date(0).toISOString(),
  size: 4_920_753_328,
  digest: '46e0c10c039e019119339687c3c1757cc81b9da49709a3b3924863ba87ca666e',
  details: { parent_model: '', format: 'gguf', family: 'llama', families: ['llama'], parameter_size: '8.0B', quantization_level: 'Q4_K_M' },
});

const tokens = (s: string) => Math.max(1, Math.ceil(s.length / 4));

function chatHandler(req: RecordedRequest, res: ServerResponse, fake: FakeLlmServer, opts: FakeOllamaOptions): void {
  if (req.method === 'GET' && req.path === '/api/version') return sendJson(res, 200, { version: opts.version ?? '0.12.0' });
  if (req.method === 'GET' && req.path === '/api/tags') return sendJson(res, 200, { models: (opts.models ?? ['llama3.1:8b']).map(tag) });
  if (req.method !== 'POST' || req.path !== '/api/chat') return sendJson(res, 404, { error: `no route ${req.method} ${req.path}` });
  const body = req.body ?? {};
  const mode = nextMode(fake);
  if (mode === 'rate_limited') return sendJson(res, 429, { error: 'too many requests' });
  if (mode === 'server_error') return sendJson(res, 500, { error: 'llama runner process has terminated' });

  const prompt = promptText(body);
  const format = typeof body.format === 'object' && body.format !== null ? body.format : undefined;
  const tool = body.tools?.[0]?.function;
  const structured = format ?? tool?.parameters ?? (body.format === 'json' ? {} : undefined);
  const content = !structured
    ? fake.text
    : mode === 'malformed'
      ? MALFORMED_CONTENT
      : JSON.stringify(fakeGrade(prompt, mode, Boolean(structured.properties?.star)));
  const asTool = Boolean(tool) && !format;
  const base = { model: body.model, created_at: new Date(0).toISOString() };
  const final = {
    ...base,
    done: true,
    done_reason: 'stop',
    total_duration: 1_000_000,
    load_duration: 1_000,
    prompt_eval_count: tokens(prompt),
    prompt_eval_duration: 1_000,
    eval_count: tokens(content),
    eval_duration: 1_000,
  };

  const send = () => {
    if (asTool) {
      // Ollama returns tool arguments as an object, not a string.
      let args: unknown;
      try {
        args = JSON.parse(content);
      } catch {
        args = content;
      }
      const message = { role: 'assistant', content: '', tool_calls: [{ function: { name: tool.name, arguments: args } }] };
      return body.stream === false ? sendJson(res, 200, { ...final, message }) : ndjson(res, [{ ...base, message, done: false }, { ...final, message: { role: 'assistant', content: '' } }]);
    }
    if (body.stream === false) return sendJson(res, 200, { ...final, message: { role: 'assistant', content } });
    // Streamed in a few pieces, so the client really has to join them.
    const pieces = content.match(/[\s\S]{1,40}/g) ?? [''];
    ndjson(res, [...pieces.map((p) => ({ ...base, message: { role: 'assistant', content: p }, done: false })), { ...final, message: { role: 'assistant', content: '' } }]);
  };
  if (mode === 'slow') return fake.later(fake.slowMs, send);
  send();
}

function ndjson(res: ServerResponse, lines: unknown[]): void {
  res.writeHead(200, { 'content-type': 'application/x-ndjson' });
  for (const l of lines) res.write(`${JSON.stringify(l)}\n`);
  res.end();
}

/** Starts the fake; point ChatOllama's baseUrl at `url`. */
export function startFakeOllama(opts: FakeOllamaOptions = {}): Promise<FakeLlmServer> {
  return startFake((req, res, fake) => chatHandler(req, res, fake, opts), opts, (port) => `http://127.0.0.1:${port}`);
}
