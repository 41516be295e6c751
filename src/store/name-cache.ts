import type { PlatformPerson } from '../core/kernel/platform-state.js';

/**
 * Display names in front of platform_names: Slack sends no name with a message, so the adapter
 * asked the database for one on every message, and adapters remember the name of every
 * command and click. A name changes rarely; the table stays the record (it survives restarts
 * and is shared by processes), this only spares the repeated reads and unchanged writes.
 *
 * A name another process learns (or forgets) reaches this one within TTL_MS; forget-me in this
 * process clears the cache at once (see clearNameCache), so a forgotten name is not served from it.
 */
const TTL_MS = 5 * 60_000;
const MAX_ENTRIES = 10_000;

type Entry = { name: string | undefined; at: number };

export type NameCache = {
  /** The cached name (undefined: known to have none), or 'miss' when the database must be asked. */
  get(p: PlatformPerson): string | undefined | 'miss';
  set(p: PlatformPerson, name: string | undefined): void;
  clear(): void;
};

const caches = new WeakMap<object, NameCache>();

const keyOf = (p: PlatformPerson) => `${p.platform}\u0000${p.workspace}\u0000${p.userId}`;

function createNameCache(now: () => number): NameCache {
  const entries = new Map<string, Entry>();
  return {
    get(p) {
      const e = entries.get(keyOf(p));
      if (!e || now() - e.at > TTL_MS) return 'miss';
      return e.name;
    },
    set(p, name) {
      const key = keyOf(p);
      entries.delete(key); // re-inserted last, so the oldest entry is the first one dropped
      entries.set(key, { name, at: now() });
      if (entries.size > MAX_ENTRIES) entries.delete(entries.keys().next().value!);
    },
    clear: () => entries.clear(),
  };
}

/** The cache of one database (a better-sqlite3 handle or a pg pool): every store over it shares one. */
export function nameCacheOf(db: object, now: () => number = Date.now): NameCache {
  let cache = caches.get(db);
  if (!cache) caches.set(db, (cache = createNameCache(now)));
  return cache;
}

/** After forget-me: the forgotten person's name must not be served from memory. */
export const clearNameCache = (db: object): void => caches.get(db)?.clear();
