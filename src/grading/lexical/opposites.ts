/**
 * Small, domain-general opposites: a student who says the opposite shares most words with the
 * reference, and word vectors put opposites close together ("increase"/"decrease"), so both the
 * features and the word similarity need to know them. The list is an input of the trained model:
 * changing it changes the features the model was trained on (contradiction.ts keeps its extra
 * pairs apart for that reason).
 */
const OPPOSITES: [string, string][] = [
  ['open', 'close'], ['open', 'closed'], ['connect', 'separ'], ['connect', 'disconnect'], ['same', 'differ'],
  ['posit', 'neg'], ['increas', 'decreas'], ['more', 'less'], ['higher', 'lower'], ['larger', 'smaller'],
  ['bigger', 'smaller'], ['greater', 'less'], ['high', 'low'], ['true', 'fals'], ['on', 'off'], ['in', 'out'],
  ['complet', 'incomplet'], ['conductor', 'insul'], ['attract', 'repel'], ['gain', 'lose'], ['hot', 'cold'],
  ['warm', 'cool'], ['fast', 'slow'], ['long', 'short'], ['heavi', 'light'], ['up', 'down'], ['start', 'stop'],
  ['alway', 'never'], ['all', 'none'], ['befor', 'after'], ['insid', 'outsid'], ['rise', 'fall'], ['absorb', 'reflect'],
  ['underfit', 'overfit'], ['precis', 'recal'], ['bia', 'varianc'], ['accept', 'reject'], ['pass', 'fail'],
  ['correct', 'incorrect'], ['valid', 'invalid'], ['safe', 'unsaf'], ['allow', 'block'], ['add', 'remov'],
];
const OPP = new Map<string, Set<string>>();
for (const [a, b] of OPPOSITES) {
  (OPP.get(a) ?? OPP.set(a, new Set()).get(a)!).add(b);
  (OPP.get(b) ?? OPP.set(b, new Set()).get(b)!).add(a);
}

/** Stems that mean the opposite of `stem` in the list above. */
export function oppositesOf(stem: string): ReadonlySet<string> | undefined {
  return OPP.get(stem);
}
