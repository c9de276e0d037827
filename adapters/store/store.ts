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

export interface LockOptions {
	/**
	 * The versioned record the lock guards (a `compareAndSet` key). The store may keep the fence
	 * counter with it instead of in a key of its own (Redis: a field of the record's hash), so that
	 * a record that lasts for good costs one key, and the counter shares the record's fate. Tokens
	 * keep increasing across the move: a counter kept the other way is carried over.
	 */
	fenceWith?: string;
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

/**
 * One step of `Store.batch`. Results, by `op`: `get` → the value or null; `getVersioned` → as
 * `getVersioned`; `set` → true; `setIfAbsent` and `appendOnce` → `{ written, value }` with the
 * value stored after the step (this call's when written, the holder's otherwise); `del` → whether the key existed;
 * `setMax` → whether the value was written; `laneDone` → true; `expire` → whether the key existed;
 * `dropHead` → true.
 */
export type BatchOp =
	| { op: "get"; key: string }
	/**
	 * Exactly-once publication onto streams of the store's server (Redis only): unless `key`
	 * exists, appends every entry and then sets `key`. Answers as `setIfAbsent`. The entries go
	 * first, so an append that fails leaves the key unset and the step can be tried again.
	 */
	| { op: "appendOnce"; key: string; value: unknown; ttlMs?: number; entries: readonly StreamEntry[] }
	| { op: "getVersioned"; key: string }
	| { op: "set"; key: string; value: unknown; ttlMs?: number }
	| { op: "setIfAbsent"; key: string; value: unknown; ttlMs?: number }
	| { op: "del"; key: string }
	/**
	 * Keeps the greatest number under a versioned key (read with `getVersioned`): writes `value`,
	 * bumping the version, only if the key is missing or holds a smaller number.
	 */
	| { op: "setMax"; key: string; value: number; ttlMs?: number }
	/** Appends to a list (as `append`); the result is the new length. */
	| { op: "append"; key: string; value: unknown }
	/** As `laneDone`: `value` is the settled number. */
	| { op: "laneDone"; key: string; value: number; ttlMs: number }
	/** Sets the time to live of a key of any kind, if it exists. */
	| { op: "expire"; key: string; ttlMs: number }
	/** As `dropHead`. */
	| { op: "dropHead"; key: string; count: number };

/**
 * An entry for a stream on the store's server (a durable channel's): `stream` is the stream's full
 * name, outside the store's key prefix; `fields` are name, value pairs.
 */
export interface StreamEntry {
	stream: string;
	fields: readonly (string | Buffer)[];
}

export interface BatchOptions {
	/**
	 * The caller has already gathered what runs concurrently into this batch (a coalescer): it is
	 * written at once, not held for a turn of the event loop to share a write with other commands.
	 */
	gathered?: boolean;
}

export interface SetIfAbsentResult<T = unknown> {
	written: boolean;
	value: T;
}

/** One rate limit of `Store.takeSlot`: `burst` events at once, then one every `intervalMs`. */
export interface RateGateSpec {
	key: string;
	/** Milliseconds between events at the sustained rate; may be fractional. */
	intervalMs: number;
	/** Events that may happen at once; defaults to 1. */
	burst?: number;
}

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
	/**
	 * A numbered lane (one per customer's outbound messages): takes its next number. The lane is
	 * forgotten `ttlMs` after its last use, and then starts again from 1.
	 */
	laneNext(key: string, ttlMs: number): Promise<number>;
	/** Records `seq` as done on the lane (never lowering what is recorded) and keeps the lane `ttlMs` longer. */
	laneDone(key: string, seq: number, ttlMs: number): Promise<void>;
	/** The highest number done on the lane: 0 when none yet, null for a lane that does not exist. */
	laneDoneOf(key: string): Promise<number | null>;
	/** Drops the first `count` items of a list (those read earlier; later appends stay); an emptied list is gone. */
	dropHead(key: string, count: number): Promise<void>;
	/** The last `count` items and the list's length, read at one instant (item i is at `length - items.length + i`). */
	tail<T = unknown>(key: string, count: number): Promise<{ length: number; items: T[] }>;

	/** Acquires a lock with expiry, or null when someone else holds it. */
	lock(key: string, ttlMs: number, opts?: LockOptions): Promise<LockHandle | null>;

	getVersioned<T = unknown>(key: string): Promise<Versioned<T> | null>;
	/**
	 * Compare-and-set: writes `value` only if the stored version equals `expectedVersion`
	 * (0 = the key must not exist). Returns the new version, or null on a conflict.
	 */
	compareAndSet<T = unknown>(key: string, expectedVersion: number, value: T, ttlMs?: number): Promise<number | null>;

	/**
	 * Runs several steps in one round trip (one script in Redis), atomically with respect to every
	 * other client. Results come in the order of `ops` (see `BatchOp`). Bad arguments reject before
	 * any step runs; a step failing on the stored data (a key of another kind) rejects the call and
	 * leaves the steps before it applied: it is not a transaction.
	 */
	batch(ops: BatchOp[], opts?: BatchOptions): Promise<unknown[]>;

	/**
	 * Books the next slot that every gate allows (generic cell rate algorithm, shared by every
	 * client of the store) and returns the milliseconds to wait for it, 0 when it is now. Slots
	 * booked one after the other are handed out in booking order; the clock is the store's (the
	 * Redis server's), so nodes with skewed clocks still share one schedule.
	 */
	takeSlot(gates: RateGateSpec[]): Promise<number>;

	/** Appends to a list and drops its oldest items beyond `maxLength`; returns the new length. */
	appendCapped<T = unknown>(key: string, value: T, maxLength: number): Promise<number>;

	/** True when the backing connection is usable (readiness). */
	isReady(): boolean;
	close(): Promise<void>;
}
