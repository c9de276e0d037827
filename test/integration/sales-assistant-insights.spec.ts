/**
 * Insights through the sales-assistant service: a seller accepts and resolves escalations of real
 * conversations (the fashion AI seller, catalog, orders), and `store.sales.insight` events arrive on
 * a durable channel with the seller, the brand, the taken count, the time to accept, the time to
 * resolve and a conversion for an order created through an approved suggested action. Every event
 * must hold to its contract. Times run on a simulated clock, so the figures are exact.
 */
import assert from "node:assert/strict";
import type { ServiceBroker } from "moleculer";
import { EventTypes, validateEvent, type ChatMessageNewV1, type CloudEvent, type SalesInsightV1 } from "../../contracts/events";
import type { ConversationView, EscalationView, SuggestedActionView } from "../../contracts/sales-assistant";
import { publishEvent } from "../../mixins/events.mixin";
import CatalogService from "../../services/catalog.service";
import OrdersService from "../../services/orders.service";
import AiSellerFashion from "../../services/ai-seller-fashion.service";
import { createSalesAssistantService } from "../../services/sales-assistant.service";
import { readTranscript } from "../../adapters/transcript";
import { startBroker } from "../helpers/broker";
import { salesProbe, TestClock } from "../helpers/sales";
import { waitFor } from "../helpers/wait";

const ENV = { ESCALATION_SWEEP_MS: "20", SELLER_PRESENCE_TTL_MS: "3600000" };

describe("sales-assistant insights (store.sales.insight on a channel)", function () {
	this.timeout(30_000);
	let broker: ServiceBroker;
	const clock = new TestClock();
	const probe = salesProbe("insights-probe");
	let n = 0;

	before(async () => {
		broker = await startBroker({ env: ENV, services: [CatalogService, OrdersService, AiSellerFashion, createSalesAssistantService({ now: clock.now }), probe.schema] });
	});
	after(() => broker?.stop());

	const call = <T>(action: string, params: object = {}) => broker.call<T, object>(`sales-assistant.${action}`, params);
	const insights = () => probe.events[EventTypes.SalesInsight] as CloudEvent<SalesInsightV1>[];
	const insightOf = (kind: string, count: number) => waitFor(() => insights().filter(e => e.data.kind === kind)[count - 1], { message: `${kind} insight #${count}` });

	/** A customer message through the AI seller's channel, as the WhatsApp gateway publishes it. */
	async function say(waId: string, text: string): Promise<void> {
		const conversationId = `fashion:${waId}`;
		const messageId = `wamid.INSIGHTS${++n}`;
		const data: ChatMessageNewV1 = { conversationId, brand: "fashion", waId, customerName: "Maria Lopez", messageId, phoneNumberId: "100000000000001", kind: "text", text, receivedAt: Date.now() };
		await publishEvent(broker, "/test", EventTypes.ChatMessageNew, data, { id: `chat:${messageId}` });
		await waitFor(async () => (await readTranscript(broker.store, conversationId)).some(l => l.id === messageId));
	}

	/** A conversation the AI seller escalates; resolves with its queued escalation. */
	async function escalated(waId: string): Promise<EscalationView> {
		const id = `fashion:${waId}`;
		await say(waId, "hi");
		await waitFor(async () => (await broker.call<{ state: string }, object>("ai-seller-fashion.get", { id }).catch(() => null))?.state === "browsing");
		await broker.call("ai-seller-fashion.send", { id, type: "ESCALATE", detail: "asked for a person" });
		return waitFor(async () => (await call<EscalationView[]>("queue", { brand: "fashion" })).find(e => e.conversationId === id), { message: `${id} queued` });
	}

	/** The latest suggested action of this kind pushed to the seller for the conversation. */
	const suggested = (sellerId: string, conversationId: string, kind: SuggestedActionView["kind"]) =>
		waitFor(() => probe.frames("suggestions", { sellerId }).filter(f => f.conversationId === conversationId).at(-1)?.actions.find(a => a.kind === kind), {
			message: `a ${kind} suggestion`
		});

	it("accept and resolve publish the seller's taken count, time to accept and time to resolve; no conversion without an order", async () => {
		const esc = await escalated("15550008001");
		clock.advance(7_000);
		const conv = await call<ConversationView>("accept", { escalationId: esc.id, sellerId: "ana" });
		assert.equal(conv.escalation.state, "active");

		const taken = await insightOf("escalation.taken", 1);
		assert.deepEqual(validateEvent(taken), []);
		assert.equal(taken.type, EventTypes.SalesInsight);
		assert.deepEqual(taken.data, { brand: "fashion", sellerId: "ana", kind: "escalation.taken", metrics: { waitedMs: 7_000, taken: 1, avgAcceptMs: 7_000 } });

		clock.advance(40_000);
		await call("resolve", { conversationId: esc.conversationId, sellerId: "ana", to: "ai" });
		const resolved = await insightOf("escalation.resolved", 1);
		assert.deepEqual(validateEvent(resolved), []);
		assert.deepEqual(resolved.data, {
			brand: "fashion",
			sellerId: "ana",
			kind: "escalation.resolved",
			metrics: { handledMs: 40_000, converted: 0, resolved: 1, avgResolveMs: 40_000, conversions: 0, conversionRate: 0 }
		});
	});

	it("an order created through an approved suggested action counts as the seller's conversion", async () => {
		const waId = "15550008002";
		const esc = await escalated(waId);
		clock.advance(3_000);
		await call("accept", { escalationId: esc.id, sellerId: "ana" });
		const taken = await insightOf("escalation.taken", 2);
		assert.deepEqual(validateEvent(taken), []);
		assert.deepEqual(taken.data.metrics, { waitedMs: 3_000, taken: 2, avgAcceptMs: 5_000 });

		await say(waId, "I'd like the Quilted Puffer Jacket in size L in olive please");
		const add = await suggested("ana", esc.conversationId, "add_to_cart");
		assert.match((await call<{ result: string }>("approve", { conversationId: esc.conversationId, sellerId: "ana", actionId: add.id })).result, /Added 1× Quilted Puffer Jacket/);
		await say(waId, "ok I'll take it, send it to 12 Baker Street, London NW1 6XE");
		const order = await suggested("ana", esc.conversationId, "create_order");
		assert.match((await call<{ result: string }>("approve", { conversationId: esc.conversationId, sellerId: "ana", actionId: order.id })).result, /^Order ord_\w+ created/);

		clock.advance(60_000);
		await call("resolve", { conversationId: esc.conversationId, sellerId: "ana", to: "closed" });
		const resolved = await insightOf("escalation.resolved", 2);
		assert.deepEqual(validateEvent(resolved), []);
		assert.deepEqual(resolved.data, {
			brand: "fashion",
			sellerId: "ana",
			kind: "escalation.resolved",
			metrics: { handledMs: 60_000, converted: 1, resolved: 2, avgResolveMs: 50_000, conversions: 1, conversionRate: 0.5 }
		});
		// One insight per committed step: nothing was counted twice.
		assert.deepEqual(insights().map(e => e.data.kind), ["escalation.taken", "escalation.resolved", "escalation.taken", "escalation.resolved"]);
		assert.equal(new Set(insights().map(e => e.id)).size, 4);
	});
});
