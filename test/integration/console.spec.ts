/**
 * The seller console protocol end to end: real `ws` clients against one broker running api +
 * console + sales-assistant + whatsapp (sandbox) + AI sellers. Customers write through signed
 * webhooks; sellers act through frames only.
 */
import assert from "node:assert/strict";
import type { ServiceBroker } from "moleculer";
import ConsoleService from "../../gateway/console.service";
import CatalogService from "../../services/catalog.service";
import OrdersService from "../../services/orders.service";
import SalesAssistantService from "../../services/sales-assistant.service";
import AiSellerFashion from "../../services/ai-seller-fashion.service";
import AiSellerTech from "../../services/ai-seller-tech.service";
import type { EscalationView, SellerView, TranscriptMessage } from "../../contracts/sales-assistant";
import { readTranscript } from "../../adapters/transcript";
import { historyFromTranscript } from "../../agents/history";
import { windowKey } from "../../gateway/whatsapp/window";
import { BUSINESS } from "../fixtures/whatsapp";
import { customer, outbox, textOf } from "../helpers/ai-seller";
import { connectSeller, SELLERS, sellersFile, upgradeStatus, type Frame, type SellerClient } from "../helpers/console-client";
import { startBroker } from "../helpers/broker";
import { escalate, escalateData } from "../helpers/sales";
import { startGateway } from "../helpers/whatsapp";
import { waitFor } from "../helpers/wait";
import type { ConsoleServer } from "../../gateway/console/server";

const token = (id: string) => SELLERS.find(s => s.id === id)!.token;

const HEARTBEAT_MS = 300;
const MAX_FRAME = 4096;

