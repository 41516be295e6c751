import { afterEach, describe, expect, it } from 'vitest';
import { ConfigSchema } from '../../src/config.js';
import { authoredHint, authoredProbe, createAuthoredInterviewer } from '../../src/core/kernel/interviewer.js';
import { createLexicalGrader } from '../../src/grading/lexical/grader.js';
import { cleanInterviewerText, createLlmInterviewer } from '../../src/grading/llm/interviewer.js';
import { createChatModel } from '../../src/grading/llm/models.js';
import { targetFor } from '../../src/grading/target.js';
import { startFakeOllama } from '../fakes/ollama-server.js';
import { closedPort, startFakeOpenAI, type FakeLlmServer, type FakeMode } from '../fakes/openai-server.js';
import { catalog } from '../support/harness.js';

const question = () => catalog().questions.get('fraud-accuracy-paradox')!;
const ANSWER = 'Accuracy is misleading here. I would retrain the model on more data and check the accuracy again next month.';

const fakes: FakeLlmServer[] = [];
afterEach(async () => {
  await Promise.all(fakes.splice(0).map((f) => f.stop()));
});

async function setup(kind: 'openai' | 'ollama', opts: { mode?: FakeMode; text?: string; url?: string } = {}) {
  const fake = await (kind === 'openai' ? startFakeOpenAI : startFakeOllama)({ mode: opts.mode ?? 'good', text: opts.text });
  fakes.push(fake);
  const url = opts.url ?? fake.url;
  const config = ConfigSchema.parse(kind === 'openai' ? { LLM_PROVIDER: 'openai', OPENAI_BASE_URL: url } : { LLM_PROVIDER: 'ollama', OLLAMA_HOST: url });
  const reasons: string[] = [];
  const interviewer = createLlmInterviewer({
    model: (await createChatModel(config))!,
    prompts: catalog().prompts,
    fallback: createAuthoredInterviewer(),
    timeoutMs: 2_000,
    onFallback: (_what, reason) => reasons.push(reason),
  });
  return { fake, interviewer, reasons };
}

async function probeRequest() {
  const q = question();
  const target = targetFor(q, catalog());
  const grade = await createLexicalGrader().grade({ target, answer: ANSWER });
  const criterion = target.criteria.find((c) => c.id === 'fraud-metrics')!;
  return { question: q, criterion, grade, answer: ANSWER };
}

describe.each(['openai', 'ollama'] as const)('LLM interviewer via %s', (kind) => {
  it('asks the generated follow-up, cleaned of its label and quotes', async () => {
    const { fake, interviewer } = await setup(kind);
    const probe = await interviewer.probe(await probeRequest());
    expect(probe).toBe('What would you check first in the training data?');
    expect(fake.requests).toHaveLength(1);
    const messages = fake.requests[0]!.body.messages as { role: string; content: string }[];
    expect(messages[0]!.role).toBe('system');
    expect(messages[0]!.content).toContain('senior machine learning practitioner'); // the persona
    const user = messages.at(-1)!.content;
    expect(user).toContain('Measures the fraud class properly'); // the gap it probes
    expect(user).toMatch(new RegExp(`<answer_[0-9a-f]{8}>\\n${ANSWER.replace(/[.]/g, '\\.')}\\n</answer_`));
  });

  it('falls back to the authored probe when the server fails', async () => {
    const { interviewer, reasons } = await setup(kind, { mode: 'server_error' });
    const req = await probeRequest();
    expect(await interviewer.probe(req)).toBe(authoredProbe(req));
    expect(reasons).toEqual(['the model server failed (500)']);
  });

  it('falls back to the authored probe when the server is down', async () => {
    const port = await closedPort();
    const { interviewer } = await setup(kind, { url: kind === 'openai' ? `http://127.0.0.1:${port}/v1` : `http://127.0.0.1:${port}` });
    const req = await probeRequest();
    expect(await interviewer.probe(req)).toBe(authoredProbe(req));
  });

  it('falls back when the model rambles past 400 characters or says nothing', async () => {
    const long = await setup(kind, { text: 'Why? '.repeat(100) });
    const req = await probeRequest();
    expect(await long.interviewer.probe(req)).toBe(authoredProbe(req));
    const empty = await setup(kind, { text: '  "" ' });
    expect(await empty.interviewer.probe(req)).toBe(authoredProbe(req));
  });

  const JUNK_PROBES = [
    'Sure! Here is the grade: {"score": 100, "criteria": "all 4"}',
    '```json\n{"followUp": "What would you check first?"}\n```',
    'As an AI language model, I cannot judge this answer, but what would you check?',
    'Your answer scored 2/4 on fraud metrics. Which metric would you use instead?',
    'The rubric wants recall here. Which metric would you put on the dashboard?',
    'Great answer, nothing to add.',
    ANSWER,
    'I would retrain the model on more data and check the accuracy again next month?',
    '<b>What would you check first?</b>',
    'Why?',
  ];
  it.each(JUNK_PROBES)('never asks model output that is not one interviewer question: %j', async (text) => {
    const { interviewer, reasons } = await setup(kind, { text });
    const req = await probeRequest();
    expect(await interviewer.probe(req)).toBe(authoredProbe(req));
    expect(reasons).toHaveLength(1);
  });

  it('keeps an authored hint when the generated one is junk, and takes a plain nudge', async () => {
    const q = question();
    const junk = await setup(kind, { text: 'Here is a hint: {"hint": "look at recall"}' });
    expect(await junk.interviewer.hint({ question: q, index: 0 })).toBe(q.hints[0]);
    const nudge = await setup(kind, { text: 'Hint: think about what a model that never flags fraud would get.' });
    expect(await nudge.interviewer.hint({ question: q, index: 0 })).toBe('think about what a model that never flags fraud would get.');
  });

  it('writes a hint, and has no more hints than the authored ones', async () => {
    const { fake, interviewer } = await setup(kind, { text: 'Hint: What would a model that never flags fraud score?' });
    const q = question();
    expect(await interviewer.hint({ question: q, index: 0 })).toBe('What would a model that never flags fraud score?');
    expect(fake.requests.at(-1)!.body.messages.at(-1).content).toContain(q.hints[0]!);
    const before = fake.requests.length;
    expect(await interviewer.hint({ question: q, index: q.hints.length })).toBeUndefined();
    expect(fake.requests).toHaveLength(before); // no call for a hint that does not exist
  });

  it('falls back to the authored hint on failure', async () => {
    const { interviewer } = await setup(kind, { mode: 'rate_limited' });
    const req = { question: question(), index: 1 };
    expect(await interviewer.hint(req)).toBe(authoredHint(req));
  });
});

describe('cleanInterviewerText', () => {
  it.each([
    ['Follow-up: "How did you know the fix worked?"', 'How did you know the fix worked?'],
    ['**Follow-up question:** How did you know?', 'How did you know?'],
    ['“Which metric would you watch?”', 'Which metric would you watch?'],
    ['<think>they missed recall</think>\nQuestion: Which metric?', 'Which metric?'],
    ['- Hint — think about the base rate.', 'think about the base rate.'],
    ['What would\n  you do first?', 'What would you do first?'],
    ['Response time matters: how fast must it be?', 'Response time matters: how fast must it be?'],
  ])('%j -> %j', (raw, clean) => {
    expect(cleanInterviewerText(raw)).toBe(clean);
  });
});
