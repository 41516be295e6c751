import { z } from 'zod';
import type { Platform } from './types.js';

/**
 * What a platform can do beyond plain text. Every adapter declares it; features that need an
 * ability degrade where it is missing (a typed answer instead of a form, a DM instead of a
 * message only one person sees), and the adapter contract suite skips, by name, the cases an
 * adapter cannot do.
 */
export const AbilitiesSchema = z.object({
  /** Replies carry buttons a person can click. */
  buttons: z.boolean(),
  /** A form (a modal) can be opened and submitted. */
  forms: z.boolean(),
  /** A reply can be shown to one person inside a room others share (Slack's ephemeral messages, Discord's through an interaction). */
  privateNotes: z.boolean(),
  /** Several people share one room and see each other's public replies. */
  sharedRooms: z.boolean(),
  /** Where a session or drill that opens a room of its own lives: a thread anyone in the channel can read, one only its owner reads, or no room of its own. */
  threads: z.enum(['none', 'public', 'private']),
  /** The bot can write to one person directly. */
  directMessages: z.boolean(),
  /** A personal page the bot keeps up to date (Slack's App Home). */
  homeView: z.boolean(),
});

export type Abilities = z.infer<typeof AbilitiesSchema>;

/** What every platform adapter is, whatever else it offers. */
export interface Adapter {
  readonly platform: Platform;
  readonly abilities: Abilities;
}
