/** The channels Redis Streams adapter, refusing (not dropping) a publish while it stops. */
import { Adapters } from "@moleculer/channels";
import { assertCanPublish } from "./unavailable";

const RedisAdapterBase = Adapters.Redis as unknown as new (opts: object) => {
	stopping?: boolean;
	connected: boolean;
	publish(channel: string, payload: unknown, opts?: object): Promise<void>;
};

export class RedisChannelAdapter extends RedisAdapterBase {
	override async publish(channel: string, payload: unknown, opts?: object): Promise<void> {
		assertCanPublish(this, channel);
		return super.publish(channel, payload, opts);
	}
}
