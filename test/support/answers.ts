/** Candidate answers several grading tests share: a good fraud-metrics answer and a STAR story. */

export const GOOD_FRAUD_ANSWER =
  'Fraud is a rare class here, so a model that never flags anything gets 99.5% accuracy: the headline number hides the imbalance. ' +
  'I would look at recall and precision for the fraud class, the confusion matrix and the PR curve, then check whether the fraud labels are late or stale and whether any feature leaks. ' +
  'Then I would set the threshold from the cost of missed fraud versus the review team capacity.';

export const STAR_STORY =
  'At my previous company our churn model degraded after a pricing change. My task was to find out why before the quarterly review. ' +
  'I investigated the feature distributions, found the drift, and I led the retraining with fresh labels. As a result recall improved by 12 points.';
