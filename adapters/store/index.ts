import { MemoryStore } from "./memory-store";
import { RedisStore, type StoreLogger } from "./redis-store";
import type { Store } from "./store";

export type { LockHandle, Store, Versioned } from "./store";
export { MemoryStore, type MemoryStoreOptions } from "./memory-store";
export { RedisStore, type RedisConnectOptions, type RedisStoreOptions, type StoreLogger } from "./redis-store";

export interface CreateStoreOptions {
	/** Selects `RedisStore` when set; the in-process `MemoryStore` otherwise. */
	redisUrl?: string;
	prefix?: string;
	logger?: StoreLogger;
}

export function createStore(opts: CreateStoreOptions = {}): Store {
	if (opts.redisUrl) return new RedisStore(opts.redisUrl, { prefix: opts.prefix, logger: opts.logger });
	return new MemoryStore();
}
