/**
 * Gives a service `this.publish(type, data, opts)`: the event is built and validated against its
 * contract before it leaves (a bad event throws here, in the producer, not in some consumer), then
 * sent on the durable channel named after its type (or its share of a partitioned type).
 */
import type { ServiceSchema, Service } from "moleculer";
import { RedisChannelAdapter } from "../adapters/channels/redis-adapter";
import type { StreamEntry } from "../adapters/store/store";
import { RedisStore } from "../adapters/store/redis-store";
import { channelOf, createEvent, type CloudEvent, type CreateEventOptions, type EventPayloads, type EventType } from "../contracts/events";

export interface EventsMethods {
	publish<T extends EventType>(
		type: T,
		data: EventPayloads[T],
		opts?: Omit<CreateEventOptions, "source">
	): Promise<CloudEvent<EventPayloads[T]>>;
}

export async function publishEvent<T extends EventType>(
	broker: Service["broker"],
	source: string,
	type: T,
	data: EventPayloads[T],
	opts: Omit<CreateEventOptions, "source"> = {}
): Promise<CloudEvent<EventPayloads[T]>> {
	const event = createEvent(type, data, { ...opts, source });
	await broker.sendToChannel(channelOf(type, data), event);
	return event;
}

/**
 * Publishing as stream entries that the caller appends itself, in the same atomic step as its own
 * store writes (`appendOnce`): the webhook's exactly-once accept in one round trip.
 */
export interface StreamPublisher {
	/** The entry that publishes the event `publishEvent` would build (validated the same way). */
	entry<T extends EventType>(type: T, data: EventPayloads[T], opts?: Omit<CreateEventOptions, "source">): StreamEntry;
	/** Counts appended entries in the channels' `messages.sent` metric, as `sendToChannel` does. */
	sent(entries: StreamEntry[]): void;
}

/** Only where the durable channels are Redis Streams on the store's own server; null elsewhere. */
export function streamPublisher(broker: Service["broker"], source: string): StreamPublisher | null {
	const adapter = (broker as unknown as { channelAdapter?: unknown }).channelAdapter;
	const store = broker.store;
	if (!(adapter instanceof RedisChannelAdapter) || !(store instanceof RedisStore) || !adapter.serves(store.url)) return null;
	const channels = new Map<string, string>();
	return {
		entry(type, data, opts = {}) {
			const channel = channelOf(type, data);
			const entry = adapter.entryFor(channel, createEvent(type, data, { ...opts, source }));
			channels.set(entry.stream, channel);
			return entry;
		},
		sent(entries) {
			if (!broker.isMetricsEnabled()) return;
			for (const e of entries) broker.metrics.increment(CHANNEL_MESSAGES_SENT, { channel: channels.get(e.stream) ?? e.stream }, 1);
		}
	};
}

/** The channels middleware's own metric name (its constants are not exported in its types). */
const CHANNEL_MESSAGES_SENT = "moleculer.channels.messages.sent";

export const EventsMixin: ServiceSchema = {
	name: "events-mixin",
	methods: {
		publish(this: Service, type: EventType, data: never, opts?: Omit<CreateEventOptions, "source">) {
			return publishEvent(this.broker, `/agent-store/${this.name}`, type, data, opts);
		}
	}
};
