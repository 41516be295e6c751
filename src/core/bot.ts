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
import type { Jobs, JobScope, UnitOfWork } from './kernel/jobs.js';
import type { PlatformState } from './kernel/platform-state.js';
import { createJobRunner, type Deliver } from './practice/job-runner.js';
import { createKeyedQueue } from './kernel/keyed-queue.js';

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
  /** Durable work: gradings and the outbox of their replies (see core/kernel/jobs.ts). */
  jobs: Jobs;
  /** One transaction over every store. */
  atomically: UnitOfWork;
  /** Platform event ids already taken, checked with the answer they carry. */
  events?: Pick<PlatformState, 'seenEvent'>;
  /** This process's name in job claims; random when not given. */
  worker?: string;
  /** How long a job claim holds without renewal (SPARRING_JOB_LEASE_MS). */
  leaseMs?: number;
  /** Whether a job claim's worker still runs, when that can be told (see RunnerDeps.isAlive). */
  isAlive?: (worker: string) => boolean | undefined;
  /** Where unexpected errors go; the user only sees a one-line apology. */
  log?: (message: string, err: unknown) => void;
};

/** Whose work a process takes: its platform's, a Discord shard's servers', the terminal's person's. */
export type RecoveryScope = JobScope;

export type { Deliver } from './practice/job-runner.js';

/** What an adapter learns as an event is handled. */
export type HandleHooks = {
  /**
   * Called once the event's effect is durable (an answer and its grading job are committed),
   * before the slow part: an adapter tells its platform the event arrived only then.
   */
  accepted?: () => void;
};

export interface Bot {
  /**
   * Runs one event and returns its replies. Given `deliver`, the bot also delivers them and
   * applies the receipts before the next event in the same line (the person's, or the drill
   * room's) runs, so an answer typed in a thread just opened always finds its session there.
   */
  handle(event: IncomingEvent, deliver?: Deliver, hooks?: HandleHooks): Promise<Reply[]>;
  /**
   * Runs the durable work that is due in `scope`: gradings a crash or a dead process left, and
   * replies waiting in the outbox. Only jobs in scope are taken: a process works for its own
   * platform (a Discord shard for its own servers, a terminal for its own user) and never takes
   * a job whose replies another process would have to deliver. Given `deliver`, replies are
   * delivered and marked sent; otherwise they are returned for the caller to deliver.
   * Call it at start and every second or so.
   */
  work(scope: RecoveryScope, deliver?: Deliver): Promise<Reply[]>;
  /** True when every message in this room matters (a drill is open there), not just a session owner's. */
  listensIn(conversation: ConversationRef): Promise<boolean>;
  /** Where the person's open session lives, preferring one in `near`; adapters route replies and commands by it. */
  sessionConversation(actor: Actor, near?: ConversationRef): Promise<ConversationRef | undefined>;
  /**
   * Releases drill injects whose time has come (at once after a restart); call it every few
   * seconds, naming your platform so another platform's drills are left to their own process.
   * Each inject's replies go through the outbox: given `deliver`, they are delivered and marked
   * sent; otherwise they are returned for the caller to deliver.
   */
  tick(platform?: Platform, deliver?: Deliver): Promise<Reply[]>;
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
    atomically: deps.atomically,
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

  const context = async (actor: Actor, conversation: ConversationRef, started?: string[]): Promise<PracticeCtx> => ({
    deps: flowDeps,
    actor,
    conversation,
    user: await userOf(actor),
    ...(started ? { started } : {}),
  });

  /** Only a platform's first delivery of an event counts; an event without an id always does. */
  const firstTime = (event: IncomingEvent) => async () =>
    !(event.eventId && deps.events && (await deps.events.seenEvent(event.actor.platform, event.eventId)));

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

