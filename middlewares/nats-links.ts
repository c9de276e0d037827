/**
 * Follows the NATS transporter's connection (`NatsLink`): the readiness probe reads it through
 * `transporterLink(broker)`, and its loss and return are logged once each. Moleculer's NATS
 * transporter with nats 2.x leaves `transit.connected` true through an outage.
 * (The channels' JetStream connection is followed by `NatsChannelAdapter` itself.)
 */
import type { Middleware, ServiceBroker } from "moleculer";
import type { NatsConnection } from "nats";
import { NatsLink } from "../adapters/nats-link";

const links = new WeakMap<ServiceBroker, NatsLink>();

/** The transporter's NATS link, where the transporter is NATS. */
export function transporterLink(broker: ServiceBroker): NatsLink | undefined {
	return links.get(broker);
}

type TransitLike = { tx?: { client?: unknown } };

function natsClient(broker: ServiceBroker): NatsConnection | null {
	const client = (broker.transit as unknown as TransitLike | undefined)?.tx?.client as Partial<NatsConnection> | undefined;
	return client && typeof client.status === "function" && typeof client.closed === "function" ? (client as NatsConnection) : null;
}

export function NatsLinksMiddleware(): Middleware {
	let broker: ServiceBroker;
	const follow = () => {
		const client = natsClient(broker);
		if (!client) return;
		let link = links.get(broker);
		if (!link) {
			link = new NatsLink("NATS transporter", broker.getLogger("nats"));
			links.set(broker, link);
		}
		link.watch(client);
	};
	return {
		name: "NatsLinks",
		created(b: ServiceBroker) {
			broker = b;
			// Also after Moleculer's own reconnect (a first connect that failed makes a new client).
			if (broker.transit) broker.localBus.on("$transporter.connected", follow);
		},
		started: follow,
		stopping() {
			const link = links.get(broker);
			if (link) link.closing = true;
		}
	} as unknown as Middleware;
}
