/**
 * Gateway and REST payloads shaped like Discord's (API v10), trimmed to what discord.js reads.
 * Ids are 19-digit snowflakes so discord.js's validation and timestamp maths work on them.
 */
let counter = 0n;
export const snowflake = (): string => String(1_300_000_000_000_000_000n + ++counter);

export const BOT_ID = '1200000000000000001';
export const APP_ID = BOT_ID;
export const GUILD_ID = '1200000000000000100';
export const CHANNEL_ID = '1200000000000000200';

/** The shard Discord routes a server's events to: (guild id >> 22) % shard count. */
export const shardOfGuild = (guildId: string, count: number): number => Number((BigInt(guildId) >> 22n) % BigInt(count));

/** A server id (a snowflake near GUILD_ID's) that shard `shard` of `count` owns; `nth` picks another one. */
export function guildIdOnShard(shard: number, count: number, nth = 0): string {
  let id = BigInt(GUILD_ID) + 1_000n;
  for (let found = -1; ; id += 1n << 22n) if (shardOfGuild(String(id), count) === shard && ++found === nth) return String(id);
}
export const PERMISSIONS_ALL = '2251799813685247';

export type FakeUser = { id: string; username: string; global_name?: string | null; bot?: boolean };

export const botUser = { id: BOT_ID, username: 'Sparring', global_name: null, discriminator: '0000', avatar: null, bot: true, flags: 0 };
export const userPayload = (u: FakeUser) => ({ discriminator: '0', avatar: null, global_name: null, flags: 0, bot: false, ...u });

const now = () => new Date().toISOString();

export const memberPayload = (u: FakeUser) => ({
  user: userPayload(u),
  nick: null,
  roles: [],
  joined_at: now(),
  deaf: false,
  mute: false,
  flags: 0,
  permissions: PERMISSIONS_ALL,
});

export const textChannel = (id = CHANNEL_ID, guildId = GUILD_ID) => ({
  id,
  type: 0,
  guild_id: guildId,
  name: 'interview-practice',
  position: 0,
  permission_overwrites: [],
  parent_id: null,
  topic: null,
  nsfw: false,
  rate_limit_per_user: 0,
  last_message_id: null,
});

export const threadChannel = (opts: { id: string; parentId: string; type: 11 | 12; name: string; ownerId?: string; guildId?: string }) => ({
  id: opts.id,
  type: opts.type,
  guild_id: opts.guildId ?? GUILD_ID,
  parent_id: opts.parentId,
  owner_id: opts.ownerId ?? BOT_ID,
  name: opts.name,
  last_message_id: null,
  rate_limit_per_user: 0,
  message_count: 0,
  member_count: 1,
  flags: 0,
  thread_metadata: { archived: false, auto_archive_duration: 1440, archive_timestamp: now(), locked: false, invitable: false },
});

export const dmChannel = (id: string, user: FakeUser) => ({ id, type: 1, last_message_id: null, recipients: [userPayload(user)], flags: 0 });

export const guildPayload = (guildId = GUILD_ID, channels: unknown[] = [textChannel()]) => ({
  id: guildId,
  name: 'Test Server',
  icon: null,
  splash: null,
  discovery_splash: null,
  owner_id: '1200000000000000999',
  afk_channel_id: null,
  afk_timeout: 300,
  verification_level: 0,
  default_message_notifications: 0,
  explicit_content_filter: 0,
  roles: [{ id: guildId, name: '@everyone', color: 0, hoist: false, position: 0, permissions: PERMISSIONS_ALL, managed: false, mentionable: false, flags: 0 }],
  emojis: [],
  stickers: [],
  features: [],
  mfa_level: 0,
  system_channel_id: null,
  system_channel_flags: 0,
  rules_channel_id: null,
  vanity_url_code: null,
  description: null,
  banner: null,
  premium_tier: 0,
  preferred_locale: 'en-US',
  public_updates_channel_id: null,
  nsfw_level: 0,
  premium_progress_bar_enabled: false,
  joined_at: now(),
  large: false,
  unavailable: false,
  member_count: 2,
  voice_states: [],
  members: [memberPayload(botUser)],
  channels,
  threads: [],
  presences: [],
  stage_instances: [],
  guild_scheduled_events: [],
  soundboard_sounds: [],
});

export type MessageInput = { channelId: string; guildId?: string | null; author: FakeUser & { bot?: boolean }; content: string; webhookId?: string };

export function messagePayload(m: MessageInput & { id?: string; embeds?: unknown[]; components?: unknown[]; flags?: number }) {
  return {
    id: m.id ?? snowflake(),
    channel_id: m.channelId,
    ...(m.guildId ? { guild_id: m.guildId } : {}),
    author: userPayload(m.author),
    ...(m.guildId && !m.author.bot ? { member: { ...memberPayload(m.author), user: undefined } } : {}),
    content: m.content,
    timestamp: now(),
    edited_timestamp: null,
    tts: false,
    mention_everyone: false,
    mentions: [],
    mention_roles: [],
    attachments: [],
    embeds: m.embeds ?? [],
    components: m.components ?? [],
    pinned: false,
    type: 0,
    flags: m.flags ?? 0,
    ...(m.webhookId ? { webhook_id: m.webhookId } : {}),
  };
}

export type Where = { guildId: string | null; channel: Record<string, unknown> };

/** The fields every interaction carries; guild interactions have a member, DM ones a user. */
export function interactionBase(type: number, user: FakeUser, where: Where, data: unknown, extra: Record<string, unknown> = {}) {
  const id = snowflake();
  return {
    id,
    application_id: APP_ID,
    type,
    token: `token-${id}`,
    version: 1,
    locale: 'en-US',
    entitlements: [],
    app_permissions: PERMISSIONS_ALL,
    attachment_size_limit: 10_485_760,
    channel_id: where.channel['id'],
    channel: where.channel,
    ...(where.guildId
      ? { guild_id: where.guildId, guild_locale: 'en-US', member: memberPayload(user), authorizing_integration_owners: { '0': where.guildId }, context: 0 }
      : { user: userPayload(user), authorizing_integration_owners: { '0': where.guildId ?? '0' }, context: 1 }),
    data,
    ...extra,
  };
}

/** The `resolved` block Discord sends with user options: the users and, in a server, their members. */
export const resolvedUsers = (...users: FakeUser[]) => ({
  users: Object.fromEntries(users.map((u) => [u.id, userPayload(u)])),
  members: Object.fromEntries(users.map((u) => [u.id, { ...memberPayload(u), user: undefined }])),
});
