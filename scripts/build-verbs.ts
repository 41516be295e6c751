/**
 * Writes src/grading/lexical/model/verbs.json: the English words that can be verbs, from wink-lexicon
 * (MIT, a devDependency: only this list ships). The offline grader uses it to tell a statement
 * ("I would compare against a baseline") from a list of terms ("baseline, recall, threshold").
 *
 *   npx tsx scripts/build-verbs.ts
 */
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const wink = require('wink-lexicon') as { lexicon: Record<string, string[]>; irregularVerbs: Record<string, string> };
const words = new Set<string>();
/** Past or third-person forms (VBD, VBZ): after a noun they are the verb ("precision fell", "the model uses"). */
const finite = new Set<string>();
for (const [w, tags] of Object.entries(wink.lexicon)) {
  if (!/^[a-z][a-z'-]*$/.test(w)) continue;
  if (tags.some((t) => t.startsWith('VB'))) words.add(w);
  if (tags.some((t) => t === 'VBD' || t === 'VBZ')) finite.add(w);
}
for (const [form, base] of Object.entries(wink.irregularVerbs)) {
  if (/^[a-z]+$/.test(form)) words.add(form);
  if (/^[a-z]+$/.test(base)) words.add(base);
}
const out = {
  source: 'wink-lexicon 2.2.0 (MIT, https://github.com/winkjs/wink-lexicon): words with a verb tag, and irregular verb forms',
  words: [...words].sort().join(' '),
  finite: [...finite].sort().join(' '),
};
writeFileSync(new URL('../src/grading/lexical/model/verbs.json', import.meta.url), JSON.stringify(out) + '\n');
console.log(`wrote ${words.size} words to src/grading/lexical/model/verbs.json`);
