import { randomUUID } from "node:crypto";
import Redis, { type Result } from "ioredis";
import type { BatchOp, BatchOptions, CounterDecrement, LockHandle, LockOptions, RateGateSpec, ReserveResult, Store, Versioned } from "./store";
import { gateSpecs, requireMaxLength, requirePositive, totals } from "./memory-store";

export interface StoreLogger {
	info(msg: string, ...args: unknown[]): void;
	warn(msg: string, ...args: unknown[]): void;
	error(msg: string, ...args: unknown[]): void;
}

export interface RedisStoreOptions {
	/** Namespace for every key this store touches; defaults to `agent-store:`. */
	prefix?: string;
	logger?: StoreLogger;
}

export interface RedisConnectOptions extends RedisStoreOptions {
	/** How long `connect` waits for the connection to become ready; defaults to 5000 ms. */
	timeoutMs?: number;
}

// Every multi-step operation runs as one script so that Redis executes it atomically.
const SCRIPTS = {
	// Creating the counter is the only moment its TTL may be set; later increments keep it.
	agentStoreIncr: {
		numberOfKeys: 1,
		lua: `
local created = redis.call('EXISTS', KEYS[1]) == 0
local n = redis.call('INCRBY', KEYS[1], ARGV[1])
if created and ARGV[2] ~= '' then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return n`,
	},
	// The fence counter has no TTL: tokens must keep increasing even after the lock key expired.
	// With a record to keep it in (KEYS[3], a compareAndSet hash), the counter is its field 'f',
	// which the record's writes leave alone; the first time, it takes over the count of the key of
	// its own if one was kept (written before records kept it), so no token is handed out twice.
	agentStoreLock: {
		numberOfKeys: 3,
		lua: `
if not redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return false end
if KEYS[3] == KEYS[2] then return redis.call('INCR', KEYS[2]) end
if redis.call('HEXISTS', KEYS[3], 'f') == 0 then
	local kept = redis.call('GET', KEYS[2])
	if kept then
		redis.call('HSET', KEYS[3], 'f', kept)
		redis.call('DEL', KEYS[2])
	end
end
return redis.call('HINCRBY', KEYS[3], 'f', 1)`,
	},
	agentStoreExtend: {
		numberOfKeys: 1,
		lua: `
if redis.call('GET', KEYS[1]) == ARGV[1] then
	return redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return 0`,
	},
	agentStoreRelease: {
		numberOfKeys: 1,
		lua: `
if redis.call('GET', KEYS[1]) == ARGV[1] then
	return redis.call('DEL', KEYS[1])
end
return 0`,
	},
	agentStoreCompareAndSet: {
		numberOfKeys: 1,
		lua: `
local current = tonumber(redis.call('HGET', KEYS[1], 'v') or '0')
if current ~= tonumber(ARGV[1]) then return false end
local version = current + 1
redis.call('HSET', KEYS[1], 'v', version, 'd', ARGV[2])
if ARGV[3] ~= '' then redis.call('PEXPIRE', KEYS[1], ARGV[3]) else redis.call('PERSIST', KEYS[1]) end
return version`,
	},
	// Keys and amounts come in pairs (KEYS[i], ARGV[i]); amounts on a repeated key add up.
	agentStoreReserve: {
		lua: `
local need = {}
for i, key in ipairs(KEYS) do need[key] = (need[key] or 0) + tonumber(ARGV[i]) end
for i, key in ipairs(KEYS) do
	local raw = redis.call('GET', key)
	local have = 0
	if raw then
		have = tonumber(raw)
		if have == nil or math.floor(have) ~= have then return redis.error_reply('ERR value is not an integer or out of range') end
	end
	if have < need[key] then return {0, i - 1, have} end
end
local out = {1}
for i, key in ipairs(KEYS) do redis.call('DECRBY', key, ARGV[i]) end
for i, key in ipairs(KEYS) do out[#out + 1] = tonumber(redis.call('GET', key)) end
return out`,
	},
	// The steps of `batch`: KEYS[i] with an (op, value, ttl) triple in ARGV, which `appendOnce`
	// follows with its entries: their count, then per entry the stream, its field count and fields.
	// Runs atomically; a failing step aborts the rest (earlier steps stay applied, as with any script
	// error). `setIfAbsent` answers {written, stored value}; `setMax` keeps the greatest number in the
	// compareAndSet layout. Streams are named in ARGV, not KEYS: they lie outside the key prefix, and
	// the store runs on one Redis server, not a cluster.
	agentStoreBatch: {
		lua: `
local out = {}
local a = 1
for i, key in ipairs(KEYS) do
	local op, value, ttl = ARGV[a], ARGV[a + 1], ARGV[a + 2]
	a = a + 3
	if op == 'get' then
		out[i] = redis.call('GET', key)
	elseif op == 'getVersioned' then
		local r = redis.call('HMGET', key, 'v', 'd')
		if r[1] and r[2] then out[i] = r else out[i] = false end
	elseif op == 'set' then
		if ttl ~= '' then redis.call('SET', key, value, 'PX', ttl) else redis.call('SET', key, value) end
		out[i] = 1
	elseif op == 'setIfAbsent' then
		local ok
		if ttl ~= '' then ok = redis.call('SET', key, value, 'PX', ttl, 'NX') else ok = redis.call('SET', key, value, 'NX') end
		if ok then out[i] = {1, value} else out[i] = {0, redis.call('GET', key)} end
	elseif op == 'appendOnce' then
		local held = redis.call('GET', key)
		local entries = tonumber(ARGV[a])
		a = a + 1
		for e = 1, entries do
			local fields = tonumber(ARGV[a + 1])
			if not held then redis.call('XADD', ARGV[a], '*', unpack(ARGV, a + 2, a + 1 + fields)) end
			a = a + 2 + fields
		end
		if held then
			out[i] = {0, held}
		else
			if ttl ~= '' then redis.call('SET', key, value, 'PX', ttl) else redis.call('SET', key, value) end
			out[i] = {1, value}
		end
	elseif op == 'del' then
		out[i] = redis.call('DEL', key)
	elseif op == 'append' then
		out[i] = redis.call('RPUSH', key, value)
	elseif op == 'dropHead' then
		redis.call('LTRIM', key, value, -1)
		out[i] = 1
	elseif op == 'expire' then
		out[i] = redis.call('PEXPIRE', key, ttl)
	elseif op == 'laneDone' then
		local d = tonumber(redis.call('HGET', key, 'd') or '0') or 0
		if tonumber(value) > d then redis.call('HSET', key, 'd', value) end
		redis.call('PEXPIRE', key, ttl)
		out[i] = 1
	elseif op == 'setMax' then
		local raw = redis.call('HGET', key, 'd')
		local cur = nil
		if raw then
			cur = tonumber(raw)
			if cur == nil then return redis.error_reply('ERR the stored value is not a number') end
		end
		if cur ~= nil and cur >= tonumber(value) then
			out[i] = 0
		else
			redis.call('HINCRBY', key, 'v', 1)
			redis.call('HSET', key, 'd', value)
			if ttl ~= '' then redis.call('PEXPIRE', key, ttl) else redis.call('PERSIST', key) end
			out[i] = 1
		end
	else
		return redis.error_reply('ERR unknown batch op ' .. tostring(op))
	end
end
return out`,
	},
	// GCRA over several gates with the server's clock: KEYS[i] holds gate i's theoretical arrival
	// time; ARGV holds (interval, tolerance) pairs. Returns the wait in ms for the booked slot.
	agentStoreTakeSlot: {
		lua: `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
local tats = {}
local start = now
for i, key in ipairs(KEYS) do
	local tat = tonumber(redis.call('GET', key) or '0') or 0
	if tat < now then tat = now end
	tats[i] = tat
	local s = tat - tonumber(ARGV[2 * i])
	if s > start then start = s end
end
for i, key in ipairs(KEYS) do
	local tat = tats[i]
	if tat < start then tat = start end
	tat = tat + tonumber(ARGV[2 * i - 1])
	redis.call('SET', key, string.format('%.3f', tat), 'PX', math.ceil(tat - now) + 1000)
end
return math.ceil(start - now)`,
	},
	agentStoreAppendCapped: {
		numberOfKeys: 1,
		lua: `
local n = redis.call('RPUSH', KEYS[1], ARGV[1])
local max = tonumber(ARGV[2])
if n > max then
	redis.call('LTRIM', KEYS[1], -max, -1)
	n = max
end
return n`,
	},
	// A numbered lane is a hash: n, the last number taken; d, the highest number done.
	agentStoreLaneNext: {
		numberOfKeys: 1,
		lua: `
local n = redis.call('HINCRBY', KEYS[1], 'n', 1)
redis.call('PEXPIRE', KEYS[1], ARGV[1])
return n`,
	},
	// The end of a list and its length read together, so the items' positions are exact.
	agentStoreTail: {
		numberOfKeys: 1,
		lua: `
return {redis.call('LLEN', KEYS[1]), redis.call('LRANGE', KEYS[1], -tonumber(ARGV[1]), -1)}`,
	},
} as const;

