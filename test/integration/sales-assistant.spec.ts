/**
 * The sales-assistant service through its public contract: `broker.call` actions, the durable
 * events it consumes and publishes, and the `console.push` broadcasts a probe captures. Deadlines
 * run on a simulated clock; the sweeper looks at it every 20 ms.
 */
import assert from "node:assert/strict";
import sinon from "sinon";
import type { Errors, ServiceBroker } from "moleculer";
import { EventTypes } from "../../contracts/events";
import type { ConversationView, EscalationView, SellerView } from "../../contracts/sales-assistant";
import { appendTranscript, readTranscript } from "../../adapters/transcript";
import { createSalesAssistantService } from "../../services/sales-assistant.service";
import { escalationIdOf } from "../../services/sales-assistant/escalations";
import { publishEvent } from "../../mixins/events.mixin";
import { startBroker } from "../helpers/broker";
import { escalate, escalateData, salesProbe, TestClock } from "../helpers/sales";
import { waitFor } from "../helpers/wait";
import { runAssign, runCancel, runEscalations, runSellers } from "../../repl/escalations";
import { replCommands } from "../../repl";

const ENV = { ESCALATION_SWEEP_MS: "20", SELLER_PRESENCE_TTL_MS: "3600000" };

async function rejects(p: Promise<unknown>, type: string): Promise<void> {
	await assert.rejects(p, (err: Errors.MoleculerError) => {
		assert.equal(err.type, type, `${err.type}: ${err.message}`);
		return true;
	});
}

