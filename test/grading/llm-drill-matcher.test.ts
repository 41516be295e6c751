import { ChatOpenAI } from '@langchain/openai';
import { afterEach, describe, expect, it } from 'vitest';
import { createLexicalDrillMatcher } from '../../src/grading/drill-matcher.js';
import { createLlmDrillMatcher } from '../../src/grading/llm-drill-matcher.js';
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