declare module "ioredis" {
	interface RedisCommander<Context> {
		agentStoreIncr(key: string, by: number, ttlMs: string | number): Result<number, Context>;
		agentStoreLock(lockKey: string, fenceKey: string, recordKey: string, owner: string, ttlMs: number): Result<number | null, Context>;
		agentStoreExtend(lockKey: string, owner: string, ttlMs: number): Result<number, Context>;
		agentStoreRelease(lockKey: string, owner: string): Result<number, Context>;
		agentStoreCompareAndSet(key: string, expectedVersion: number, data: string, ttlMs: string | number): Result<number | null, Context>;
		agentStoreReserve(numberOfKeys: number, ...keysThenAmounts: (string | number)[]): Result<number[], Context>;
		agentStoreBatch(numberOfKeys: number, ...keysThenArgs: (string | number | Buffer)[]): Result<unknown[], Context>;
		agentStoreTakeSlot(numberOfKeys: number, ...keysThenArgs: (string | number)[]): Result<number, Context>;
		agentStoreAppendCapped(key: string, data: string, maxLength: number): Result<number, Context>;
		agentStoreTail(key: string, count: number): Result<[number, string[]], Context>;
		agentStoreLaneNext(key: string, ttlMs: number): Result<number, Context>;
	}
}

/** `Store` on Redis, shared by every node of a cluster. */
export class RedisStore implements Store {
	readonly kind = "redis" as const;

