import { describe, expect, it } from 'vitest';
import { checkInterviewerText } from '../../src/grading/llm/follow-up.js';

/** The one rule for what a model may say as the interviewer (grade follow-ups, probes, hints). */

const ANSWER = 'Accuracy is misleading here. I would retrain the model on more data and check the accuracy again next month.';
const QUESTION = 'Your fraud detection model scores 99% accuracy on the test set. What is going on, and what would you do next?';
const asQuestion = (raw: string) => checkInterviewerText(raw, { question: true, notCopyOf: [ANSWER, QUESTION] });

describe('checkInterviewerText', () => {
  it.each([
    ['Follow-up: "What would you check first in the training data?"', 'What would you check first in the training data?'],
    ['You mentioned retraining. What would trigger it?', 'You mentioned retraining. What would trigger it?'],
    ['Which fraud score threshold would you pick, and why?', 'Which fraud score threshold would you pick, and why?'],
    ['How would you use the F1 score here?', 'How would you use the F1 score here?'],
    ['What accuracy would a model that never flags fraud get?', 'What accuracy would a model that never flags fraud get?'],
  ])('takes one interviewer question: %j', (raw, text) => {
    expect(asQuestion(raw)).toEqual({ ok: true, text });
  });

  it.each([
    ['', 'the model returned nothing'],
    ['Why?', 'the model returned 1 word'],
    [`What ${'else '.repeat(70)}?`, 'the model returned 71 words'],
    ['Sure! Here is the grade: {score: 100, criteria: all 4}', 'the model returned markup or JSON'],
    ['```json\n{"followUp": "What next?"}\n```', 'the model returned markup or JSON'],
    ['<p>What would you check first?</p>', 'the model returned markup or JSON'],
    ['Sure! What would you check first?', 'the model talked as an assistant'],
    ["Here's my follow-up: what would you check first?", 'the model talked as an assistant'],
    ['As an AI language model I would ask: what would you check?', 'the model talked as an assistant'],
    ['Your answer scored 2/4. What would you check first?', 'the model talked about the grade'],
    ['Per the rubric, which metric matters most here?', 'the model talked about the grade'],
    ['You scored well. What would you check next?', 'the model talked about the grade'],
    ['Strengths: clear. What would you check next?', 'the model talked about the grade'],
    ['Good answer overall, nothing more to ask.', 'the model did not ask a question'],
    ['What did you do? Why? How? And then what?', 'the model asked several questions'],
    ['I would retrain the model on more data and check the accuracy again next month?', 'the model repeated the answer or the question'],
    ['What is going on, and what would you do next?', 'the model repeated the answer or the question'],
  ])('refuses %j', (raw, reason) => {
    expect(asQuestion(raw)).toEqual({ ok: false, reason });
  });

  it('lets a hint be a nudge, but not junk', () => {
    expect(checkInterviewerText('Think about the base rate of fraud.', { question: false })).toEqual({ ok: true, text: 'Think about the base rate of fraud.' });
    expect(checkInterviewerText('Think about the base rate of fraud.', { question: true }).ok).toBe(false);
    expect(checkInterviewerText('Here is a hint: {"hint": "recall"}', { question: false }).ok).toBe(false);
  });
});