describe("seller console (WebSocket protocol)", function () {
	this.timeout(60_000);
	let broker: ServiceBroker;
	let url: string;
	const clients: SellerClient[] = [];
	const connect = async (id: string, opts: Parameters<typeof connectSeller>[2] = {}) => {
		const c = await connectSeller(url, token(id), opts);
		clients.push(c);
		return c;
	};
	const online = async (id: string) => ((await broker.call<SellerView[]>("sales-assistant.sellers")).find(s => s.id === id)?.online ?? false);

	before(async () => {
		const g = await startGateway({
			withProbe: false,
			env: {
				SELLERS_FILE: sellersFile(),
				CONSOLE_HEARTBEAT_MS: String(HEARTBEAT_MS),
				CONSOLE_MAX_FRAME_BYTES: String(MAX_FRAME),
				CONSOLE_PRESENCE_MS: "1000",
				ESCALATION_SWEEP_MS: "50"
			},
			services: [ConsoleService, SalesAssistantService, CatalogService, OrdersService, AiSellerFashion, AiSellerTech]
		});
		broker = g.broker;
		url = g.url;
	});
	after(async () => {
		await Promise.all(clients.map(c => c.close().catch(() => undefined)));
		await broker?.stop();
	});

	describe("authentication and limits", () => {
		it("refuses an upgrade with a wrong or missing token with 401", async () => {
			assert.equal(await upgradeStatus(url, "not-a-token-at-all-xx"), 401);
			assert.equal(await upgradeStatus(url, token("ana").slice(0, -1)), 401);
			assert.equal(await upgradeStatus(url, ""), 401);
			assert.equal(await upgradeStatus(url, null), 401);
			assert.equal(await upgradeStatus(url.replace(/\/$/, "") + "/elsewhere", token("ana")).catch(() => 0), 404);
		});

		it("answers GET /console/session for a bearer token: who it is, or 401 (never from the URL)", async () => {
			const res = await fetch(`${url}/console/session`, { headers: { authorization: `Bearer ${token("ana")}` } });
			assert.equal(res.status, 200);
			assert.equal(res.headers.get("cache-control"), "no-store");
			assert.deepEqual(((await res.json()) as { seller: { id: string } }).seller.id, "ana");
			for (const headers of [{ authorization: "Bearer not-a-token-at-all-xx" }, { authorization: token("ana") }, {}] as Record<string, string>[]) {
				const refused = await fetch(`${url}/console/session`, { headers });
				assert.equal(refused.status, 401, JSON.stringify(headers));
				assert.doesNotMatch(await refused.text(), new RegExp(token("ana")));
			}
			assert.equal((await fetch(`${url}/console/session?token=${token("ana")}`)).status, 401);
		});

		it("welcomes a seller with who they are, their queue and their conversations", async () => {
			const zoe = await connect("zoe");
			const w = zoe.welcome;
			assert.equal(w.seller.id, "zoe");
			assert.equal(w.seller.name, "Zoe Park");
			assert.deepEqual(w.seller.brands, ["gaming"]);
			assert.equal(w.seller.capacity, 1);
			assert.deepEqual(w.queue, []);
			assert.deepEqual(w.conversations, []);
			assert.equal(w.heartbeatMs, HEARTBEAT_MS);
			assert.ok(Math.abs(w.serverTime - Date.now()) < 60_000);
			await waitFor(() => online("zoe"), { message: "zoe online" });
			await zoe.close();
			await waitFor(async () => !(await online("zoe")), { message: "zoe offline after closing" });
		});

		it("tells a seller who else is on the team, and answers a `team` frame with who is online now", async () => {
			const zoe = await connect("zoe");
			const names = (team: SellerView[] | undefined) => (team ?? []).map(s => s.id).sort();
			const others = SELLERS.filter(s => s.id !== "zoe").map(s => s.id).sort();
			assert.deepEqual(names(zoe.welcome.team), others, "every other seller, not zoe herself");
			const ana = await connect("ana");
			const answer = await waitFor(async () => {
				const f = await zoe.request({ type: "team" });
				assert.equal(f.type, "ack");
				const team = (f as { result: SellerView[] }).result;
				return team.find(s => s.id === "ana")?.online && team;
			}, { message: "ana online in zoe's team" });
			assert.deepEqual(names(answer), others);
			const a = answer.find(s => s.id === "ana")!;
			assert.deepEqual([a.name, a.brands, a.load, typeof a.capacity], [SELLERS.find(s => s.id === "ana")!.name, SELLERS.find(s => s.id === "ana")!.brands, 0, "number"]);
			assert.equal(answer.find(s => s.id === "zoe"), undefined);
			await ana.close();
			await zoe.close();
		});

		it("answers malformed frames with BAD_FRAME and stays open", async () => {
			const zoe = await connect("zoe");
			for (const bad of ["{oops", "[]", '{"type":"launch"}', '{"type":"accept"}', '{"type":"message","conversationId":"c","text":""}']) {
				const from = zoe.frames.length;
				zoe.send(bad);
				const err = await zoe.nextOf("error", () => true, { from });
				assert.equal(err.code, "BAD_FRAME", bad);
			}
			const answer = await zoe.request({ type: "accept", escalationId: 42 });
			assert.equal(answer.type, "error");
			assert.equal(answer.code, "BAD_FRAME");
			zoe.ws.send(Buffer.from([1, 2, 3]), { binary: true });
			assert.equal((await zoe.nextOf("error", f => /binary/.test(f.message))).code, "BAD_FRAME");
			assert.ok(await zoe.alive());
			await zoe.close();
		});

		it("closes with 1009 on a frame over CONSOLE_MAX_FRAME_BYTES", async () => {
			const zoe = await connect("zoe");
			zoe.send({ type: "message", conversationId: "c1", text: "x".repeat(MAX_FRAME) });
			assert.equal((await zoe.waitClosed()).code, 1009);
			// A frame just under the limit is refused as a frame, not by closing.
			const again = await connect("zoe");
			const answer = await again.request({ type: "message", conversationId: "c1", text: "x".repeat(MAX_FRAME - 200) });
			assert.equal(answer.type, "error");
			assert.ok(again.isOpen);
			await again.close();
		});

		it("limits each connection's rate with RATE_LIMITED and serves it again once it slows down", async () => {
			const zoe = await connect("zoe");
			const other = await connect("zoe");
			const from = zoe.frames.length;
			for (let i = 0; i < 80; i++) zoe.send({ type: "ping", ref: `p${i}` });
			const limited = await waitFor(() => zoe.frames.slice(from).filter(f => f.type === "error" && f.code === "RATE_LIMITED").length >= 20 && zoe.frames.slice(from));
			const pongs = limited.filter(f => f.type === "pong").length;
			assert.ok(pongs >= 40 && pongs < 80, `pongs: ${pongs}`);
			assert.ok(limited.some(f => f.type === "error" && f.ref?.startsWith("p")), "the refusal names the frame");
			// Per connection: the seller's other socket is not limited.
			assert.ok(await other.alive());
			// Each probe is one frame; between probes the bucket refills (20 frames/s by default).
			await waitFor(async () => (await zoe.request({ type: "ping" })).type === "pong", { intervalMs: 200, message: "zoe served again" });
			await zoe.close();
			await other.close();
		});

		it("terminates a socket that stops answering pings and reports the seller away", async () => {
			const zoe = await connect("zoe", { autoPong: false });
			await waitFor(() => online("zoe"), { message: "zoe online" });
			assert.ok(zoe.isOpen);
			const closed = await zoe.waitClosed(HEARTBEAT_MS * 10);
			assert.equal(closed.code, 1006, "cut, not closed politely");
			await waitFor(async () => !(await online("zoe")), { message: "zoe reported offline" });
		});

		it("keeps a socket that answers pings past several heartbeats", async () => {
			const zoe = await connect("zoe");
			const pings = await new Promise<number>(resolve => {
				let n = 0;
				zoe.ws.on("ping", () => ++n === 3 && resolve(n));
			});
			assert.equal(pings, 3);
			assert.ok(await zoe.alive());
			await zoe.close();
		});
	});

	describe("escalations", () => {
		const fashionCustomer = customer("15550003001", { name: "Maria Lopez", phoneNumberId: BUSINESS.fashion });
		const techCustomer = customer("15550003002", { name: "Tom Byte", phoneNumberId: BUSINESS.tech });
		let ana: SellerClient;
		let anaTab2: SellerClient;
		let ben: SellerClient;
		let carla: SellerClient;
		let fashionConversation: string;
		let escalationId: string;
		let winner: SellerClient;
		let loser: SellerClient;

		before(async () => {
			[ana, anaTab2, ben, carla] = await Promise.all([connect("ana"), connect("ana"), connect("ben"), connect("carla")]);
			await waitFor(async () => (await Promise.all(["ana", "ben", "carla"].map(online))).every(Boolean), { message: "sellers online" });
		});

		it("shows a brand's escalation to that brand's sellers only", async () => {
			await fashionCustomer.post(url, fashionCustomer.text("I want to talk to a human please"));
			await techCustomer.post(url, techCustomer.text("Can I speak to a real person?"));
			const seen = await ana.nextOf("escalation.new", f => f.escalation.brand === "fashion");
			const e = seen.escalation;
			fashionConversation = e.conversationId;
			escalationId = e.id;
			assert.equal(e.reason, "human_requested");
			assert.ok(e.summary.length > 0);
			assert.equal(e.customer.name, "Maria Lopez");
			assert.ok(!e.customer.masked.includes("15550003001") && e.customer.masked.endsWith("01"), e.customer.masked);
			// PRODUCT.md's fields also stand at the top of the frame.
			assert.deepEqual(
				{ conversationId: seen.conversationId, brand: seen.brand, reason: seen.reason, summary: seen.summary, customer: seen.customer },
				{ conversationId: e.conversationId, brand: e.brand, reason: e.reason, summary: e.summary, customer: e.customer }
			);
			await carla.nextOf("escalation.new", f => f.escalation.id === escalationId);
			const tech = await ben.nextOf("escalation.new", f => f.escalation.brand === "tech");
			await carla.nextOf("escalation.new", f => f.escalation.id === tech.escalation.id);
			// Nothing of the tech escalation ever reaches ana; nothing of fashion reaches ben.
			const mentions = (frames: Frame[], id: string) => frames.filter(f => JSON.stringify(f).includes(id));
			assert.deepEqual(mentions(ana.frames, tech.escalation.conversationId), []);
			assert.deepEqual(mentions(anaTab2.frames, tech.escalation.conversationId), []);
			assert.deepEqual(mentions(ben.frames, fashionConversation), []);
		});

		it("two sellers racing to accept: exactly one wins, the other gets ESCALATION_TAKEN and escalation.taken", async () => {
			const [a, c] = await Promise.all([ana.request({ type: "accept", escalationId }), carla.request({ type: "accept", escalationId })]);
			const answers = [a, c];
			assert.equal(answers.filter(x => x.type === "ack").length, 1, JSON.stringify(answers));
			const lost = answers.find(x => x.type === "error")!;
			assert.equal(lost.code, "ESCALATION_TAKEN");
			[winner, loser] = a.type === "ack" ? [ana, carla] : [carla, ana];
			const assigned = await winner.nextOf("escalation.assigned", f => f.conversation.escalation.id === escalationId);
			assert.equal(assigned.conversation.conversationId, fashionConversation);
			assert.ok(assigned.conversation.messages.some(m => m.from === "customer" && /human/.test(m.text)), "the transcript comes with it");
			const taken = await loser.nextOf("escalation.taken", f => f.escalationId === escalationId);
			assert.equal(taken.sellerId, winner === ana ? "ana" : "carla");
			assert.equal(loser.of("escalation.assigned").filter(f => f.conversation.escalation.id === escalationId).length, 0);
			// The customer is told a human took over, with the seller's first name.
			const name = winner === ana ? "Ana" : "Carla";
			await waitFor(async () => (await outbox(url, fashionCustomer.waId)).some(m => textOf(m).includes(name)), { message: "customer told" });
		});

		it("a forbidden action answers FORBIDDEN and keeps the socket open", async () => {
			const answer = await loser.request({ type: "message", conversationId: fashionConversation, text: "Hi, I'm taking over" });
			assert.equal(answer.type, "error");
			assert.equal(answer.code, "FORBIDDEN");
			const resolve = await loser.request({ type: "resolve", conversationId: fashionConversation, to: "closed" });
			assert.equal(resolve.code, "FORBIDDEN");
			// Ben is not of the fashion brand at all.
			const bens = await ben.request({ type: "accept", escalationId });
			assert.equal(bens.type, "error");
			assert.ok(["FORBIDDEN", "ESCALATION_TAKEN"].includes(String(bens.code)), String(bens.code));
			assert.ok(await loser.alive());
			assert.ok(await ben.alive());
		});

		it("keeps a seller's tabs in sync: their own message and the customer's reach every tab", async () => {
			if (winner !== ana) {
				// The race went to carla: hand the conversation over to ana so the tab test has two tabs.
				const t = await carla.request({ type: "transfer", conversationId: fashionConversation, toSellerId: "ana", note: "two tabs test" });
				assert.equal(t.type, "ack", JSON.stringify(t));
				const offered = await ana.nextOf("escalation.offered", f => f.escalation.conversationId === fashionConversation);
				const acc = await ana.request({ type: "accept", escalationId: offered.escalation.id });
				assert.equal(acc.type, "ack", JSON.stringify(acc));
			}
			const from2 = anaTab2.frames.length;
			const sent = await ana.request({ type: "message", conversationId: fashionConversation, text: "Hello Maria, Ana here!", clientId: "m-1" });
			assert.equal(sent.type, "ack", JSON.stringify(sent));
			const seq = (sent.result as { seq: number }).seq;
			const echoed = await anaTab2.nextOf("conversation.message", f => f.seq === seq, { from: from2 });
			assert.deepEqual([echoed.from, echoed.text, echoed.sellerId], ["seller", "Hello Maria, Ana here!", "ana"]);
			await waitFor(async () => (await outbox(url, fashionCustomer.waId)).some(m => textOf(m) === "Hello Maria, Ana here!"), { message: "sent to the customer" });
			// The frame resent as it was is a retry; its clientId with other words is refused, not silently dropped.
			const retried = await ana.request({ type: "message", conversationId: fashionConversation, text: "Hello Maria, Ana here!", clientId: "m-1" });
			assert.deepEqual([retried.type, (retried.result as { seq: number }).seq], ["ack", seq]);
			const reused = await ana.request({ type: "message", conversationId: fashionConversation, text: "Hello Maria, it's Ana!", clientId: "m-1" });
			assert.deepEqual([reused.type, reused.code], ["error", "CLIENT_ID_REUSED"]);
			assert.ok(await ana.alive());
			await fashionCustomer.post(url, fashionCustomer.text("Great, do you have the red dress in M?"));
			for (const tab of [ana, anaTab2])
				await tab.nextOf("conversation.message", f => f.from === "customer" && /red dress/.test(f.text));
			await ana.nextOf("suggestions", f => f.conversationId === fashionConversation && f.items.length === 3);
		});

		it("tells the seller, on the line itself, when WhatsApp did not take their reply (the 24-hour window had closed)", async () => {
			// As if the customer last wrote days ago: the gateway finds no open window.
			await broker.store.del(windowKey(BUSINESS.fashion, fashionCustomer.waId));
			const before = (await outbox(url, fashionCustomer.waId)).length;
			const from = ana.frames.length;
			const sent = await ana.request({ type: "message", conversationId: fashionConversation, text: "Are you still there, Maria?", clientId: "late-1" });
			assert.equal(sent.type, "ack", JSON.stringify(sent));
			const seq = (sent.result as { seq: number }).seq;
			const note = await ana.nextOf("conversation.message", f => f.internal === true, { from, timeoutMs: 15_000 });
			assert.equal(note.from, "system");
			assert.equal(note.undelivered, seq, "it names the refused line");
			assert.match(note.text, /^Not delivered: the customer last wrote over 24 hours ago.*template.*send it again/);
			// The customer got the re-engagement template, not the text.
			const got = (await outbox(url, fashionCustomer.waId)).slice(before);
			assert.ok(got.some(m => (m.message as { type?: string }).type === "template"), JSON.stringify(got));
			assert.ok(!got.some(m => textOf(m) === "Are you still there, Maria?"));
			// A reload shows the same: the note in the transcript, naming the line.
			const history = (await broker.call("sales-assistant.history", { sellerId: "ana", conversationId: fashionConversation })) as { messages: TranscriptMessage[] };
			const kept = history.messages.find(m => m.internal);
			assert.deepEqual([kept?.undelivered, kept?.text], [seq, note.text]);
			// The model never reads the note, nor the line the customer did not get.
			const lines = await readTranscript(broker.store, fashionConversation);
			assert.ok(!historyFromTranscript(lines).some(m => /Are you still there|Not delivered/.test(String(m.content))));
		});

		it("a reconnecting seller gets their state back and exactly the messages they missed", async () => {
			const lastSeen = Math.max(...anaTab2.of("conversation.message").filter(f => f.conversationId === fashionConversation).map(f => f.seq));
			await anaTab2.close();
			const from1 = ana.frames.length;
			await fashionCustomer.post(url, fashionCustomer.text("Also, is shipping free?"));
			await ana.nextOf("conversation.message", f => /shipping/.test(f.text), { from: from1 });
			const reply = await ana.request({ type: "message", conversationId: fashionConversation, text: "Yes, over $50." });
			assert.equal(reply.type, "ack");
			await fashionCustomer.post(url, fashionCustomer.text("Perfect, thanks"));
			await ana.nextOf("conversation.message", f => /Perfect/.test(f.text), { from: from1 });
			const missed = ana.frames.slice(from1).filter((f): f is Extract<Frame, { type: "conversation.message" }> => f.type === "conversation.message" && f.conversationId === fashionConversation && f.seq > lastSeen);

			const back = await connect("ana");
			const conv = back.welcome.conversations.find(c => c.conversationId === fashionConversation);
			assert.ok(conv, "the conversation is in the welcome");
			assert.ok(conv.messages.some(m => /Perfect/.test(m.text)), "with its transcript");
			assert.ok(back.welcome.seller.online);
			const from = back.frames.length;
			const ack = await back.request({ type: "resume", conversations: { [fashionConversation]: lastSeen } });
			assert.equal(ack.type, "ack", JSON.stringify(ack));
			const got = back.frames.slice(from).filter(f => f.type === "conversation.message");
			assert.deepEqual(
				got.map(f => [f.seq, f.text]),
				missed.map(f => [f.seq, f.text]),
				"exactly the missed messages, in order"
			);
			assert.deepEqual(got.map(f => f.text), ["Also, is shipping free?", "Yes, over $50.", "Perfect, thanks"]);
			assert.deepEqual((ack.result as { sent: Record<string, number> }).sent, { [fashionConversation]: 3 });
			// A conversation that is not theirs is skipped with the reason, the rest still resumes.
			const other = await back.request({ type: "resume", conversations: { "tech:15550003002": 0 } });
			assert.equal(other.type, "ack");
			assert.deepEqual((other.result as { skipped: Record<string, string> }).skipped, { "tech:15550003002": "FORBIDDEN" });
			await back.close();
		});

		it("hands back to the AI: the seller is told it is resolved and the AI answers again", async () => {
			const done = await ana.request({ type: "resolve", conversationId: fashionConversation, to: "ai" });
			assert.equal(done.type, "ack", JSON.stringify(done));
			const resolved = await ana.nextOf("escalation.resolved", f => f.conversationId === fashionConversation);
			assert.equal(resolved.to, "ai");
			const before = (await outbox(url, fashionCustomer.waId)).length;
			await fashionCustomer.post(url, fashionCustomer.text("hi again, what dresses do you have?"));
			await waitFor(async () => (await outbox(url, fashionCustomer.waId)).length > before, { message: "the AI answers" });
			// No longer theirs: the conversation has no open escalation (NOT_FOUND) or another holder (FORBIDDEN).
			const late = await ana.request({ type: "message", conversationId: fashionConversation, text: "still there?" });
			assert.equal(late.type, "error");
			assert.ok(["NOT_FOUND", "FORBIDDEN"].includes(String(late.code)), String(late.code));
			assert.ok(await ana.alive());
		});
	});

	describe("transfers", () => {
		it("refuses a transfer to a colleague who is not connected with SELLER_OFFLINE, and keeps the conversation with the seller", async () => {
			const ben = await connect("ben");
			await waitFor(() => online("ben"), { message: "ben online" });
			assert.equal(await online("zoe"), false, "zoe has no console open");
			// Gaming: ben and zoe sell it, and no AI seller runs it here, so the escalation is published as the AI seller would.
			const data = escalateData({ brand: "gaming", conversationId: "gaming:15550003901", waId: "15550003901", customerName: "Gus Gamer" });
			await escalate(broker, data);
			const offered = await ben.nextOf("escalation.offered", f => f.escalation.conversationId === data.conversationId);
			assert.equal((await ben.request({ type: "accept", escalationId: offered.escalation.id })).type, "ack");

			const refused = await ben.request({ type: "transfer", conversationId: data.conversationId, toSellerId: "zoe", note: "she knows the console games" });
			assert.equal(refused.type, "error", JSON.stringify(refused));
			assert.equal(refused.code, "SELLER_OFFLINE");
			assert.match(String(refused.message), /^Zoe Park is not connected to the console/);
			assert.ok(await ben.alive());
			const kept = await broker.call<EscalationView, object>("sales-assistant.get", { id: offered.escalation.id });
			assert.deepEqual([kept.state, kept.sellerId], ["active", "ben"]);
			assert.equal(ben.of("escalation.resolved").filter(f => f.escalationId === offered.escalation.id).length, 0, "nothing told ben's console it left");

			// With her console open, the same transfer is an offer to her.
			const zoe = await connect("zoe");
			await waitFor(() => online("zoe"), { message: "zoe online" });
			const moved = await ben.request({ type: "transfer", conversationId: data.conversationId, toSellerId: "zoe", note: "she knows the console games" });
			assert.equal(moved.type, "ack", JSON.stringify(moved));
			const toZoe = await zoe.nextOf("escalation.offered", f => f.escalation.id === offered.escalation.id);
			assert.equal((await zoe.request({ type: "accept", escalationId: toZoe.escalation.id })).type, "ack");
			assert.equal((await zoe.request({ type: "resolve", conversationId: data.conversationId, to: "closed" })).type, "ack");
			await zoe.close();
			await ben.close();
		});
	});

	describe("stopping", () => {
		it("stays idle on a node without the api service, and stops cleanly", async () => {
			const alone = await startBroker({ env: { SELLERS_FILE: sellersFile() }, services: [ConsoleService] });
			const svc = alone.getLocalService("console") as unknown as { consoleServer: ConsoleServer | null };
			assert.equal(svc.consoleServer, null);
			await alone.broadcast("console.push", { to: { brands: ["fashion"] }, frame: { type: "pong", at: 1 } });
			await alone.stop();
		});


		it("closes every socket with 1001 and reports the node empty", async () => {
			const zoe = await connect("zoe");
			await waitFor(() => online("zoe"));
			const svc = broker.getLocalService("console") as unknown as { consoleServer: ConsoleServer };
			await svc.consoleServer.stop();
			assert.equal((await zoe.waitClosed()).code, 1001);
			await waitFor(async () => !(await online("zoe")), { message: "zoe offline" });
			const refused = await upgradeStatus(url, token("zoe")).then(status => status !== 101, (err: Error) => !/accepted/.test(err.message));
			assert.ok(refused, "no new sockets");
		});
	});
});
