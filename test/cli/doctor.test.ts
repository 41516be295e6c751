import { afterEach, describe, expect, it } from 'vitest';
import { startFakeOllama } from '../fakes/ollama-server.js';
import { closedPort, type FakeLlmServer } from '../fakes/openai-server.js';
import { runCliAsync } from '../support/run-cli.js';

let fake: FakeLlmServer | undefined;
afterEach(async () => {
  await fake?.stop();
  fake = undefined;
});

const ollama = (host: string, model = 'llama3.1:8b') => ({ LLM_PROVIDER: 'ollama', OLLAMA_HOST: host, OLLAMA_MODEL: model, LLM_TIMEOUT_MS: '5000' });
const asked = (f: FakeLlmServer) => f.requests.map((r) => `${r.method} ${r.path}`);

describe('sparring doctor with LLM_PROVIDER=ollama', () => {
  it('finds the server up and the model pulled, then asks the model', async () => {
    fake = await startFakeOllama({ text: 'ok', models: ['qwen2.5:7b', 'llama3.1:8b'], version: '0.12.3' });
    const run = await runCliAsync(['doctor'], { env: ollama(fake.url) });
    expect(run.stdout).toContain(`ok   ollama    Ollama 0.12.3 at ${fake.url}, llama3.1:8b pulled`);
    expect(run.stdout).toMatch(/^ok {3}model {5}the model answered/m);
    expect(run.status).toBe(0);
    expect(asked(fake)).toEqual(['GET /api/version', 'GET /api/tags', 'POST /api/chat']);
  });

  it('a model without a tag is the one tagged latest', async () => {
    fake = await startFakeOllama({ text: 'ok', models: ['mistral:latest'] });
    const run = await runCliAsync(['doctor', '--json'], { env: ollama(fake.url, 'mistral') });
    const report = JSON.parse(run.stdout) as { ok: boolean; checks: { name: string; ok: boolean }[] };
    expect(report.checks.find((c) => c.name === 'ollama')).toMatchObject({ ok: true });
    expect(report.ok).toBe(true);
  });

  it('says which model to pull when it is missing, and exits 1 without asking it', async () => {
    fake = await startFakeOllama({ models: ['qwen2.5:7b'] });
    const run = await runCliAsync(['doctor'], { env: ollama(fake.url) });
    expect(run.stdout).toContain(`FAIL ollama    Ollama 0.12.0 at ${fake.url}: the model llama3.1:8b is not pulled; run: ollama pull llama3.1:8b`);
    expect(run.status).toBe(1);
    expect(asked(fake)).not.toContain('POST /api/chat');
  });

  it('names the address when no server answers, and exits 1', async () => {
    const host = `http://127.0.0.1:${await closedPort()}`;
    const run = await runCliAsync(['doctor'], { env: ollama(host) });
    expect(run.stdout).toContain(`FAIL ollama    no Ollama server answers at ${host} (ECONNREFUSED): start it ("ollama serve") or set OLLAMA_HOST`);
    expect(run.status).toBe(1);
  });
});
