/**
 * One storage interface for everything the runtime keeps between messages: conversation
 * snapshots, carts, orders, idempotency keys, locks, dead letters. `RedisStore` serves a
 * cluster; `MemoryStore` serves the embedded single-process default with the same semantics.
 *
 * Values are JSON-serialisable; implementations serialise them. Keys are plain strings; the
 * implementation adds its own namespace prefix. A `ttlMs` of undefined means "no expiry".
 */

export interface Versioned<T> {
	/** Monotonic version, 1 after the first successful write. */
	version: number;
	value: T;
}

export interface LockHandle {
	key: string;
	/**
	 * Fencing token: strictly increasing across every acquisition of this key, on every node.
	 * A writer passes it along so that a stale holder (whose lock expired) can be refused.
	 */
	token: number;
	/** Extends the expiry if this handle still holds the lock; false when it was lost. */
	extend(ttlMs: number): Promise<boolean>;
	/** Releases only if this handle still holds the lock; false when it was lost. */
	release(): Promise<boolean>;
}

export interface CounterDecrement {
	key: string;
	/** A positive integer. */
	by: number;
}

/**
 * `ok`: every counter was decremented; `levels[i]` is the level of `entries[i].key` afterwards.
 * Otherwise nothing changed; `index` is the first entry that could not be covered and `available`
 * its counter's level (a missing counter is 0).
 */
export type ReserveResult = { ok: true; levels: number[] } | { ok: false; index: number; available: number };

export interface Store {
	readonly kind: "memory" | "redis";

	get<T = unknown>(key: string): Promise<T | null>;
	set<T = unknown>(key: string, value: T, ttlMs?: number): Promise<void>;
	/** Writes only when the key is absent; true when this call wrote it (idempotency keys). */
	setIfAbsent<T = unknown>(key: string, value: T, ttlMs?: number): Promise<boolean>;
	del(key: string): Promise<boolean>;
	/** Atomic add; creates the counter at 0. `ttlMs` is applied when the counter is created. */
	incr(key: string, by?: number, ttlMs?: number): Promise<number>;

	/** Values of several keys in one round trip, null for the missing ones. */
	getMany<T = unknown>(keys: string[]): Promise<(T | null)[]>;
	/**
	 * All-or-nothing decrement of several counters (stock reservation): applies every decrement
	 * only if no counter would go below zero, atomically with respect to every other client.
	 * Entries on the same key add up. Release with `incr`.
	 */
	reserve(entries: CounterDecrement[]): Promise<ReserveResult>;

	/** Appends to an append-only list; returns the new length. */
	append<T = unknown>(key: string, value: T): Promise<number>;
	/** Inclusive range, Redis semantics: negative indexes count from the end. */
	range<T = unknown>(key: string, start?: number, stop?: number): Promise<T[]>;
	length(key: string): Promise<number>;

	/** Acquires a lock with expiry, or null when someone else holds it. */
	lock(key: string, ttlMs: number): Promise<LockHandle | null>;

	getVersioned<T = unknown>(key: string): Promise<Versioned<T> | null>;
	/**
	 * Compare-and-set: writes `value` only if the stored version equals `expectedVersion`
	 * (0 = the key must not exist). Returns the new version, or null on a conflict.
	 */
	compareAndSet<T = unknown>(key: string, expectedVersion: number, value: T, ttlMs?: number): Promise<number | null>;

	/** True when the backing connection is usable (readiness). */
	isReady(): boolean;
	close(): Promise<void>;
}
