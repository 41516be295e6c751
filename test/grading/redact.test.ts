import { describe, expect, it } from 'vitest';
import { redactPii, withRedaction } from '../../src/grading/redact.js';
import type { Grade, Grader, GradeRequest } from '../../src/core/kernel/grading.js';

const red = (s: string) => redactPii(s).text;

describe('redactPii finds personal data', () => {
  it.each([
    ['mail me at jane.doe+jobs@example.co.uk today', 'mail me at [email] today'],
    ['Contact: J_Smith@sub.mail-host.org.', 'Contact: [email].'],
    ['call +44 20 7946 0958 or', 'call [phone] or'],
    ['+1-202-555-0143', '[phone]'],
    ['ring +49 (0)30 1234567 please', 'ring [phone] please'],
    ['+33 1 23 45 67 89', '[phone]'],
    ['my number is +919876543210.', 'my number is [phone].'],
    ['(555) 123-4567', '[phone]'],
    ['call 555-123-4567 now', 'call [phone] now'],
    ['555.123.4567', '[phone]'],
    ['1-800-555-0199', '[phone]'],
    ['phone: 415 555 2671', 'phone: [phone]'],
    ['card 4111 1111 1111 1111 exp', 'card [card] exp'],
    ['4111-1111-1111-1111', '[card]'],
    ['5500005555555559', '[card]'],
    ['amex 3782 822463 10005', 'amex [card]'],
    ['IBAN GB82 WEST 1234 5698 7654 32.', 'IBAN [iban].'],
    ['DE89370400440532013000', '[iban]'],
    ['FR14 2004 1010 0505 0001 3M02 606', '[iban]'],
    ['server at 192.168.1.20, port 80', 'server at [ip], port 80'],
    ['from 10.0.0.1.', 'from [ip].'],
    ['SSN 123-45-6789', 'SSN [ssn]'],
    ['ssn: 078 05 1120', 'ssn: [ssn]'],
  ])('%s', (input, expected) => {
    expect(red(input)).toBe(expected);
  });

  it('counts what it replaced, by kind', () => {
    const r = redactPii('a@b.io and c@d.io, +44 20 7946 0958, 192.168.0.1');
    expect(r.count).toBe(4);
    expect(r.kinds).toEqual({ email: 2, phone: 1, ip: 1 });
  });
});

describe('redactPii leaves ordinary numbers alone', () => {
  it.each([
    'We cut false positives by 40% in 2023.',
    'Labelled 2,000 images and 1,250,000 rows.',
    'Precision went from 97.2 to 99.5 percent.',
    'Between 2019 and 2024 the model ran on Python 3.11.4 and v1.2.3.4.',
    'Release 10.4.1234 shipped; schema 2.0.1.',
    'We trained on 1.2.3.4.5 splits (a version, not an address).',
    'AUC 0.93, F1 0.81, p < 0.05, n = 12000',
    'The date was 2024-01-15 at 14:30:00.',
    'Latency p99 was 350 ms at 1,200 requests per second.',
    'Order #4111111111111112 is not a valid card.', // fails Luhn
    'Timestamp 1700000000000 in ms.', // starts with 1: not a card
    'Invoice 123-456 and ticket 12-3456.',
    'Area codes like 000-12-3456 or 666-12-3456 are never SSNs.',
    'Budget: $1,000,000; team of 12; 3 quarters.',
    'GB82 is a label, not an IBAN; so is DE12 3456.',
    'We ran 256.1.1.1 tests (not an IP).',
    'Scores: 12 34 5678 vs baseline.',
    'e-mail me via the team channel @ 5pm',
  ])('%s', (input) => {
    expect(redactPii(input)).toEqual({ text: input, count: 0, kinds: {} });
  });
});

const grade = (evidence: string[], star?: string): Grade => ({
  score: 70,
  criteria: [{ id: 'c1', score: 3, evidence, rationale: 'ok' }],
  star: star === undefined ? undefined : {
    situation: { present: true, evidence: star }, task: { present: false },
    action: { present: true, evidence: 'I rolled back the model' }, result: { present: false },
  },
  strengths: [], gaps: [], flags: [], grader: { kind: 'llm', model: 'fake', rubricVersion: '1' },
});

function recordingGrader(make: (answer: string) => Grade): Grader & { seen: string[] } {
  const seen: string[] = [];
  return { kind: 'llm', seen, async grade(req: GradeRequest) { seen.push(req.answer); return make(req.answer); } };
}

const target = { question: { id: 'q', prompt: 'p', kind: 'behavioral' as const, modelAnswer: 'm' }, rubricId: 'r', rubricVersion: '1', criteria: [], redFlags: [] };

describe('withRedaction', () => {
  const answer = 'I emailed ops@acme.com and called +1-202-555-0143, then I rolled back the model within 10 minutes.';

  it('sends the redacted answer and drops quotes that are not in the original', async () => {
    const inner = recordingGrader(() => grade(['I emailed [email]', 'I rolled back the model within 10 minutes', 'not said at all'], 'called [phone]'));
    const g = await withRedaction(inner).grade({ target, answer });
    expect(inner.seen).toEqual(['I emailed [email] and called [phone], then I rolled back the model within 10 minutes.']);
    expect(g.criteria[0]!.evidence).toEqual(['I rolled back the model within 10 minutes']);
    expect(g.star!.situation).toEqual({ present: true });
    expect(g.star!.action.evidence).toBe('I rolled back the model');
    expect(g.meta?.droppedQuotes).toBe(3);
    expect(withRedaction(inner).kind).toBe('llm');
  });

  it('passes an answer with nothing to redact through untouched', async () => {
    const original = grade(['anything']);
    const inner = recordingGrader(() => original);
    const clean = 'I rolled back the model and cut errors by 40%.';
    expect(await withRedaction(inner).grade({ target, answer: clean })).toBe(original);
    expect(inner.seen).toEqual([clean]);
  });
});
