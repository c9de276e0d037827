import { randomUUID } from "node:crypto";
import type { BatchOp, CounterDecrement, LockHandle, LockOptions, RateGateSpec, ReserveResult, Store, Versioned } from "./store";

export interface MemoryStoreOptions {
	/** Clock in epoch milliseconds; injectable so tests can control expiry. */
	now?: () => number;
	/** How often expired entries are dropped even if nobody reads them again. */
	sweepIntervalMs?: number;
}

/**
 * Entries mirror the Redis data types `RedisStore` uses, so that mixing operations on one
 * key behaves the same way in both stores (WRONGTYPE errors included). Values are kept as
 * JSON text: serialising on write and parsing on read is what isolates callers from stored state.
 */
type Entry =
	| { type: "string"; data: string; expiresAt?: number }
	| { type: "list"; items: string[]; expiresAt?: number }
	| { type: "hash"; version: number; data: string; expiresAt?: number };

const WRONGTYPE = "WRONGTYPE Operation against a key holding the wrong kind of value";
const NOT_AN_INTEGER = "ERR value is not an integer or out of range";
const NOT_A_NUMBER = "ERR the stored value is not a number";

/** In-process `Store` with the semantics of `RedisStore`, for the embedded single-process mode. */
export class MemoryStore implements Store {
	readonly kind = "memory" as const;

	private readonly entries = new Map<string, Entry>();
	private readonly now: () => number;
	private readonly sweepTimer: NodeJS.Timeout;
	private closed = false;

	constructor(opts: MemoryStoreOptions = {}) {
		// Read Date.now at call time rather than capturing it, so fake timers installed later apply.
		this.now = opts.now ?? (() => Date.now());
		this.sweepTimer = setInterval(() => this.sweep(), opts.sweepIntervalMs ?? 1000);
		this.sweepTimer.unref();
	}

	async get<T = unknown>(key: string): Promise<T | null> {
		const entry = this.read(key, "string");
		return entry ? (JSON.parse(entry.data) as T) : null;
	}

	async set<T = unknown>(key: string, value: T, ttlMs?: number): Promise<void> {
		this.open();
		this.entries.set(key, { type: "string", data: encode(value), expiresAt: this.expiry(ttlMs) });
	}

	async setIfAbsent<T = unknown>(key: string, value: T, ttlMs?: number): Promise<boolean> {
		this.open();
		const data = encode(value);
		const expiresAt = this.expiry(ttlMs);
		if (this.live(key)) return false;
		this.entries.set(key, { type: "string", data, expiresAt });
		return true;
	}

	async del(key: string): Promise<boolean> {
		this.open();
		return this.live(key) !== undefined && this.entries.delete(key);
	}

	async incr(key: string, by = 1, ttlMs?: number): Promise<number> {
		this.open();
		return this.increment(key, by, ttlMs);
	}

	async getMany<T = unknown>(keys: string[]): Promise<(T | null)[]> {
		return keys.map(key => {
			const entry = this.read(key, "string");
			return entry ? (JSON.parse(entry.data) as T) : null;
		});
	}

	async reserve(entries: CounterDecrement[]): Promise<ReserveResult> {
		this.open();
		const needs = totals(entries);
		// Check everything first, then apply: no await in between, so this is atomic in-process.
		for (let i = 0; i < entries.length; i++) {
			const entry = this.read(entries[i]!.key, "string");
			if (entry && !/^-?\d+$/.test(entry.data)) throw new Error(NOT_AN_INTEGER);
			const have = entry ? Number(entry.data) : 0;
			if (have < needs.get(entries[i]!.key)!) return { ok: false, index: i, available: have };
		}
		for (const { key, by } of entries) this.increment(key, -by, undefined);
		return { ok: true, levels: entries.map(({ key }) => Number(this.read(key, "string")!.data)) };
	}

	async append<T = unknown>(key: string, value: T): Promise<number> {
		this.open();
		const data = encode(value);
		const entry = this.read(key, "list");
		if (entry) return entry.items.push(data);
		this.entries.set(key, { type: "list", items: [data] });
		return 1;
	}