  async function dispatch(event: IncomingEvent, started: string[], accept: () => void): Promise<Reply[]> {
    if (event.actor.isBot) return [];
    // Only an answer is worth holding the platform's ack for; anything else is taken at once, so a
    // slow part (a hint from the LLM) never runs into the platform's 3-second budget.
    if (event.kind === 'command' || event.kind === 'action') accept();
    const ctx = await context(event.actor, event.conversation, started);
    const once = firstTime(event);
    if (event.kind !== 'message' && !(await once())) return [];
    switch (event.kind) {
      case 'command':
        return command(ctx, event.name.toLowerCase(), event.args, event.people);
      case 'message': {
        // Looked up again here, not reused from handle(): an event queued ahead may have ended the drill.
        const running = await drillDeps?.drills.drillIn(ctx.conversation);
        const session = !running && (await deps.store.activeSession(ctx.user.id, ctx.conversation));
        // An answer's event id is taken in the answer's own transaction, so a crash cannot keep one without the other.
        if (session && sameConversation(session.conversation, ctx.conversation)) return practice.answer(ctx, session, event.text, once);
        if (!(await once())) return [];
        accept();
        if (running && drillDeps) return running.status === 'lobby' ? [] : drill.drillMessage({ ...ctx, deps: drillDeps }, running, event.text);
        // An answer belongs to the room its question was asked in; elsewhere it is just a message.
        return info(ctx, session ? 'Your practice session is in another conversation; answer there, or say `practice` here to move it.' : 'Say `practice` to start a session, or `help` for what I can do.');
      }
      case 'submit': {
        const { form } = event;
        if (form.for === 'mock-score') {
          accept();
          return mock.mockSubmit(mockCtx(ctx), form, event.fields);
        }
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
  async function answer(event: IncomingEvent, started: string[], accept: () => void): Promise<Reply[]> {
    try {
      return await dispatch(event, started, accept);
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

  const runner = createJobRunner({
    jobs: deps.jobs,
    atomically: deps.atomically,
    store: deps.store,
    clock,
    worker: deps.worker ?? `worker-${Math.random().toString(36).slice(2, 10)}`,
    leaseMs: deps.leaseMs ?? 30_000,
    ...(deps.isAlive ? { isAlive: deps.isAlive } : {}),
    async contextFor(session) {
      const owner = await deps.store.userById(session.userId);
      return owner && context({ ...owner.actor, isBot: false }, session.conversation);
    },
    applyReceipts,
    log,
  });

  return {
    async handle(event, deliver, hooks) {
      // Everything in a drill's room runs in one line, so ten people posting at once are recorded in order.
      const c = event.conversation;
      const lineOf = async () => {
        const inDrill = drillDeps && ((event.kind === 'command' && event.name === 'drill') || (await drillDeps.drills.drillIn(c)));
        return inDrill ? roomLine(c) : userKey(event.actor);
      };
      const started: string[] = [];
      let taken = false;
      const accept = () => {
        if (!taken) hooks?.accepted?.();
        taken = true;
      };
      try {
        const replies = await admit(lineOf, async () => {
          const now = await answer(event, started, accept);
          accept();
          // With a grading to come and nothing to say yet, the batch waits for the grading's replies:
          // an adapter that answers an interaction once (Discord) must have something to answer with.
          if (deliver && (now.length > 0 || started.length === 0)) await applyReceipts(await deliver(now));
          return now;
        });
        // Grading runs outside the person's line: a second message meanwhile extends the answer.
        const later: Reply[] = [];
        const place = { platform: event.actor.platform, workspace: (w: string) => w === event.actor.workspace };
        for (const key of started) later.push(...(await runner.runKey(key, deliver, place)));
        // Nothing was delivered after all (another process had the grading): the adapter still closes its batch.
        if (deliver && replies.length === 0 && started.length > 0 && later.length === 0) await deliver([]);
        return [...replies, ...later];
      } finally {
        accept();
      }
    },

    work: (scope, deliver) => runner.runDue(scope, deliver),

    async listensIn(conversation) {
      return Boolean(await drillDeps?.drills.drillIn(conversation));
    },

    async sessionConversation(actor, near) {
      return (await deps.store.activeSession((await userOf(actor)).id, near))?.conversation;
    },

    async tick(platform, deliver) {
      if (!drillDeps) return [];
      const ctxFor = async (d: DrillRecord): Promise<drill.DrillCtx> => {
        const owner = await deps.store.userById(d.facilitatorId);
        const actor: Actor = { platform: d.conversation.platform, workspace: d.conversation.workspace, userId: owner?.actor.userId ?? 'facilitator', displayName: owner?.displayName ?? 'Facilitator', isBot: false };
        return { deps: drillDeps, actor, conversation: d.conversation, user: owner ?? { id: d.facilitatorId, key: '', displayName: 'Facilitator' } };
      };
      const durably: drill.Durably = (d, injectId, release) =>
        runner.outboxed(`inject:${d.id}:${injectId}`, { platform: d.conversation.platform, workspace: d.conversation.workspace }, release, deliver);
      return drill.releaseDue(drillDeps, clock.now(), ctxFor, platform, (d, job) => queue(roomLine(d.conversation), job), durably);
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
