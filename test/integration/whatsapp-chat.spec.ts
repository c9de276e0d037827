/**
 * The terminal chat against a started product: `scripts/start.ts` in its own process (gateway
 * services, joined to NATS so the test can act as an operator), and `scripts/chat.ts` driven
 * through its stdin. There is no AI seller yet: an operator's `whatsapp.send` is the reply.
 */
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import type { ServiceBroker } from "moleculer";
import { EventTypes, type WhatsappMessageReceivedV1 } from "../../contracts/events";
import { startBroker, testNamespace } from "../helpers/broker";
import { infra } from "../helpers/infra";
import { freePort } from "../helpers/servers";
import { waitFor } from "../helpers/wait";
import { probe } from "../helpers/whatsapp";

const ROOT = path.resolve(__dirname, "..", "..");
const FROM = "15557654321";

function run(script: string, env: Record<string, string>, args: string[] = []) {
	const child = spawn(process.execPath, ["--import", "tsx", path.join(ROOT, script), ...args], {
		cwd: ROOT,
		env: { ...process.env, LOG_LEVEL: "warn", ...env },
		stdio: ["pipe", "pipe", "pipe"]
	});
	const out = { text: "" };
	child.stdout!.on("data", d => (out.text += d.toString()));
	child.stderr!.on("data", d => (out.text += d.toString()));
	return { child, out };
}

function exited(child: ChildProcess): Promise<number | null> {
	return child.exitCode !== null ? Promise.resolve(child.exitCode) : new Promise(r => child.once("exit", code => r(code)));
}

describe("terminal chat against a started product", function () {
	this.timeout(60_000);
	let product: ReturnType<typeof run>;
	let operator: ServiceBroker;
	let env: Record<string, string>;
	const p = probe("chat-probe");

	before(async () => {
		const { natsUrl } = await infra();
		env = { PORT: String(await freePort()), TRANSPORTER: natsUrl, NAMESPACE: testNamespace(), WHATSAPP_APP_SECRET: "chat-test-secret-1", SERVICES: "api,whatsapp", WHATSAPP_ACCESS_TOKEN: "" };
		product = run("scripts/start.ts", env);
		await waitFor(() => product.out.text.includes("Agent Store is running") || product.child.exitCode !== null, { timeoutMs: 30_000 });
		assert.equal(product.child.exitCode, null, product.out.text);
		operator = await startBroker({ env: { TRANSPORTER: natsUrl, NAMESPACE: env.NAMESPACE }, nodeID: "operator", services: [p.schema] });
		await operator.waitForServices(["whatsapp"], 20_000);
	});
	after(async () => {
		await operator?.stop();
		product?.child.kill("SIGTERM");
		if (product) await exited(product.child);
	});

	it("prints the chat command in the banner", () => {
		assert.match(product.out.text, /npm run chat -- --brand fashion --from \d+/);
		assert.match(product.out.text, new RegExp(`PORT=${env.PORT} npm run chat`));
	});

	it("posts signed webhooks, renders replies with numbered choices and taps by number", async () => {
		const chat = run("scripts/chat.ts", { PORT: env.PORT, WHATSAPP_APP_SECRET: env.WHATSAPP_APP_SECRET }, ["--brand", "tech", "--from", FROM]);
		try {
			await waitFor(() => chat.out.text.includes("Chatting with Max (tech)"), { timeoutMs: 20_000 });
			chat.child.stdin!.write("hello, do you sell laptops?\n");
			await waitFor(() => chat.out.text.includes("✓ delivered"), { timeoutMs: 10_000, message: `delivery in:\n${chat.out.text}` });
			const received = () => p.seen[EventTypes.WhatsappMessageReceived].map(e => e.data as WhatsappMessageReceivedV1).filter(m => m.from === FROM);
			await waitFor(() => received().length === 1);
			assert.equal(received()[0].text, "hello, do you sell laptops?");
			assert.equal(received()[0].brand, "tech");

			await operator.call("whatsapp.send", { brand: "tech", to: FROM, kind: "text", text: "Yes! Which size?", idempotencyKey: "chat-1" });
			await operator.call("whatsapp.send", {
				brand: "tech",
				to: FROM,
				kind: "list",
				text: "Pick a laptop",
				list: { button: "Laptops", sections: [{ title: "Ultrabooks", rows: [{ id: "TE-1", title: "Air 13", description: "1.2 kg" }, { id: "TE-2", title: "Pro 14" }] }] },
				idempotencyKey: "chat-2"
			});
			await waitFor(() => chat.out.text.includes("[2] Pro 14"), { timeoutMs: 10_000, message: `list in:\n${chat.out.text}` });
			assert.match(chat.out.text, /Max: Yes! Which size\?/);
			assert.match(chat.out.text, /Max: Pick a laptop\n {2}≡ Laptops\n {2}Ultrabooks\n {4}\[1\] Air 13 — 1\.2 kg\n {4}\[2\] Pro 14/);

			chat.child.stdin!.write("2\n");
			await waitFor(() => received().length === 2, { timeoutMs: 10_000, message: `tap in:\n${chat.out.text}` });
			const tap = received()[1];
			assert.deepEqual(tap.interactive, { type: "list_reply", id: "TE-2", title: "Pro 14" });
			assert.match(tap.context!.id, /^wamid\.sandbox\./);
			chat.child.stdin!.end();
			assert.equal(await exited(chat.child), 0, chat.out.text);
			assert.match(chat.out.text, /Bye\./);
		} finally {
			chat.child.kill();
		}
	});

	it("tells the user when the secret does not match the instance", async () => {
		const chat = run("scripts/chat.ts", { PORT: env.PORT, WHATSAPP_APP_SECRET: "some-other-secret" }, ["--from", FROM]);
		chat.child.stdin!.end("hi\n");
		assert.equal(await exited(chat.child), 0);
		assert.match(chat.out.text, /401: signature refused/);
	});
});
