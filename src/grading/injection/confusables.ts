/**
 * Letters from other scripts that render like Latin ones, keyed by the character as written
 * (case matters: Greek "Η" looks like H but "η" like n). NFKC already folds full-width forms,
 * mathematical alphanumerics, circled and most compatibility letters, so this table only needs
 * what NFKC leaves alone. It is applied for matching only: Russian or Greek text turns into
 * nonsense in that view, which is why non-Latin patterns read a view without it.
 */
const PAIRS: string[] = [
  // Cyrillic
  'А:a а:a В:b в:b Е:e е:e Ё:e ё:e Ѐ:e ѐ:e К:k к:k М:m м:m Н:h н:h О:o о:o Р:p р:p С:c с:c Т:t т:t',
  'У:y у:y Х:x х:x І:i і:i Ї:i ї:i Ј:j ј:j Ѕ:s ѕ:s Һ:h һ:h Ԁ:d ԁ:d Ԛ:q ԛ:q Ԝ:w ԝ:w Ӏ:l ӏ:l Ү:y ү:y',
  'Г:r г:r п:n и:u Ш:w ш:w Щ:w щ:w ь:b Ь:b Ъ:b ъ:b З:3 Ч:4 Ɓ:b Ꙅ:s ꙅ:s Ꙇ:i ꙇ:i Ԍ:g ԍ:g ԑ:e Ѵ:v ѵ:v',
  // Greek
  'Α:a α:a Β:b β:b Ε:e ε:e Ζ:z ζ:z Η:h η:n Ι:i ι:i Κ:k κ:k Μ:m μ:u Ν:n ν:v Ο:o ο:o Ρ:p ρ:p',
  'Τ:t τ:t Υ:y υ:u Χ:x χ:x γ:y ω:w Ϲ:c ϲ:c Ϳ:j ϳ:j ϵ:e ϱ:p ϰ:k ς:c',
  // Armenian, Cherokee and other look-alikes
  'օ:o ս:u ո:n հ:h ց:g զ:q ա:w Ꭺ:a Ᏼ:b Ꮯ:c Ꭰ:d Ꭼ:e Ꮐ:g Ꮋ:h Ꭻ:j Ꮶ:k Ꮮ:l Ꮇ:m Ꮲ:p Ꮪ:s Ꮤ:t Ꮩ:v Ꮃ:w Ꮓ:z',
  // Latin letters that are not a-z but look like them (small capitals, IPA, dotless)
  'ı:i ȷ:j ɑ:a ɡ:g ɩ:i ɪ:i ʟ:l ᴀ:a ʙ:b ᴄ:c ᴅ:d ᴇ:e ɢ:g ʜ:h ᴊ:j ᴋ:k ᴍ:m ɴ:n ᴏ:o ᴘ:p ʀ:r ꜱ:s ᴛ:t ᴜ:u ᴠ:v ᴡ:w ʏ:y ᴢ:z',
  'ǀ:l Ɩ:l Ɨ:i ɾ:r ʋ:v ɒ:a ɔ:c ǝ:e ɛ:e ɜ:e ɓ:b ɗ:d ƙ:k ɦ:h ɱ:m ɲ:n ƥ:p ʂ:s ʈ:t ʐ:z ꞵ:b ꝺ:d ꞃ:r ꞅ:s ꞇ:t',
  'ɠ:g ƈ:c ƒ:f ɫ:l ƚ:l ɵ:o ƀ:b ȥ:z ƴ:y ɍ:r ꞡ:g ǥ:g ħ:h ŧ:t ɨ:i ɉ:j ƶ:z ɏ:y',
  // Upside-down and reversed letters people use to write "flipped" text
  'ɐ:a ɹ:r ʇ:t ʍ:w ʎ:y ɯ:m ɥ:h ʞ:k ƃ:g ɟ:f ı:i',
];

const TABLE = new Map<string, string>();
for (const line of PAIRS) {
  for (const pair of line.split(' ')) {
    const i = pair.lastIndexOf(':');
    if (i > 0) TABLE.set(pair.slice(0, i), pair.slice(i + 1));
  }
}

/** The Latin letter `ch` imitates, or `ch` itself. Also squared/negative letters and flag letters NFKC keeps. */
export function confusable(ch: string): string {
  const mapped = TABLE.get(ch);
  if (mapped !== undefined) return mapped;
  const cp = ch.codePointAt(0)!;
  // Negative circled (🅐), negative squared (🅰) and regional indicators (🇦): A-Z with no NFKC mapping.
  if (cp >= 0x1f150 && cp <= 0x1f169) return String.fromCharCode(97 + cp - 0x1f150);
  if (cp >= 0x1f170 && cp <= 0x1f189) return String.fromCharCode(97 + cp - 0x1f170);
  if (cp >= 0x1f1e6 && cp <= 0x1f1ff) return String.fromCharCode(97 + cp - 0x1f1e6);
  return ch;
}
