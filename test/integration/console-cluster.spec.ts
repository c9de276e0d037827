/**
 * The console across nodes (NATS + Redis): two gateway nodes each run api + console, a third runs
 * the sales assistant and the AI seller. One seller has a tab on each gateway: pushes reach both,
 * presence is the sum of both nodes, and a gateway that stops takes only its own sockets away.
 */
import assert from "node:assert/strict";
import type { ServiceBroker } from "moleculer";
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
		backoffice = await startBroker({ env, nodeID: "backoffice", services: [SalesAssistantService, CatalogService, OrdersService, AiSellerFashion] });
		const a = await startGateway({ env, nodeID: "gw-a", withProbe: false, services: [ConsoleService] });
		const b = await startGateway({ env, nodeID: "gw-b", withProbe: false, services: [ConsoleService] });
		brokers.push(backoffice, a.broker, b.broker);
		urlA = a.url;
		urlB = b.url;
		gwB = b.broker;
		// `console.push` is a broadcast: it reaches the console nodes the sales assistant's node
		// already knows, which takes it about a second after a node starts.
		await waitFor(async () => {
			const services = await backoffice.call<{ name: string; nodes?: string[] }[], Record<string, boolean>>("$node.services", { onlyAvailable: true });
			const nodes = services.find(s => s.name === "console")?.nodes ?? [];
			return nodes.includes("gw-a") && nodes.includes("gw-b");
		}, { timeoutMs: 15_000, message: "the sales assistant's node knows both consoles" });
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
