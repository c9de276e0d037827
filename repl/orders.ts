/** Operators' order commands: list orders, show one, and move it through its lifecycle. */
import type { ServiceBroker } from "moleculer";
import { owesRefund, type OrderHistoryEntry, type OrderRefund, type OrderView } from "../services/orders.service";
import { formatMoney } from "../contracts/catalog";
import { variantLabel } from "../contracts/conversation";
import { ORDER_STATES } from "../machines/order.machine";
import { BRANDS } from "../agents/personas";
import { restWords } from "./args";
import type { ReplArgs, ReplCommand } from "./types";

const ORDER_USAGE =
	"usage: order <id> | order <id> pay [paymentRef] | order <id> ship <carrier> <tracking number> | order <id> deliver | order <id> cancel [reason] | order <id> address <new address> | order <id> refunded <paymentRef> [refund ref]";

const REFUND_WHY: Record<OrderRefund["reason"], string> = {
	cancelled_after_payment: "cancelled after it was paid",
	paid_after_cancellation: "paid after it was cancelled",
	paid_twice: "paid again with another payment"
};

/** The refunds owed and not yet made, in money. */
function refundDue(o: OrderView): number {
	return (o.refunds ?? []).filter(r => !r.refundedAt).reduce((sum, r) => sum + r.amount, 0);
}

function summary(o: OrderView): string {
	const due = owesRefund(o) ? `  refund due ${formatMoney(refundDue(o), o.currency)}` : "";
	return `${o.id}  ${o.status.padEnd(9)}  ${o.brand.padEnd(7)}  ${formatMoney(o.total, o.currency).padStart(10)}  ${o.createdAt}${due}`;
}

function refundLine(r: OrderRefund, money: (n: number) => string): string {
	const why = `${REFUND_WHY[r.reason]}${r.note ? `: ${r.note}` : ""}`;
	const state = r.refundedAt ? `refunded ${r.refundedAt}${r.refundRef ? ` (${r.refundRef})` : ""}` : `OWED since ${r.at}`;
	return `refund    ${money(r.amount)} for payment ${r.paymentRef}, ${why}; ${state}`;
}

function historyDetail(h: OrderHistoryEntry, money: (n: number) => string): string {
	if (h.refund) return `  ${h.event === "REFUND" ? "refunded" : "refund owed"} ${money(h.refund.amount)} (${h.refund.paymentRef})`;
	if (h.paymentRef) return `  ${h.paymentRef}`;
	if (h.tracking) return `  ${h.tracking.carrier} ${h.tracking.trackingNumber}`;
	return "";
}

export function renderOrder(o: OrderView): string {
	const money = (n: number) => formatMoney(n, o.currency);
	const lines = [
		`order     ${o.id}`,
		`state     ${o.status}`,
		`customer  ${o.brand} / ${o.waId.replace(/\d(?=\d{4})/g, "•")}`,
		...(o.deliverTo ? [`deliver   ${o.deliverTo}`] : []),
		...(o.status === "pending" && o.payBy ? [`pay by    ${o.payBy}  (then cancelled as not paid in time)`] : []),
		...(o.paymentRef ? [`payment   ${o.paymentRef}`] : []),
		...(o.carrier ? [`shipping  ${o.carrier} ${o.trackingNumber}`] : []),
		...(o.cancelReason ? [`cancelled ${o.cancelReason}`] : []),
		...(o.refunds ?? []).map(r => refundLine(r, money)),
		"items",
		...o.items.map(l => `  ${l.qty} × ${l.sku} ${l.name}${variantLabel(l) ? ` (${variantLabel(l)})` : ""}  ${money(l.unitPrice)}  = ${money(l.lineTotal)}`),
		`subtotal  ${money(o.subtotal)}`,
		`discount  ${money(o.discount)}${o.promoCode ? ` (${o.promoCode})` : ""}`,
		`total     ${money(o.total)}`,
		"history",
		...o.history.map(h => `  ${h.at}  ${h.event.padEnd(7)} ${h.from ?? "-"} → ${h.to}  (${h.source})${historyDetail(h, money)}`)
	];
	return lines.join("\n");
}

