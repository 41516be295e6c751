import { describe, expect, it } from 'vitest';
import { actionName, type Action } from '../../src/core/kernel/actions.js';
import type { Abilities } from '../../src/core/kernel/adapter.js';
import { questionOfKind } from '../support/harness.js';

/**
 * What every adapter must do, whatever its platform: the same conversation driven through a
 * small driver (start practice, answer, click, submit a form, read what a person sees) must
 * give the same visible results. Each adapter's test runs this suite with its own driver.
 */

/** A reply as one person sees it, in platform-neutral terms. */
export type SeenReply = {
  /** All readable text of the reply (body, sections, labels). */
  text: string;
  /** Only this person can see it. */
  private: boolean;
  /** Buttons: the core's typed payloads, read back from what the platform shows. */
  actions: Action[];
};

export interface ContractPerson {
  command(name: string, ...args: string[]): Promise<void>;
  /** Types an answer where the person's session is. */
  answer(text: string): Promise<void>;
  /** Clicks the most recent button of this name (see `actionName`: its kind, or a command button's command) the person can see. */
  click(name: string): Promise<void>;
  /** Submits the form most recently opened for this person. */
  submitForm(fields: Record<string, string>): Promise<void>;
  /** Everything this person can see so far, oldest first. */
  seen(): SeenReply[];
}

/**
 * What a platform can do beyond text. A case names the abilities it needs and is skipped, by
 * name, for an adapter without them; the cases that need none run everywhere.
 */
export type Ability =
  /** Replies carry buttons a person can click (`click`, `SeenReply.actions`). */
  | 'buttons'
  /** A form (modal) can be opened and submitted (`submitForm`). */
  | 'forms'
  /** Some replies are seen by one person only, others by the room (`SeenReply.private`). */
  | 'privacy'
  /** Several people share one room and see each other's public replies. */
  | 'sharedRoom'
  /**
   * A session runs in a room others can see, so its questions and follow-ups are public there
   * (Discord gives each candidate a private thread instead, where everything is theirs alone).
   */
  | 'publicSession';

/** The contract's abilities, read from what the adapter itself declares. */
export function contractAbilities(a: Abilities): Ability[] {
  const has: [Ability, boolean][] = [
    ['buttons', a.buttons],
    ['forms', a.forms],
    ['privacy', a.privateNotes],
    ['sharedRoom', a.sharedRooms],
    ['publicSession', a.sharedRooms && a.threads !== 'private'],
  ];
  return has.filter(([, yes]) => yes).map(([ability]) => ability);
}

export interface ContractDriver {
  /** A person in the shared room (a channel on chat platforms). */
  person(userId: string, name: string): ContractPerson;
  close(): Promise<void>;
}

const technical = () => questionOfKind('technical');
const SCORE = /Score: \d+\/100/;

async function withDriver(make: () => Promise<ContractDriver>, body: (d: ContractDriver) => Promise<void>): Promise<void> {
  const driver = await make();
  try {
    await body(driver);
  } finally {
    await driver.close();
  }
}

const since = (p: ContractPerson, n: number) => p.seen().slice(n);

