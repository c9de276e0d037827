/** Readiness is a pure function of the broker's parts, so the REPL and the HTTP probe agree. */
import type { ServiceBroker } from "moleculer";
import type { NatsLink } from "../adapters/nats-link";
import { transporterLink } from "../middlewares/nats-links";

export interface HealthReport {
	ready: boolean;
	reasons: string[];
	broker: "started" | "stopping" | "stopped";
	transporter: "connected" | "disconnected" | "none";
	store: { kind: "memory" | "redis"; ready: boolean };
	channels: "connected" | "disconnected";
	nodeID: string;
}

export function healthReport(broker: ServiceBroker): HealthReport {
	const reasons: string[] = [];
	const b = broker as ServiceBroker & { stopping?: boolean; started?: boolean };
	const state = b.stopping ? "stopping" : b.started ? "started" : "stopped";
	if (state !== "started") reasons.push(`broker is ${state}`);

	// Moleculer's `transit.connected` says the first connect happened; the NATS link says the
	// connection is up now (it stays true through an outage otherwise).
	const transit = broker.transit as { connected?: boolean } | undefined;
	const link = transporterLink(broker);
	const transporter = transit ? (transit.connected && (link?.connected ?? true) ? "connected" : "disconnected") : "none";
	if (transporter === "disconnected") reasons.push(`transporter is not connected${detail(link)}`);

	const store = broker.store;
	const storeReady = store ? store.isReady() : false;
	if (!storeReady) reasons.push(`${store?.kind ?? "store"} store is not ready`);

	const adapter = broker.channelAdapter as (typeof broker.channelAdapter & { link?: NatsLink | null }) | undefined;
	const channels = adapter?.connected ? "connected" : "disconnected";
	if (channels !== "connected") reasons.push(`channel adapter is not connected${detail(adapter?.link)}`);

	return {
		ready: reasons.length === 0,
		reasons,
		broker: state,
		transporter,
		store: { kind: store?.kind ?? "memory", ready: storeReady },
		channels,
		nodeID: broker.nodeID
	};
}

function detail(link: NatsLink | null | undefined): string {
	const reason = link?.reason();
	return reason ? ` (${reason})` : "";
}
