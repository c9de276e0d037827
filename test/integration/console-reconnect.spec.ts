/**
 * A seller whose console was away long enough to lose conversations: on reconnect, the `resume`
 * naming the escalations the page still showed is answered with what became of each one (`lost`),
 * so nothing vanishes from their list unexplained. Real `ws` clients against api + console +
 * sales-assistant; escalations are published as an AI seller would, and the grace period runs on
 * a simulated clock.
 */
import assert from "node:assert/strict";
import type { ServiceBroker } from "moleculer";
import ConsoleService from "../../gateway/console.service";
import { EventTypes } from "../../contracts/events";
import type { ResumeResult } from "../../contracts/console";
import type { EscalationView, SellerView } from "../../contracts/sales-assistant";
import { createSalesAssistantService } from "../../services/sales-assistant.service";
import { escalationIdOf } from "../../services/sales-assistant/escalations";
import { publishEvent } from "../../mixins/events.mixin";
import { connectSeller, SELLERS, sellersFile, type SellerClient } from "../helpers/console-client";
import { escalate, escalateData, TestClock } from "../helpers/sales";
import { startGateway } from "../helpers/whatsapp";
import { waitFor } from "../helpers/wait";

const token = (id: string) => SELLERS.find(s => s.id === id)!.token;

describe("seller console: conversations lost while away are told about on reconnect", function () {
	this.timeout(60_000);
	let broker: ServiceBroker;
	let url: string;
	const clock = new TestClock();
	const clients: SellerClient[] = [];
	const connect = async (id: string) => {
		const c = await connectSeller(url, token(id));
		clients.push(c);
		await waitFor(() => online(id), { message: `${id} online` });
		return c;
	};
	const online = async (id: string) => ((await broker.call<SellerView[]>("sales-assistant.sellers")).find(s => s.id === id)?.online ?? false);
	const get = (id: string) => broker.call<EscalationView, object>("sales-assistant.get", { id });
	const open = async (data = escalateData()) => {
		const event = await escalate(broker, data);
		const id = escalationIdOf(data.conversationId, event.id);
		await waitFor(() => get(id).catch(() => null), { message: `escalation ${id}` });
		return { id, data, event };
	};

	before(async () => {
		const g = await startGateway({
			withProbe: false,
			env: { SELLERS_FILE: sellersFile(), ESCALATION_SWEEP_MS: "20", CONSOLE_PRESENCE_MS: "200", SELLER_PRESENCE_TTL_MS: "3600000" },
			services: [ConsoleService, createSalesAssistantService({ now: clock.now })]
		});
		broker = g.broker;
		url = g.url;
	});
	after(async () => {
		await Promise.all(clients.map(c => c.close().catch(() => undefined)));
		await broker?.stop();
	});

	it("says which conversations are no longer theirs and why: back to the queue past the grace (and whom it is with now), closed while they were away", async () => {
		const ana = await connect("ana");
		// Her capacity (3) in full.
		const [taken, waiting, closed] = [await open(), await open(), await open()];
		for (const e of [taken, waiting, closed]) assert.equal((await ana.request({ type: "accept", escalationId: e.id })).type, "ack");
		const lastSeqs = Object.fromEntries(
			[taken, waiting, closed].map(e => [e.data.conversationId, Math.max(0, ...ana.of("escalation.assigned").filter(f => f.conversation.escalation.id === e.id).flatMap(f => f.conversation.messages.map(m => m.seq)))])
		);

		// Ana's laptop sleeps. Within her grace, an operator closes one conversation under her.
		await ana.close();
		await waitFor(async () => (await get(taken.id)).graceDeadline !== null, { message: "ana away" });
		await publishEvent(broker, "/test", EventTypes.ChatConversationClosed, { conversationId: closed.data.conversationId, brand: "fashion", waId: closed.data.waId, reason: "operator", escalateEventId: closed.event.id });
		await waitFor(async () => (await get(closed.id)).state === "resolved", { message: "closed under ana" });
		// Past her grace the rest go back to the queue; Carla takes one of them.
		clock.advance(60_000);
		await waitFor(async () => (await get(taken.id)).state !== "active" && (await get(waiting.id)).state !== "active", { message: "requeued after the grace" });
		const carla = await connect("carla");
		await waitFor(async () => (await carla.request({ type: "accept", escalationId: taken.id })).type === "ack", { message: "carla takes it" });
		await carla.close();

		// Back: the welcome no longer lists them; the resume naming them says what became of each.
		const back = await connect("ana");
		assert.deepEqual(back.welcome.conversations.map(c => c.escalation.id), []);
		const other = escalateData({ brand: "tech", conversationId: "tech:15550009901", waId: "15550009901" });
		const stranger = await open(other);
		const answer = await back.request({
			type: "resume",
			conversations: { ...lastSeqs, [other.conversationId]: 0 },
			escalations: { ...Object.fromEntries([taken, waiting, closed].map(e => [e.data.conversationId, e.id])), [other.conversationId]: stranger.id }
		});
		assert.equal(answer.type, "ack", JSON.stringify(answer));
		const result = answer.result as ResumeResult;
		const lost = result.lost ?? {};
		assert.deepEqual(
			Object.fromEntries(Object.entries(lost).map(([conversationId, l]) => [conversationId, [l.reason, l.escalation.id, l.escalation.state]])),
			{
				[taken.data.conversationId]: ["seller_offline", taken.id, "active"],
				[waiting.data.conversationId]: ["seller_offline", waiting.id, (await get(waiting.id)).state],
				[closed.data.conversationId]: ["resolved", closed.id, "resolved"]
			},
			"each with why, and nothing of another brand's escalation she never held"
		);
		assert.ok(["queued", "offered"].includes(lost[waiting.data.conversationId]!.escalation.state));
		assert.deepEqual([lost[taken.data.conversationId]!.escalation.sellerId, lost[taken.data.conversationId]!.escalation.sellerName], ["carla", "Carla Mendes"], "whom it is with now");
		const ended = lost[closed.data.conversationId]!.escalation;
		assert.deepEqual([ended.resolution, ended.resolutionNote], ["closed", "conversation closed (operator)"]);
		// The older fields keep their meaning: none of them resumed.
		assert.equal(result.skipped[taken.data.conversationId], "FORBIDDEN");
		assert.equal(result.skipped[closed.data.conversationId], "NOT_FOUND");
		assert.deepEqual(result.sent, {});
	});

	it("a resume without escalations answers as before, and a bad escalations map is a BAD_FRAME", async () => {
		const zoe = await connect("zoe");
		const answer = await zoe.request({ type: "resume", conversations: { "fashion:15559999999": 3 } });
		assert.deepEqual(answer.result, { sent: {}, skipped: { "fashion:15559999999": "NOT_FOUND" } });
		const bad = await zoe.request({ type: "resume", conversations: {}, escalations: { "fashion:1": 42 } });
		assert.deepEqual([bad.type, bad.code], ["error", "BAD_FRAME"]);
		await zoe.close();
	});
});