	private readonly client: Redis;
	private readonly logger: StoreLogger;
	private lastError: string | undefined;

	constructor(
		readonly url: string,
		opts: RedisStoreOptions = {}
	) {
		this.logger = opts.logger ?? console;
		this.client = new Redis(url, {
			keyPrefix: opts.prefix ?? "agent-store:",
			lazyConnect: false,
			// Bounded so that calls fail while Redis is down instead of queueing forever.
			maxRetriesPerRequest: 3,
			// Also bounds calls the retry limit cannot reach: a server that accepts but never answers,
			// or commands left in the offline queue when `close` disconnects during a reconnect.
			commandTimeout: 5000,
			// Commands issued while earlier ones are in flight leave together in one write. Under load
			// a socket write per command was the largest single cost of every process (a fifth of the
			// sellers' CPU went to write syscalls); alone, a command still leaves at once.
			enableAutoPipelining: true,
			scripts: SCRIPTS,
		});
		// Without a listener ioredis would raise connection errors as unhandled 'error' events.
		this.client.on("error", (err: Error) => {
			// Reconnection attempts repeat the same error; log it once until the connection recovers.
			if (err.message === this.lastError) return;
			this.lastError = err.message;
			this.logger.error(`redis store: ${err.message}`);
		});
		this.client.on("ready", () => {
			if (this.lastError !== undefined) this.logger.info("redis store: connection recovered");
			this.lastError = undefined;
		});
	}

	/** Resolves with a store once its connection is ready; rejects (and disconnects) after `timeoutMs`. */
	static async connect(url: string, opts: RedisConnectOptions = {}): Promise<RedisStore> {
		const { timeoutMs = 5000, ...storeOpts } = opts;
		const store = new RedisStore(url, storeOpts);
		return new Promise<RedisStore>((resolve, reject) => {
			const onReady = () => {
				clearTimeout(timer);
				resolve(store);
			};
			const timer = setTimeout(() => {
				store.client.off("ready", onReady);
				const cause = store.lastError ? ` (last error: ${store.lastError})` : "";
				store.client.disconnect();
				reject(new Error(`Redis at ${redact(url)} was not ready within ${timeoutMs} ms${cause}`));
			}, timeoutMs);
			store.client.once("ready", onReady);
		});
	}

	async get<T = unknown>(key: string): Promise<T | null> {
		return decode<T>(await this.client.get(key));
	}

	async set<T = unknown>(key: string, value: T, ttlMs?: number): Promise<void> {
		const data = encode(value);
		if (ttlMs === undefined) await this.client.set(key, data);
		else await this.client.set(key, data, "PX", requireTtl(ttlMs));
	}

	async setIfAbsent<T = unknown>(key: string, value: T, ttlMs?: number): Promise<boolean> {
		const data = encode(value);
		const reply =
			ttlMs === undefined
				? await this.client.set(key, data, "NX")
				: await this.client.set(key, data, "PX", requireTtl(ttlMs), "NX");
		return reply === "OK";
	}