	async range<T = unknown>(key: string, start = 0, stop = -1): Promise<T[]> {
		const entry = this.read(key, "list");
		if (!entry) return [];
		const { length } = entry.items;
		const from = Math.max(start < 0 ? length + start : start, 0);
		const to = Math.min(stop < 0 ? length + stop : stop, length - 1);
		return entry.items.slice(from, to + 1).map((item) => JSON.parse(item) as T);
	}

	async laneNext(key: string, ttlMs: number): Promise<number> {
		const lane = this.lane(key);
		lane.n += 1;
		this.entries.set(key, { type: "string", data: JSON.stringify(lane), expiresAt: this.expiry(ttlMs) });
		return lane.n;
	}

	async laneDone(key: string, seq: number, ttlMs: number): Promise<void> {
		requirePositive("laneDone: seq", seq);
		this.markLaneDone(key, seq, ttlMs);
	}

	private markLaneDone(key: string, seq: number, ttlMs: number): void {
		const lane = this.lane(key);
		lane.d = Math.max(lane.d, seq);
		this.entries.set(key, { type: "string", data: JSON.stringify(lane), expiresAt: this.expiry(ttlMs) });
	}

	async laneDoneOf(key: string): Promise<number | null> {
		this.open();
		return this.read(key, "string") ? this.lane(key).d : null;
	}

	private lane(key: string): { n: number; d: number } {
		this.open();
		const entry = this.read(key, "string");
		return entry ? (JSON.parse(entry.data) as { n: number; d: number }) : { n: 0, d: 0 };
	}

	async dropHead(key: string, count: number): Promise<void> {
		requirePositive("count", count);
		this.trimHead(key, count);
	}

	private trimHead(key: string, count: number): void {
		const entry = this.read(key, "list");
		if (!entry) return;
		entry.items.splice(0, count);
		if (!entry.items.length) this.entries.delete(key);
	}

	async tail<T = unknown>(key: string, count: number): Promise<{ length: number; items: T[] }> {
		requirePositive("count", count);
		const items = this.read(key, "list")?.items ?? [];
		return { length: items.length, items: items.slice(-count).map(item => JSON.parse(item) as T) };
	}

	async length(key: string): Promise<number> {
		return this.read(key, "list")?.items.length ?? 0;
	}

	/** `fenceWith` changes nothing here: memory is not scarce, and the counter lives as long as the process. */
	async lock(key: string, ttlMs: number, _opts?: LockOptions): Promise<LockHandle | null> {
		this.open();
		const expiresAt = this.expiry(requireTtl(ttlMs));
		const lockKey = `lock:${key}`;
		if (this.live(lockKey)) return null;
		const owner = randomUUID();
		// Same key layout as RedisStore: the fence counter never expires, so tokens never repeat.
		const token = this.increment(`${lockKey}:fence`, 1, undefined);
		this.entries.set(lockKey, { type: "string", data: owner, expiresAt });

		const held = (): Entry | undefined => {
			const entry = this.live(lockKey);
			return entry?.type === "string" && entry.data === owner ? entry : undefined;
		};
		return {
			key,
			token,
			extend: async (extendMs: number) => {
				this.open();
				const until = this.expiry(requireTtl(extendMs));
				const entry = held();
				if (!entry) return false;
				entry.expiresAt = until;
				return true;
			},
			release: async () => {
				this.open();
				return held() !== undefined && this.entries.delete(lockKey);
			},
		};
	}

	async getVersioned<T = unknown>(key: string): Promise<Versioned<T> | null> {
		const entry = this.read(key, "hash");
		return entry ? { version: entry.version, value: JSON.parse(entry.data) as T } : null;
	}

	async compareAndSet<T = unknown>(key: string, expectedVersion: number, value: T, ttlMs?: number): Promise<number | null> {
		this.open();
		const data = encode(value);
		const expiresAt = this.expiry(ttlMs);
		const current = this.read(key, "hash");
		if ((current?.version ?? 0) !== expectedVersion) return null;
		const version = expectedVersion + 1;
		this.entries.set(key, { type: "hash", version, data, expiresAt });
		return version;
	}

