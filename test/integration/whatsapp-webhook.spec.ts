import assert from "node:assert/strict";
import sinon from "sinon";
import type { ServiceBroker } from "moleculer";
import { EventTypes, type ChatMessageNewV1, type WhatsappMessageReceivedV1 } from "../../contracts/events";
import { signBody } from "../../gateway/whatsapp/signature";
import { body, entries, metaSamples, META_SAMPLE_SECRET, msg, shapes, status, value, withMessages, wamid, BUSINESS, CUSTOMER, CUSTOMER2 } from "../fixtures/whatsapp";
import { startGateway, postWebhook, VERIFY_TOKEN, APP_SECRET, type Recorded } from "../helpers/whatsapp";
import { waitFor } from "../helpers/wait";

const R = EventTypes.WhatsappMessageReceived;
const C = EventTypes.ChatMessageNew;
const S = EventTypes.WhatsappMessageStatus;

describe("WhatsApp webhook (HTTP)", () => {
	let broker: ServiceBroker;
	let url: string;
	let seen: Recorded;

	before(async () => {
		({ broker, url, seen } = await startGateway({ env: { WHATSAPP_MAX_BODY_BYTES: "65536" } }));
	});
	after(() => broker?.stop());

	const received = (id: string) => seen[R].map(e => e.data as WhatsappMessageReceivedV1).filter(m => m.messageId === id);
	const chats = (id: string) => seen[C].map(e => e.data as ChatMessageNewV1).filter(m => m.messageId === id);
	async function deliver(payload: unknown): Promise<Record<string, number>> {
		const res = await postWebhook(url, payload);
		assert.equal(res.status, 200, await res.clone().text());
		return (await res.json()) as Record<string, number>;
	}

	describe("verification handshake", () => {
		const get = (q: string) => fetch(`${url}/webhooks/whatsapp?${q}`);

		it("echoes hub.challenge byte for byte as text/plain with the right token", async () => {
			const challenge = "1158201444-ab_CD.~ z%20";
			const res = await get(`hub.mode=subscribe&hub.verify_token=${encodeURIComponent(VERIFY_TOKEN)}&hub.challenge=${encodeURIComponent(challenge)}`);
			assert.equal(res.status, 200);
			assert.match(res.headers.get("content-type") ?? "", /^text\/plain/);
			assert.equal(await res.text(), challenge);
		});

		it("answers 403 to a wrong token, a wrong mode or a missing challenge", async () => {
			for (const q of [
				`hub.mode=subscribe&hub.verify_token=wrong&hub.challenge=1`,
				`hub.mode=subscribe&hub.verify_token=${VERIFY_TOKEN}x&hub.challenge=1`,
				`hub.mode=unsubscribe&hub.verify_token=${VERIFY_TOKEN}&hub.challenge=1`,
				`hub.mode=subscribe&hub.challenge=1`,
				`hub.mode=subscribe&hub.verify_token=${VERIFY_TOKEN}`,
				""
			])
				assert.equal((await get(q)).status, 403, q);
		});
	});

	describe("signature", () => {
		it("accepts Meta's signed samples as their exact bytes", async () => {
			const { broker: b, url: u } = await startGateway({ env: { WHATSAPP_APP_SECRET: META_SAMPLE_SECRET } });
			try {
				for (const { name, raw } of metaSamples()) {
					const res = await postWebhook(u, raw, { secret: META_SAMPLE_SECRET });
					assert.equal(res.status, 200, `${name}: ${await res.text()}`);
				}
			} finally {
				await b.stop();
			}
		});

		it("answers 401 and processes nothing when the signature is missing, wrong, malformed or made with another secret", async () => {
			const m = shapes.text();
			const before = seen[R].length;
			const raw = Buffer.from(JSON.stringify(withMessages(m)));
			for (const signature of [null, "", "sha256=", `sha256=${"0".repeat(64)}`, "sha1=abc", signBody(APP_SECRET, raw).replace("sha256=", ""), signBody("another-secret-123", raw)]) {
				const res = await postWebhook(url, raw, { signature });
				assert.equal(res.status, 401, String(signature));
			}
			// A signature over other bytes (a tampered body) is refused too.
			const res = await postWebhook(url, raw, { signature: signBody(APP_SECRET, Buffer.concat([raw, Buffer.from(" ")])) });
			assert.equal(res.status, 401);
			await deliver(withMessages(shapes.text()));
			await waitFor(() => seen[R].length === before + 1);
			assert.equal(received(m.id as string).length, 0);
		});

		it("accepts an uppercase hex digest", async () => {
			const m = shapes.text();
			const raw = Buffer.from(JSON.stringify(withMessages(m)));
			const res = await postWebhook(url, raw, { signature: `sha256=${signBody(APP_SECRET, raw).slice(7).toUpperCase()}` });
			assert.equal(res.status, 200);
		});

		it("hashes the raw bytes: escaped non-ASCII is accepted, a signature over the re-serialised JSON is not", async () => {
			const id = wamid("nonascii");
			const raw = Buffer.from(
				JSON.stringify(withMessages(msg("text", { text: { body: "PLACEHOLDER" } }, { id }))).replace("PLACEHOLDER", "caf\\u00e9 \\u00bfabierto? \\ud83d\\udc4d")
			);
			const reserialised = Buffer.from(JSON.stringify(JSON.parse(raw.toString())));
			assert.notDeepEqual(raw, reserialised);
			assert.equal((await postWebhook(url, raw, { signature: signBody(APP_SECRET, reserialised) })).status, 401);
			assert.equal((await postWebhook(url, raw)).status, 200);
			await waitFor(() => received(id).length === 1);
			assert.equal(received(id)[0].text, "café ¿abierto? \u{1F44D}");
		});
	});

	describe("bad bodies", () => {
		it("answers 400 to a signed body that is not JSON, not an object or not WhatsApp", async () => {
			for (const raw of ["not json", "[1,2]", "null", JSON.stringify({ object: "page", entry: [] }), JSON.stringify({ object: "whatsapp_business_account" })]) {
				const res = await postWebhook(url, raw, { contentType: "text/plain" });
				assert.equal(res.status, 400, raw);
			}
		});

		it("answers 413 over the configured size, declared or streamed", async () => {
			const big = Buffer.alloc(70_000, 0x20);
			assert.equal((await postWebhook(url, big)).status, 413);
			const streamed = await fetch(`${url}/webhooks/whatsapp`, {
				method: "POST",
				headers: { "content-type": "application/json", "x-hub-signature-256": signBody(APP_SECRET, big) },
				body: new ReadableStream({
					start(c) {
						for (let i = 0; i < 7; i++) c.enqueue(big.subarray(i * 10_000, (i + 1) * 10_000));
						c.close();
					}
				}),
				duplex: "half"
			} as RequestInit);
			assert.equal(streamed.status, 413);
		});

		it("drops malformed pieces one by one, with 200, and processes the rest", async () => {
			const good = shapes.text();
			const result = await deliver(
				body(
					value({
						messages: [
							{ id: wamid(), type: "text", text: { body: "no sender" }, timestamp: "1767261600" },
							msg("text", {}, {}),
							msg("text", { text: { body: "bad time" } }, { timestamp: "yesterday" }),
							msg("location", { location: { latitude: "north" } }),
							"not an object" as never,
							good
						],
						statuses: [{ id: "wamid.X", status: "teleported", timestamp: "1", recipient_id: CUSTOMER }]
					}),
					{ field: "messages", value: null as never }
				)
			);
			assert.equal(result.received, 1);
			assert.equal(result.dropped, 7);
			await waitFor(() => received(good.id as string).length === 1);
		});

		it("acknowledges other fields, value-level errors and unknown numbers without publishing", async () => {
			const before = seen[R].length;
			const m = shapes.text();
			const result = await deliver(
				body(
					{ field: "message_template_status_update", value: { event: "APPROVED", message_template_name: "hello_world" } },
					value({ errors: [{ code: 130429, title: "Rate limit hit", message: "Rate limit hit" }] }),
					value({ phoneNumberId: BUSINESS.unknown, messages: [m] })
				)
			);
			// The unknown number's message is dropped (the log says so): the answer counts it.
			assert.deepEqual(result, { received: 0, duplicates: 0, statuses: 0, dropped: 1 });
			assert.equal(seen[R].length, before);
		});
	});

	describe("every inbound shape", () => {
		it("publishes each shape as a validated received event", async () => {
			const all = Object.entries(shapes).map(([name, make]) => [name, make()] as const);
			const system = all.find(([n]) => n === "system")![1];
			const others = all.filter(([n]) => n !== "system").map(([, m]) => m);
			await deliver(body(value({ messages: others }), value({ contacts: null, messages: [system] })));
			const byName = Object.fromEntries(all.map(([n, m]) => [n, () => received(m.id as string)[0]]));
			await waitFor(() => all.every(([, m]) => received(m.id as string).length === 1));

			const get = (n: keyof typeof shapes) => byName[n]();
			assert.equal(get("text").text, "Hi, is the store open today?");
			assert.equal(get("text").profileName, "Test User One");
			assert.equal(get("text").brand, "fashion");
			assert.deepEqual(get("textReply").context, { id: "wamid.OUTBOUND1", from: BUSINESS.display });
			assert.deepEqual(get("buttonReply").interactive, { type: "button_reply", id: "confirm", title: "Yes, order" });
			assert.equal(get("buttonReply").context?.id, "wamid.OUTBOUND2");
			assert.deepEqual(get("listReply").interactive, { type: "list_reply", id: "sku:FA-0001", title: "Black biker jacket", description: "Leather, $89" });
			assert.deepEqual(get("templateButton").button, { payload: "STOP_PROMOS", text: "Stop promotions" });
			assert.equal(get("templateButton").context?.id, "wamid.TEMPLATE1");
			assert.equal(get("image").media?.id, "media-image-1");
			assert.equal(get("image").media?.caption, "like this?");
			assert.equal(get("audio").media?.voice, true);
			assert.equal(get("video").kind, "video");
			assert.equal(get("document").media?.filename, "invoice.pdf");
			assert.equal(get("sticker").media?.mimeType, "image/webp");
			assert.deepEqual(get("location").location, { latitude: 40.4168, longitude: -3.7038, name: "Shop", address: "Gran Via 1, Madrid" });
			assert.equal((get("contacts").contacts?.[0] as { name: { formatted_name: string } }).name.formatted_name, "Ana Test");
			assert.deepEqual(get("reaction").reaction, { messageId: "wamid.OUTBOUND1", emoji: "\u{1F44D}" });
			assert.deepEqual(get("reactionRemoved").reaction, { messageId: "wamid.OUTBOUND1" });
			assert.deepEqual(get("order").order, {
				catalogId: "cat-1",
				text: "for my sister",
				items: [
					{ productRetailerId: "FA-0001", quantity: 2, itemPrice: 7.99, currency: "USD" },
					{ productRetailerId: "FA-0002", quantity: 1, itemPrice: 30, currency: "USD" }
				]
			});
			assert.deepEqual(get("system").system, { type: "user_changed_number", body: "User A changed from 15550002222 to 15550003333", waId: "15550003333" });
			assert.equal(get("system").profileName, undefined);
			assert.equal(get("unsupported").errors?.[0].code, 131051);
			assert.equal(get("unknownType").kind, "unsupported");
			assert.equal(get("forwarded").context, undefined);

			// Conversational turns only: not reactions, not number changes.
			for (const [n, m] of all) {
				const expected = n.startsWith("reaction") || n === "system" ? 0 : 1;
				await waitFor(() => chats(m.id as string).length === expected, { message: `${n} chat events` });
			}
			const chat = chats(get("listReply").messageId)[0];
			assert.equal(chat.conversationId, `fashion:${CUSTOMER}`);
			assert.equal(chat.choiceId, "sku:FA-0001");
			assert.equal(chat.replyToMessageId, "wamid.OUTBOUND3");
			assert.equal(chats(get("templateButton").messageId)[0].choiceId, "STOP_PROMOS");
			assert.equal(chats(get("unsupported").messageId)[0].kind, "unsupported");
		});

		it("joins senders by wa_id, orders by timestamp and walks several entries and changes", async () => {
			const a = msg("text", { text: { body: "second" } }, { from: CUSTOMER, timestamp: "1767262322" });
			const b = msg("text", { text: { body: "from the other" } }, { from: CUSTOMER2, timestamp: "1767262321" });
			const c = msg("text", { text: { body: "first" } }, { from: CUSTOMER, timestamp: "1767262320" });
			const d = msg("text", { text: { body: "tech" } }, { from: CUSTOMER, timestamp: "1767262319" });
			const start = seen[R].length;
			const res = await deliver(
				entries(
					[value({ messages: [a, b], contacts: [{ profile: { name: "Three" }, wa_id: CUSTOMER2 }, { profile: { name: "One" }, wa_id: CUSTOMER }] }), value({ messages: [c] })],
					[value({ phoneNumberId: BUSINESS.tech, messages: [d] })]
				)
			);
			assert.equal(res.received, 4);
			await waitFor(() => seen[R].length >= start + 4);
			const got = seen[R].slice(start).map(e => e.data as WhatsappMessageReceivedV1);
			assert.deepEqual(got.map(m => m.text), ["tech", "first", "from the other", "second"]);
			assert.equal(got.find(m => m.messageId === b.id)!.profileName, "Three");
			assert.equal(got.find(m => m.messageId === a.id)!.profileName, "One");
			assert.equal(got.find(m => m.messageId === d.id)!.brand, "tech");
		});
	});

	describe("idempotency", () => {
		it("acknowledges a redelivered message and publishes it once", async () => {
			const m = shapes.text();
			const first = await deliver(withMessages(m));
			assert.equal(first.received, 1);
			const again = await deliver(withMessages(m));
			assert.deepEqual(again, { received: 0, duplicates: 1, statuses: 0, dropped: 0 });
			const twice = await Promise.all([deliver(withMessages(m)), deliver(withMessages(m))]);
			assert.ok(twice.every(r => r.duplicates === 1));
			await waitFor(() => received(m.id as string).length === 1);
			await waitFor(() => chats(m.id as string).length === 1);
		});

		it("answers once published, not waiting for the done mark; a lost mark costs nothing downstream", async () => {
			const m = shapes.text();
			const key = `wa:in:${m.id as string}`;
			const store = broker.store;
			const batch = store.batch.bind(store);
			let markLost = false;
			// The done mark fails (the node dies before it lands); everything else goes through.
			const stub = sinon.stub(store, "batch").callsFake(async ops => {
				if (!ops.some(o => o.op === "set" && o.key === key)) return batch(ops);
				markLost = true;
				throw new Error("node died");
			});
			try {
				assert.equal((await deliver(withMessages(m))).received, 1);
				await waitFor(() => markLost, { message: "the done mark attempted" });
			} finally {
				stub.restore();
			}
			await waitFor(() => received(m.id as string).length === 1 && chats(m.id as string).length === 1);
			assert.equal(await store.get(key), "pending");
			// The pending claim expires; Meta's retry is accepted again and republished under the same
			// event ids, which the consumers skip: still one of each downstream, and now marked done.
			await store.del(key);
			assert.equal((await deliver(withMessages(m))).received, 1);
			await waitFor(async () => (await store.get(key)) === "done", { message: "marked done" });
			assert.equal(received(m.id as string).length, 1);
			assert.equal(chats(m.id as string).length, 1);
			assert.deepEqual(await deliver(withMessages(m)), { received: 0, duplicates: 1, statuses: 0, dropped: 0 });
		});

		it("accepts an out-of-order redelivery inside a later batch without duplicating it", async () => {
			const older = msg("text", { text: { body: "older" } }, { timestamp: "1767260000" });
			const newer = msg("text", { text: { body: "newer" } }, { timestamp: "1767269999" });
			await deliver(withMessages(newer));
			const res = await deliver(withMessages(newer, older));
			assert.deepEqual(res, { received: 1, duplicates: 1, statuses: 0, dropped: 0 });
			await waitFor(() => received(older.id as string).length === 1);
			// The window keeps the latest inbound time even though the older message arrived last.
			const w = await broker.call<{ lastInboundAt: number }, object>("whatsapp.window", { waId: CUSTOMER, brand: "fashion" });
			assert.ok(w.lastInboundAt >= 1767269999000);
		});

		it("publishes statuses once per (id, status) and never backwards", async () => {
			const id = wamid("out");
			await deliver(body(value({ statuses: [status(id, "read", { timestamp: "1767262600" }), status(id, "sent", { timestamp: "1767262500" })] })));
			await deliver(body(value({ statuses: [status(id, "delivered"), status(id, "read")] })));
			await waitFor(() => seen[S].some(e => (e.data as { messageId: string }).messageId === id));
			const mine = () => seen[S].map(e => e.data as { messageId: string; status: string }).filter(s => s.messageId === id).map(s => s.status);
			await waitFor(() => mine().length === 2);
			assert.deepEqual(mine(), ["sent", "read"]);
		});
	});

	describe("routing", () => {
		it("marks a number shared by several brands: brand null, chat asks for a choice", async () => {
			const { mkdtempSync, writeFileSync } = await import("node:fs");
			const { tmpdir } = await import("node:os");
			const path = await import("node:path");
			const dir = mkdtempSync(path.join(tmpdir(), "brands-"));
			const file = path.join(dir, "brands.json");
			writeFileSync(file, JSON.stringify([
				{ id: "fashion", seller: "Luna", personality: "p", phoneNumberIds: ["100000000000009"] },
				{ id: "beauty", seller: "Bella", personality: "p", phoneNumberIds: ["100000000000009", "100000000000004"] }
			]));
			// The demo sellers name brands this file does not have.
			writeFileSync(path.join(dir, "sellers.json"), "[]");
			const g = await startGateway({ env: { BRANDS_FILE: file, SELLERS_FILE: path.join(dir, "sellers.json") } });
			try {
				const shared = shapes.text();
				const own = shapes.text();
				const res = await postWebhook(g.url, body(value({ phoneNumberId: "100000000000009", messages: [shared] }), value({ phoneNumberId: "100000000000004", messages: [own] })));
				assert.equal(res.status, 200);
				await waitFor(() => g.seen[C].length === 2);
				const r = g.seen[R].map(e => e.data as WhatsappMessageReceivedV1);
				assert.equal(r.find(m => m.messageId === shared.id)!.brand, null);
				assert.deepEqual(r.find(m => m.messageId === shared.id)!.brands, ["fashion", "beauty"]);
				const c = g.seen[C].map(e => e.data as ChatMessageNewV1);
				const sharedChat = c.find(m => m.messageId === shared.id)!;
				assert.equal(sharedChat.brandChoiceRequired, true);
				assert.deepEqual(sharedChat.brands, ["fashion", "beauty"]);
				assert.equal(sharedChat.brand, "fashion");
				const ownChat = c.find(m => m.messageId === own.id)!;
				assert.equal(ownChat.brand, "beauty");
				assert.equal(ownChat.brandChoiceRequired, undefined);
			} finally {
				await g.broker.stop();
			}
		});
	});

	it("counts accepted messages, statuses, duplicates and dropped pieces in the metrics", async () => {
		const read = async () => {
			const text = await (await fetch(`${url}/metrics`)).text();
			const value_ = (name: string) => Number(text.split("\n").find(l => (l.startsWith(`${name} `) || l.startsWith(`${name}{`)))?.split(" ").pop() ?? 0);
			return { messages: value_("whatsapp_inbound_messages"), statuses: value_("whatsapp_inbound_statuses"), duplicates: value_("whatsapp_inbound_duplicates"), dropped: value_("whatsapp_inbound_dropped") };
		};
		const before = await read();
		const m = shapes.text();
		await deliver(withMessages(m));
		await deliver(withMessages(m));
		await deliver(body(value({ statuses: [status(wamid(), "sent")] })));
		await deliver(body(value({ messages: [msg("text", { text: { body: "kept" } }), { type: "text", text: { body: "no id, no sender" } }] })));
		const after = await read();
		assert.deepEqual(
			{ messages: after.messages - before.messages, statuses: after.statuses - before.statuses, duplicates: after.duplicates - before.duplicates, dropped: after.dropped - before.dropped },
			{ messages: 2, statuses: 1, duplicates: 1, dropped: 1 }
		);
	});

	it("finishes the deliveries in progress when it stops, and answers 503 to one arriving after", async () => {
		const g = await startGateway({ withProbe: false });
		let release!: () => void;
		const gate = new Promise<void>(r => (release = r));
		const original = g.broker.sendToChannel.bind(g.broker);
		let held = false;
		(g.broker as { sendToChannel: typeof original }).sendToChannel = async (ch, payload, o) => {
			held = true;
			await gate;
			return original(ch, payload, o);
		};
		const m = shapes.text();
		const inFlight = postWebhook(g.url, withMessages(m));
		await waitFor(() => held, { message: "the delivery is publishing" });
		const stopping = g.broker.stop();
		// The api's server no longer takes connections, so a late delivery is handed over in-process.
		const whatsapp = g.broker.getLocalService("whatsapp") as unknown as { acceptWebhook(p: unknown): Promise<unknown> };
		const refusal = async () => whatsapp.acceptWebhook(body(value({}))).then(() => null, (e: { code?: number; type?: string }) => e);
		await waitFor(async () => (await refusal()) !== null, { message: "deliveries refused once stopping" });
		assert.deepEqual(await refusal().then(e => e && { code: e.code, type: e.type }), { code: 503, type: "WHATSAPP_STOPPING" });
		release();
		const res = await inFlight;
		assert.equal(res.status, 200);
		assert.equal(((await res.json()) as { received: number }).received, 1);
		await stopping;
	});

	it("answers non-200 and keeps the message acceptable when publishing fails", async () => {
		const m = shapes.text();
		const original = broker.sendToChannel.bind(broker);
		let failing = true;
		(broker as { sendToChannel: typeof original }).sendToChannel = async (ch, payload, o) => {
			if (failing && ch === R) throw new Error("channel adapter down");
			return original(ch, payload, o);
		};
		try {
			const res = await postWebhook(url, withMessages(m));
			assert.ok(res.status >= 500, String(res.status));
			failing = false;
			assert.equal((await deliver(withMessages(m))).received, 1);
			await waitFor(() => received(m.id as string).length === 1);
		} finally {
			(broker as { sendToChannel: typeof original }).sendToChannel = original;
		}
	});
});
