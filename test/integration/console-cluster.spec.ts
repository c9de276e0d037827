/**
 * The console across nodes (NATS + Redis): two gateway nodes each run api + console, a third runs
 * the sales assistant and the AI seller. One seller has a tab on each gateway: pushes reach both,
 * presence is the sum of both nodes, and a gateway that stops takes only its own sockets away.
 */
import assert from "node:assert/strict";
import type { ServiceBroker, ServiceSchema } from "moleculer";
import { EventTypes } from "../../contracts/events";
import ConsoleService from "../../gateway/console.service";
import CatalogService from "../../services/catalog.service";
import OrdersService from "../../services/orders.service";
import SalesAssistantService from "../../services/sales-assistant.service";
import AiSellerFashion from "../../services/ai-seller-fashion.service";
import type { EscalationView, SellerView } from "../../contracts/sales-assistant";
import { BUSINESS } from "../fixtures/whatsapp";
import { customer, outbox, textOf } from "../helpers/ai-seller";
import { startBroker, testNamespace } from "../helpers/broker";
import { connectSeller, SELLERS, sellersFile, type SellerClient } from "../helpers/console-client";
import { infra } from "../helpers/infra";
import { startGateway } from "../helpers/whatsapp";
import { waitFor } from "../helpers/wait";

const token = (id: string) => SELLERS.find(s => s.id === id)!.token;

/**
 * JetStream refuses a publish to a subject no stream covers (503), and streams are created by
 * consumers: this sink consumes every event type, standing in for the consumers of a full
 * deployment that this test does not start (dlq, orders' own listeners...).
 */
const seenPushes: unknown[] = [];
const spy: ServiceSchema = { name: "push-spy", events: { "console.push"(this: any, ctx: any) { seenPushes.push(ctx.params.frame.type + "@" + this.broker.registry.events.getAllEndpoints("console.push").map((e: any) => e.id + ":" + e.isAvailable).join("|")); } } };
const sink: ServiceSchema = {
	name: "event-sink",
	channels: Object.fromEntries(Object.values(EventTypes).map(t => [t, { group: "event-sink", handler: async () => undefined }]))
};

describe("seller console across nodes (NATS + Redis)", function () {
	this.timeout(60_000);
	const brokers: ServiceBroker[] = [];
	const clients: SellerClient[] = [];
	let backoffice: ServiceBroker;
	let urlA: string;
	let urlB: string;
	let gwB: ServiceBroker;

	const online = async (id: string) => ((await backoffice.call<SellerView[]>("sales-assistant.sellers")).find(s => s.id === id)?.online ?? false);
	const view = (id: string) => backoffice.call<EscalationView, { id: string }>("sales-assistant.get", { id });

	before(async () => {
		const { natsUrl, redisUrl } = await infra();
		const env = { TRANSPORTER: natsUrl, REDIS_URL: redisUrl, NAMESPACE: testNamespace(), SELLERS_FILE: sellersFile(), ESCALATION_SWEEP_MS: "50", CONSOLE_PRESENCE_MS: "500" };
		backoffice = await startBroker({ env, verbose: true, nodeID: "backoffice", services: [SalesAssistantService, CatalogService, OrdersService, AiSellerFashion, sink, spy] });
		const a = await startGateway({ env, nodeID: "gw-a", withProbe: false, services: [ConsoleService] });
		const b = await startGateway({ env, nodeID: "gw-b", withProbe: false, services: [ConsoleService] });
		brokers.push(backoffice, a.broker, b.broker);
		urlA = a.url;
		urlB = b.url;
		gwB = b.broker;
	});
	after(async () => {
		await Promise.all(clients.map(c => c.close().catch(() => undefined)));
		for (const b of brokers.reverse()) await b.stop().catch(() => undefined);
	});

	it("keeps one seller's tabs on two nodes in sync and counts them together", async () => {
		const tabA = await connectSeller(urlA, token("ana"));
		const tabB = await connectSeller(urlB, token("ana"));
		clients.push(tabA, tabB);
		await waitFor(() => online("ana"), { message: "ana online" });

		const maria = customer("15550008001", { name: "Maria Lopez", phoneNumberId: BUSINESS.fashion });
		await maria.post(urlA, maria.text("I want to talk to a human please"));
		await new Promise(r => setTimeout(r, 4000));
		console.log("DBG outbox", JSON.stringify(await outbox(urlA, maria.waId)).slice(0, 300));
		console.log("DBG queue", JSON.stringify(await backoffice.call("sales-assistant.queue", {})).slice(0, 300));
		console.log("DBG events", JSON.stringify((backoffice.registry as any).getEventList({ onlyLocal: false, skipInternal: true }).filter((e: any) => e.name === "console.push").map((e: any) => e.nodeID)));
		await backoffice.broadcast("console.push", { to: { sellerIds: ["ana"] }, frame: { type: "pong", at: 1 } });
		await new Promise(r => setTimeout(r, 500));
		console.log("DBG spy", JSON.stringify(seenPushes));
		console.log("DBG A", tabA.frames.map(f => f.type).join(","), "B", tabB.frames.map(f => f.type).join(","));
		console.log("DBG conv", JSON.stringify(await backoffice.call("ai-seller-fashion.get", { id: "fashion:" + maria.waId })).slice(0, 300));
		const seen = await tabB.nextOf("escalation.new", f => f.escalation.conversationId === `fashion:${maria.waId}`, { timeoutMs: 15_000 });
		await tabA.nextOf("escalation.new", f => f.escalation.id === seen.escalation.id);

		const accepted = await tabA.request({ type: "accept", escalationId: seen.escalation.id });
		assert.equal(accepted.type, "ack", JSON.stringify(accepted));
		await tabB.nextOf("escalation.assigned", f => f.conversation.escalation.id === seen.escalation.id);
		const conversationId = seen.escalation.conversationId;

		const sent = await tabA.request({ type: "message", conversationId, text: "Hi Maria, Ana here." });
		assert.equal(sent.type, "ack", JSON.stringify(sent));
		const seq = (sent.result as { seq: number }).seq;
		await tabB.nextOf("conversation.message", f => f.seq === seq && f.from === "seller");
		await waitFor(async () => (await outbox(urlB, maria.waId)).some(m => textOf(m) === "Hi Maria, Ana here."), { message: "sent" });
		await maria.post(urlB, maria.text("Hello Ana!"));
		for (const tab of [tabA, tabB]) await tab.nextOf("conversation.message", f => f.from === "customer" && f.text === "Hello Ana!");

		// Stopping gateway B takes its tab (1001) but ana stays online through gateway A.
		await gwB.stop();
		assert.equal((await tabB.waitClosed()).code, 1001);
		await waitFor(async () => {
			const v = await view(seen.escalation.id);
			return v.state === "active" && !v.graceDeadline && (await online("ana"));
		}, { message: "still online through gateway A" });
		// Her last socket gone: the sales assistant sees her away (the grace period starts).
		await tabA.close();
		await waitFor(async () => !(await online("ana")) && !!(await view(seen.escalation.id)).graceDeadline, { message: "ana away" });
		// Back on gateway A: the welcome brings the conversation back.
		const back = await connectSeller(urlA, token("ana"));
		clients.push(back);
		assert.ok(back.welcome.conversations.some(c => c.conversationId === conversationId));
		await waitFor(async () => !(await view(seen.escalation.id)).graceDeadline, { message: "ana back" });
	});
});
