import type { ServiceBroker } from "moleculer";
import { BRANDS } from "../agents/personas";
import { maskPhones } from "../agents/guardrails";
import { aiSellerServiceName } from "../contracts/services";
import { CONVERSATION_STATES, type ConversationContext, type TranscriptLine } from "../contracts/conversation";
import type { ReplArgs, ReplCommand } from "./types";

const CONV_USAGE = "usage: conv <brand:wa_id> [escalate|close]";
/** Conversations listed per brand unless `--limit` says otherwise. */
const LIST_DEFAULT = 20;
const ID = /^([a-z][a-z0-9-]{0,31}):(\d{5,20})$/;

interface Row {
	id: string;
	brand: string;
	state: string;
	turn: number;
	lastInboundAt: number | null;
	cartItems: number;
}

/** Masks a wa_id in printed ids: an operator's screen is a log too. */
const masked = (id: string) => id.replace(/(\d{2})\d+(\d{4})$/, "$1••••$2");

export async function runConversations(broker: ServiceBroker, args: ReplArgs): Promise<string> {
	const brand = typeof args.options.brand === "string" ? args.options.brand : undefined;
	const state = typeof args.options.state === "string" ? args.options.state : undefined;
	const limitOption = args.options.limit;
	const limit = limitOption === undefined ? LIST_DEFAULT : Number(limitOption);
	if (brand && !BRANDS.includes(brand)) return `Unknown brand '${brand}': expected one of ${BRANDS.join(", ")}`;
	// The services list nothing for a state they do not know, which reads as "none in that state".
	if (state && !(CONVERSATION_STATES as readonly string[]).includes(state)) return `Unknown state '${state}': expected one of ${CONVERSATION_STATES.join(", ")}`;
	if (!Number.isInteger(limit) || limit < 1 || limit > 500) return `--limit must be a whole number from 1 to 500, got '${String(limitOption)}'`;
	const rows: Row[] = [];
	let total = 0;
	const missing: string[] = [];
	for (const b of brand ? [brand] : BRANDS) {
		try {
			const page = await broker.call<{ items: Row[]; total: number }, object>(`${aiSellerServiceName(b)}.list`, { limit, ...(state ? { state } : {}) });
			rows.push(...page.items);
			total += page.total;
		} catch (err) {
			if ((err as { type?: string }).type !== "SERVICE_NOT_FOUND") throw err;
			missing.push(aiSellerServiceName(b));
		}
	}
	const note = missing.length ? `\n(not running: ${missing.join(", ")})` : "";
	if (!rows.length) return `No conversations${state ? ` in state ${state}` : ""}.${note}`;
	const lines = rows.map(r => `${masked(r.id)}  ${r.state}  turn=${r.turn}  cart=${r.cartItems}  last=${r.lastInboundAt ? new Date(r.lastInboundAt).toISOString() : "-"}`);
	const head = rows.length < total ? `${rows.length} of ${total} conversation(s), the newest ${limit} of each brand (--limit for more):` : `${rows.length} conversation(s):`;
	return [head, ...lines].join("\n") + note;
}

const LINE_MAX = 120;
/**
 * One transcript line for the operator: who, what (phone numbers masked, cut short), when. Only
 * phone numbers: order ids and tracking numbers carry long digit runs too, and the operator reads
 * them to find the order. Masked before the cut, so that a number cut in half is still caught.
 */
function transcriptLine(l: TranscriptLine): string {
	const raw = maskPhones((l.text || (l.choiceId ? `[tap ${l.choiceId}]` : "")).replace(/\s+/g, " "));
	const text = raw.length > LINE_MAX ? `${raw.slice(0, LINE_MAX - 1)}…` : raw;
	return `  #${l.seq} ${new Date(l.at).toISOString().slice(11, 19)} ${l.from}: ${text}`;
}

export async function runConv(broker: ServiceBroker, args: ReplArgs): Promise<string> {
	const id = typeof args.id === "string" ? args.id : "";
	const m = ID.exec(id);
	if (!m) return CONV_USAGE;
	const service = aiSellerServiceName(m[1]!);
	const action = typeof args.action === "string" ? args.action : undefined;
	if (action === "escalate" || action === "close") {
		const res = await broker.call<{ state: string; published: number }, object>(`${service}.send`, {
			id,
			type: action === "escalate" ? "ESCALATE" : "CLOSE",
			...(action === "escalate" ? { detail: "escalated by an operator" } : {})
		});
		return `${masked(id)}: now ${res.state} (${res.published} event(s) published).`;
	}
	if (action !== undefined) return CONV_USAGE;
	const c = await broker.call<{ id: string; state: string; version: number; context: ConversationContext; messages?: TranscriptLine[] }, object>(`${service}.get`, { id });
	const ctx = c.context;
	return [
		`${masked(id)}  state=${c.state}  snapshot v${c.version}`,
		`brand: ${ctx.brand ?? "(not chosen)"}  customer: ${ctx.customer.name ?? "-"}  language: ${ctx.lang ?? "-"}  turn: ${ctx.turn}${ctx.pendingTurn !== null ? ` (pending ${ctx.pendingTurn})` : ""}`,
		`cart: ${ctx.cart.length ? ctx.cart.map(l => `${l.qty}× ${l.name} (${l.sku}) ${(l.unitPrice / 100).toFixed(2)} ${l.currency}`).join("; ") : "empty"}${ctx.promoCode ? `  code: ${ctx.promoCode}` : ""}`,
		...(ctx.deliverTo ? [`deliver to: ${ctx.deliverTo}`] : []),
		`order: ${ctx.orderId ?? "-"}  sentiment: ${ctx.sentiment.map(s => s.toFixed(2)).join(", ") || "-"}  escalation: ${ctx.escalation ? ctx.escalation.reason : "-"}`,
		`last inbound: ${ctx.lastInboundAt ? new Date(ctx.lastInboundAt).toISOString() : "-"}  messages handled: ${ctx.handled.length}  waiting: ${ctx.inbox.length}`,
		...(c.messages?.length ? ["last messages:", ...c.messages.map(transcriptLine)] : ["last messages: none"])
	].join("\n");
}

export const conversationCommands: ReplCommand[] = [
	{
		command: "conversations",
		description: "AI seller conversations, by brand and state",
		options: [
			{ option: "--brand <brand>", description: "only this brand" },
			{ option: "--state <state>", description: "only this state (browsing, cart, escalated...)" },
			{ option: "--limit <n>", description: `the newest n of each brand (default ${LIST_DEFAULT}, at most 500)` }
		],
		run: runConversations
	},
	{
		command: "conv <id> [action]",
		description: "A conversation (brand:wa_id): state and context; `escalate` or `close` it",
		run: runConv
	}
];
