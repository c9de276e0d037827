import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { safeEqual, signBody, verifySignature } from "../../gateway/whatsapp/signature";
import { parseWebhook, toChatMessage } from "../../gateway/whatsapp/parse";
import { createEvent, validateEvent } from "../../contracts/events";
import { buildMessages, LIMITS, OutboundInvalid, splitText } from "../../gateway/whatsapp/limits";
import { Pacer, RateGate } from "../../gateway/whatsapp/pacer";
import { classify } from "../../gateway/whatsapp/graph-client";
import { recordInbound, readWindow, windowAt, WINDOW_MS } from "../../gateway/whatsapp/window";
import { Outbox } from "../../gateway/whatsapp/outbox";
import { MemoryStore } from "../../adapters/store";
import { body, msg, shapes, value, withMessages, CUSTOMER } from "../fixtures/whatsapp";

const brandsFor = (pnid: string) => (pnid === "100000000000001" ? ["fashion"] : pnid === "100000000000009" ? ["fashion", "beauty"] : []);

describe("whatsapp: signature", () => {
	const raw = Buffer.from('{"a":"caf\\u00e9"}');
	const hex = createHmac("sha256", "secret-1").update(raw).digest("hex");

	it("accepts the lowercase or uppercase hex HMAC of the raw bytes", () => {
		assert.equal(signBody("secret-1", raw), `sha256=${hex}`);
		assert.deepEqual(verifySignature("secret-1", `sha256=${hex}`, raw), { ok: true });
		assert.deepEqual(verifySignature("secret-1", `sha256=${hex.toUpperCase()}`, raw), { ok: true });
		assert.deepEqual(verifySignature("secret-1", [`sha256=${hex}`], raw), { ok: true });
	});

	it("names why a signature is refused", () => {
		assert.deepEqual(verifySignature("secret-1", undefined, raw), { ok: false, reason: "missing" });
		assert.deepEqual(verifySignature("secret-1", "", raw), { ok: false, reason: "missing" });
		assert.deepEqual(verifySignature("secret-1", hex, raw), { ok: false, reason: "malformed" });
		assert.deepEqual(verifySignature("secret-1", `sha256=${hex.slice(2)}`, raw), { ok: false, reason: "malformed" });
		assert.deepEqual(verifySignature("secret-2", `sha256=${hex}`, raw), { ok: false, reason: "mismatch" });
		assert.deepEqual(verifySignature("secret-1", `sha256=${hex}`, Buffer.from(JSON.stringify(JSON.parse(raw.toString())))), { ok: false, reason: "mismatch" });
	});

	it("compares tokens in constant time, any length", () => {
		assert.equal(safeEqual("token", "token"), true);
		assert.equal(safeEqual("token", "tokem"), false);
		assert.equal(safeEqual("token", "token-longer"), false);
		assert.equal(safeEqual("", ""), true);
	});
});

describe("whatsapp: parse", () => {
	it("refuses what is not a WhatsApp payload", () => {
		for (const b of [null, [], "x", { object: "page", entry: [] }, { object: "whatsapp_business_account", entry: {} }])
			assert.equal(parseWebhook(b, brandsFor).ok, false);
	});

	it("normalises a '+' sender, converts timestamps to milliseconds and validates against the contract", () => {
		const r = parseWebhook(withMessages(msg("text", { text: { body: "hi" } }, { from: `+${CUSTOMER}`, timestamp: "1767261600" })), brandsFor);
		assert.ok(r.ok);
		assert.equal(r.value.messages[0].from, CUSTOMER);
		assert.equal(r.value.messages[0].timestamp, 1767261600000);
	});

	it("drops a BSUID-only sender with a reason instead of inventing an id", () => {
		const r = parseWebhook(withMessages(msg("text", { text: { body: "hi" } }, { from: undefined, from_user_id: "US.13491208655302741918" })), brandsFor);
		assert.ok(r.ok);
		assert.equal(r.value.messages.length, 0);
		assert.match(r.value.drops[0].reason, /BSUID/);
	});

	it("drops an order with a bad item, keeps the rest of the body", () => {
		const bad = msg("order", { order: { product_items: [{ product_retailer_id: "X", quantity: 0, item_price: 1, currency: "USD" }] } });
		const r = parseWebhook(withMessages(bad, shapes.order()), brandsFor);
		assert.ok(r.ok);
		assert.equal(r.value.messages.length, 1);
		assert.match(r.value.drops[0].reason, /quantity/);
		assert.match(r.value.drops[0].at, /messages\[0\]/);
	});

	it("notes messages and statuses of an unknown number", () => {
		const r = parseWebhook(body(value({ phoneNumberId: "123456", messages: [shapes.text()] })), brandsFor);
		assert.ok(r.ok);
		assert.equal(r.value.messages.length, 0);
		assert.equal(r.value.notes[0].kind, "unknown_number");
	});

	it("makes a conversational view only of turns", () => {
		const r = parseWebhook(withMessages(shapes.reaction(), shapes.location(), shapes.order()), brandsFor);
		assert.ok(r.ok);
		const views = r.value.messages.map(toChatMessage);
		assert.equal(views[0], null);
		assert.equal(views[1]!.text, "Shop, Gran Via 1, Madrid");
		assert.equal(views[2]!.text, "for my sister");
		assert.deepEqual(views[2]!.orderItems, [{ sku: "FA-0001", qty: 2 }, { sku: "FA-0002", qty: 1 }], "a catalog cart's product_retailer_ids are our SKUs");
		assert.deepEqual(validateEvent(createEvent("store.chat.message.new", views[2]!, { source: "/test" })), [], "the event contract accepts the items");
	});
});

