import type { Catalog } from '../content/load.js';
import type { Grader } from './kernel/grading.js';
import { isUserError, UserError } from './kernel/errors.js';
import { createAuthoredInterviewer, type Interviewer } from './kernel/interviewer.js';
import * as practice from './practice/flow.js';
import type { LlmLimit, PracticeCtx, PracticeDeps } from './practice/context.js';
import * as drill from './drill/flow.js';
import * as mock from './mock/flow.js';
import type { MockStore } from './mock/ports.js';
import * as progressFlow from './progress/flow.js';
import { commandSpec, type CommandServices } from './commands.js';
import * as privacy from './privacy/flow.js';
import type { Privacy } from './privacy/ports.js';
import type { ScheduleStore } from './practice/schedule-ports.js';
import type { DrillMatcher, DrillRecord, DrillStore } from './drill/ports.js';
import type { PracticeStore, UserIdentity, UserRecord } from './practice/ports.js';
import { progressOf, type ProgressView } from './progress/report.js';
import { sameConversation, systemClock, userKey, type Platform, type Actor, type Clock, type ConversationRef, type IncomingEvent, type PersonRef, type Receipt, type Reply } from './kernel/types.js';
import { privateReply } from './kernel/replies.js';
import type { Action } from './kernel/actions.js';

export type BotDeps = {
  catalog: Catalog;
  store: PracticeStore;
  grader: Grader;
  /** See PracticeDeps: grades offline past the user's LLM limit or after repeated failures. */
  offlineGrader?: Grader;
  llmLimit?: LlmLimit;
  interviewer?: Interviewer;
  /** Mock interviews are on when given. */
  mocks?: MockStore;
  /** Spaced repetition, the progress chart and forget-me, each on when given. */
  schedules?: ScheduleStore;
  progressChart?: progressFlow.ProgressChartRenderer;
  privacy?: Privacy;
  /** Drills are on when both are given. */
  drills?: DrillStore;
  drillMatcher?: DrillMatcher;
  clock?: Clock;
  /** Where unexpected errors go; the user only sees a one-line apology. */
  log?: (message: string, err: unknown) => void;
};

/** Whose pending answers a process recovers. */
export type RecoveryScope = {
  platform: Platform;
  /** The workspaces this process serves (a Discord shard's servers); all of the platform's when absent. */
  workspace?: (workspace: string) => boolean;
  /** Only this person's (the terminal's user). */
  userId?: string;
};

/** An adapter's delivery of one batch: it sends the replies and says which rooms it opened. */
export type Deliver = (replies: Reply[]) => Promise<readonly Receipt[]>;

export interface Bot {
  /**
   * Runs one event and returns its replies. Given `deliver`, the bot also delivers them and
   * applies the receipts before the next event in the same line (the person's, or the drill
   * room's) runs, so an answer typed in a thread just opened always finds its session there.
   */
  handle(event: IncomingEvent, deliver?: Deliver): Promise<Reply[]>;
  /**
   * Grades answers a crash left ungraded and returns the replies to deliver to their owners.
   * Only the answers in `scope` are taken: a process recovers its own platform's work (a Discord
   * shard only its own servers', a terminal only its own user's) and never grades, then drops,
   * an answer whose reply another process would have to deliver.
   */
  recoverPending(scope: RecoveryScope): Promise<Reply[]>;
  /** True when every message in this room matters (a drill is open there), not just a session owner's. */
  listensIn(conversation: ConversationRef): Promise<boolean>;
  /** Where the person's open session lives, preferring one in `near`; adapters route replies and commands by it. */
  sessionConversation(actor: Actor, near?: ConversationRef): Promise<ConversationRef | undefined>;
  /**
   * Releases drill injects whose time has come (at once after a restart); call it every few
   * seconds, naming your platform so another platform's drills are left to their own process.
   */
  tick(platform?: Platform): Promise<Reply[]>;
  /** The user's standing per competency, for progress views such as Slack's App Home. */
  progress(actor: Actor): Promise<ProgressView>;
  /** The open drill's roles and open decision's options in this room, or undefined without a drill. */
  drillChoices(conversation: ConversationRef): Promise<drill.DrillChoices | undefined>;
  /** The chart the `progress` command attaches, undefined when there is none to draw; for views such as App Home. */
  progressChart(actor: Actor): Promise<progressFlow.ProgressChart | undefined>;
  /**
   * What an adapter's delivery did, applied once the batch is out: a session or drill whose
   * reply opened a room (a thread, a DM) moves there.
   */
  applyReceipts(receipts: readonly Receipt[]): Promise<void>;
}

