import { z } from 'zod';
import { ActionSchema, FormPayloadSchema } from './actions.js';

export const PlatformSchema = z.enum(['slack', 'discord', 'cli', 'memory']);

export const ConversationRefSchema = z.object({
  platform: PlatformSchema,
  workspace: z.string(),
  channel: z.string(),
  thread: z.string().optional(),
});

export const ActorSchema = z.object({
  platform: PlatformSchema,
  workspace: z.string(),
  userId: z.string(),
  displayName: z.string(),
  isBot: z.boolean(),
});

/**
 * Someone a command names (`mock @cara`), as the platform resolved them: their id there and,
 * when the mention carried it, the name shown for them, so it is known before they ever speak.
 */
export const PersonRefSchema = z.object({ userId: z.string().min(1), displayName: z.string().optional() });

const base = {
  actor: ActorSchema,
  conversation: ConversationRefSchema,
  /** The platform's id of this delivery (Slack's event_id): a redelivery with the same id is taken once. */
  eventId: z.string().optional(),
};

export const IncomingEventSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('command'),
    name: z.string(),
    args: z.array(z.string()),
    /** The people the command's person arguments name, in order; the words in `args` are only where they stood. */
    people: z.array(PersonRefSchema).optional(),
    ...base,
  }),
  z.object({ kind: z.literal('message'), text: z.string(), ...base }),
  z.object({ kind: z.literal('action'), action: ActionSchema, ...base }),
  z.object({ kind: z.literal('submit'), form: FormPayloadSchema, fields: z.record(z.string(), z.string()), ...base }),
]);

export const ReplyActionSchema = z.object({
  action: ActionSchema,
  label: z.string(),
  style: z.enum(['primary', 'danger']).optional(),
});

export const ReplyFormSchema = z.object({
  /** What a submission of this form means; it comes back as the submit event's `form`. */
  submits: FormPayloadSchema,
  title: z.string(),
  fields: z.array(z.object({ id: z.string(), label: z.string(), multiline: z.boolean(), maxLength: z.number().int() })),
});

export const ReplySectionSchema = z.object({
  title: z.string().optional(),
  fields: z.array(z.tuple([z.string(), z.string()])).optional(),
  body: z.string().optional(),
});

/** Someone a reply names, as data: adapters never parse names or ids back out of its text. */
export const PersonSchema = z.object({ userId: z.string(), displayName: z.string() });

/**
 * A room of its own that a reply opens. Chat platforms give a practice session a thread, a
 * drill a public thread titled after it, and a person (a mock interview's candidate) a direct
 * message or a private thread; the terminal and memory adapters stay where they are.
 */
export const RoomSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('practice') }),
  z.object({ kind: z.literal('drill'), title: z.string() }),
  z.object({ kind: z.literal('direct'), person: PersonSchema }),
]);

export const ReplySchema = z.object({
  to: ConversationRefSchema,
  visibility: z.union([z.literal('public'), z.object({ onlyFor: ActorSchema })]),
  /** Platform-neutral Markdown subset; adapters neutralise mentions before sending. */
  text: z.string(),
  sections: z.array(ReplySectionSchema).optional(),
  actions: z.array(ReplyActionSchema).optional(),
  form: ReplyFormSchema.optional(),
  /** Files shown with the reply, e.g. a progress chart; base64 so a Reply stays plain data. */
  attachments: z.array(z.object({ name: z.string(), contentType: z.literal('image/png'), base64: z.string(), alt: z.string() })).optional(),
  /** The room this reply opens; the replies after it (and the session or drill) live there. */
  opens: RoomSchema.optional(),
  /**
   * What kind of reply this is, so adapters and tests can tell a question from a scorecard:
   * `inject` is a drill's scripted event, `roster` a drill's roles to join (its after-action report is its `summary`).
   */
  role: z.enum(['question', 'scorecard', 'probe', 'hint', 'summary', 'info', 'error', 'history', 'inject', 'roster']).optional(),
});

/**
 * What delivering a batch did that the core must know, handed back after the whole batch so
 * nothing calls into the core mid-delivery: a reply opened a room, so the session or drill that
 * asked for it (`owner`'s) now lives there.
 */
export const ReceiptSchema = z.object({ room: RoomSchema, owner: ActorSchema, from: ConversationRefSchema, to: ConversationRefSchema });

export type Platform = z.infer<typeof PlatformSchema>;
export type ConversationRef = z.infer<typeof ConversationRefSchema>;
export type Actor = z.infer<typeof ActorSchema>;
export type PersonRef = z.infer<typeof PersonRefSchema>;
export type IncomingEvent = z.infer<typeof IncomingEventSchema>;
export type Reply = z.infer<typeof ReplySchema>;
export type Person = z.infer<typeof PersonSchema>;
export type Room = z.infer<typeof RoomSchema>;
export type Receipt = z.infer<typeof ReceiptSchema>;
export type ReplyAction = z.infer<typeof ReplyActionSchema>;
export type ReplySection = z.infer<typeof ReplySectionSchema>;
export type ReplyForm = z.infer<typeof ReplyFormSchema>;

/** Time is injected so tests and durable timers agree on "now". */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** Users are scoped by platform and workspace: a workspace never sees another's data. */
export const userKey = (a: Pick<Actor, 'platform' | 'workspace' | 'userId'>): string =>
  `${a.platform}:${a.workspace}:${a.userId}`;

/** An event without who and where: what adapters build before attaching their actor and room. */
export type EventBody = IncomingEvent extends infer E ? (E extends IncomingEvent ? Omit<E, 'actor' | 'conversation'> : never) : never;

export const sameConversation = (a: ConversationRef, b: ConversationRef): boolean =>
  a.platform === b.platform && a.workspace === b.workspace && a.channel === b.channel && (a.thread ?? '') === (b.thread ?? '');
