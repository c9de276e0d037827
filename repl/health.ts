import type { ServiceBroker } from "moleculer";
import { healthReport } from "../gateway/health";
import type { ReplCommand } from "./types";

export async function renderHealth(broker: ServiceBroker): Promise<string> {
	const h = healthReport(broker);
	const lines = [
		`ready        ${h.ready ? "yes" : `no (${h.reasons.join("; ")})`}`,
		`node         ${h.nodeID} (${h.broker})`,
		`transporter  ${h.transporter}`,
		`store        ${h.store.kind}, ${h.store.ready ? "ready" : "NOT ready"}`,
		`channels     ${h.channels}`,
		"",
		"nodes:"
	];
	type NodeInfo = { id: string; available: boolean; local: boolean; hostname?: string };
	const nodes = (broker.registry as unknown as { getNodeList(o: object): NodeInfo[] }).getNodeList({ onlyAvailable: false, withServices: false });
	for (const n of nodes) lines.push(`  ${n.id}${n.local ? " (this)" : ""}  ${n.available ? "available" : "UNAVAILABLE"}`);
	type ServiceInfo = { name: string; nodeID?: string; available?: boolean };
	const services = broker.registry.getServiceList({ onlyLocal: false, onlyAvailable: false, skipInternal: true, withActions: false }) as ServiceInfo[];
	const byName = new Map<string, string[]>();
	for (const s of services) byName.set(s.name, [...(byName.get(s.name) ?? []), s.nodeID ?? "?"]);
	lines.push("", "services:");
	for (const [name, onNodes] of [...byName].sort(([a], [b]) => a.localeCompare(b)))
		lines.push(`  ${name.padEnd(22)} ${onNodes.join(", ")}`);
	return lines.join("\n");
}

export const healthCommands: ReplCommand[] = [
	{
		command: "health",
		description: "Transporter, store, channels, nodes and services",
		run: broker => renderHealth(broker)
	}
];