describe("sales-assistant service (in-memory)", function () {
	this.timeout(20_000);
	let broker: ServiceBroker;
	let clock: TestClock;
	let probe: ReturnType<typeof salesProbe>;

	const call = <T>(action: string, params: object = {}) => broker.call<T, object>(`sales-assistant.${action}`, params);
	const get = (id: string) => call<EscalationView>("get", { id });
	const online = (sellers: Record<string, number>, nodeId = "console-1") => call("presence", { nodeId, sellers });
	/** Escalates and waits until it is listed; returns its id. */
	const open = async (data = escalateData()) => {
		const event = await escalate(broker, data);
		const id = escalationIdOf(data.conversationId, event.id);
		await waitFor(() => get(id).catch(() => null), { message: `escalation ${id}` });
		return { id, data, event };
	};
	const stateOf = async (id: string) => (await get(id)).state;

	beforeEach(async () => {
		clock = new TestClock();
		probe = salesProbe();
		broker = await startBroker({ env: ENV, services: [createSalesAssistantService({ now: clock.now }), probe.schema] });
	});
	afterEach(() => broker?.stop());

	it("a hand-over the AI chose carries its summary as the detail the seller reads", async () => {
		const { id } = await open(escalateData({ reason: "other", detail: undefined, summary: "The customer wants to change an order's details: new address" }));
		const queued = await get(id);
		assert.equal(queued.detail, "The customer wants to change an order's details: new address");
		assert.match(queued.summary, /Escalated because the customer wants to change an order's details: new address\.$/);
	});

	it("escalate → queued (escalation.new to the brand) → offered → accept → the customer is told → reply → resolve to ai", async () => {
		const { id, data } = await open();
		const queued = await get(id);
		assert.equal(queued.state, "queued");
		assert.equal(queued.customer.masked, "15••••" + data.waId.slice(-4));
		assert.ok(!JSON.stringify({ ...queued, conversationId: null, id: null }).includes(data.waId), "the number is only in the conversation id");
		assert.ok(queued.summary.length > 0);
		await waitFor(() => probe.frames("escalation.new", { brand: "fashion" }).some(f => f.escalation.id === id));

		await online({ ana: 1 });
		await waitFor(async () => (await stateOf(id)) === "offered");
		const offered = await get(id);
		assert.equal(offered.offeredTo, "ana");
		assert.equal(offered.offerExpiresAt, clock.t + 30_000);
		await waitFor(() => probe.frames("escalation.offered", { sellerId: "ana" }).some(f => f.escalation.id === id));

		const conv = await call<ConversationView>("accept", { escalationId: id, sellerId: "ana" });
		assert.equal(conv.escalation.state, "active");
		assert.equal(conv.escalation.sellerName, "Ana Torres");
		assert.ok(conv.messages.some(m => m.from === "system" && /Ana/.test(m.text)), "the transcript notes who joined");
		await waitFor(() => probe.events[EventTypes.SalesEscalationAssigned].length === 1);
		assert.deepEqual(probe.events[EventTypes.SalesEscalationAssigned][0]!.data, {
			escalationId: id,
			conversationId: data.conversationId,
			brand: "fashion",
			sellerId: "ana",
			sellerName: "Ana Torres"
		});
		// Before it, nobody was online: the customer was told so (the waiting notice).
		const joinedSends = () => probe.events[EventTypes.WhatsappMessageSend].filter(e => e.data.idempotencyKey.includes(":joined:"));
		await waitFor(() => joinedSends().length === 1);
		const told = joinedSends()[0]!.data;
		assert.equal(told.brand, "fashion");
		assert.equal(told.to, data.waId);
		assert.match(told.text!, /\bAna\b/);
		assert.ok(!told.text!.includes("Torres"), "first name only");
		await waitFor(() => probe.frames("escalation.taken", { brand: "fashion" }).some(f => f.escalationId === id && f.sellerId === "ana"));
		await waitFor(() => probe.frames("escalation.assigned", { sellerId: "ana" }).some(f => f.conversation.escalation.id === id));

		const { seq } = await call<{ seq: number }>("reply", { conversationId: data.conversationId, sellerId: "ana", text: "Hi Maria, Ana here!", clientId: "c1" });
		const again = await call<{ seq: number }>("reply", { conversationId: data.conversationId, sellerId: "ana", text: "Hi Maria, Ana here!", clientId: "c1" });
		assert.equal(again.seq, seq, "a retried clientId is one line");
		await waitFor(() => probe.events[EventTypes.WhatsappMessageSend].length >= 2);
		const sends = probe.events[EventTypes.WhatsappMessageSend].filter(e => e.data.text === "Hi Maria, Ana here!");
		assert.equal(new Set(sends.map(s => s.data.idempotencyKey)).size, 1, "the retry repeats the idempotency key");
		assert.equal(sends[0]!.data.brand, "fashion");
		// The "Ana joined" message and her replies are numbered on the customer's send lane, in order.
		const numbered = probe.events[EventTypes.WhatsappMessageSend].map(e => e.data.seq);
		assert.ok(numbered.every(n => typeof n === "number"), `every send is numbered: ${JSON.stringify(numbered)}`);
		assert.deepEqual([...numbered].sort((x, y) => x! - y!), numbered, "in publishing order");
		const lines = await readTranscript(broker.store, data.conversationId);
		assert.deepEqual(lines.filter(l => l.from === "seller").map(l => [l.seq, l.sellerId, l.text]), [[seq, "ana", "Hi Maria, Ana here!"]]);
		await waitFor(() => probe.frames("conversation.message", { sellerId: "ana" }).some(f => f.seq === seq && f.from === "seller"));

		const history = await call<{ messages: { seq: number }[] }>("history", { sellerId: "ana", conversationId: data.conversationId, afterSeq: seq - 1 });
		assert.deepEqual(history.messages.map(m => m.seq), [seq]);

		const resolved = await call<EscalationView>("resolve", { conversationId: data.conversationId, sellerId: "ana", to: "ai", note: "sorted" });
		assert.equal(resolved.state, "resolved");
		assert.equal(resolved.resolution, "ai");
		await waitFor(() => probe.events[EventTypes.SalesEscalationResolved].length === 1);
		assert.equal(probe.events[EventTypes.SalesEscalationResolved][0]!.data.to, "ai");
		await waitFor(() => probe.frames("escalation.resolved", { sellerId: "ana" }).some(f => f.escalationId === id && f.to === "ai"));
		assert.deepEqual(await call("queue", { brand: "fashion" }), []);
		await rejects(call("reply", { conversationId: data.conversationId, sellerId: "ana", text: "still there?" }), "NOT_FOUND");
	});

	it("a person joins a Spanish-speaking customer in Spanish", async () => {
		const { id, data } = await open(escalateData({ lang: "es" }));
		// Nobody was online when it opened: the customer is told so, in Spanish too.
		const offline = () => probe.events[EventTypes.WhatsappMessageSend].find(e => e.data.to === data.waId && e.data.idempotencyKey.endsWith(":waiting:offline"));
		await waitFor(() => offline(), { message: "the offline notice" });
		assert.match(offline()!.data.text!, /^Ahora mismo no hay nadie de nuestro equipo en línea/);
		await online({ ana: 1 });
		await waitFor(async () => (await stateOf(id)) === "offered");
		const conv = await call<ConversationView>("accept", { escalationId: id, sellerId: "ana" });
		const joined = "¡Hola! Soy Ana, de nuestro equipo. Sigo yo desde aquí y te atiendo personalmente.";
		assert.ok(conv.messages.some(m => m.from === "system" && m.text === joined), "the transcript notes it as the customer read it");
		const joinedSend = () => probe.events[EventTypes.WhatsappMessageSend].find(e => e.data.to === data.waId && e.data.idempotencyKey.includes(":joined:"));
		await waitFor(() => joinedSend());
		assert.equal(joinedSend()!.data.text, joined);
	});

	it("a decline and an expired offer put it back in the queue and offer it to someone else", async () => {
		await online({ ana: 1, carla: 1 });
		const { id } = await open();
		await waitFor(async () => (await get(id)).offeredTo !== null);
		const first = (await get(id)).offeredTo!;
		const second = first === "ana" ? "carla" : "ana";
		await rejects(call("decline", { escalationId: id, sellerId: "ben" }), "FORBIDDEN");
		await call("decline", { escalationId: id, sellerId: first });
		await waitFor(async () => (await get(id)).offeredTo === second, { message: `re-offered to ${second}` });
		await waitFor(() => probe.frames("escalation.new", { brand: "fashion" }).filter(f => f.escalation.id === id).length >= 2, { message: "requeued notice" });

		// The second seller lets it lapse: back to the queue; both declined, so it waits.
		clock.advance(30_000);
		await waitFor(async () => (await stateOf(id)) === "queued", { message: "offer expired" });
		assert.equal((await get(id)).offeredTo, null);
	});

	it("a paused seller is offered no new customer and keeps what they hold; taking customers again, they are offered the queue at once", async () => {
		await online({ ana: 1 });
		const { id: held } = await open();
		await waitFor(async () => (await get(held)).offeredTo === "ana");
		await call("accept", { escalationId: held, sellerId: "ana" });

		const paused = await call<SellerView>("pause", { sellerId: "ana", paused: true });
		assert.deepEqual([paused.id, paused.online, paused.paused, paused.load], ["ana", true, true, 1]);
		const { id, data } = await open();
		// Nobody is offered it, and the customer hears that nobody is free (the only one online is on a break).
		await waitFor(() => probe.events[EventTypes.WhatsappMessageSend].some(e => e.data.to === data.waId && /^Nobody from our team is online right now/.test(e.data.text ?? "")), { message: "the nobody-free notice" });
		// A whole sweep ran since (offers are made there): still nobody offered it.
		const escalations = (broker.getLocalService("sales-assistant") as unknown as { escalations: { sweep(): Promise<unknown> } }).escalations;
		await waitFor(async () => (await escalations.sweep()) !== null, { message: "a sweep of our own" });
		assert.equal((await get(id)).state, "queued");
		assert.equal((await get(held)).state, "active", "what the seller holds stays theirs");
		assert.equal((await call<{ seller: SellerView }>("session", { sellerId: "ana" })).seller.paused, true, "a reload (any console node) sees it");
		assert.equal((await call<SellerView[]>("team", { sellerId: "carla" })).find(s => s.id === "ana")!.paused, true, "colleagues see it");
		await rejects(call("pause", { sellerId: "nobody", paused: true }), "NOT_FOUND");
		await rejects(call("pause", { sellerId: "ana", paused: "yes" }), "VALIDATION_ERROR");

		await call("pause", { sellerId: "ana", paused: false });
		await waitFor(async () => (await get(id)).offeredTo === "ana", { message: "offered once taking customers again" });
	});

	it("an SLA breach raises the priority, publishes store.sales.sla.breached and re-arms the SLA", async () => {
		const { id, data } = await open();
		assert.equal((await get(id)).priority, 0);
		clock.advance(119_000);
		clock.advance(1_000);
		await waitFor(() => probe.events[EventTypes.SalesSlaBreached].length === 1);
		const breach = probe.events[EventTypes.SalesSlaBreached][0]!.data;
		assert.deepEqual(breach, { escalationId: id, conversationId: data.conversationId, brand: "fashion", waitedMs: 120_000, priority: 1 });
		const view = await get(id);
		assert.equal(view.priority, 1);
		assert.equal(view.slaBreaches, 1);
		assert.equal(view.slaDeadline, clock.t + 120_000);
		await waitFor(() => probe.frames("escalation.updated", { brand: "fashion" }).some(f => f.escalation.id === id && f.escalation.priority === 1));
		// A breached escalation goes before an older one of lower priority.
		const other = await open(escalateData());
		const q = await call<EscalationView[]>("queue", { brand: "fashion" });
		assert.deepEqual(q.map(e => e.id), [id, other.id]);
	});

	it("a seller gone past the grace period loses it back to the queue; back in time keeps it", async () => {
		await online({ ana: 1 });
		const { id, data } = await open();
		await waitFor(async () => (await stateOf(id)) === "offered");
		await call("accept", { escalationId: id, sellerId: "ana" });
		await online({});
		await waitFor(async () => (await get(id)).graceDeadline === clock.t + 60_000, { message: "seller away" });
		await waitFor(() => probe.frames("escalation.updated", { sellerId: "ana" }).some(f => f.escalation.id === id));
		clock.advance(30_000);
		await online({ ana: 2 });
		await waitFor(async () => (await get(id)).graceDeadline === null, { message: "seller back" });
		await online({});
		clock.advance(60_000);
		await waitFor(async () => (await stateOf(id)) === "queued", { message: "requeued after grace" });
		assert.deepEqual((await call<ConversationView[]>("session", { sellerId: "ana" }) as unknown as { conversations: unknown[] }).conversations, []);
		await rejects(call("reply", { conversationId: data.conversationId, sellerId: "ana", text: "hello?" }), "FORBIDDEN");
	});

	it("a console node that stops reporting expires: its sellers count as gone", async () => {
		await online({ ana: 1 }, "console-a");
		const { id } = await open();
		await waitFor(async () => (await stateOf(id)) === "offered");
		await call("accept", { escalationId: id, sellerId: "ana" });
		const sellers = await call<SellerView[]>("sellers");
		assert.deepEqual(sellers.find(s => s.id === "ana"), { id: "ana", name: "Ana Torres", brands: ["fashion", "beauty"], capacity: 3, online: true, paused: false, load: 1 });
		clock.advance(3_600_001);
		await waitFor(async () => (await get(id)).graceDeadline !== null, { message: "seller away after the node expired" });
		assert.equal((await call<SellerView[]>("sellers")).find(s => s.id === "ana")!.online, false);
	});

	it("a transfer nobody takes in time comes back, and its seller takes it again without greeting the customer a second time", async () => {
		await online({ ana: 1, carla: 1 });
		const { id, data } = await open();
		await waitFor(async () => (await stateOf(id)) === "offered");
		const holder = (await get(id)).offeredTo!;
		const other = holder === "ana" ? "carla" : "ana";
		await call("accept", { escalationId: id, sellerId: holder });
		const joinedSends = () => probe.events[EventTypes.WhatsappMessageSend].filter(e => e.data.idempotencyKey.includes(":joined:"));
		await waitFor(() => joinedSends().length === 1);
		await call("transfer", { conversationId: data.conversationId, sellerId: holder, toSellerId: other, note: "sizes" });
		// The customer is told they are passed on, once, and the transcript says so.
		const passedOn = () => probe.events[EventTypes.WhatsappMessageSend].filter(e => e.data.to === data.waId && e.data.idempotencyKey.includes(":passed-on:"));
		await waitFor(() => passedOn().length === 1, { message: "the customer is told" });
		assert.match(passedOn()[0]!.data.text!, /^I'm passing you to a colleague who can help you better with this/);
		clock.advance(30_000);
		await waitFor(async () => (await get(id)).offeredTo === holder, { message: "back to the one who handed it on" });
		await call("accept", { escalationId: id, sellerId: holder });
		await waitFor(async () => (await stateOf(id)) === "active");
		const history = await call<ConversationView>("history", { conversationId: data.conversationId, sellerId: holder });
		assert.equal(history.messages.filter(m => m.from === "system" && /from our team/.test(m.text)).length, 1, "one introduction in the transcript");
		assert.equal(joinedSends().length, 1, "the customer is greeted once");
	});

	it("transfer to another seller (an offer to them) and to another brand (its queue), with a note", async () => {
		await online({ ana: 1, carla: 1, ben: 1 });
		const { id, data } = await open();
		await waitFor(async () => (await stateOf(id)) === "offered");
		const holder = (await get(id)).offeredTo!;
		await call("accept", { escalationId: id, sellerId: holder });
		const other = holder === "ana" ? "carla" : "ana";
		await rejects(call("transfer", { conversationId: data.conversationId, sellerId: holder, toSellerId: "ben", note: "tech question" }), "INVALID");
		await rejects(call("transfer", { conversationId: data.conversationId, sellerId: other, toSellerId: holder, note: "x" }), "FORBIDDEN");
		const moved = await call<EscalationView>("transfer", { conversationId: data.conversationId, sellerId: holder, toSellerId: other, note: "she knows sizes" });
		assert.equal(moved.state, "offered");
		assert.equal(moved.offeredTo, other);
		await waitFor(() => probe.frames("escalation.resolved", { sellerId: holder }).some(f => f.escalationId === id && f.to === "transferred"));
		await waitFor(() => probe.frames("escalation.offered", { sellerId: other }).some(f => f.escalation.id === id));
		await call("accept", { escalationId: id, sellerId: other });

		const toTech = await call<EscalationView>("transfer", { conversationId: data.conversationId, sellerId: other, toBrand: "tech", note: "it is about a smartwatch" });
		assert.equal(toTech.brand, "tech");
		await waitFor(async () => (await get(id)).offeredTo === "ben" || (await get(id)).offeredTo === "carla");
		assert.deepEqual((await call<EscalationView[]>("queue", { brand: "fashion" })).map(e => e.id), []);
		assert.deepEqual((await call<EscalationView[]>("queue", { brand: "tech" })).map(e => e.id), [id]);
		await rejects(call("accept", { escalationId: id, sellerId: "ana" }), "FORBIDDEN");
		await call("accept", { escalationId: id, sellerId: "ben" });
		await call("resolve", { conversationId: data.conversationId, sellerId: "ben", to: "closed" });
		await waitFor(() => probe.events[EventTypes.SalesEscalationResolved].length === 1);
		const resolved = probe.events[EventTypes.SalesEscalationResolved][0]!.data;
		assert.equal(resolved.brand, "tech");
		assert.equal(resolved.conversationBrand, "fashion", "the fashion AI seller owns the conversation");
		assert.equal(resolved.to, "closed");
	});

	it("a transfer to a team with nobody online tells the customer so and how to carry on, not that someone writes shortly; told once for these ten minutes", async () => {
		// Ana alone is online: nobody of tech (Ben, Carla) is.
		await online({ ana: 1 });
		const { id, data } = await open();
		await waitFor(async () => (await stateOf(id)) === "offered");
		await call("accept", { escalationId: id, sellerId: "ana" });
		await call("transfer", { conversationId: data.conversationId, sellerId: "ana", toBrand: "tech", note: "a smartwatch question" });
		const said =
			'I\'m passing you to a colleague who can help you better with this. Nobody from that team is online right now, I\'m afraid: the first one back will write to you here, and there\'s no need to repeat anything. To carry on with our assistant meanwhile, just say "never mind".';
		const passedOn = () => probe.events[EventTypes.WhatsappMessageSend].filter(e => e.data.to === data.waId && e.data.idempotencyKey.includes(":passed-on:"));
		await waitFor(() => passedOn().length === 1, { message: "the customer is told" });
		assert.equal(passedOn()[0]!.data.text, said);
		const notices = async () => (await readTranscript(broker.store, data.conversationId)).filter(l => l.from === "system").map(l => l.text);
		assert.deepEqual((await notices()).filter(t => /passing you/.test(t)), [said], "the transcript has it as the customer read it");

		// Their next words a minute later get no second notice saying the same.
		clock.advance(60_000);
		const escalations = (broker.getLocalService("sales-assistant") as unknown as { escalations: { onForwarded(e: object): Promise<void> } }).escalations;
		await appendTranscript(broker.store, data.conversationId, [{ id: "in:wamid.team-away.1", from: "customer", text: "ok, is anyone there?", at: clock.t }]);
		await escalations.onForwarded({ id: "fwd-team-away-1", data: { conversationId: data.conversationId, brand: "tech", waId: data.waId, messages: [{ messageId: "wamid.team-away.1", seq: 30, at: clock.t, text: "ok, is anyone there?" }] } });
		assert.match((await get(id)).summary, /is anyone there\?/, "the message was handled");
		assert.deepEqual((await notices()).filter(t => /online right now/.test(t)), [said]);
	});

	it("a clientId is a retry with the same text (one line, one send) and CLIENT_ID_REUSED with another (nothing sent)", async () => {
		const { id, data } = await open();
		await call("accept", { escalationId: id, sellerId: "ana" });
		const reply = (text: string, clientId: string) => call<{ seq: number }>("reply", { conversationId: data.conversationId, sellerId: "ana", text, clientId });
		const { seq } = await reply("Your parcel left today", "k1");
		await assert.rejects(reply("Sorry, wrong customer", "k1"), (err: Errors.MoleculerError) => {
			assert.equal(err.type, "CLIENT_ID_REUSED");
			assert.equal(err.code, 409);
			assert.match(err.message, /^clientId 'k1' was already used for another message in this conversation/);
			return true;
		});
		assert.equal((await reply("Your parcel left today", "k1")).seq, seq, "the same text again is a retry");
		const texts = async () => (await readTranscript(broker.store, data.conversationId)).filter(l => l.from === "seller").map(l => l.text);
		assert.deepEqual(await texts(), ["Your parcel left today"]);
		const other = await reply("And the invoice is attached", "k2");
		assert.ok(other.seq > seq);
		await waitFor(() => probe.events[EventTypes.WhatsappMessageSend].some(e => e.data.text === "And the invoice is attached"), { message: "the next message goes" });
		const sends = probe.events[EventTypes.WhatsappMessageSend].filter(e => e.data.to === data.waId && e.data.idempotencyKey.includes(":reply:"));
		assert.deepEqual(sends.map(e => e.data.text).filter((t, i, all) => all.indexOf(t) === i), ["Your parcel left today", "And the invoice is attached"]);
		assert.ok(!sends.some(e => e.data.text === "Sorry, wrong customer"), "the refused text never went out");
		assert.deepEqual(await texts(), ["Your parcel left today", "And the invoice is attached"]);
	});

	it("a transfer to a colleague with no console open is refused with SELLER_OFFLINE: the seller keeps the customer, who is told nothing", async () => {
		await online({ ana: 1 });
		const { id, data } = await open();
		await waitFor(async () => (await get(id)).offeredTo === "ana");
		await call("accept", { escalationId: id, sellerId: "ana" });
		await assert.rejects(call("transfer", { conversationId: data.conversationId, sellerId: "ana", toSellerId: "carla", note: "she knows sizes" }), (err: Errors.MoleculerError) => {
			assert.equal(err.type, "SELLER_OFFLINE");
			assert.equal(err.code, 409);
			assert.match(err.message, /^Carla Mendes is not connected to the console/);
			return true;
		});
		const kept = await get(id);
		assert.deepEqual([kept.state, kept.sellerId, kept.lastTransfer], ["active", "ana", null]);
		assert.ok(!probe.events[EventTypes.WhatsappMessageSend].some(e => e.data.idempotencyKey.includes(":passed-on:")), "the customer is not told they are passed on");
		assert.ok(!probe.frames("escalation.resolved", { sellerId: "ana" }).some(f => f.escalationId === id));

		// Once she is there, the same transfer goes through.
		await online({ ana: 1, carla: 1 });
		const moved = await call<EscalationView>("transfer", { conversationId: data.conversationId, sellerId: "ana", toSellerId: "carla", note: "she knows sizes" });
		assert.deepEqual([moved.state, moved.offeredTo], ["offered", "carla"]);
	});

	it("FORBIDDEN for another brand's seller and for a seller it is not assigned to; NOT_FOUND and validation", async () => {
		const { id, data } = await open();
		await rejects(call("accept", { escalationId: id, sellerId: "ben" }), "FORBIDDEN");
		await call("accept", { escalationId: id, sellerId: "ana" });
		for (const [action, params] of [
			["reply", { conversationId: data.conversationId, sellerId: "carla", text: "hi" }],
			["history", { conversationId: data.conversationId, sellerId: "carla" }],
			["resolve", { conversationId: data.conversationId, sellerId: "carla", to: "ai" }],
			["approve", { conversationId: data.conversationId, sellerId: "carla", actionId: "a1" }],
			["transfer", { conversationId: data.conversationId, sellerId: "carla", toBrand: "tech", note: "n" }]
		] as const)
			await rejects(call(action, params), "FORBIDDEN");
		await rejects(call("accept", { escalationId: id, sellerId: "carla" }), "ESCALATION_TAKEN");
		await rejects(call("accept", { escalationId: "esc-nope", sellerId: "ana" }), "NOT_FOUND");
		await rejects(call("get", { id: "esc-nope" }), "NOT_FOUND");
		await rejects(call("session", { sellerId: "nobody" }), "NOT_FOUND");
		await rejects(call("reply", { conversationId: data.conversationId, sellerId: "ana", text: "" }), "VALIDATION_ERROR");
		await rejects(call("reply", { conversationId: data.conversationId, sellerId: "ana", text: "x".repeat(4097) }), "VALIDATION_ERROR");
		await rejects(call("resolve", { conversationId: data.conversationId, sellerId: "ana", to: "nowhere" }), "VALIDATION_ERROR");
		await rejects(call("presence", { nodeId: "n", sellers: { ana: -1 } }), "VALIDATION_ERROR");
		await rejects(call("lost", { sellerId: "nobody", escalationIds: [id] }), "NOT_FOUND");
		await rejects(call("lost", { sellerId: "ana", escalationIds: Array.from({ length: 101 }, (_, i) => `esc-${i}`) }), "VALIDATION_ERROR");
		assert.deepEqual(await call("lost", { sellerId: "ana", escalationIds: [id, "esc-nope"] }), [], "still hers, and an unknown one: nothing to tell");
	});

	it("capacity: a seller at capacity gets CAPACITY_FULL and no more offers", async () => {
		const ids: string[] = [];
		for (let i = 0; i < 4; i++) ids.push((await open(escalateData({ brand: "beauty", conversationId: `beauty:1555123000${i}`, waId: `1555123000${i}` }))).id);
		for (const id of ids.slice(0, 3)) await call("accept", { escalationId: id, sellerId: "ana" });
		await rejects(call("accept", { escalationId: ids[3]!, sellerId: "ana" }), "CAPACITY_FULL");
		// Ana is online but full: the offer goes to Carla, the only one with room.
		await online({ ana: 1, carla: 1 });
		await waitFor(async () => (await get(ids[3]!)).offeredTo === "carla", { message: "offered to carla" });
		assert.ok(!probe.frames("escalation.offered", { sellerId: "ana" }).some(f => f.escalation.id === ids[3]), "never offered to a full seller");
	});

	it("a seller whose last slot an offer holds can take another waiting customer instead; that offer goes on", async () => {
		const ids: string[] = [];
		for (let i = 0; i < 4; i++) ids.push((await open(escalateData({ brand: "beauty", conversationId: `beauty:1555125000${i}`, waId: `1555125000${i}` }))).id);
		for (const id of ids.slice(0, 2)) await call("accept", { escalationId: id, sellerId: "ana" });
		await online({ ana: 1 });
		const offered = await waitFor(
			async () => {
				for (const id of ids.slice(2)) if ((await get(id)).offeredTo === "ana") return id;
				return undefined;
			},
			{ message: "an offer to ana" }
		);
		const chosen = ids.slice(2).find(id => id !== offered)!;
		// Two held and one offered is her capacity of 3: she picks the other waiting customer.
		await call("accept", { escalationId: chosen, sellerId: "ana" });
		assert.equal((await get(chosen)).state, "active");
		await waitFor(async () => (await get(offered)).offeredTo !== "ana", { message: "the offer she passed over goes on" });
		assert.equal((await get(offered)).state, "queued");
	});

	it("capacity holds when one seller accepts several escalations at the same moment", async () => {
		const ids: string[] = [];
		for (let i = 0; i < 5; i++) ids.push((await open(escalateData({ brand: "beauty", conversationId: `beauty:1555124000${i}`, waId: `1555124000${i}` }))).id);
		const results = await Promise.allSettled(ids.map(escalationId => call("accept", { escalationId, sellerId: "ana" })));
		// Ana's capacity is 3: the other two are refused, whatever the interleaving.
		assert.equal(results.filter(r => r.status === "fulfilled").length, 3);
		for (const r of results.filter(r => r.status === "rejected")) assert.equal(((r as PromiseRejectedResult).reason as Errors.MoleculerError).type, "CAPACITY_FULL");
		for (const id of ids) {
			const v = await get(id);
			if (v.state === "active") await call("resolve", { conversationId: v.conversationId, sellerId: "ana", to: "ai" });
		}
	});

	it("racing accepts: exactly one wins, the loser gets ESCALATION_TAKEN and hears escalation.taken", async () => {
		const { id } = await open();
		const results = await Promise.allSettled([call("accept", { escalationId: id, sellerId: "ana" }), call("accept", { escalationId: id, sellerId: "carla" })]);
		const won = results.filter(r => r.status === "fulfilled");
		assert.equal(won.length, 1);
		const lost = results.find(r => r.status === "rejected") as PromiseRejectedResult;
		assert.equal((lost.reason as Errors.MoleculerError).type, "ESCALATION_TAKEN");
		await waitFor(() => probe.events[EventTypes.SalesEscalationAssigned].length === 1);
		await waitFor(() => probe.frames("escalation.taken", { brand: "fashion" }).length === 1);
	});

	it("a redelivered escalate makes no second escalation; a new one while one is open is ignored", async () => {
		const data = escalateData();
		const event = await escalate(broker, data, "evt-1");
		const id = escalationIdOf(data.conversationId, event.id);
		await waitFor(() => get(id).catch(() => null));
		// The same event again, as a broker redelivery would (the dedup of the channel is per event id,
		// so a different group or a replay may still bring it).
		await escalate(broker, data, "evt-1");
		await escalate(broker, { ...data, reason: "frustration", priority: 3 }, "evt-2");
		const later = escalateData();
		await escalate(broker, later, "evt-3");
		await waitFor(async () => (await call<EscalationView[]>("queue")).some(e => e.conversationId === later.conversationId));
		const queue = await call<EscalationView[]>("queue", { brand: "fashion" });
		assert.deepEqual(queue.filter(e => e.conversationId === data.conversationId).map(e => [e.id, e.priority]), [[id, 0]]);
		// Once resolved, the conversation may escalate again.
		await call("accept", { escalationId: id, sellerId: "ana" });
		await call("resolve", { conversationId: data.conversationId, sellerId: "ana", to: "ai" });
		const next = await escalate(broker, data, "evt-4");
		const nextId = escalationIdOf(data.conversationId, next.id);
		await waitFor(() => get(nextId).catch(() => null));
		assert.notEqual(nextId, id);
	});

	it("a customer writing while their seller has lost the connection is told the seller will be back, not left in silence", async () => {
		await online({ ana: 1 });
		const { id, data } = await open();
		await waitFor(async () => (await stateOf(id)) === "offered");
		await call("accept", { escalationId: id, sellerId: "ana" });
		const notices = () => probe.events[EventTypes.WhatsappMessageSend].filter(e => e.data.to === data.waId && e.data.idempotencyKey.startsWith(`${id}:waiting:`));
		const forward = (n: number) =>
			publishEvent(broker, "/test", EventTypes.ChatMessageForwarded, { conversationId: data.conversationId, brand: "fashion", waId: data.waId, sellerId: "ana", messages: [{ messageId: `wamid.away${n}`, seq: 10 + n, at: clock.t, text: "hello? are you there?" }] });
		// Online: the message goes to her, nothing to the customer.
		await forward(1);
		await waitFor(() => probe.frames("conversation.message", { sellerId: "ana" }).some(f => f.seq === 11));
		assert.equal(notices().length, 0);
		await online({});
		await waitFor(async () => (await get(id)).graceDeadline !== null, { message: "seller away" });
		await forward(2);
		await waitFor(() => notices().length === 1, { message: "the customer is told" });
		assert.match(notices()[0]!.data.text!, /^Ana has stepped away for a moment — your message is saved/);
		// Once, not for every message.
		await forward(3);
		await waitFor(() => probe.frames("conversation.message", { sellerId: "ana" }).some(f => f.seq === 13));
		assert.equal(notices().length, 1);
	});

	it("a customer whose seller's console went is told, once the grace runs out with nobody of the team online, how to carry on; with someone there, an offer follows and nothing is said", async () => {
		// A notice is in the transcript before it is published: the transcript is the settled count.
		const told = async (o: { id: string; data: { conversationId: string } }) =>
			(await readTranscript(broker.store, o.data.conversationId)).filter(l => l.id.startsWith(`${o.id}:waiting:`));
		await online({ ana: 1 });
		const dropped = await open(escalateData({ lang: "es" }));
		const { id, data } = dropped;
		await waitFor(async () => (await stateOf(id)) === "offered");
		await call("accept", { escalationId: id, sellerId: "ana" });
		await online({});
		await waitFor(async () => (await get(id)).graceDeadline !== null, { message: "seller away" });
		clock.advance(60_000);
		await waitFor(async () => (await stateOf(id)) === "queued", { message: "requeued after the grace" });
		const sent = () => probe.events[EventTypes.WhatsappMessageSend].filter(e => e.data.to === data.waId && e.data.idempotencyKey.startsWith(`${id}:waiting:`));
		await waitFor(() => sent().length === 1, { message: "the customer is told nobody is online" });
		const notice = sent()[0]!.data;
		assert.match(notice.text!, /^Ahora mismo no hay nadie de nuestro equipo en línea[^]*escribe "no importa"\.$/, "in their language, with how to carry on");
		assert.equal(notice.brand, "fashion");
		assert.deepEqual((await told(dropped)).map(l => [l.id, l.from, l.text]), [[notice.idempotencyKey, "system", notice.text]], "the transcript has it as the customer read it");

		// Their next words a minute later do not repeat it: it was the notice of these ten minutes.
		clock.advance(60_000);
		const escalations = (broker.getLocalService("sales-assistant") as unknown as { escalations: { onForwarded(e: object): Promise<void> } }).escalations;
		await appendTranscript(broker.store, data.conversationId, [{ id: "in:wamid.requeued1", from: "customer", text: "¿hola?", at: clock.t }]);
		await escalations.onForwarded({ id: "fwd-requeued-1", data: { conversationId: data.conversationId, brand: "fashion", waId: data.waId, messages: [{ messageId: "wamid.requeued1", seq: 20, at: clock.t, text: "¿hola?" }] } });
		assert.match((await get(id)).summary, /¿hola\?/, "the message was handled");
		assert.equal((await told(dropped)).length, 1, "told once");

		// Carla is there when Ana's next customer goes back to the queue: it goes to her, and the customer hears nothing more.
		await online({ ana: 1, carla: 1 });
		const other = await open();
		await waitFor(async () => (await get(other.id)).offeredTo !== null);
		await call("accept", { escalationId: other.id, sellerId: "ana" });
		await online({ carla: 1 });
		await waitFor(async () => (await get(other.id)).graceDeadline !== null, { message: "Ana away" });
		clock.advance(60_000);
		await waitFor(async () => (await get(other.id)).offeredTo === "carla", { message: "offered to Carla" });
		assert.deepEqual(await told(other), []);
	});

	it("a seller who closes the chat tells the customer once, in their language, that it ended and who answers if they write again; a hand-back or an operator's close tells nothing of it", async () => {
		await online({ ana: 1 });
		const closings = (waId: string) => probe.events[EventTypes.WhatsappMessageSend].filter(e => e.data.to === waId && e.data.idempotencyKey.endsWith(":closed"));
		const held = async (data = escalateData()) => {
			const o = await open(data);
			await call("assign", { escalationId: o.id, sellerId: "ana", by: "ops" });
			return o;
		};

		const es = await held(escalateData({ lang: "es" }));
		await call("resolve", { conversationId: es.data.conversationId, sellerId: "ana", to: "closed", note: "resuelto" });
		const said = 'Ana cerró esta conversación — ¡gracias por escribirnos! Si necesitas algo más, escribe por aquí: te responde Luna al momento, y si quieres volver a hablar con una persona, escribe "hablar con una persona".';
		const line = (await readTranscript(broker.store, es.data.conversationId)).filter(l => l.id === `${es.id}:closed`);
		assert.deepEqual(line.map(l => [l.from, l.text, l.sellerId]), [["system", said, "ana"]], "the transcript has it as the customer read it");
		await waitFor(() => closings(es.data.waId).length === 1, { message: "the customer is told" });
		assert.deepEqual([closings(es.data.waId)[0]!.data.brand, closings(es.data.waId)[0]!.data.text], ["fashion", said]);
		await waitFor(() => probe.events[EventTypes.SalesEscalationResolved].some(e => e.data.escalationId === es.id && e.data.to === "closed"));
		await rejects(call("resolve", { conversationId: es.data.conversationId, sellerId: "ana", to: "closed" }), "NOT_FOUND");

		// Handed back, the AI seller tells them itself; closed by an operator, it is the store's housekeeping.
		const back = await held();
		await call("resolve", { conversationId: back.data.conversationId, sellerId: "ana", to: "ai" });
		const ops = await held();
		await publishEvent(broker, "/test", EventTypes.ChatConversationClosed, { conversationId: ops.data.conversationId, brand: "fashion", waId: ops.data.waId, reason: "operator", escalateEventId: ops.event.id });
		await waitFor(async () => (await stateOf(ops.id)) === "resolved", { message: "closed by the operator" });
		const en = await held();
		await call("resolve", { conversationId: en.data.conversationId, sellerId: "ana", to: "closed" });
		await waitFor(() => closings(en.data.waId).length === 1, { message: "the English customer is told" });
		assert.equal(
			closings(en.data.waId)[0]!.data.text,
			'Ana has closed this chat — thanks for talking with us! If you need anything else, just write here: Luna will answer right away, and you can say "talk to a person" any time to reach us again.'
		);
		for (const o of [back, ops]) {
			assert.deepEqual(closings(o.data.waId), [], `${o.id}: no closing notice`);
			assert.ok(!(await readTranscript(broker.store, o.data.conversationId)).some(l => l.id.endsWith(":closed")));
		}
		assert.equal(closings(es.data.waId).length, 1, "once");
	});

	it("what a customer says while waiting is on the queue card: its summary is written again and the brand's queues get it", async () => {
		const { id, data } = await open();
		const before = (await get(id)).summary;
		assert.match(before, /has not said anything yet/);
		const escalations = (broker.getLocalService("sales-assistant") as unknown as { escalations: { onForwarded(e: object): Promise<void> } }).escalations;
		// The AI seller keeps the customer's words in the transcript, then forwards them.
		const write = async (n: number, text: string) => {
			await appendTranscript(broker.store, data.conversationId, [{ id: `in:wamid.wait-summary.${n}`, from: "customer", text, at: clock.t }]);
			await escalations.onForwarded({ id: `fwd-summary-${n}`, data: { conversationId: data.conversationId, brand: "fashion", waId: data.waId, messages: [{ messageId: `wamid.wait-summary.${n}`, seq: n, at: clock.t, text }] } });
		};
		await write(1, "It's about a refund for order 123, the zip broke");
		const queued = await get(id);
		assert.equal(queued.state, "queued");
		assert.match(queued.summary, /last said: "It's about a refund for order 123, the zip broke"/);
		assert.match(queued.summary, /Escalated because the customer asked for a person/, "why it was escalated stays");
		await waitFor(() => probe.frames("escalation.updated", { brand: "fashion" }).some(f => f.escalation.id === id && f.escalation.summary === queued.summary), { message: "the card goes to the brand's queues" });
		assert.deepEqual((await call<EscalationView[]>("queue", { brand: "fashion" })).find(e => e.id === id)?.summary, queued.summary);

		// Offered, it is still waiting: the card follows the latest words.
		await online({ ana: 1 });
		await waitFor(async () => (await stateOf(id)) === "offered");
		await write(2, "hello?? still there");
		assert.match((await get(id)).summary, /last said: "hello\?\? still there"/);
		// Taken, the seller reads the conversation itself: the card is no longer shown, nothing is rewritten.
		const conv = await call<ConversationView>("accept", { escalationId: id, sellerId: "ana" });
		const taken = (await get(id)).summary;
		assert.equal(conv.escalation.summary, taken);
		const updates = probe.frames("escalation.updated", { brand: "fashion" }).length;
		await write(3, "thanks Ana");
		assert.equal((await get(id)).summary, taken);
		assert.equal(probe.frames("escalation.updated", { brand: "fashion" }).length, updates);
	});

	it("customer messages of a held conversation reach the seller as conversation.message", async () => {
		const { id, data } = await open();
		await call("accept", { escalationId: id, sellerId: "ana" });
		await publishEvent(broker, "/test", EventTypes.ChatMessageForwarded, {
			conversationId: data.conversationId,
			brand: "fashion",
			waId: data.waId,
			sellerId: "ana",
			messages: [{ messageId: "wamid.1", seq: 7, at: clock.t, text: "is it in stock in blue?" }]
		});
		await waitFor(() => probe.frames("conversation.message", { sellerId: "ana" }).some(f => f.seq === 7 && f.from === "customer" && f.text === "is it in stock in blue?"));
	});

	it("a customer waiting for a person is told so: nobody online at the start, and when they write while waiting, at most every ten minutes", async () => {
		const { id, data } = await open();
		const notices = async () => (await readTranscript(broker.store, data.conversationId)).filter(l => l.id.startsWith(`${id}:waiting:`)).map(l => l.text);
		const sent = () => probe.events[EventTypes.WhatsappMessageSend].filter(e => e.data.to === data.waId && e.data.idempotencyKey.startsWith(`${id}:waiting:`));
		// Nobody of the brand is online: "they'll join shortly" is not true, and the customer hears it at once.
		await waitFor(() => sent().length === 1, { message: "the offline notice" });
		assert.match(sent()[0]!.data.text!, /^Nobody from our team is online right now/);
		assert.equal(sent()[0]!.data.brand, "fashion");
		assert.deepEqual(await notices(), [sent()[0]!.data.text]);

		// The service's own handler, awaited: each step's outcome is known before the next.
		const escalations = (broker.getLocalService("sales-assistant") as unknown as { escalations: { onForwarded(e: object): Promise<void> } }).escalations;
		let n = 0;
		const write = (text: string) =>
			escalations.onForwarded({ id: `fwd-${++n}`, data: { conversationId: data.conversationId, brand: "fashion", waId: data.waId, messages: [{ messageId: `wamid.wait.${n}`, seq: n, at: clock.t, text }] } });
		await write("ok thanks");
		assert.equal((await notices()).length, 1, "words right after the hand-over message need no notice");
		clock.advance(60_000);
		await write("hello?");
		assert.equal((await notices()).length, 1, "the notice at the hand-over counts: the same words do not come again a minute later");
		clock.advance(10 * 60_000);
		await write("anyone there??");
		assert.equal((await notices()).length, 2);
		await write("hello???");
		assert.equal((await notices()).length, 2, "one notice per ten minutes, however many messages");
		await online({ ana: 1 });
		clock.advance(11 * 60_000);
		await write("still waiting");
		const all = await notices();
		assert.equal(all.length, 3);
		assert.match(all[2]!, /^Thanks for waiting — everyone on our team is busy right now/, "someone is online: busy, not offline");
		await waitFor(() => sent().length === 3, { message: "every notice is sent" });

		// Taken: the seller answers; no more notices.
		await waitFor(async () => ["offered", "queued"].includes(await stateOf(id)));
		await call("accept", { escalationId: id, sellerId: "ana" });
		clock.advance(11 * 60_000);
		await write("hi Ana");
		assert.equal((await notices()).length, 3);
	});

	it("operator assign, queue, get and sellers", async () => {
		const { id } = await open();
		// Carla has no console open: the customer would be told she joined and hear nothing.
		await rejects(call("assign", { escalationId: id, sellerId: "carla", by: "ops" }), "SELLER_OFFLINE");
		assert.equal((await get(id)).state, "queued");
		const view = await call<EscalationView>("assign", { escalationId: id, sellerId: "carla", by: "ops", force: true });
		assert.equal(view.state, "active");
		assert.equal(view.sellerId, "carla");
		const sellers = await call<SellerView[]>("sellers");
		assert.deepEqual(sellers.map(s => [s.id, s.load, s.online]), [["ana", 0, false], ["ben", 0, false], ["carla", 1, false]]);
		const session = await call<{ seller: SellerView; queue: EscalationView[]; conversations: ConversationView[] }>("session", { sellerId: "carla" });
		assert.deepEqual(session.conversations.map(c => c.escalation.id), [id]);
	});

	it("operator cancel while queued or offered: resolved to ai, the brand's queues drop it; 409 once a seller has it or it is resolved", async () => {
		const queued = await open();
		const view = await call<EscalationView>("cancel", { escalationId: queued.id, by: "ops", note: "customer found it" });
		assert.equal(view.state, "resolved");
		assert.equal(view.resolution, "ai");
		await waitFor(() => probe.events[EventTypes.SalesEscalationResolved].some(e => e.data.escalationId === queued.id));
		const resolved = probe.events[EventTypes.SalesEscalationResolved].find(e => e.data.escalationId === queued.id)!;
		assert.deepEqual(resolved.data, { escalationId: queued.id, conversationId: queued.data.conversationId, brand: "fashion", to: "ai", note: "customer found it (by ops)" });
		await waitFor(() => probe.frames("escalation.resolved", { brand: "fashion" }).some(f => f.escalationId === queued.id && f.to === "ai"));
		assert.deepEqual(await call<EscalationView[]>("queue", { brand: "fashion" }), []);
		await rejects(call("cancel", { escalationId: queued.id, by: "ops" }), "NOT_CANCELLABLE");

		// Offered to ana: she is one of the brand's sellers, so the brand-wide frame reaches her.
		const offered = await open();
		await online({ ana: 1 });
		await waitFor(async () => (await stateOf(offered.id)) === "offered");
		const cancelled = await call<EscalationView>("cancel", { escalationId: offered.id, by: "ops" });
		assert.equal(cancelled.state, "resolved");
		assert.equal(cancelled.offeredTo, null);
		await waitFor(() => probe.frames("escalation.resolved", { brand: "fashion" }).some(f => f.escalationId === offered.id && f.to === "ai"));
		const session = await call<{ queue: EscalationView[] }>("session", { sellerId: "ana" });
		assert.deepEqual(session.queue.map(e => e.id), []);
		// Nobody took it: no seller's figures move.
		assert.equal(probe.events[EventTypes.SalesInsight].length, 0);

		const taken = await open();
		await waitFor(async () => (await stateOf(taken.id)) === "offered");
		await call("accept", { escalationId: taken.id, sellerId: "ana" });
		await assert.rejects(call("cancel", { escalationId: taken.id, by: "ops" }), (err: Errors.MoleculerError) => {
			assert.equal(err.type, "NOT_CANCELLABLE");
			assert.equal(err.code, 409);
			assert.match(err.message, /is active \(with ana\): only a queued or offered escalation can be cancelled/);
			return true;
		});
		assert.equal(await stateOf(taken.id), "active");
		await rejects(call("cancel", { escalationId: "esc-nope", by: "ops" }), "NOT_FOUND");
		await rejects(call("cancel", { escalationId: taken.id }), "VALIDATION_ERROR");
	});

	it("a conversation closed while it waits withdraws its escalation; closed under a seller, it ends for them; naming another escalate, nothing", async () => {
		const closed = (data: { conversationId: string; waId: string }, escalateEventId?: string, reason: "operator" | "idle" | "resolved" = "operator") =>
			publishEvent(broker, "/test", EventTypes.ChatConversationClosed, {
				conversationId: data.conversationId,
				brand: "fashion",
				waId: data.waId,
				reason,
				...(escalateEventId ? { escalateEventId } : {})
			});

		const waiting = await open();
		await closed(waiting.data, "escalate:some-older-one");
		await closed(waiting.data);
		await closed(waiting.data, waiting.event.id, "idle");
		await waitFor(async () => (await stateOf(waiting.id)) === "resolved", { message: "withdrawn" });
		assert.equal((await get(waiting.id)).resolution, "ai");
		await waitFor(() => probe.events[EventTypes.SalesEscalationResolved].some(e => e.data.escalationId === waiting.id));
		assert.equal(probe.events[EventTypes.SalesEscalationResolved].find(e => e.data.escalationId === waiting.id)!.data.note, "conversation closed (idle)");
		assert.equal(probe.events[EventTypes.SalesEscalationResolved].length, 1, "the other closes named nothing open");

		const held = await open();
		await call("assign", { escalationId: held.id, sellerId: "ana", by: "ops", force: true });
		await closed(held.data, held.event.id);
		await waitFor(async () => (await stateOf(held.id)) === "resolved", { message: "closed under the seller" });
		assert.equal((await get(held.id)).resolution, "closed");
		await waitFor(() => probe.frames("escalation.resolved", { sellerId: "ana" }).some(f => f.escalationId === held.id && f.to === "closed"), { message: "Ana's console told" });
		assert.equal(probe.events[EventTypes.SalesEscalationResolved].find(e => e.data.escalationId === held.id)!.data.note, "conversation closed (operator)");
		// The seller's own close comes back as a 'resolved' close of an escalation already resolved: nothing more.
		await closed(held.data, held.event.id, "resolved");
		const marker = await open();
		await closed(marker.data, marker.event.id);
		await waitFor(async () => (await stateOf(marker.id)) === "resolved");
		assert.equal(probe.events[EventTypes.SalesEscalationResolved].filter(e => e.data.escalationId === held.id).length, 1);

		// Closed before its escalate arrived: that escalate then opens nothing.
		const late = escalateData();
		const eventId = "escalate-late-1";
		await closed(late, eventId);
		const lateId = escalationIdOf(late.conversationId, eventId);
		await waitFor(async () => (await broker.store.get(`esc:withdrawn:${lateId}`)) !== null, { message: "remembered" });
		await escalate(broker, late, eventId);
		const after = await open();
		await waitFor(async () => (await stateOf(after.id)) === "queued");
		await rejects(get(lateId), "NOT_FOUND");
	});
});

describe("REPL: escalations, sellers, assign", function () {
	this.timeout(20_000);
	let broker: ServiceBroker;

	before(async () => {
		broker = await startBroker({ env: ENV, services: [createSalesAssistantService()] });
	});
	after(() => broker?.stop());

	it("lists the queues, the sellers with load and capacity, and assigns", async () => {
		assert.equal(await runEscalations(broker, { options: {} }), "No escalation waiting.");
		assert.equal(await runEscalations(broker, { options: { brand: "Bad Brand" } }), "usage: escalations [--brand b]");
		const data = escalateData({ brand: "tech", conversationId: "tech:15551239876", waId: "15551239876", customerName: "Lee" });
		const event = await escalate(broker, data);
		const id = escalationIdOf(data.conversationId, event.id);
		await waitFor(async () => (await runEscalations(broker, { options: { brand: "tech" } })).includes(id));
		const listed = await runEscalations(broker, { options: { brand: "tech" } });
		assert.match(listed, new RegExp(`^1 escalation\\(s\\) waiting:\\n${id}  tech  queued  p0  waiting \\d+s  human_requested  Lee 15••••9876$`));
		assert.ok(!listed.includes("15551239876"));
		assert.equal(await runEscalations(broker, { options: { brand: "fashion" } }), "No escalation waiting for fashion.");
		assert.equal(await runAssign(broker, { options: {} }), "usage: assign <escalation> <seller> [--force]");
		await assert.rejects(runAssign(broker, { escalation: id, seller: "ben", options: {} }), /Ben Okafor is not connected to the console[^]*force it/);
		assert.equal(await runAssign(broker, { escalation: id, seller: "ben", options: { force: true } }), `${id} assigned to ben (Ben Okafor).`);
		await assert.rejects(runAssign(broker, { escalation: id, seller: "ana", options: { force: true } }), /FORBIDDEN|not of your brands/);
		assert.equal(
			await runSellers(broker),
			["ana  offline  load 0/3  fashion,beauty  Ana Torres", "ben  offline  load 1/3  tech,gaming  Ben Okafor", "carla  offline  load 0/5  home,fashion,tech,beauty,gaming  Carla Mendes"].join("\n")
		);
		// Online but on a break: the operator sees who takes no new customers.
		await broker.call("sales-assistant.presence", { nodeId: "console-r", sellers: { ana: 1, carla: 1 } });
		await broker.call("sales-assistant.pause", { sellerId: "carla", paused: true });
		assert.match(await runSellers(broker), /^ana  online   load 0\/3 [\s\S]*\ncarla  paused   load 0\/5 /);
		assert.ok(replCommands.some(c => c.command === "assign <escalation> <seller>"));
	});

	it("cancels a waiting escalation with a note, and refuses one already resolved", async () => {
		const data = escalateData({ brand: "tech", conversationId: "tech:15551230001", waId: "15551230001", customerName: "Kim" });
		const id = escalationIdOf(data.conversationId, (await escalate(broker, data)).id);
		await waitFor(async () => (await runEscalations(broker, { options: { brand: "tech" } })).includes(id));
		assert.equal(await runCancel(broker, { options: {} }), "usage: cancel <escalation> [note]");
		const calls = sinon.spy(broker, "call");
		try {
			assert.equal(await runCancel(broker, { escalation: id, note: "customer", rawCommand: `cancel ${id} customer bought online`, options: {} }), `${id} cancelled: tech:15551230001 is back with the AI seller.`);
			// The whole note, though moleculer-repl handed over only its first word as `note`.
			assert.ok(calls.calledWith("sales-assistant.cancel", sinon.match({ escalationId: id, note: "customer bought online" })));
		} finally {
			calls.restore();
		}
		const view = await broker.call<EscalationView, object>("sales-assistant.get", { id });
		assert.equal(view.state, "resolved");
		assert.equal(view.resolution, "ai");
		assert.equal(await runEscalations(broker, { options: { brand: "tech" } }), "No escalation waiting for tech.");
		await assert.rejects(runCancel(broker, { escalation: id, options: {} }), /only a queued or offered escalation can be cancelled/);
		assert.ok(replCommands.some(c => c.command === "cancel <escalation> [note...]"));
	});
});
