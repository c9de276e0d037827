/**
 * Human sellers from the REPL: the queues, who is online with what load, and handing an escalation
 * to a seller. Through `broker.call` only, so it works from a REPL node that joined the cluster.
 */
import type { ServiceBroker } from "moleculer";
import type { EscalationView, SellerView } from "../contracts/sales-assistant";
import { restWords } from "./args";
import type { ReplArgs, ReplCommand } from "./types";

const age = (ms: number) => (ms < 60_000 ? `${Math.max(0, Math.round(ms / 1000))}s` : `${Math.round(ms / 60_000)}m`);

function line(e: EscalationView, now: number): string {
	const who = e.state === "offered" ? `  offered to ${e.offeredTo}` : e.state === "active" ? `  with ${e.sellerId}` : "";
	return `${e.id}  ${e.brand}  ${e.state}  p${e.priority}  waiting ${age(now - e.waitingSince)}  ${e.reason}  ${e.customer.name ?? "-"} ${e.customer.masked}${who}`;
}

export async function runEscalations(broker: ServiceBroker, args: ReplArgs): Promise<string> {
	const brand = args.options.brand;
	if (brand !== undefined && (typeof brand !== "string" || !/^[a-z][a-z0-9-]{0,31}$/.test(brand))) return "usage: escalations [--brand b]";
	const queue = await broker.call<EscalationView[], object>("sales-assistant.queue", brand ? { brand } : {});
	if (!queue.length) return `No escalation waiting${brand ? ` for ${brand}` : ""}.`;
	const now = Date.now();
	return [`${queue.length} escalation(s) waiting:`, ...queue.map(e => line(e, now))].join("\n");
}

export async function runSellers(broker: ServiceBroker): Promise<string> {
	const sellers = await broker.call<SellerView[]>("sales-assistant.sellers");
	if (!sellers.length) return "No sellers configured (SELLERS_FILE).";
	return sellers.map(s => `${s.id}  ${s.online ? (s.paused ? "paused " : "online ") : "offline"}  load ${s.load}/${s.capacity}  ${s.brands.join(",")}  ${s.name}`).join("\n");
}

export async function runAssign(broker: ServiceBroker, args: ReplArgs): Promise<string> {
	const escalationId = typeof args.escalation === "string" ? args.escalation : undefined;
	const sellerId = typeof args.seller === "string" ? args.seller : undefined;
	if (!escalationId || !sellerId) return "usage: assign <escalation> <seller> [--force]";
	const view = await broker.call<EscalationView, object>("sales-assistant.assign", { escalationId, sellerId, by: "repl", ...(args.options.force ? { force: true } : {}) });
	return `${view.id} assigned to ${view.sellerId} (${view.sellerName ?? "?"}).`;
}

export async function runCancel(broker: ServiceBroker, args: ReplArgs): Promise<string> {
	const escalationId = typeof args.escalation === "string" ? args.escalation : undefined;
	if (!escalationId) return "usage: cancel <escalation> [note]";
	const note = restWords(args, 2, ["note"]).join(" ").trim();
	const view = await broker.call<EscalationView, object>("sales-assistant.cancel", { escalationId, by: "repl", ...(note ? { note } : {}) });
	return `${view.id} cancelled: ${view.conversationId} is back with the AI seller.`;
}

export const escalationCommands: ReplCommand[] = [
	{
		command: "escalations",
		description: "Escalations waiting for a human seller, by priority then age",
		options: [{ option: "--brand <brand>", description: "only this brand's queue" }],
		run: runEscalations
	},
	{ command: "sellers", description: "Human sellers: online, load and capacity", run: broker => runSellers(broker) },
	{
		command: "assign <escalation> <seller>",
		description: "Hand an escalation to a seller (one with the console open)",
		options: [{ option: "--force", description: "assign a seller who is not connected yet" }],
		run: runAssign
	},
	{ command: "cancel <escalation> [note...]", description: "Withdraw a waiting escalation (queued or offered): back to the AI seller", run: runCancel }
];