	async batch(ops: BatchOp[]): Promise<unknown[]> {
		this.open();
		// Bad arguments fail the whole batch before any step runs, as in RedisStore.
		for (const op of ops) {
			if (op.op === "appendOnce") throw new TypeError("batch: appendOnce needs streams on the store's server (Redis); the memory store has none");
			if (op.op === "set" || op.op === "setIfAbsent" || op.op === "append") encode(op.value);
			if (op.op === "setMax" && !Number.isFinite(op.value)) throw new RangeError(`setMax: value must be a finite number, got ${op.value}`);
			if (op.op === "laneDone") requirePositive("laneDone: seq", op.value);
			if (op.op === "dropHead") requirePositive("count", op.count);
			if (op.op !== "get" && op.op !== "getVersioned" && op.op !== "del" && op.op !== "append" && op.op !== "dropHead") this.expiry(op.ttlMs);
		}
		// No await between steps: a batch runs without interleaving here (Redis gives less).
		return ops.map(op => {
			switch (op.op) {
				case "get": {
					const entry = this.read(op.key, "string");
					return entry ? JSON.parse(entry.data) : null;
				}
				case "getVersioned": {
					const entry = this.read(op.key, "hash");
					return entry ? { version: entry.version, value: JSON.parse(entry.data) } : null;
				}
				case "set":
					this.entries.set(op.key, { type: "string", data: encode(op.value), expiresAt: this.expiry(op.ttlMs) });
					return true;
				case "laneDone":
					this.markLaneDone(op.key, op.value, op.ttlMs);
					return true;
				case "dropHead":
					this.trimHead(op.key, op.count);
					return true;
				case "expire": {
					const entry = this.live(op.key);
					if (entry) entry.expiresAt = this.expiry(op.ttlMs);
					return entry !== undefined;
				}
				case "setIfAbsent": {
					const data = encode(op.value);
					const entry = this.read(op.key, "string");
					if (entry) return { written: false, value: JSON.parse(entry.data) };
					this.entries.set(op.key, { type: "string", data, expiresAt: this.expiry(op.ttlMs) });
					return { written: true, value: JSON.parse(data) };
				}
				case "del":
					return this.live(op.key) !== undefined && this.entries.delete(op.key);
				case "setMax":
					return this.setMax(op.key, op.value, op.ttlMs);
				case "append": {
					const data = encode(op.value);
					const entry = this.read(op.key, "list");
					if (entry) return entry.items.push(data);
					this.entries.set(op.key, { type: "list", items: [data] });
					return 1;
				}
				default:
					throw new TypeError(`batch: unknown op ${(op as { op: unknown }).op}`);
			}
		});
	}

	async takeSlot(gates: RateGateSpec[]): Promise<number> {
		this.open();
		const specs = gateSpecs(gates);
		const now = this.now();
		// Like the Redis script: a gate whose stored value is not a number starts afresh.
		const tats = specs.map(g => Math.max(Number(this.read(g.key, "string")?.data ?? 0) || 0, now));
		const start = Math.max(now, ...specs.map((g, i) => tats[i]! - g.tolerance));
		specs.forEach((g, i) => {
			const tat = Math.max(tats[i]!, start) + g.intervalMs;
			this.entries.set(g.key, { type: "string", data: String(tat), expiresAt: now + Math.ceil(tat - now) + 1000 });
		});
		return Math.ceil(start - now);
	}

	async appendCapped<T = unknown>(key: string, value: T, maxLength: number): Promise<number> {
		this.open();
		requireMaxLength(maxLength);
		const data = encode(value);
		const entry = this.read(key, "list");
		if (!entry) {
			this.entries.set(key, { type: "list", items: [data] });
			return 1;
		}
		entry.items.push(data);
		if (entry.items.length > maxLength) entry.items.splice(0, entry.items.length - maxLength);
		return entry.items.length;
	}

	isReady(): boolean {
		return !this.closed;
	}

	async close(): Promise<void> {
		this.closed = true;
		clearInterval(this.sweepTimer);
		this.entries.clear();
	}

	private open(): void {
		if (this.closed) throw new Error("MemoryStore is closed");
	}

	private expiry(ttlMs: number | undefined): number | undefined {
		return ttlMs === undefined ? undefined : this.now() + requireTtl(ttlMs);
	}

