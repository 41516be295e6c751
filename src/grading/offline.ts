import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import type { DrillMatcher } from '../core/drill/ports.js';
import type { Interviewer } from '../core/kernel/interviewer.js';
import { createLexicalDrillMatcher } from './lexical/drill-matcher.js';
import { createLexicalGrader } from './lexical/grader.js';
import type { Grader } from '../core/kernel/grading.js';

/** What grading gives the bot: the grader, the interviewer and the drill matcher, with or without a model. */
export type Graders = {
  grader: Grader;
  /** Undefined offline: the bot then uses the authored interviewer. */
  interviewer?: Interviewer;
  /** Judges which expected drill actions a message shows: lexical offline, the LLM with a model. */
  drillMatcher: DrillMatcher;
  /** One line for start-up logs and `doctor`, e.g. "LLM openai:gpt-4o-mini at https://..., lexical fallback". */
  describe: string;
  model?: BaseChatModel;
};

/** The graders with no model: the lexical grader, authored probes and hints, lexical drill matching. */
export function offlineGraders(): Graders {
  return { grader: createLexicalGrader(), drillMatcher: createLexicalDrillMatcher(), describe: 'offline: lexical grader, authored probes and hints' };
}
