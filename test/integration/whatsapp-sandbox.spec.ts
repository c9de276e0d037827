import assert from "node:assert/strict";
import type { ServiceBroker } from "moleculer";
import type { OutboxEntry } from "../../gateway/whatsapp/outbox";
import { runWa } from "../../repl/whatsapp";
import { body, msg, nowSeconds, status, value, withMessages, CUSTOMER, CUSTOMER2 } from "../fixtures/whatsapp";
import { captureLogs, postWebhook, startGateway } from "../helpers/whatsapp";
import { waitFor } from "../helpers/wait";

describe("WhatsApp sandbox mode, REPL and privacy", () => {
	let broker: ServiceBroker;
	let url: string;
	const logs = captureLogs("info");
	const SECRET_TEXT = "my secret address is Calle Falsa 123";

	before(async () => {
		({ broker, url } = await startGateway({ logger: logs.logger as never }));
	});
	after(() => broker?.stop());

	// As moleculer-repl hands them over: one word per declared argument (`wa [sub] [args...]` gets only
	// the first of the rest), and the whole line as `rawCommand`.
	const wa = (sub: string, ...args: string[]) => runWa(broker, { sub, ...(args.length ? { args: args[0] } : {}), rawCommand: ["wa", sub, ...args].join(" "), options: {} });
	const outbox = async (q = "") => (await (await fetch(`${url}/sandbox/outbox${q}`)).json()) as OutboxEntry[];

	it("validates and queues messages in the outbox, newest last, filtered by ?to=", async () => {
		assert.equal((await postWebhook(url, withMessages(msg("text", { text: { body: SECRET_TEXT } }, { timestamp: nowSeconds() })))).status, 200);
		assert.equal((await postWebhook(url, withMessages(msg("text", { text: { body: "hola" } }, { from: CUSTOMER2, timestamp: nowSeconds() })))).status, 200);
		await broker.call("whatsapp.send", { brand: "fashion", to: CUSTOMER, kind: "text", text: "first", idempotencyKey: "s1" });
		await broker.call("whatsapp.send", { brand: "fashion", to: CUSTOMER2, kind: "buttons", text: "Order?", buttons: [{ id: "y", title: "Yes" }], idempotencyKey: "s2" });
		await broker.call("whatsapp.send", { brand: "fashion", to: CUSTOMER, kind: "text", text: "second", idempotencyKey: "s3" });
		await assert.rejects(broker.call("whatsapp.send", { brand: "fashion", to: CUSTOMER, kind: "buttons", text: "x", buttons: [], idempotencyKey: "s4" }), /1 to 3 buttons/);
		const mine = await outbox(`?to=${CUSTOMER}`);
		assert.deepEqual(mine.map(e => (e.message.text as { body: string }).body), ["first", "second"]);
		assert.ok(mine.every(e => e.id.startsWith("wamid.sandbox.")));
		assert.equal((await outbox()).length, 3);
		assert.equal((await fetch(`${url}/sandbox/outbox?to=abc`)).status, 422);
	});

	it("wa outbox, wa window and wa send", async () => {
		assert.match(await wa("send", CUSTOMER, "fashion", "an", "operator", "message"), /^sent: wamid\.sandbox\./);
		const listed = await wa("outbox", CUSTOMER);
		assert.match(listed, /^3 message\(s\), newest last:/);
		assert.match(listed, /fashion\s+→ 15550002222\s+text\s+an operator message$/m);
		assert.match(await wa("outbox", CUSTOMER2), /buttons\s+Order\? \[Yes\]/);
		assert.equal(await wa("outbox", "15559999999"), "The outbox holds nothing for 15559999999.");
		assert.match(await wa("outbox", "abc"), /not a WhatsApp number/);
		assert.match(await wa("window", CUSTOMER, "fashion"), /^open: last inbound .*, closes /);
		assert.match(await wa("window", "15559999999", "fashion"), /^closed: 15559999999 never wrote to fashion/);
		assert.match(await wa("send", "15559999999", "fashion", "hello"), /^refused \(window_closed\); template sent instead: wamid\.sandbox\./);
		assert.match(await wa("outbox", "15559999999"), /template\s+template hello_world \(en_US\)/);
		await assert.rejects(wa("window", CUSTOMER, "toys"), /Unknown brand 'toys'/);
		assert.match(await wa("send", CUSTOMER), /^usage: /);
		assert.match(await wa("nope"), /^usage: /);
	});

	it("logs no phone number in clear and no message body at info", async () => {
		const out = (await outbox(`?to=${CUSTOMER}`))[0];
		await postWebhook(url, body(value({ statuses: [status(out.id, "delivered")] })));
		await postWebhook(url, withMessages(msg("text", { text: { body: "x" } }, { from: "abc" })));
		await postWebhook(url, "{}", { signature: "sha256=00" });
		await waitFor(() => logs.lines.some(l => l.includes("Dropped a malformed webhook piece")));
		const text = logs.lines.join("\n");
		assert.ok(logs.lines.length > 5, text);
		for (const n of [CUSTOMER, CUSTOMER2, "15559999999"]) assert.ok(!text.includes(n), `${n} in clear:\n${text}`);
		for (const t of [SECRET_TEXT, "Calle Falsa", "an operator message", "hola", "second"]) assert.ok(!text.includes(t), `'${t}' logged:\n${text}`);
		assert.ok(logs.lines.every(l => !/"level":"(debug|trace)"/.test(l)));
		assert.match(text, /1555\*\*\*2222/, "numbers appear masked");
	});
});