export function adapterContract(name: string, makeDriver: () => Promise<ContractDriver>, declared: Abilities): void {
  const abilities = contractAbilities(declared);
  /** A case that needs these abilities: skipped, visibly, for an adapter without one of them. */
  const needs = (...wanted: Ability[]) => (title: string, body: () => Promise<void>) => {
    const missing = wanted.filter((a) => !abilities.includes(a));
    it.skipIf(missing.length > 0)(missing.length === 0 ? title : `${title} (skipped: ${name} has no ${missing.join(', ')})`, body);
  };
  describe(`adapter contract: ${name}`, () => {
    it('asks the question, grades a typed answer and asks a follow-up', () =>
      withDriver(makeDriver, async (d) => {
        const ana = d.person('U1ANA', 'ana');
        await ana.command('practice', technical().id);
        expect(ana.seen().some((r) => r.text.includes(technical().prompt.slice(0, 60)))).toBe(true);
        const before = ana.seen().length;
        await ana.answer(technical().modelAnswer);
        const after = since(ana, before);
        const card = after.findIndex((r) => SCORE.test(r.text));
        expect(card).toBeGreaterThanOrEqual(0);
        expect(after.slice(card + 1).some((r) => r.text.includes('Follow-up'))).toBe(true);
      }));

    it('answers `hint` with the first authored hint', () =>
      withDriver(makeDriver, async (d) => {
        const ana = d.person('U1ANA', 'ana');
        await ana.command('practice', technical().id);
        await ana.command('hint');
        expect(ana.seen().at(-1)!.text).toContain(technical().hints[0]!.slice(0, 40));
      }));

    it('ends on `end` with a summary and then has no session', () =>
      withDriver(makeDriver, async (d) => {
        const ana = d.person('U1ANA', 'ana');
        await ana.command('practice', technical().id);
        await ana.answer(technical().modelAnswer);
        await ana.command('end');
        expect(ana.seen().at(-1)!.text).toMatch(/Session complete: 1 of 1 question graded/);
        await ana.command('hint');
        expect(ana.seen().at(-1)!.text).toMatch(/No practice session in progress/);
      }));

    needs('buttons', 'publicSession')('opens a session with a public question and its buttons', () =>
      withDriver(makeDriver, async (d) => {
        const ana = d.person('U1ANA', 'ana');
        await ana.command('practice', technical().id);
        const [question] = ana.seen();
        expect(question).toBeDefined();
        expect(question!.private).toBe(false);
        expect(question!.text).toContain(technical().prompt.slice(0, 60));
        expect(question!.actions.map(actionName)).toEqual(['answer-form', 'hint', 'skip', 'end']);
      }));

    needs('buttons', 'publicSession')('grades an answer privately with a share button, then asks a follow-up in public', () =>
      withDriver(makeDriver, async (d) => {
        const ana = d.person('U1ANA', 'ana');
        await ana.command('practice', technical().id);
        const before = ana.seen().length;
        await ana.answer(technical().modelAnswer);
        const [card, probe] = since(ana, before);
        expect(card!.private).toBe(true);
        expect(card!.text).toMatch(SCORE);
        expect(card!.actions.map(actionName)).toEqual(['share']);
        expect(probe!.private).toBe(false);
        expect(probe!.text).toContain('Follow-up');
      }));

    needs('buttons', 'privacy')('gives the first authored hint, privately', () =>
      withDriver(makeDriver, async (d) => {
        const ana = d.person('U1ANA', 'ana');
        await ana.command('practice', technical().id);
        await ana.click('hint');
        const hint = ana.seen().at(-1)!;
        expect(hint.private).toBe(true);
        expect(hint.text).toContain(technical().hints[0]!.slice(0, 40));
      }));

    needs('buttons', 'forms', 'privacy')('takes an answer through the form and grades it', () =>
      withDriver(makeDriver, async (d) => {
        const ana = d.person('U1ANA', 'ana');
        await ana.command('practice', technical().id);
        await ana.click('answer-form');
        const before = ana.seen().length;
        await ana.submitForm({ answer: technical().modelAnswer });
        expect(since(ana, before).some((r) => r.private && SCORE.test(r.text))).toBe(true);
      }));

    needs('buttons', 'privacy', 'sharedRoom')('shares a scorecard with everyone only when its owner asks', () =>
      withDriver(makeDriver, async (d) => {
        const ana = d.person('U1ANA', 'ana');
        const bob = d.person('U2BOB', 'bob');
        await ana.command('practice', technical().id);
        await ana.answer(technical().modelAnswer);
        expect(bob.seen().some((r) => SCORE.test(r.text))).toBe(false);
        await ana.click('share');
        const shared = bob.seen().at(-1)!;
        expect(shared.private).toBe(false);
        expect(shared.text).toMatch(/ana shared a scorecard: \*?\d+\/100/);
      }));

    needs('sharedRoom', 'privacy')("does not grade someone else's words as the candidate's answer", () =>
      withDriver(makeDriver, async (d) => {
        const ana = d.person('U1ANA', 'ana');
        const bob = d.person('U2BOB', 'bob');
        await ana.command('practice', technical().id);
        await bob.answer('precision recall threshold monitoring, an answer from the wrong person');
        expect([...ana.seen(), ...bob.seen()].some((r) => SCORE.test(r.text))).toBe(false);
        await ana.answer(technical().modelAnswer);
        expect(ana.seen().some((r) => r.private && SCORE.test(r.text))).toBe(true);
      }));

    needs('buttons')('ends with a summary and then has no session', () =>
      withDriver(makeDriver, async (d) => {
        const ana = d.person('U1ANA', 'ana');
        await ana.command('practice', technical().id);
        await ana.answer(technical().modelAnswer);
        await ana.click('end');
        expect(ana.seen().at(-1)!.text).toMatch(/Session complete: 1 of 1 question graded/);
        await ana.command('hint');
        expect(ana.seen().at(-1)!.text).toMatch(/No practice session in progress/);
      }));
  });
}