describe("whatsapp: limits", () => {
	it("splits at line breaks, then sentences, then spaces, never above the limit", () => {
		assert.deepEqual(splitText("short"), ["short"]);
		assert.deepEqual(splitText("line one\nline two is here", 12), ["line one", "line two is", "here"]);
		assert.deepEqual(splitText("One two. Three four five.", 12), ["One two.", "Three four", "five."]);
		const hard = splitText("x".repeat(25), 10);
		assert.deepEqual(hard.map(p => p.length), [10, 10, 5]);
		const emoji = splitText("\u{1F44D}".repeat(6), 5);
		assert.ok(emoji.every(p => p.length <= 5 && !/[\ud800-\udbff]$/.test(p)), "no split surrogate pair");
		assert.equal(emoji.join(""), "\u{1F44D}".repeat(6));
		for (const p of splitText("word ".repeat(3000))) assert.ok(p.length <= LIMITS.text);
	});

	it("accepts the limits exactly and refuses one past them", () => {
		const ok = { brand: "fashion", to: CUSTOMER, idempotencyKey: "k", kind: "buttons" as const, text: "b".repeat(1024), buttons: [{ id: "i".repeat(256), title: "t".repeat(20) }] };
		assert.equal(buildMessages(ok).length, 1);
		assert.throws(() => buildMessages({ ...ok, buttons: [{ id: "i".repeat(257), title: "t" }] }), OutboundInvalid);
		const rows = Array.from({ length: 10 }, (_, i) => ({ id: `r${i}`, title: "t".repeat(24), description: "d".repeat(72) }));
		const list = { brand: "fashion", to: CUSTOMER, idempotencyKey: "k", kind: "list" as const, text: "x", list: { button: "b".repeat(20), footer: "f".repeat(60), sections: [{ title: "s".repeat(24), rows: rows.slice(0, 5) }, { title: "two", rows: rows.slice(5) }] } };
		assert.equal(buildMessages(list).length, 1);
		assert.throws(() => buildMessages({ ...list, list: { ...list.list, sections: [...list.list.sections, { title: "three", rows: [{ id: "r10", title: "x" }] }] } }), /11 rows in all/);
		assert.throws(() => buildMessages({ ...list, list: { ...list.list, sections: [{ rows: [rows[0]] }, { rows: [rows[1]] }] } }), /sections\[0\]\.title: is required/);
		assert.throws(() => buildMessages({ ...list, list: { ...list.list, sections: [{ title: "a", rows: [rows[0], rows[0]] }] } }), /must be unique/);
		assert.throws(() => buildMessages({ brand: "fashion", to: "+15", idempotencyKey: "k", kind: "text", text: "x" }), /to: must be a WhatsApp id/);
	});

	it("a buttons message may carry a photo as its header; the header has no caption and its link must be a web address", () => {
		const card = { brand: "fashion", to: CUSTOMER, idempotencyKey: "k", kind: "buttons" as const, text: "Field Jacket — $90.00.", buttons: [{ id: "p:FP-1", title: "Add to cart" }], image: { link: "https://images.example.test/FP-1.jpg" } };
		const [m] = buildMessages(card) as { interactive: Record<string, unknown> }[];
		assert.deepEqual(m!.interactive, {
			type: "button",
			header: { type: "image", image: { link: "https://images.example.test/FP-1.jpg" } },
			body: { text: "Field Jacket — $90.00." },
			action: { buttons: [{ type: "reply", reply: { id: "p:FP-1", title: "Add to cart" } }] }
		});
		assert.equal((buildMessages({ ...card, image: undefined })[0] as { interactive: Record<string, unknown> }).interactive.header, undefined);
		assert.throws(() => buildMessages({ ...card, image: { link: "file:///etc/passwd" } }), /image\.link: must be an http\(s\) URL/);
		assert.throws(() => buildMessages({ ...card, image: { link: card.image.link, caption: "twice" } }), /image\.caption: is not allowed on a buttons header/);
	});
});

