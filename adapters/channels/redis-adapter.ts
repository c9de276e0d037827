/**
 * The channels Redis Streams adapter, refusing (not dropping) a publish while it stops, and
 * auto-pipelining its publishing client: a webhook publishes two events, and concurrent webhooks
 * publish at once, so their XADDs share one write to Redis instead of one system call each.
 */
import { Adapters } from "@moleculer/channels";
import { assertCanPublish } from "./unavailable";

interface RedisClient {
	options: { enableAutoPipelining?: boolean };
}

const RedisAdapterBase = Adapters.Redis as unknown as new (opts: object) => {
	stopping?: boolean;
	connected: boolean;
	pubName: string;
	publish(channel: string, payload: unknown, opts?: object): Promise<void>;
	createRedisClient(name: string, opts: unknown): Promise<RedisClient>;
};

export class RedisChannelAdapter extends RedisAdapterBase {
	override async publish(channel: string, payload: unknown, opts?: object): Promise<void> {
		assertCanPublish(this, channel);
		return super.publish(channel, payload, opts);
	}

	override async createRedisClient(name: string, opts: unknown): Promise<RedisClient> {
		const client = await super.createRedisClient(name, opts);
		// ioredis reads this option on every command; only the publisher's commands are independent.
		if (name === this.pubName) client.options.enableAutoPipelining = true;
		return client;
	}
}