	/** Synchronous so that callers can combine it with other steps without yielding in between. */
	private increment(key: string, by: number, ttlMs: number | undefined): number {
		if (!Number.isSafeInteger(by)) throw new RangeError(`incr: by must be an integer, got ${by}`);
		const expiresAt = this.expiry(ttlMs);
		const entry = this.read(key, "string");
		if (!entry) {
			this.entries.set(key, { type: "string", data: String(by), expiresAt });
			return by;
		}
		if (!/^-?\d+$/.test(entry.data)) throw new Error(NOT_AN_INTEGER);
		const next = Number(entry.data) + by;
		if (!Number.isSafeInteger(next)) throw new Error(NOT_AN_INTEGER);
		entry.data = String(next);
		return next;
	}

	private setMax(key: string, value: number, ttlMs: number | undefined): boolean {
		if (!Number.isFinite(value)) throw new RangeError(`setMax: value must be a finite number, got ${value}`);
		const current = this.read(key, "hash");
		if (current) {
			const stored: unknown = JSON.parse(current.data);
			if (typeof stored !== "number") throw new Error(NOT_A_NUMBER);
			if (stored >= value) return false;
		}
		this.entries.set(key, { type: "hash", version: (current?.version ?? 0) + 1, data: encode(value), expiresAt: this.expiry(ttlMs) });
		return true;
	}

	/** The entry under `key` unless it has expired; expired entries are dropped on the way. */
	private live(key: string): Entry | undefined {
		const entry = this.entries.get(key);
		if (entry?.expiresAt !== undefined && entry.expiresAt <= this.now()) {
			this.entries.delete(key);
			return undefined;
		}
		return entry;
	}

	private read<K extends Entry["type"]>(key: string, type: K): Extract<Entry, { type: K }> | undefined {
		this.open();
		const entry = this.live(key);
		if (entry && entry.type !== type) throw new Error(WRONGTYPE);
		return entry as Extract<Entry, { type: K }> | undefined;
	}

	private sweep(): void {
		const now = this.now();
		for (const [key, entry] of this.entries) {
			if (entry.expiresAt !== undefined && entry.expiresAt <= now) this.entries.delete(key);
		}
	}
}

/** Validates the entries and sums the amounts per key (shared with RedisStore's checks). */
export function totals(entries: CounterDecrement[]): Map<string, number> {
	const needs = new Map<string, number>();
	for (const { key, by } of entries) {
		if (!Number.isSafeInteger(by) || by <= 0) throw new RangeError(`reserve: by must be a positive integer, got ${by}`);
		needs.set(key, (needs.get(key) ?? 0) + by);
	}
	return needs;
}

function encode(value: unknown): string {
	const data = JSON.stringify(value);
	if (data === undefined) throw new TypeError("Store values must be JSON-serialisable");
	return data;
}

/** Redis rejects non-positive expiries; refusing them here keeps both stores interchangeable. */
function requireTtl(ttlMs: number): number {
	if (!Number.isFinite(ttlMs) || ttlMs <= 0) throw new RangeError(`ttlMs must be a positive number, got ${ttlMs}`);
	return Math.ceil(ttlMs);
}

/** Checks the gates of `takeSlot` (shared with RedisStore) and derives each gate's tolerance. */
export function gateSpecs(gates: RateGateSpec[]): { key: string; intervalMs: number; tolerance: number }[] {
	if (!gates.length) throw new RangeError("takeSlot: at least one gate is needed");
	return gates.map(({ key, intervalMs, burst = 1 }) => {
		if (!Number.isFinite(intervalMs) || intervalMs <= 0) throw new RangeError(`takeSlot: intervalMs must be a positive number, got ${intervalMs}`);
		if (!Number.isSafeInteger(burst) || burst < 1) throw new RangeError(`takeSlot: burst must be a positive integer, got ${burst}`);
		return { key, intervalMs, tolerance: (burst - 1) * intervalMs };
	});
}

export function requireMaxLength(maxLength: number): void {
	if (!Number.isSafeInteger(maxLength) || maxLength < 1) throw new RangeError(`appendCapped: maxLength must be a positive integer, got ${maxLength}`);
}

/** Both stores refuse the same bad counts and lane numbers. */
export function requirePositive(what: string, n: number): number {
	if (!Number.isSafeInteger(n) || n < 1) throw new RangeError(`${what} must be a positive integer, got ${n}`);
	return n;
}
