import assert from "node:assert/strict";
import type { ServiceBroker } from "moleculer";
import { Errors } from "moleculer";
import { createEvent, EventTypes, type WhatsappMessageRefusedV1, type WhatsappMessageSendV1, type WhatsappMessageStatusV1 } from "../../contracts/events";
import { DeadLetters } from "../../adapters/dead-letters";
import { body, failed, nowSeconds, shapes, status, value, withMessages, CUSTOMER, CUSTOMER2 } from "../fixtures/whatsapp";
import { FakeGraph } from "../helpers/fake-graph";
import { captureLogs, postWebhook, startGateway, type Recorded } from "../helpers/whatsapp";
import { waitFor } from "../helpers/wait";

const TOKEN = "EAAtest-access-token";
const PNID = "100000000000001";
let keySeq = 0;
const key = () => `test:${Date.now()}:${++keySeq}`;

describe("WhatsApp outbound (fake Graph API over HTTP)", () => {
	let graph: FakeGraph;
	let broker: ServiceBroker;
	let url: string;
	let seen: Recorded;
	const logs = captureLogs("info");

	before(async () => {
		graph = await new FakeGraph(TOKEN).start();
		({ broker, url, seen } = await startGateway({
			env: {
				WHATSAPP_ACCESS_TOKEN: TOKEN,
				WHATSAPP_API_URL: graph.apiUrl,
				CHANNEL_MAX_ATTEMPTS: "3",
				WHATSAPP_FALLBACK_TEMPLATES: JSON.stringify({ default: { name: "reengage", language: "en_US" }, buttons: { name: "reengage_choice", language: "es" } })
			},
			logger: logs.logger as never
		}));
		// Opens the 24-hour window for CUSTOMER (CUSTOMER2 never writes).
		const res = await postWebhook(url, withMessages({ ...shapes.text(), timestamp: nowSeconds() }));
		assert.equal(res.status, 200);
	});
	after(async () => {
		await broker?.stop();
		await graph?.stop();
	});
	beforeEach(() => {
		graph.queue.length = 0;
		graph.always = null;
	});

	const send = (cmd: Partial<WhatsappMessageSendV1>) =>
		broker.call<Record<string, unknown>, WhatsappMessageSendV1>("whatsapp.send", { brand: "fashion", to: CUSTOMER, kind: "text", idempotencyKey: key(), ...cmd } as WhatsappMessageSendV1);
	const sendsTo = (to: string) => graph.sends().filter(r => r.body?.to === `+${to}`);
	const refused = () => seen[EventTypes.WhatsappMessageRefused].map(e => e.data as WhatsappMessageRefusedV1);

	it("sends text from the brand's number with the bearer token, E.164 with '+', and correlates statuses", async () => {
		const before = graph.sends().length;
		const res = await send({ text: "Hello!", conversationId: `fashion:${CUSTOMER}`, replyTo: "wamid.IN1" });
		assert.equal(res.status, "sent");
		const req = graph.sends()[before];
		assert.equal(req.path, `/v21.0/${PNID}/messages`);
		assert.equal(req.authorization, `Bearer ${TOKEN}`);
		assert.deepEqual(req.body, { messaging_product: "whatsapp", recipient_type: "individual", to: `+${CUSTOMER}`, type: "text", text: { body: "Hello!" }, context: { message_id: "wamid.IN1" } });
		const wamid = (res.messageIds as string[])[0];
		assert.match(wamid, /^wamid\.FAKE/);

		assert.equal((await postWebhook(url, body(value({ statuses: [status(wamid, "delivered")] })))).status, 200);
		await waitFor(() => seen[EventTypes.WhatsappMessageStatus].some(e => (e.data as WhatsappMessageStatusV1).messageId === wamid));
		const st = seen[EventTypes.WhatsappMessageStatus].find(e => (e.data as WhatsappMessageStatusV1).messageId === wamid)!.data as WhatsappMessageStatusV1;
		assert.equal(st.conversationId, `fashion:${CUSTOMER}`);
		assert.equal(st.brand, "fashion");
		assert.equal(st.status, "delivered");
	});

	it("splits a long text on sentence boundaries into parts of at most 4096, in order", async () => {
		const sentence = "This jacket is made of soft leather and fits true to size. ";
		const text = sentence.repeat(160);
		const before = graph.sends().length;
		const res = await send({ text });
		const parts = graph.sends().slice(before).map(r => (r.body!.text as { body: string }).body);
		assert.equal(parts.length, 3);
		assert.equal((res.messageIds as string[]).length, 3);
		for (const p of parts) {
			assert.ok(p.length <= 4096);
			assert.ok(p.endsWith("."), "cut after a sentence");
		}
		assert.equal(parts.join(" "), text.trim());
	});

	it("sends buttons, lists, templates, images, read receipts and typing indicators as Meta expects", async () => {
		const before = graph.sends().length;
		await send({ kind: "buttons", text: "Order it?", buttons: [{ id: "yes", title: "Yes" }, { id: "no", title: "No" }] });
		await send({ kind: "list", text: "Pick one", list: { button: "Jackets", header: "Our picks", sections: [{ title: "Leather", rows: [{ id: "FA-1", title: "Biker", description: "Black, $89" }] }] } });
		await send({ kind: "template", template: { name: "order_update", language: "en_US" } });
		await send({ kind: "image", image: { link: "https://example.com/a.jpg", caption: "Biker" } });
		await send({ kind: "read", messageId: "wamid.IN1" });
		await send({ kind: "typing", messageId: "wamid.IN1" });
		const bodies = graph.sends().slice(before).map(r => r.body!);
		assert.deepEqual(bodies[0].interactive, { type: "button", body: { text: "Order it?" }, action: { buttons: [{ type: "reply", reply: { id: "yes", title: "Yes" } }, { type: "reply", reply: { id: "no", title: "No" } }] } });
		assert.deepEqual(bodies[1].interactive, { type: "list", header: { type: "text", text: "Our picks" }, body: { text: "Pick one" }, action: { button: "Jackets", sections: [{ title: "Leather", rows: [{ id: "FA-1", title: "Biker", description: "Black, $89" }] }] } });
		assert.deepEqual(bodies[2].template, { name: "order_update", language: { code: "en_US" } });
		assert.deepEqual(bodies[3].image, { link: "https://example.com/a.jpg", caption: "Biker" });
		assert.deepEqual(bodies[4], { messaging_product: "whatsapp", status: "read", message_id: "wamid.IN1" });
		assert.deepEqual(bodies[5], { messaging_product: "whatsapp", status: "read", message_id: "wamid.IN1", typing_indicator: { type: "text" } });
	});

	it("rejects a message that breaks a limit before sending, naming every violation", async () => {
		const cases: [Partial<WhatsappMessageSendV1>, RegExp][] = [
			[{ kind: "buttons", text: "x", buttons: [1, 2, 3, 4].map(i => ({ id: `b${i}`, title: `B${i}` })) }, /1 to 3 buttons, not 4/],
			[{ kind: "buttons", text: "x", buttons: [{ id: "a", title: "A title that is too long" }] }, /buttons\[0\]\.title: is 24 characters, the limit is 20/],
			[{ kind: "buttons", text: "x".repeat(1025), buttons: [{ id: "a", title: "A" }] }, /text: is 1025 characters, the limit is 1024/],
			[{ kind: "buttons", text: "x", buttons: [{ id: "a", title: "Same" }, { id: "b", title: "Same" }] }, /titles must be unique/],
			[{ kind: "list", text: "x", list: { button: "Pick", sections: [{ title: "S", rows: Array.from({ length: 11 }, (_, i) => ({ id: `r${i}`, title: `R${i}` })) }] } }, /11 rows in all, the limit is 10/],
			[{ kind: "list", text: "x", list: { button: "Pick", sections: [{ title: "A section title over 24ch", rows: [{ id: "r", title: "R", description: "d".repeat(73) }] }] } }, /title: is 25 characters.*description: is 73 characters/],
			[{ kind: "list", text: "x", list: { button: "A button label too long", sections: [{ rows: [{ id: "r", title: "A row title that is too long" }] }] } }, /list\.button: is 23 characters.*rows\[0\]\.title: is 28/],
			[{ kind: "image", image: { link: "https://example.com/a.jpg", caption: "c".repeat(1025) } }, /caption: is 1025/],
			[{ kind: "read" }, /messageId: is required/],
			[{ kind: "text", text: "   " }, /text: is required/]
		];
		const before = graph.sends().length;
		for (const [cmd, message] of cases) {
			await assert.rejects(send(cmd), (err: Error & { code?: number; type?: string }) => {
				assert.ok(err instanceof Errors.MoleculerClientError, String(err));
				assert.equal(err.code, 422);
				assert.equal(err.type, "WHATSAPP_MESSAGE_INVALID");
				assert.match(err.message, message);
				return true;
			});
		}
		assert.equal(graph.sends().length, before, "nothing broken was sent");
		await waitFor(() => refused().filter(r => r.reason === "invalid").length === cases.length);
	});

	it("refuses free-form outside the window and sends the template configured for the kind", async () => {
		const k = key();
		const res = await send({ to: CUSTOMER2, kind: "buttons", text: "Still interested?", buttons: [{ id: "y", title: "Yes" }], idempotencyKey: k, conversationId: `fashion:${CUSTOMER2}` });
		assert.equal(res.status, "refused");
		assert.equal(res.reason, "window_closed");
		const sent = sendsTo(CUSTOMER2);
		assert.equal(sent.length, 1);
		assert.deepEqual(sent[0].body!.template, { name: "reengage_choice", language: { code: "es" } });
		const text = await send({ to: CUSTOMER2, text: "hi" });
		assert.equal(text.status, "refused");
		assert.deepEqual(sendsTo(CUSTOMER2)[1].body!.template, { name: "reengage", language: { code: "en_US" } });
		await waitFor(() => refused().some(r => r.idempotencyKey === k));
		const ev = refused().find(r => r.idempotencyKey === k)!;
		assert.equal(ev.reason, "window_closed");
		assert.deepEqual(ev.fallback, { template: "reengage_choice", idempotencyKey: `${k}:fallback` });
		assert.ok(logs.lines.some(l => /Refused a buttons message .*window_closed/.test(l)), "a log line for the refusal");
		// Templates themselves are allowed outside the window.
		assert.equal((await send({ to: CUSTOMER2, kind: "template", template: { name: "order_update", language: "en_US" } })).status, "sent");
	});

	it("falls back to a template when Meta answers 131047 at once", async () => {
		graph.queue.push({ code: 131047 });
		const before = graph.sends().length;
		const res = await send({ text: "hello again" });
		assert.equal(res.status, "refused");
		const reqs = graph.sends().slice(before);
		assert.equal(reqs.length, 2);
		assert.equal(reqs[1].body!.type, "template");
	});

	it("falls back to a template when a failed status reports 131047", async () => {
		const k = key();
		const res = await send({ text: "are you there?", idempotencyKey: k });
		const wamid = (res.messageIds as string[])[0];
		const before = graph.sends().length;
		assert.equal((await postWebhook(url, body(value({ statuses: [failed(wamid, 131047)] })))).status, 200);
		await waitFor(() => graph.sends().length === before + 1);
		assert.equal(graph.sends()[before].body!.type, "template");
		await waitFor(() => refused().some(r => r.idempotencyKey === k && r.code === 131047));
	});

	it("retries 130429, 131056 and 5xx with backoff, keeping one send", async () => {
		graph.queue.push({ code: 130429 }, { http: 503 });
		const before = graph.sends().length;
		const res = await send({ text: "throttled" });
		assert.equal(res.status, "sent");
		assert.equal(graph.sends().length - before, 3);
		graph.queue.push({ code: 131056 });
		assert.equal((await send({ text: "pair" })).status, "sent");
	});

	it("is idempotent by idempotencyKey", async () => {
		const k = key();
		const before = graph.sends().length;
		const a = await send({ text: "once", idempotencyKey: k });
		const b = await send({ text: "once", idempotencyKey: k });
		assert.equal(graph.sends().length - before, 1);
		assert.deepEqual(b.messageIds, a.messageIds);
		assert.equal(b.duplicate, true);
	});

	describe("through the durable channel", () => {
		const dlq = () => new DeadLetters(broker.store);
		const publish = (cmd: Partial<WhatsappMessageSendV1>) => {
			const e = createEvent(EventTypes.WhatsappMessageSend, { brand: "fashion", to: CUSTOMER, kind: "text", text: "hi", idempotencyKey: key(), ...cmd } as WhatsappMessageSendV1, { source: "/test" });
			return broker.sendToChannel(EventTypes.WhatsappMessageSend, e).then(() => e);
		};
		const letterOf = async (eventId: string) => (await dlq().list({ limit: 1000 })).items.find(d => d.eventId === eventId);

		it("sends in the order published, per customer", async () => {
			const before = graph.sends().length;
			for (let i = 0; i < 8; i++) await publish({ text: `m${i}` });
			await waitFor(() => graph.sends().length === before + 8);
			assert.deepEqual(graph.sends().slice(before).map(r => (r.body!.text as { body: string }).body), [0, 1, 2, 3, 4, 5, 6, 7].map(i => `m${i}`));
		});

		it("dead-letters 131026 at once with the reason", async () => {
			graph.always = { code: 131026 };
			const e = await publish({ text: "to nowhere" });
			const letter = await waitFor(() => letterOf(e.id));
			assert.equal(letter.error.attempts, 1);
			assert.equal(letter.error.code, "WHATSAPP_REJECTED");
			assert.match(letter.error.message, /131026/);
			await waitFor(() => refused().some(r => r.idempotencyKey === e.data.idempotencyKey && r.reason === "undeliverable"));
		});

		it("logs an alert and dead-letters an expired token (190)", async () => {
			graph.always = { code: 190, http: 401 };
			const e = await publish({ text: "token?" });
			const letter = await waitFor(() => letterOf(e.id));
			assert.equal(letter.error.attempts, 1);
			assert.equal(letter.error.code, "WHATSAPP_TOKEN_EXPIRED");
			assert.ok(logs.lines.some(l => l.includes('"level":"error"') && l.includes("ALERT")), "an error-level alert");
		});

		it("retries 5xx through the channel and dead-letters after the last attempt", async () => {
			graph.always = { http: 500 };
			const before = graph.sends().length;
			const e = await publish({ text: "server down" });
			const letter = await waitFor(() => letterOf(e.id), { timeoutMs: 10_000 });
			assert.equal(letter.error.attempts, 3);
			assert.equal(letter.error.code, "WHATSAPP_RETRY_LATER");
			assert.equal(graph.sends().length - before, 9, "3 channel attempts x 3 tries in the customer's lane");
		});
	});

	it("downloads media through the Graph API with the bearer token", async () => {
		graph.media.set("media-image-1", Buffer.from("JPEGDATA"));
		const res = await broker.call<{ data: string; mimeType: string; size: number }, object>("whatsapp.media", { mediaId: "media-image-1", phoneNumberId: PNID });
		assert.equal(Buffer.from(res.data, "base64").toString(), "JPEGDATA");
		assert.equal(res.mimeType, "image/jpeg");
		const reqs = graph.requests.filter(r => r.method === "GET");
		assert.ok(reqs.length >= 2 && reqs.every(r => r.authorization === `Bearer ${TOKEN}`));
		assert.equal((await fetch(`${graph.url}/media-bytes/media-image-1`)).status, 401, "the URL alone is refused");
		await assert.rejects(broker.call("whatsapp.media", { mediaId: "nope" }), /Media download refused/);
	});

	it("serves no sandbox outbox when live", async () => {
		assert.equal((await fetch(`${url}/sandbox/outbox`)).status, 404);
	});
});