export async function runOrders(broker: ServiceBroker, args: ReplArgs): Promise<string> {
	const params: Record<string, unknown> = {};
	const { status, brand, limit, refundDue: owing } = args.options;
	if (status !== undefined) {
		if (!ORDER_STATES.includes(String(status) as never)) return `--status must be one of ${ORDER_STATES.join(", ")}`;
		params.status = String(status);
	}
	if (brand !== undefined) {
		// The service matches any string, so a typo would list no orders as if there were none.
		if (!BRANDS.includes(String(brand))) return `Unknown brand '${String(brand)}': expected one of ${BRANDS.join(", ")}`;
		params.brand = String(brand);
	}
	if (owing) params.refundDue = true;
	if (limit !== undefined) {
		const n = Number(limit);
		if (!Number.isInteger(n) || n < 1 || n > 500) return "--limit must be an integer from 1 to 500";
		params.limit = n;
	}
	const { items, total } = await broker.call<{ items: OrderView[]; total: number }, object>("orders.list", params);
	if (!total) return owing ? "No refunds due." : "No orders.";
	return [`${total} order(s)${total > items.length ? `, showing ${items.length}` : ""}:`, ...items.map(summary)].join("\n");
}

export async function runOrder(broker: ServiceBroker, args: ReplArgs): Promise<string> {
	const id = typeof args.id === "string" ? args.id.trim() : "";
	if (!id) return ORDER_USAGE;
	const action = typeof args.action === "string" ? args.action : undefined;
	const rest = restWords(args, 3, ["a1", "a2"]);
	let order: OrderView;
	switch (action) {
		case undefined:
			order = await broker.call<OrderView, object>("orders.get", { id });
			break;
		case "pay": {
			if (!rest[0]) {
				// A payment is a fact: one more on an order past pending is owed back. Marking a paid
				// order paid again, with a made-up reference, would invent a refund.
				const current = await broker.call<OrderView, object>("orders.get", { id });
				if (current.status !== "pending") return `Order ${id} is ${current.status}${current.paymentRef ? ` (paid: ${current.paymentRef})` : ""}; to record another payment, which will be owed back, give its reference: order ${id} pay <paymentRef>`;
			}
			order = await broker.call<OrderView, object>("orders.pay", { id, paymentRef: rest[0] ?? "manual (REPL)" });
			break;
		}
		case "ship":
			if (rest.length < 2) return ORDER_USAGE;
			// Carriers print tracking numbers in groups ("1Z 999 AA1 01 2345 6784"): the rest of the line is one.
			order = await broker.call<OrderView, object>("orders.ship", { id, carrier: rest[0], trackingNumber: rest.slice(1).join(" ") });
			break;
		case "deliver":
			order = await broker.call<OrderView, object>("orders.deliver", { id });
			break;
		case "cancel":
			order = await broker.call<OrderView, object>("orders.cancel", { id, reason: rest.join(" ") || "cancelled by an operator" });
			break;
		case "address":
			if (!rest.length) return ORDER_USAGE;
			order = await broker.call<OrderView, object>("orders.setAddress", { id, deliverTo: rest.join(" ") });
			break;
		case "refunded":
			if (!rest[0]) return ORDER_USAGE;
			order = await broker.call<OrderView, object>("orders.refunded", { id, paymentRef: rest[0], ...(rest[1] ? { refundRef: rest.slice(1).join(" ") } : {}) });
			break;
		default:
			return ORDER_USAGE;
	}
	return renderOrder(order);
}

export const ordersCommands: ReplCommand[] = [
	{
		command: "orders",
		description: "List orders (newest first)",
		options: [
			{ option: "--status <status>", description: `only this state: ${ORDER_STATES.join(", ")}` },
			{ option: "--brand <brand>", description: "only this brand" },
			{ option: "--refund-due", description: "only orders that owe a refund not yet made" },
			{ option: "--limit <n>", description: "at most n orders" }
		],
		run: runOrders
	},
	{
		command: "order <id> [action] [a1] [a2]",
		description: "Show an order (state, history, totals, refunds owed), or pay | ship <carrier> <tracking number> | deliver | cancel [reason] | address <new address> | refunded <paymentRef> [refund ref]",
		run: runOrder
	}
];