export { COMMANDS, HELP_TEXT } from './commands.js';

/** The line every event in one room joins while a drill is open there. */
const roomLine = (c: ConversationRef) => `room:${c.platform}:${c.workspace}:${c.channel}:${c.thread ?? ''}`;

/** Runs one user's events one at a time: a double click or a platform retry never races itself. */
function createKeyedQueue() {
  const tails = new Map<string, Promise<unknown>>();
  return <T>(key: string, job: () => Promise<T>): Promise<T> => {
    const run = (tails.get(key) ?? Promise.resolve()).then(job, job);
    const tail = run.catch(() => undefined);
    tails.set(key, tail);
    void tail.then(() => {
      if (tails.get(key) === tail) tails.delete(key);
    });
    return run;
  };
}

export function createBot(deps: BotDeps): Bot {
  const clock = deps.clock ?? systemClock;
  const flowDeps: PracticeDeps = {
    catalog: deps.catalog,
    store: deps.store,
    grader: deps.grader,
    offlineGrader: deps.offlineGrader,
    llmLimit: deps.llmLimit,
    modes: deps.mocks ? { mock: mock.createMockSessionMode(deps.mocks) } : {},
    schedules: deps.schedules,
    interviewer: deps.interviewer ?? createAuthoredInterviewer(),
    clock,
  };
  const log = deps.log ?? ((message, err) => console.error(message, err));
  const queue = createKeyedQueue();

  // Users are written once, not on every event: a turn should cost one write, the answer's.
  const users = new Map<string, UserRecord>();
  const userOf = async (actor: Actor): Promise<UserRecord> => {
    const key = userKey(actor);
    const known = users.get(key);
    if (known && known.displayName === actor.displayName) return known;
    const user = await deps.store.upsertUser(actor);
    users.set(key, user);
    return user;
  };

  const context = async (actor: Actor, conversation: ConversationRef): Promise<PracticeCtx> => ({
    deps: flowDeps,
    actor,
    conversation,
    user: await userOf(actor),
  });

  const drillDeps: drill.DrillDeps | undefined =
    deps.drills && deps.drillMatcher ? { catalog: deps.catalog, drills: deps.drills, matcher: deps.drillMatcher, clock } : undefined;
  const needDrills = (): drill.DrillDeps => {
    if (!drillDeps) throw new UserError('Drills are not enabled here.');
    return drillDeps;
  };

  const progressDeps: progressFlow.ProgressDeps = { schedules: deps.schedules, chart: deps.progressChart };
  const privacyDeps: privacy.PrivacyDeps = { privacy: deps.privacy };
  const forgetRequests = new Map<string, number>();
  const forget = async (ctx: PracticeCtx, confirmed: boolean) => {
    const replies = await privacy.forgetMe(ctx, privacyDeps, forgetRequests, confirmed);
    if (confirmed) users.delete(userKey(ctx.actor));
    return replies;
  };

  const mockCtx = (ctx: PracticeCtx): mock.MockCtx => {
    if (!deps.mocks) throw new UserError('Mock interviews are not enabled here.');
    return { ...ctx, deps: { ...flowDeps, mocks: deps.mocks } };
  };

  const info = (ctx: PracticeCtx, text: string): Reply[] => [privateReply(ctx.conversation, ctx.actor, text)];

  const services: CommandServices = {
    drillCtx: (ctx) => ({ ...ctx, deps: needDrills() }),
    mockCtx,
    progressDeps,
    forget,
  };

  async function command(ctx: PracticeCtx, name: string, args: string[], people: readonly PersonRef[] = []): Promise<Reply[]> {
    const spec = commandSpec(name);
    if (!spec) return info(ctx, `Unknown command "${name}". Say \`help\` to see what I can do.`);
    const call = { ctx, args, people, services };
    if (!spec.needsSession) return spec.run(call);
    const session = await deps.store.activeSession(ctx.user.id, ctx.conversation);
    return session ? spec.run(call, session) : info(ctx, 'No practice session in progress. Say `practice` to start one.');
  }

  async function dispatch(event: IncomingEvent): Promise<Reply[]> {
    if (event.actor.isBot) return [];
    const ctx = await context(event.actor, event.conversation);
    switch (event.kind) {
      case 'command':
        return command(ctx, event.name.toLowerCase(), event.args, event.people);
      case 'message': {
        // Looked up again here, not reused from handle(): an event queued ahead may have ended the drill.
        const running = await drillDeps?.drills.drillIn(ctx.conversation);
        if (running && drillDeps) return running.status === 'lobby' ? [] : drill.drillMessage({ ...ctx, deps: drillDeps }, running, event.text);
        // An answer belongs to the room its question was asked in; elsewhere it is just a message.
        const session = await deps.store.activeSession(ctx.user.id, ctx.conversation);
        if (!session || !sameConversation(session.conversation, ctx.conversation)) {
          return info(ctx, session ? 'Your practice session is in another conversation; answer there, or say `practice` here to move it.' : 'Say `practice` to start a session, or `help` for what I can do.');
        }
        return practice.answer(ctx, session, event.text);
      }
      case 'submit': {
        const { form } = event;
        if (form.for === 'mock-score') return mock.mockSubmit(mockCtx(ctx), form, event.fields);
        const session = await deps.store.activeSession(ctx.user.id, ctx.conversation);
        if (!session) return info(ctx, 'That form belongs to a session that has ended.');
        return practice.answer(ctx, session, event.fields['answer'] ?? '');
      }
      case 'action':
        return act(ctx, event.action);
    }
  }

  async function act(ctx: PracticeCtx, action: Action): Promise<Reply[]> {
    switch (action.do) {
      case 'answer-form': {
        const session = await deps.store.activeSession(ctx.user.id, ctx.conversation);
        return session ? practice.answerForm(ctx, session) : info(ctx, 'That session has ended.');
      }
      case 'command':
        return command(ctx, action.name, []);
      case 'share':
        return practice.share(ctx, action.turn);
      case 'practice':
        return practice.start(ctx, action.focus ? [action.focus] : []);
      case 'forget-me':
        return forget(ctx, true);
      case 'mock-score':
      case 'mock-release':
        return mock.mockAction(mockCtx(ctx), action);
      case 'drill-join':
      case 'drill-decide':
        return drill.drillAction({ ...ctx, deps: needDrills() }, action);
    }
  }

  /** An event's replies; a failure becomes a private apology, never a crash of the adapter. */
  async function answer(event: IncomingEvent): Promise<Reply[]> {
    try {
      return await dispatch(event);
    } catch (err) {
      if (isUserError(err)) {
        return [{ to: event.conversation, visibility: { onlyFor: event.actor }, text: err.message, role: 'error' }];
      }
      log('sparring: unexpected error while handling an event', err);
      return [{ to: event.conversation, visibility: { onlyFor: event.actor }, text: 'Something went wrong on my side; your answers so far are saved. Please try again.', role: 'error' }];
    }
  }

  /** A session or drill whose reply opened a room moves into it. */
  async function applyReceipts(receipts: readonly Receipt[]): Promise<void> {
    for (const r of receipts) {
      const user = await userOf(r.owner);
      if (r.room.kind === 'drill') {
        // Only the drill moves: a practice session its facilitator left in the channel stays there.
        const room = await drillDeps?.drills.drillIn(r.from);
        if (room && room.facilitatorId === user.id) await drillDeps!.drills.moveDrill(room.id, r.to);
        continue;
      }
      const session = await deps.store.activeSession(user.id, r.from);
      if (session && sameConversation(session.conversation, r.from)) await deps.store.moveSession(session.id, r.to, clock.now());
    }
  }

  // Events are admitted one at a time, in the order they arrive: which line an event joins
  // depends on a lookup (is a drill open in its room?), and two events of one person must not
  // swap places because the second one's lookup happened to finish first.
  let admitted: Promise<unknown> = Promise.resolve();
  const admit = <T>(lineOf: () => Promise<string>, job: () => Promise<T>): Promise<T> => {
    const queued = admitted.then(async () => ({ run: queue(await lineOf(), job) }));
    admitted = queued.catch(() => undefined);
    return queued.then(({ run }) => run);
  };

  return {
    handle(event, deliver) {
      // Everything in a drill's room runs in one line, so ten people posting at once are recorded in order.
      const c = event.conversation;
      const lineOf = async () => {
        const inDrill = drillDeps && ((event.kind === 'command' && event.name === 'drill') || (await drillDeps.drills.drillIn(c)));
        return inDrill ? roomLine(c) : userKey(event.actor);
      };
      return admit(lineOf, async () => {
        const replies = await answer(event);
        if (deliver) await applyReceipts(await deliver(replies));
        return replies;
      });
    },

    async recoverPending(scope) {
      const replies: Reply[] = [];
      const inScope = (c: ConversationRef, owner: UserIdentity) =>
        c.platform === scope.platform && (scope.workspace?.(c.workspace) ?? true) && (scope.userId === undefined || owner.actor.userId === scope.userId);
      for (const turn of await deps.store.pendingTurns()) {
        const session = await deps.store.getSession(turn.sessionId);
        const owner = session && (await deps.store.userById(session.userId));
        if (!session || !owner || session.status !== 'active' || !inScope(session.conversation, owner)) continue;
        const actor: Actor = { ...owner.actor, isBot: false };
        replies.push(
          ...(await queue(userKey(actor), async () => practice.resume(await context(actor, session.conversation), session))),
        );
      }
      return replies;
    },

    async listensIn(conversation) {
      return Boolean(await drillDeps?.drills.drillIn(conversation));
    },

    async sessionConversation(actor, near) {
      return (await deps.store.activeSession((await userOf(actor)).id, near))?.conversation;
    },

    async tick(platform) {
      if (!drillDeps) return [];
      const ctxFor = async (d: DrillRecord): Promise<drill.DrillCtx> => {
        const owner = await deps.store.userById(d.facilitatorId);
        const actor: Actor = { platform: d.conversation.platform, workspace: d.conversation.workspace, userId: owner?.actor.userId ?? 'facilitator', displayName: owner?.displayName ?? 'Facilitator', isBot: false };
        return { deps: drillDeps, actor, conversation: d.conversation, user: owner ?? { id: d.facilitatorId, key: '', displayName: 'Facilitator' } };
      };
      return drill.releaseDue(drillDeps, clock.now(), ctxFor, platform, (d, job) => queue(roomLine(d.conversation), job));
    },

    async progress(actor) {
      return progressOf(deps.store, deps.catalog, (await userOf(actor)).id);
    },

    async drillChoices(conversation) {
      return drillDeps && drill.drillChoices(drillDeps, conversation);
    },

    async progressChart(actor) {
      return progressFlow.progressChart(flowDeps, progressDeps, (await userOf(actor)).id);
    },

    applyReceipts,
  };
}
