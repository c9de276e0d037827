/** Readiness is a pure function of the broker's parts, so the REPL and the HTTP probe agree. */
import type { ServiceBroker } from "moleculer";

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

	const transit = broker.transit as { connected?: boolean } | undefined;
	const transporter = transit ? (transit.connected ? "connected" : "disconnected") : "none";
	if (transporter === "disconnected") reasons.push("transporter is not connected");

	const store = broker.store;
	const storeReady = store ? store.isReady() : false;
	if (!storeReady) reasons.push(`${store?.kind ?? "store"} store is not ready`);

	const channels = broker.channelAdapter?.connected ? "connected" : "disconnected";
	if (channels !== "connected") reasons.push("channel adapter is not connected");

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
