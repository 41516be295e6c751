import { ChatOllama } from '@langchain/ollama';
import { ChatOpenAI } from '@langchain/openai';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigSchema } from '../../src/config.js';
import { createGraders, pingModel } from '../../src/grading/factory.js';
import { createChatModel, describeFailure, modelEndpoint, modelLabel, withTimeout } from '../../src/grading/llm/models.js';
import { startFakeOllama } from '../fakes/ollama-server.js';
import { closedPort, startFakeOpenAI, type FakeLlmServer } from '../fakes/openai-server.js';
import { catalog } from '../support/harness.js';
import type { BaseChatModel } from '@langchain/core/language_models/chat_models';

/** The provider client initChatModel built behind its universal wrapper, to read its settings. */
const clientOf = (model: BaseChatModel | undefined) => (model as unknown as { _getModelInstance(): Promise<BaseChatModel> })._getModelInstance();

const fakes: FakeLlmServer[] = [];
afterEach(async () => {
  await Promise.all(fakes.splice(0).map((f) => f.stop()));
});

describe('createChatModel', () => {
  it('is undefined offline', async () => {
    const config = ConfigSchema.parse({});
    expect((await createChatModel(config))).toBeUndefined();
    expect(modelLabel(config)).toBe('offline');
  });

  it('builds ChatOpenAI from the settings, with our retries and a placeholder key for local servers', async () => {
    const config = ConfigSchema.parse({ LLM_PROVIDER: 'openai', OPENAI_BASE_URL: 'http://127.0.0.1:8080/v1', LLM_TIMEOUT_MS: '1500', LLM_TEMPERATURE: '0.2' });
    const model = (await clientOf(await createChatModel(config))) as ChatOpenAI;
    expect(model).toBeInstanceOf(ChatOpenAI);
    expect(model.model).toBe('gpt-4o-mini');
    expect(model.temperature).toBe(0.2);
    expect(model.timeout).toBe(1500);
    expect(model.apiKey).toBe('not-needed');
    expect(modelLabel(config)).toBe('openai:gpt-4o-mini');
    expect(modelEndpoint(config)).toBe('http://127.0.0.1:8080/v1');
  });

  it('builds ChatOllama from the settings', async () => {
    const config = ConfigSchema.parse({ LLM_PROVIDER: 'ollama', OLLAMA_HOST: 'http://127.0.0.1:11434', OLLAMA_MODEL: 'qwen2.5:7b' });
    const model = (await clientOf(await createChatModel(config))) as ChatOllama;
    expect(model).toBeInstanceOf(ChatOllama);
    expect(model.baseUrl).toBe('http://127.0.0.1:11434');
    expect(model.model).toBe('qwen2.5:7b');
    expect(model.temperature).toBe(0);
    expect(modelLabel(config)).toBe('ollama:qwen2.5:7b');
  });
});

describe('describeFailure', () => {
  const status = (s: number) => Object.assign(new Error(`HTTP ${s}`), { status: s });
  it.each([
    [Object.assign(new TypeError('fetch failed'), { cause: Object.assign(new Error('connect'), { code: 'ECONNREFUSED' }) }), 'unreachable', 'the model server could not be reached (connection refused)'],
    [Object.assign(new Error('x'), { name: 'TimeoutError' }), 'timeout', 'the model server did not answer within 20 s'],
    [status(429), 'rate_limited', 'the model server is rate limiting (429)'],
    [Object.assign(new Error('boom'), { status_code: 503 }), 'server_error', 'the model server failed (503)'],
    [status(401), 'refused', 'the model server refused the request (401): HTTP 401'],
    [new SyntaxError('Unexpected end of JSON input'), 'invalid_output', 'the model returned output that was not a valid grade'],
  ])('%s', (err, kind, reason) => {
    const f = describeFailure(err, 20_000);
    expect(f.kind).toBe(kind);
    expect(f.reason).toBe(reason);
    expect(f.retryable).toBe(kind !== 'refused');
  });
});

describe('withTimeout', () => {
  it('stops waiting and aborts the call', async () => {
    let aborted = false;
    const hang = (signal: AbortSignal) =>
      new Promise<never>(() => signal.addEventListener('abort', () => void (aborted = true)));
    await expect(withTimeout(hang, 50)).rejects.toMatchObject({ name: 'ModelTimeoutError' });
    expect(aborted).toBe(true);
  });
});

describe('pingModel and createGraders', () => {
  it('pings both providers through their fakes, and says why when the server is down', async () => {
    const openai = await startFakeOpenAI({ text: 'ok' });
    const ollama = await startFakeOllama({ text: 'ok' });
    fakes.push(openai, ollama);
    for (const config of [
      ConfigSchema.parse({ LLM_PROVIDER: 'openai', OPENAI_BASE_URL: openai.url }),
      ConfigSchema.parse({ LLM_PROVIDER: 'ollama', OLLAMA_HOST: ollama.url }),
    ]) {
      const r = await pingModel((await createChatModel(config))!, 2_000);
      expect(r).toEqual({ ok: true, detail: expect.stringMatching(/^the model answered in \d+ ms: "ok"$/) });
    }
    const down = ConfigSchema.parse({ LLM_PROVIDER: 'ollama', OLLAMA_HOST: `http://127.0.0.1:${await closedPort()}` });
    expect(await pingModel((await createChatModel(down))!, 2_000)).toEqual({ ok: false, detail: 'the model server could not be reached (connection refused)' });
  });

  it('is lexical only offline, LLM grader plus LLM interviewer with a model', async () => {
    const offline = await createGraders(ConfigSchema.parse({}), catalog());
    expect(offline.grader.kind).toBe('lexical');
    expect(offline.interviewer).toBeUndefined();
    expect(offline.model).toBeUndefined();

    const online = await createGraders(ConfigSchema.parse({ LLM_PROVIDER: 'openai', OPENAI_API_KEY: 'sk-test' }), catalog());
    expect(online.grader.kind).toBe('llm');
    expect(online.interviewer).toBeDefined();
    expect(await clientOf(online.model)).toBeInstanceOf(ChatOpenAI);
    expect(online.describe).toBe('LLM openai:gpt-4o-mini at https://api.openai.com/v1, lexical grader as fallback, personal data redacted');
  });

  it('fails at start-up when a prompt template is missing', async () => {
    const config = ConfigSchema.parse({ LLM_PROVIDER: 'ollama' });
    await expect(createGraders(config, { prompts: new Map() })).rejects.toThrow(/prompts\/grade\.md is missing/);
  });
});