describe("whatsapp: pacing (deterministic clock)", () => {
	/**
	 * A simulated clock: sleepers wake in time order, and time jumps straight to the next wake-up
	 * once everything runnable has run (no real waiting, no timing asserts).
	 */
	function fakeTime() {
		let now = 1_000_000;
		const sleepers: { wake: number; resolve: () => void }[] = [];
		return {
			now: () => now,
			sleep: (ms: number) => new Promise<void>(resolve => void sleepers.push({ wake: now + ms, resolve })),
			async drive<T>(work: Promise<T>): Promise<T> {
				let done = false;
				const result = work.finally(() => (done = true));
				while (!done) {
					await new Promise(r => setImmediate(r));
					if (!sleepers.length) continue;
					sleepers.sort((x, y) => x.wake - y.wake);
					const next = sleepers.shift()!;
					now = Math.max(now, next.wake);
					next.resolve();
				}
				return result;
			}
		};
	}

	it("a rate gate books slots at the sustained rate after its burst", () => {
		const g = new RateGate(6000, 45);
		const waits = Array.from({ length: 47 }, () => g.reserve(0));
		assert.ok(waits.slice(0, 45).every(w => w === 0));
		assert.deepEqual(waits.slice(45), [6000, 12000]);
	});

	it("never sends more than the rate per number in any second", async () => {
		const t = fakeTime();
		const pacer = new Pacer({ ratePerSecond: 80, pairIntervalMs: 6000, pairBurst: 45, ...t });
		const times: number[] = [];
		await t.drive(Promise.all(Array.from({ length: 400 }, (_, i) => pacer.run("100000000000001", `1555000${1000 + i}`, async () => void times.push(t.now())))));
		times.sort((a, b) => a - b);
		for (let i = 80; i < times.length; i++) assert.ok(times[i] - times[i - 80] >= 1000, `message ${i} is within a second of message ${i - 80}`);
		assert.ok(times[399] - times[0] < 5100, "and does not go slower than it must");
		// Other numbers have their own budget.
		const other: number[] = [];
		const start = t.now();
		await t.drive(Promise.all(Array.from({ length: 80 }, (_, i) => pacer.run("100000000000002", `1555000${1000 + i}`, async () => void other.push(t.now())))));
		assert.ok(other[other.length - 1] - start < 1000);
	});

	it("with shared gates, two pacers (two nodes) together never exceed the rate or the pair limit", async () => {
		const t = fakeTime();
		const store = new MemoryStore({ now: t.now });
		const opts = { ratePerSecond: 80, pairIntervalMs: 6000, pairBurst: 3, ...t, takeSlot: store.takeSlot.bind(store) };
		const nodes = [new Pacer(opts), new Pacer(opts)];
		const times: number[] = [];
		const pair: { node: number; n: number; at: number }[] = [];
		const runs = [];
		for (const [k, pacer] of nodes.entries()) {
			runs.push(...Array.from({ length: 200 }, (_, i) => pacer.run("100000000000001", `1556${k}00${1000 + i}`, async () => void times.push(t.now()))));
			runs.push(...Array.from({ length: 3 }, (_, n) => pacer.run("100000000000001", CUSTOMER, async () => void pair.push({ node: k, n, at: t.now() }))));
		}
		await t.drive(Promise.all(runs));
		const all = [...times, ...pair.map(p => p.at)].sort((a, b) => a - b);
		for (let i = 80; i < all.length; i++) assert.ok(all[i] - all[i - 80] >= 1000, `message ${i} is within a second of message ${i - 80}`);
		const toCustomer = pair.map(p => p.at).sort((a, b) => a - b);
		assert.ok(toCustomer[3] - toCustomer[0] >= 6000, "the fourth message to one customer waits for the pair budget, whichever node sends it");
		assert.ok(toCustomer[5] - toCustomer[4] >= 6000);
		for (const k of [0, 1]) assert.deepEqual(pair.filter(p => p.node === k).sort((a, b) => a.at - b.at).map(p => p.n), [0, 1, 2], "each node keeps the customer's order");
		await store.close();
	});

	it("applies the pair limit per customer and keeps each customer's order, even across a failure", async () => {
		const t = fakeTime();
		const pacer = new Pacer({ ratePerSecond: 80, pairIntervalMs: 6000, pairBurst: 3, ...t });
		const sent: { to: string; n: number; at: number }[] = [];
		const runs = [];
		for (let n = 0; n < 6; n++)
			for (const to of ["15550001000", "15550002000"])
				runs.push(
					pacer.run("100000000000001", to, async () => {
						if (n === 1 && to === "15550001000") throw new Error("boom");
						sent.push({ to, n, at: t.now() });
					}).catch(() => undefined)
				);
		await t.drive(Promise.all(runs));
		for (const to of ["15550001000", "15550002000"]) {
			const mine = sent.filter(s => s.to === to);
			assert.deepEqual(mine.map(s => s.n), to === "15550001000" ? [0, 2, 3, 4, 5] : [0, 1, 2, 3, 4, 5]);
			const atN = (n: number) => mine.find(s => s.n === n)!.at;
			assert.ok(atN(3) - atN(0) >= 6000, "the fourth waits for the pair budget");
			assert.ok(atN(5) - atN(4) >= 6000);
		}
		assert.equal(pacer.activeLanes, 0);
	});
});

