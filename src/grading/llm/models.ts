import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import { initChatModel } from 'langchain/chat_models/universal';
import type { Config } from '../../config.js';

/** Sent as the API key to OpenAI-compatible servers that need none (llama.cpp, vLLM, LM Studio). */
export const NO_API_KEY = 'not-needed';

/**
 * The chat model for the configured provider, or undefined when offline, chosen by LangChain's
 * universal `initChatModel` from the provider name and the provider's own settings. Retries are
 * ours (grader.ts), so the clients never retry on their own and a bad server costs one timeout,
 * not several.
 */
export async function createChatModel(config: Config): Promise<BaseChatModel | undefined> {
  const temperature = config.LLM_TEMPERATURE;
  const timeoutMs = config.LLM_TIMEOUT_MS;
  switch (config.LLM_PROVIDER) {
    case 'offline':
      return undefined;
    case 'ollama':
      // ChatOllama does not hand its abort signal to fetch, so a hung server would keep the
      // socket open after we gave up; every request is bounded at the transport as well.
      return initChatModel(config.OLLAMA_MODEL, { modelProvider: 'ollama', baseUrl: config.OLLAMA_HOST, temperature, maxRetries: 0, fetch: boundedFetch(timeoutMs) });
    case 'openai':
      return initChatModel(config.OPENAI_MODEL, { modelProvider: 'openai', apiKey: config.OPENAI_API_KEY ?? NO_API_KEY, temperature, timeout: timeoutMs, maxRetries: 0, configuration: { baseURL: config.OPENAI_BASE_URL } });
  }
}

/** "openai:gpt-4o-mini", "ollama:llama3.1:8b" or "offline": what a stored grade names as its model. */
export function modelLabel(config: Config): string {
  switch (config.LLM_PROVIDER) {
    case 'offline':
      return 'offline';
    case 'ollama':
      return `ollama:${config.OLLAMA_MODEL}`;
    case 'openai':
      return `openai:${config.OPENAI_MODEL}`;
  }
}

/** Where the model is, for messages such as `doctor`'s (never includes the API key). */
export function modelEndpoint(config: Config): string | undefined {
  if (config.LLM_PROVIDER === 'ollama') return config.OLLAMA_HOST;
  if (config.LLM_PROVIDER === 'openai') return config.OPENAI_BASE_URL ?? 'https://api.openai.com/v1';
  return undefined;
}

function boundedFetch(timeoutMs: number): typeof fetch {
  return (input, init) => {
    const limit = AbortSignal.timeout(timeoutMs);
    const signal = init?.signal ? AbortSignal.any([init.signal, limit]) : limit;
    return fetch(input, { ...init, signal });
  };
}

/** Why a model call failed, in words a user can act on, and whether trying again may help. */
export type ModelFailure = {
  kind: 'timeout' | 'unreachable' | 'rate_limited' | 'server_error' | 'refused' | 'invalid_output' | 'other';
  retryable: boolean;
  reason: string;
};

/** Thrown by `withTimeout`, so a timeout is told apart from whatever the client throws on abort. */
export class ModelTimeoutError extends Error {
  override name = 'ModelTimeoutError';
  constructor(readonly timeoutMs: number) {
    super(`no answer within ${timeoutMs} ms`);
  }
}

/**
 * Runs `call` with an abort signal that fires after `timeoutMs`, and stops waiting then even
 * if the client ignores the signal: a chat reply must not hang on a stuck server.
 */
export async function withTimeout<T>(call: (signal: AbortSignal) => Promise<T>, timeoutMs: number): Promise<T> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const err = new ModelTimeoutError(timeoutMs);
      reject(err); // settle first, so the race reports the timeout rather than the client's abort error
      controller.abort(err);
    }, timeoutMs);
  });
  try {
    return await Promise.race([call(controller.signal), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

const seconds = (ms: number) => (ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`);

const INVALID_OUTPUT_NAMES = new Set(['SyntaxError', 'ZodError', '$ZodError', 'OutputParserException', 'LengthFinishReasonError', 'ContentFilterFinishReasonError']);
const NETWORK_CODES: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host not found',
  ECONNRESET: 'connection reset',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  EPIPE: 'connection closed',
  UND_ERR_SOCKET: 'connection closed',
};

type ErrorLike = { name?: unknown; code?: unknown; status?: unknown; status_code?: unknown; message?: unknown; cause?: unknown; errors?: unknown };

/** The error and everything it wraps (cause chains, AggregateError), bounded. */
function errorChain(err: unknown): ErrorLike[] {
  const out: ErrorLike[] = [];
  const queue: unknown[] = [err];
  while (queue.length > 0 && out.length < 10) {
    const e = queue.shift();
    if (!e || typeof e !== 'object') continue;
    const el = e as ErrorLike;
    out.push(el);
    if (el.cause) queue.push(el.cause);
    if (Array.isArray(el.errors)) queue.push(...el.errors);
  }
  return out;
}

/** Classifies whatever a LangChain chat model threw (OpenAI SDK, ollama-js, fetch or parser errors). */
export function describeFailure(err: unknown, timeoutMs: number): ModelFailure {
  const chain = errorChain(err);
  const names = chain.map((e) => String(e.name ?? ''));
  const codes = chain.map((e) => String(e.code ?? ''));
  const status = chain.map((e) => e.status ?? e.status_code).find((s): s is number => typeof s === 'number');
  const message = String(chain[0]?.message ?? err).split('\n')[0]!.slice(0, 160);

  const timedOut = names.some((n) => ['ModelTimeoutError', 'TimeoutError', 'APIConnectionTimeoutError', 'AbortError'].includes(n)) ||
    codes.some((c) => c === 'ETIMEDOUT' || /^UND_ERR_.*TIMEOUT$/.test(c)) || status === 408;
  if (timedOut) return { kind: 'timeout', retryable: true, reason: `the model server did not answer within ${seconds(timeoutMs)}` };
  if (status === 429) return { kind: 'rate_limited', retryable: true, reason: 'the model server is rate limiting (429)' };
  if (status !== undefined && status >= 500) return { kind: 'server_error', retryable: true, reason: `the model server failed (${status})` };
  if (status !== undefined && status >= 400) {
    return { kind: 'refused', retryable: false, reason: `the model server refused the request (${status}): ${message}` };
  }
  const net = codes.find((c) => c in NETWORK_CODES);
  if (net || names.includes('APIConnectionError') || /fetch failed|connection error/i.test(message)) {
    return { kind: 'unreachable', retryable: true, reason: `the model server could not be reached (${net ? NETWORK_CODES[net] : message})` };
  }
  if (names.some((n) => INVALID_OUTPUT_NAMES.has(n))) return INVALID_OUTPUT;
  return { kind: 'other', retryable: true, reason: `the model call failed: ${message}` };
}

export const INVALID_OUTPUT: ModelFailure = {
  kind: 'invalid_output',
  retryable: true,
  reason: 'the model returned output that was not a valid grade',
};
