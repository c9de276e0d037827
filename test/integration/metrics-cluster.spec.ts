/**
 * Metrics in a split deployment: the api node's GET /metrics serves every node's metrics (each
 * series labelled with its nodeID), each metric family's HELP/TYPE once.
 */
import assert from "node:assert/strict";
import type { ServiceBroker } from "moleculer";
import ApiService from "../../gateway/api.service";
import DlqService from "../../services/dlq.service";
import { DeadLetters } from "../../adapters/dead-letters";
import { infra } from "../helpers/infra";
import { startBroker, testNamespace } from "../helpers/broker";
import { baseUrl } from "../helpers/whatsapp";
import { waitFor } from "../helpers/wait";

describe("metrics across nodes", function () {
	this.timeout(30_000);
	const brokers: ServiceBroker[] = [];
	after(async () => {
		for (const b of brokers.reverse()) await b.stop().catch(() => undefined);
	});

	it("GET /metrics on the api node includes the other nodes' metrics, one header per family", async () => {
		const { natsUrl } = await infra();
		const env = { TRANSPORTER: natsUrl, NAMESPACE: testNamespace() };
		const worker = {
			name: "worker",
			created(this: { broker: ServiceBroker }) {
				this.broker.metrics.register({ type: "counter", name: "agent_store_test_work_total", description: "work done" });
			},
			actions: {
				work(this: { broker: ServiceBroker }) {
					this.broker.metrics.increment("agent_store_test_work_total");
					return true;
				}
			}
		};
		const gateway = await startBroker({ nodeID: "gw-1", env, services: [ApiService] });
		brokers.push(gateway);
		const sellers = await startBroker({ nodeID: "sellers-1", env, services: [worker] });
		brokers.push(sellers);
		await gateway.waitForServices("worker", 10_000);
		await gateway.call("worker.work");

		const text = await waitFor(async () => {
			const res = await fetch(`${baseUrl(gateway)}/metrics`);
			assert.equal(res.status, 200);
			const t = await res.text();
			return /agent_store_test_work_total\{[^}]*nodeID="sellers-1"[^}]*\} 1/.test(t) && t;
		}, { message: "the sellers node's counter in the api node's /metrics" });
		assert.match(text, /moleculer_request_total\{(?=[^}]*action="worker\.work")(?=[^}]*nodeID="sellers-1")/);
		assert.match(text, /moleculer_request_total\{[^}]*nodeID="gw-1"/);
		assert.match(text, /agent_store_metrics_node_up\{[^}]*nodeID="sellers-1"\} 1/);
		const types = text.split("\n").filter(l => l.startsWith("# TYPE "));
		assert.equal(new Set(types).size, types.length, "one TYPE line per family");

		const local = await (await fetch(`${baseUrl(gateway)}/metrics?scope=node`)).text();
		assert.doesNotMatch(local, /nodeID="sellers-1"/);
	});

	it("the dead-letter queue's size is a gauge, by channel", async () => {
		const broker = await startBroker({ services: [ApiService, DlqService] });
		brokers.push(broker);
		const letters = new DeadLetters(broker.store);
		for (const id of ["e1", "e2"])
			await letters.add({ channel: "store.order.created", group: "orders", eventId: id, originalEvent: { id }, error: { message: "boom" }, attempts: 5 } as never);
		await broker.call("dlq.purge", { channel: "store.nothing" });
		const text = await waitFor(async () => {
			const t = await (await fetch(`${baseUrl(broker)}/metrics`)).text();
			return /agent_store_dlq_entries\{[^}]*channel="store\.order\.created"[^}]*\} 2/.test(t) && t;
		}, { message: "the gauge counts the two dead letters" });
		assert.match(text, /# TYPE agent_store_dlq_entries gauge/);
		await broker.call("dlq.purge", {});
		await waitFor(async () => /agent_store_dlq_entries\{[^}]*channel="store\.order\.created"[^}]*\} 0/.test(await (await fetch(`${baseUrl(broker)}/metrics`)).text()), { message: "purged: 0" });
	});
});