describe("whatsapp: errors, window, outbox", () => {
	it("classifies Graph errors by code, not by HTTP status", () => {
		assert.equal(classify(130429, 400), "retryable");
		assert.equal(classify(131056, 400), "retryable");
		assert.equal(classify(131000, 500), "retryable");
		assert.equal(classify(undefined, 502), "retryable");
		assert.equal(classify(undefined, 0), "retryable");
		assert.equal(classify(131047, 400), "window");
		assert.equal(classify(190, 401), "auth");
		assert.equal(classify(0, 400), "auth");
		assert.equal(classify(131026, 400), "permanent");
		assert.equal(classify(131009, 400), "permanent");
		assert.equal(classify(100, 500), "retryable");
	});

	it("tracks the window from the latest inbound message", async () => {
		const store = new MemoryStore();
		assert.deepEqual(windowAt(null, 5), { open: false, lastInboundAt: null, closesAt: null });
		assert.equal(windowAt(1000, 1000 + WINDOW_MS - 1).open, true);
		assert.equal(windowAt(1000, 1000 + WINDOW_MS).open, false);
		await recordInbound(store, "1", CUSTOMER, 5000);
		await recordInbound(store, "1", CUSTOMER, 3000);
		await recordInbound(store, "2", CUSTOMER, 4000);
		const w = await readWindow(store, ["1", "2"], CUSTOMER, 6000);
		assert.deepEqual(w, { open: true, lastInboundAt: 5000, closesAt: 5000 + WINDOW_MS, phoneNumberId: "1" });
		await store.close();
	});

	it("keeps the outbox bounded, newest last, filterable", async () => {
		const store = new MemoryStore();
		const o = new Outbox(store, 3);
		for (let i = 0; i < 5; i++) await o.add({ id: `m${i}`, at: "", brand: "fashion", phoneNumberId: "1", to: i % 2 ? "1" : "2", kind: "text", idempotencyKey: `${i}`, message: {} });
		assert.deepEqual((await o.list()).map(e => e.id), ["m2", "m3", "m4"]);
		assert.deepEqual((await o.list("1")).map(e => e.id), ["m3"]);
		await store.close();
	});
});