	async del(key: string): Promise<boolean> {
		return (await this.client.del(key)) > 0;
	}

	async incr(key: string, by = 1, ttlMs?: number): Promise<number> {
		if (!Number.isSafeInteger(by)) throw new RangeError(`incr: by must be an integer, got ${by}`);
		return this.client.agentStoreIncr(key, by, optionalTtl(ttlMs));
	}

	async getMany<T = unknown>(keys: string[]): Promise<(T | null)[]> {
		if (!keys.length) return [];
		return (await this.client.mget(...keys)).map(data => decode<T>(data));
	}

	async reserve(entries: CounterDecrement[]): Promise<ReserveResult> {
		totals(entries);
		if (!entries.length) return { ok: true, levels: [] };
		const reply = await this.client.agentStoreReserve(entries.length, ...entries.map(e => e.key), ...entries.map(e => e.by));
		if (reply[0] === 1) return { ok: true, levels: reply.slice(1) };
		return { ok: false, index: reply[1]!, available: reply[2]! };
	}

	async append<T = unknown>(key: string, value: T): Promise<number> {
		return this.client.rpush(key, encode(value));
	}

	async range<T = unknown>(key: string, start = 0, stop = -1): Promise<T[]> {
		const items = await this.client.lrange(key, start, stop);
		return items.map((item) => JSON.parse(item) as T);
	}

	async length(key: string): Promise<number> {
		return this.client.llen(key);
	}

	async laneNext(key: string, ttlMs: number): Promise<number> {
		return this.client.agentStoreLaneNext(key, requireTtl(ttlMs));
	}

	async laneDone(key: string, seq: number, ttlMs: number): Promise<void> {
		// The batch step is the one implementation: the gateway also settles a lane inside its batches.
		await this.batch([{ op: "laneDone", key, value: seq, ttlMs }]);
	}

	async laneDoneOf(key: string): Promise<number | null> {
		const [n, d] = await this.client.hmget(key, "n", "d");
		if (n === null && d === null) return null;
		return Number(d ?? 0);
	}

	async dropHead(key: string, count: number): Promise<void> {
		requirePositive("count", count);
		await this.client.ltrim(key, count, -1);
	}

	async tail<T = unknown>(key: string, count: number): Promise<{ length: number; items: T[] }> {
		requirePositive("count", count);
		const [length, items] = await this.client.agentStoreTail(key, count);
		return { length, items: items.map(item => JSON.parse(item) as T) };
	}

	async lock(key: string, ttlMs: number, opts: LockOptions = {}): Promise<LockHandle | null> {
		const lockKey = `lock:${key}`;
		const fenceKey = `${lockKey}:fence`;
		const owner = randomUUID();
		const token = await this.client.agentStoreLock(lockKey, fenceKey, opts.fenceWith ?? fenceKey, owner, requireTtl(ttlMs));
		if (token === null) return null;
		return {
			key,
			token,
			extend: async (extendMs: number) =>
				(await this.client.agentStoreExtend(lockKey, owner, requireTtl(extendMs))) === 1,
			release: async () => (await this.client.agentStoreRelease(lockKey, owner)) === 1,
		};
	}

	async getVersioned<T = unknown>(key: string): Promise<Versioned<T> | null> {
		const [version, data] = await this.client.hmget(key, "v", "d");
		if (version === null || data === null) return null;
		return { version: Number(version), value: JSON.parse(data) as T };
	}

	async compareAndSet<T = unknown>(key: string, expectedVersion: number, value: T, ttlMs?: number): Promise<number | null> {
		return this.client.agentStoreCompareAndSet(key, expectedVersion, encode(value), optionalTtl(ttlMs));
	}

