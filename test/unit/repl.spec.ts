import assert from "node:assert/strict";
import type { ServiceBroker, ServiceSchema } from "moleculer";
import { createEvent } from "../../contracts/events";
import DlqService from "../../services/dlq.service";
import { runDlq } from "../../repl/dlq";
import { renderHealth } from "../../repl/health";
import { replCommands, toMoleculerCommands } from "../../repl";
import { startBroker } from "../helpers/broker";
import { waitFor } from "../helpers/wait";
import sinon from "sinon";

describe("REPL commands", () => {
	let broker: ServiceBroker;
	let failing = true;
	const Probe: ServiceSchema = {
		name: "probe",
		channels: {
			"store.sales.insight": async () => {
				if (failing) throw new Error("insight sink offline");
			}
		}
	};

	const insight = (kind: string) =>
		createEvent("store.sales.insight", { brand: "tech", kind, metrics: { taken: 1 } }, { source: "/test" });

	before(async () => {
		broker = await startBroker({ services: [DlqService, Probe], env: { CHANNEL_MAX_ATTEMPTS: "2" } });
	});
	after(() => broker?.stop());

	const dlq = (sub?: string, id?: string, options: Record<string, unknown> = {}) => runDlq(broker, { sub, id, options });

	it("registers health and dlq with moleculer-repl's shape", () => {
		const names = toMoleculerCommands().map(c => c.command);
		assert.deepEqual(names, replCommands.map(c => c.command));
		assert.ok(names.includes("health"));
		assert.ok(names.some(n => n.startsWith("dlq")));
	});

	it("prints an error line instead of throwing into the REPL", async () => {
		const log = sinon.stub(console, "log");
		try {
			const cmd = toMoleculerCommands().find(c => c.command.startsWith("dlq"))!;
			await cmd.action(broker, { sub: "show", id: "0000000000000000", options: {} });
			assert.match(String(log.firstCall.args[0]), /^error: DEAD_LETTER_NOT_FOUND: Dead letter '0000000000000000' not found$/);
		} finally {
			log.restore();
		}
	});

	it("health shows readiness, store, channels, nodes and services", async () => {
		const text = await renderHealth(broker);
		assert.match(text, /^ready\s+yes$/m);
		assert.match(text, /transporter\s+none/);
		assert.match(text, /store\s+memory, ready/);
		assert.match(text, /channels\s+connected/);
		assert.match(text, /\(this\)\s+available/);
		assert.match(text, /^  dlq\s/m);
		assert.match(text, /^  probe\s/m);
	});

	it("dlq show masks customers' phone numbers as the logs do, and keeps the entry's id to replay it by", async () => {
		const entry = { id: "1234567890123456", channel: "store.whatsapp.message.send", group: "whatsapp", event: { data: { to: "15553334444", waId: "15553334444", text: "call me on +44 7700 900123" } }, error: { attempts: 5, code: "X", message: "send to 15553334444 failed" } };
		const stub = { call: async () => entry } as unknown as ServiceBroker;
		const shown = await runDlq(stub, { sub: "show", id: entry.id, options: {} });
		assert.doesNotMatch(shown, /15553334444/);
		assert.match(shown, /"to": "1555\*\*\*4444"/);
		assert.equal(JSON.parse(shown).id, entry.id);
	});

	it("dlq list, show, replay, replay --all and purge", async () => {
		assert.equal(await dlq("list"), "The dead-letter queue is empty.");
		for (const k of ["a", "b", "c"]) await broker.sendToChannel("store.sales.insight", insight(k));
		await waitFor(async () => (await dlq("list")).startsWith("3 dead letter(s)"));

		const listed = await dlq("list", undefined, { limit: "2" });
		assert.match(listed, /^3 dead letter\(s\), showing 2:/);
		assert.match(listed, /store\.sales\.insight\s+probe\s+attempts=2\s+HANDLER_ERROR: insight sink offline/);
		const id = /^([0-9a-f]{16}) /m.exec(listed)![1];
		const shown = JSON.parse(await dlq("show", id));
		assert.equal(shown.id, id);
		assert.equal(shown.error.attempts, 2);

		failing = false;
		assert.match(await dlq("replay", id), /^Replayed /);
		await waitFor(async () => (await dlq("list")).startsWith("2 dead letter(s)"));

		failing = true;
		assert.equal(await dlq("replay", undefined, { all: true }), "Replayed 2 dead letter(s).");
		await waitFor(async () => {
			const text = await dlq("list");
			return text.startsWith("2 dead letter(s)") && !text.includes("Replayed");
		});
		assert.equal(await dlq("purge", undefined, { group: "nobody" }), "Purged 0 dead letter(s).");
		assert.equal(await dlq("purge"), "Purged 2 dead letter(s).");
		assert.equal(await dlq("list"), "The dead-letter queue is empty.");
	});

	it("answers bad arguments with usage, not a crash", async () => {
		assert.match(await dlq("show"), /^usage: dlq/);
		assert.match(await dlq("replay"), /^usage: dlq/);
		assert.match(await dlq("explode"), /^usage: dlq/);
		assert.equal(await dlq("list", undefined, { limit: "lots" }), "--limit must be an integer from 1 to 500");
		await assert.rejects(dlq("show", "x".repeat(65)), /ValidationError|Parameters validation error/);
		await assert.rejects(dlq("show", "0000000000000000"), (err: Error & { type?: string }) => err.type === "DEAD_LETTER_NOT_FOUND");
	});
});
