import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import { ChatOpenAI } from '@langchain/openai';
import { afterEach, describe, expect, it } from 'vitest';
import { createLexicalDrillMatcher } from '../../src/grading/lexical/drill-matcher.js';
import { createLlmDrillMatcher, locateQuote } from '../../src/grading/llm/drill-matcher.js';
import { startFakeOpenAI, type FakeLlmServer } from '../fakes/openai-server.js';
import { catalog } from '../support/harness.js';

let fake: FakeLlmServer | undefined;
afterEach(async () => {
  await fake?.stop();
  fake = undefined;
});

const drill = () => [...catalog().drills.values()][0]!;

function matcher(url: string) {
  const model = new ChatOpenAI({ apiKey: 'test', model: 'gpt-4o-mini', temperature: 0, maxRetries: 0, configuration: { baseURL: url } });
  return createLlmDrillMatcher({ model, prompts: catalog().prompts, fallback: createLexicalDrillMatcher(), timeoutMs: 2000 });
}

describe('the LLM drill matcher, through ChatOpenAI and a fake server', () => {
  it('credits the action the model names, with a quote from the message', async () => {
    fake = await startFakeOpenAI({ mode: 'good' });
    const actions = drill().expectedActions;
    const text = 'Switching scoring to the rules engine now. Ops, please watch the queue.';
    expect(await matcher(fake.url).match(text, actions)).toEqual([{ actionId: actions[0]!.id, quote: 'Switching scoring to the rules engine now.' }]);
    const sent = JSON.stringify(fake.requests[0]!.body);
    expect(sent).toContain(actions[0]!.description);
    expect(sent).toMatch(/<answer_[0-9a-f]{8}>/);
  });

  it('drops invented quotes and unknown actions', async () => {
    fake = await startFakeOpenAI({ mode: 'invented_quotes' });
    expect(await matcher(fake.url).match('Let us look at the dashboards first.', drill().expectedActions)).toEqual([]);
  });

  it('falls back to the lexical matcher when the model fails', async () => {
    fake = await startFakeOpenAI({ mode: 'server_error' });
    const action = drill().expectedActions[0]!;
    const text = `We will ${action.signals[0]!.terms[0]} right now.`;
    const lexical = await createLexicalDrillMatcher().match(text, [action]);
    expect(lexical).toHaveLength(1);
    expect(await matcher(fake.url).match(text, [action])).toEqual(lexical);
  });
});

/** A model that answers every message with `covered`, as a scribe that quotes loosely would. */
function scripted(covered: { id: string; quote: string }[]) {
  const model = { withStructuredOutput: () => ({ invoke: async () => ({ covered }) }) } as unknown as BaseChatModel;
  return createLlmDrillMatcher({ model, prompts: catalog().prompts, fallback: createLexicalDrillMatcher(), timeoutMs: 2000 });
}

describe('the LLM drill matcher, on how models quote', () => {
  const holiday = () => catalog().drills.get('holiday-fraud-drift')!.expectedActions;
  const said =
    'the transaction mix shifted (data drift) and the same features now mean something else for fraud (concept drift), the PSI on amount is 0.3 and precision fell';

  it('credits both kinds of drift quoted in two parts, keeping the words the participant wrote', async () => {
    const m = scripted([{ id: 'classify-drift', quote: 'The transaction mix shifted (data drift) … the same features now mean something else for fraud (concept drift)' }]);
    expect(await m.match(said, holiday())).toEqual([
      { actionId: 'classify-drift', quote: 'the transaction mix shifted (data drift) and the same features now mean something else for fraud (concept drift)' },
    ]);
  });

  it('credits every action one message shows', async () => {
    const text = "I'm declaring SEV-2.\nWe fall back to the RB-2 rules engine now.";
    const m = scripted([
      { id: 'declare-incident', quote: "I'm declaring SEV-2." },
      { id: 'fallback-to-rules', quote: 'We fall back to the RB-2 rules engine now.' },
    ]);
    expect((await m.match(text, holiday())).map((h) => h.actionId)).toEqual(['declare-incident', 'fallback-to-rules']);
  });

  it('still drops a quote with a part the message never said', async () => {
    const m = scripted([{ id: 'classify-drift', quote: 'the transaction mix shifted … fraudsters are card testing' }]);
    expect(await m.match(said, holiday())).toEqual([]);
  });

  it('finds a quote across case, spacing and curly quotes, and refuses what is not there', () => {
    const text = 'Ops said: "we  keep v7\nscoring in shadow" until Monday.';
    expect(locateQuote(text, 'We keep v7 scoring in shadow')).toBe('we  keep v7\nscoring in shadow');
    expect(locateQuote(text, '“we keep v7 scoring in shadow”')).toBe('we  keep v7\nscoring in shadow');
    expect(locateQuote(text, 'we keep v8 scoring in shadow')).toBeUndefined();
    expect(locateQuote(text, '…')).toBeUndefined();
  });
});