	async batch(ops: BatchOp[], opts: BatchOptions = {}): Promise<unknown[]> {
		if (!ops.length) return [];
		// Arguments are checked and encoded before anything is sent, so a bad one changes nothing.
		const args: (string | number | Buffer)[] = [];
		for (const op of ops) {
			switch (op.op) {
				case "get":
				case "getVersioned":
				case "del":
					args.push(op.op, "", "");
					break;
				case "laneDone":
					requirePositive("laneDone: seq", op.value);
					args.push(op.op, op.value, requireTtl(op.ttlMs));
					break;
				case "expire":
					args.push(op.op, "", requireTtl(op.ttlMs));
					break;
				case "dropHead":
					requirePositive("count", op.count);
					args.push(op.op, op.count, "");
					break;
				case "set":
				case "setIfAbsent":
					args.push(op.op, encode(op.value), optionalTtl(op.ttlMs));
					break;
				case "appendOnce":
					args.push(op.op, encode(op.value), optionalTtl(op.ttlMs), op.entries.length);
					for (const e of op.entries) {
						if (!e.fields.length || e.fields.length % 2) throw new RangeError(`appendOnce: an entry of ${e.stream} needs name, value pairs`);
						args.push(e.stream, e.fields.length, ...e.fields);
					}
					break;
				case "append":
					args.push(op.op, encode(op.value), "");
					break;
				case "setMax":
					if (!Number.isFinite(op.value)) throw new RangeError(`setMax: value must be a finite number, got ${op.value}`);
					args.push(op.op, op.value, optionalTtl(op.ttlMs));
					break;
				default:
					throw new TypeError(`batch: unknown op ${(op as { op: unknown }).op}`);
			}
		}
		// One script rather than a pipeline: a single command costs the client far less CPU.
		const replies = await this.send(opts.gathered === true, () => this.client.agentStoreBatch(ops.length, ...ops.map(op => op.key), ...args));
		return ops.map((op, i) => {
			const reply = replies[i];
			switch (op.op) {
				case "get":
					return decode((reply as string | null) ?? null);
				case "getVersioned": {
					if (!reply) return null;
					const [version, data] = reply as [string, string];
					return { version: Number(version), value: JSON.parse(data) };
				}
				case "set":
				case "laneDone":
				case "dropHead":
					return true;
				case "del":
				case "setMax":
				case "expire":
					return reply === 1;
				case "append":
					return reply as number;
				default: {
					const [written, data] = reply as [number, string | null];
					return { written: written === 1, value: decode(data ?? null) };
				}
			}
		});
	}

	/**
	 * Issues a command, bypassing auto-pipelining when `now`: ioredis reads the option as each
	 * command is issued, and the command is issued synchronously. A gathered batch held for the
	 * next turn cost the gateway a turn of the event loop and a pipeline per batch for nothing:
	 * about a sixth of its throughput.
	 */
	private send<T>(now: boolean, issue: () => Promise<T>): Promise<T> {
		const options = this.client.options;
		if (!now || !options.enableAutoPipelining) return issue();
		options.enableAutoPipelining = false;
		try {
			return issue();
		} finally {
			options.enableAutoPipelining = true;
		}
	}

	async takeSlot(gates: RateGateSpec[]): Promise<number> {
		const specs = gateSpecs(gates);
		return this.client.agentStoreTakeSlot(specs.length, ...specs.map(g => g.key), ...specs.flatMap(g => [g.intervalMs, g.tolerance]));
	}

	async appendCapped<T = unknown>(key: string, value: T, maxLength: number): Promise<number> {
		requireMaxLength(maxLength);
		return this.client.agentStoreAppendCapped(key, encode(value), maxLength);
	}

	isReady(): boolean {
		return this.client.status === "ready";
	}

	async close(): Promise<void> {
		if (this.client.status === "end") return;
		if (this.client.status !== "ready") {
			// QUIT would wait in the offline queue for a connection that may never come back.
			this.client.disconnect();
			return;
		}
		// QUIT resolves on its reply, but the status only turns "end" once the socket has closed.
		const ended = new Promise((resolve) => this.client.once("end", resolve));
		try {
			await this.client.quit();
		} catch {
			this.client.disconnect();
		}
		await ended;
	}
}

function encode(value: unknown): string {
	const data = JSON.stringify(value);
	if (data === undefined) throw new TypeError("Store values must be JSON-serialisable");
	return data;
}

function decode<T>(data: string | null): T | null {
	return data === null ? null : (JSON.parse(data) as T);
}

/** Checked here so that a bad TTL fails the same way as in MemoryStore, not as a Redis error. */
function requireTtl(ttlMs: number): number {
	if (!Number.isFinite(ttlMs) || ttlMs <= 0) throw new RangeError(`ttlMs must be a positive number, got ${ttlMs}`);
	return Math.ceil(ttlMs);
}

/** Scripts take an empty string for "no expiry". */
function optionalTtl(ttlMs: number | undefined): number | "" {
	return ttlMs === undefined ? "" : requireTtl(ttlMs);
}

function redact(url: string): string {
	try {
		const parsed = new URL(url);
		if (parsed.password) parsed.password = "***";
		return parsed.toString();
	} catch {
		return url;
	}
}
