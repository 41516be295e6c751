import { describe, expect, it } from 'vitest';
import { createLexicalDrillMatcher } from '../../src/grading/lexical/drill-matcher.js';
import { statementSpans } from '../../src/grading/lexical/statements.js';
import { catalog } from '../support/harness.js';

const matcher = createLexicalDrillMatcher();
const actionsOf = (drillId: string) => catalog().drills.get(drillId)!.expectedActions;
const matched = async (drillId: string, text: string) => (await matcher.match(text, actionsOf(drillId))).map((h) => h.actionId).sort();

/** What people type in a drill channel, and the expected actions a facilitator would credit. */
const SAID: Record<string, [string, string[]][]> = {
  'holiday-fraud-drift': [
    ['the transaction mix shifted (data drift) and the same features now mean something else for fraud (concept drift), the PSI on amount is 0.3 and precision fell', ['classify-drift']],
    ['Two things changed: legit shoppers look different, with bigger baskets and more first purchases at new merchants, and the fraudsters changed how they attack.', ['classify-drift']],
    ['Seasonal shift in the inputs: average basket went from 64 to 118 dollars. And fraud changed: card testing is 27% of confirmed fraud, up from 4%.', ['classify-drift']],
    ['Both kinds of drift: the holiday traffic mix is different from August and the fraudsters adapted their tactics.', ['classify-drift']],
    ['Keep v7 running in shadow so we can diagnose it.', ['shadow-scoring']],
    ['Put out a customer message and brief support.', ['customer-comms']],
    // Alerting on PSI is hardening, not classifying the drift.
    ['Retrain weekly and add calendar features; alert when PSI goes above 0.25.', ['seasonal-retraining']],
    ["I'm declaring SEV-2 and we fall back to the rules engine now.", ['declare-incident', 'fallback-to-rules']],
    ['Agree, fall back to RB-2.', ['fallback-to-rules']],
    ['My take: data drift (bigger baskets, PSI 0.41) plus concept drift (card testing 4% -> 27%).', ['classify-drift']],
  ],
  'churn-plan-drift': [
    ['Before we touch the model, check the event logging and the label join for nulls.', ['rule-out-instrumentation']],
    ['The churn rate moved against the baseline, and pausing now means something different, so the relationship changed.', ['compare-distributions']],
    ['The decay is all in the new Flex and Duo plans.', ['new-plan-segment']],
    // A plan feature in the retrain is not finding the segment.
    ['Retrain on the last six months with a plan feature and validate on a held-out month.', ['retrain-recent']],
  ],
  'av-near-miss': [
    ['Pull the logs from unit 214 and put a legal hold on them before the buffer rolls over.', ['preserve-evidence']],
    ['Ground the fleet at low sun until we know more.', ['safety-hold']],
    ['Search the fleet data for similar cases to see how often this happens.', ['fleet-mining']],
  ],
  'biased-resume-screening': [
    ['Replay the resumes stage by stage through the parser and the model to see where the gap appears.', ['isolate-stage']],
    ['The training data comes from historical hires, mostly from a few schools, so representation bias is likely.', ['representation-audit']],
    ['Leadership keywords act as a proxy for gender.', ['measurement-audit']],
    ['Use a fairness constraint like demographic parity and measure the accuracy cost on held-out data.', ['fairness-mitigation']],
  ],
  'small-object-map-drop': [
    ['Score the old model on the frozen validation set and on live data to separate drift from a regression.', ['frozen-comparison']],
    ['Slice mAP by object size and camera.', ['slice-by-size']],
    ['The drop costs us SLA penalties and two renewals at risk.', ['quantify-impact']],
  ],
};

/** Terms pasted with no statement: nothing is being done or claimed. */
const BARE: Record<string, string[]> = {
  'holiday-fraud-drift': ['data drift concept drift', 'Data drift, concept drift, PSI.', 'covariate shift / card testing', 'shadow mode rb-2 fraud losses'],
  'churn-plan-drift': ['concept drift, new plans, psi', 'instrumentation, out-of-time'],
  'av-near-miss': ['safety hold, legal hold, error taxonomy, fleet data'],
  'biased-resume-screening': ['representation bias measurement bias demographic parity'],
  'small-object-map-drop': ['object size, frozen set, business impact'],
};

describe('the lexical drill matcher, on what teams actually type', () => {
  for (const [drillId, lines] of Object.entries(SAID)) {
    it.each(lines)(`${drillId}: %s`, async (text, expected) => {
      expect(await matched(drillId, text)).toEqual([...expected].sort());
    });
  }

  for (const [drillId, lists] of Object.entries(BARE)) {
    it.each(lists)(`${drillId}: a bare list of terms credits nothing: %s`, async (text) => {
      expect(await matched(drillId, text)).toEqual([]);
    });
  }

  it('credits a term from a later sentence that states it when the first mention was only a label', async () => {
    const text = 'Concept drift.\nThe fraudsters switched to card testing: 27% of confirmed fraud, up from 4%.';
    const [hit] = await matcher.match(text, actionsOf('holiday-fraud-drift'));
    expect(hit).toEqual({ actionId: 'classify-drift', quote: 'The fraudsters switched to card testing: 27% of confirmed fraud, up from 4%.' });
  });

  it('does not credit an action the team rules out', async () => {
    expect(await matched('holiday-fraud-drift', 'We should not fall back to rules yet.')).toEqual([]);
  });

  it('finds statements by their verbs, not their length', () => {
    const spans = (t: string) => statementSpans(t).filter((s) => s.statement).map((s) => t.slice(s.start, s.end));
    expect(spans('data drift concept drift')).toEqual([]);
    expect(spans('Precision fell. Data drift, concept drift.')).toEqual(['Precision fell.']);
    expect(spans('Switching scoring to RB-2')).toEqual(['Switching scoring to RB-2']);
    expect(spans("it's both")).toEqual(["it's both"]);
    expect(spans('Card testing 4% -> 27% of fraud')).toEqual(['Card testing 4% -> 27% of fraud']);
    expect(spans('Ok, rolling back now')).toEqual(['Ok, rolling back now']);
  });
});
