/**
 * Gives a service `this.publish(type, data, opts)`: the event is built and validated against its
 * contract before it leaves (a bad event throws here, in the producer, not in some consumer), then
 * sent on the durable channel named after its type (or its share of a partitioned type).
 */
import type { ServiceSchema, Service } from "moleculer";
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

export const EventsMixin: ServiceSchema = {
	name: "events-mixin",
	methods: {
		publish(this: Service, type: EventType, data: never, opts?: Omit<CreateEventOptions, "source">) {
			return publishEvent(this.broker, `/agent-store/${this.name}`, type, data, opts);
		}
	}
};
