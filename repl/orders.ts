/** Operators' order commands: list orders, show one, and move it through its lifecycle. */
import type { ServiceBroker } from "moleculer";
import type { OrderView } from "../services/orders.service";
import { formatMoney } from "../contracts/catalog";
import { variantLabel } from "../contracts/conversation";
import { ORDER_STATES } from "../machines/order.machine";
import { BRANDS } from "../agents/personas";
import { restWords } from "./args";
import type { ReplArgs, ReplCommand } from "./types";

const ORDER_USAGE =
	"usage: order <id> | order <id> pay [paymentRef] | order <id> ship <carrier> <tracking number> | order <id> deliver | order <id> cancel [reason] | order <id> address <new address>";

function summary(o: OrderView): string {
	return `${o.id}  ${o.status.padEnd(9)}  ${o.brand.padEnd(7)}  ${formatMoney(o.total, o.currency).padStart(10)}  ${o.createdAt}`;
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
		"items",
		...o.items.map(l => `  ${l.qty} × ${l.sku} ${l.name}${variantLabel(l) ? ` (${variantLabel(l)})` : ""}  ${money(l.unitPrice)}  = ${money(l.lineTotal)}`),
		`subtotal  ${money(o.subtotal)}`,
		`discount  ${money(o.discount)}${o.promoCode ? ` (${o.promoCode})` : ""}`,
		`total     ${money(o.total)}`,
		"history",
		...o.history.map(h => `  ${h.at}  ${h.event.padEnd(7)} ${h.from ?? "-"} → ${h.to}  (${h.source})`)
	];
	return lines.join("\n");
}

export async function runOrders(broker: ServiceBroker, args: ReplArgs): Promise<string> {
	const params: Record<string, unknown> = {};
	const { status, brand, limit } = args.options;
	if (status !== undefined) {
		if (!ORDER_STATES.includes(String(status) as never)) return `--status must be one of ${ORDER_STATES.join(", ")}`;
		params.status = String(status);
	}
	if (brand !== undefined) {
		// The service matches any string, so a typo would list no orders as if there were none.
		if (!BRANDS.includes(String(brand))) return `Unknown brand '${String(brand)}': expected one of ${BRANDS.join(", ")}`;
		params.brand = String(brand);
	}
	if (limit !== undefined) {
		const n = Number(limit);
		if (!Number.isInteger(n) || n < 1 || n > 500) return "--limit must be an integer from 1 to 500";
		params.limit = n;
	}
	const { items, total } = await broker.call<{ items: OrderView[]; total: number }, object>("orders.list", params);
	if (!total) return "No orders.";
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
		case "pay":
			order = await broker.call<OrderView, object>("orders.pay", { id, paymentRef: rest[0] ?? "manual (REPL)" });
			break;
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
			{ option: "--limit <n>", description: "at most n orders" }
		],
		run: runOrders
	},
	{
		command: "order <id> [action] [a1] [a2]",
		description: "Show an order (state, history, totals), or pay | ship <carrier> <tracking number> | deliver | cancel [reason] | address <new address>",
		run: runOrder
	}
];
