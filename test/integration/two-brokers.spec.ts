/**
 * Two brokers over a real nats-server: a contract-validated event published on one node is
 * consumed on the other through a JetStream channel; a handler that fails twice then succeeds; one
 * that always fails and lands in the dead-letter queue; and an operator's replay from the first
 * node (through the REPL command) that succeeds.
 */
import assert from "node:assert/strict";
import type { ServiceBroker, ServiceSchema } from "moleculer";
import type { CloudEvent, OrderConfirmedV1 } from "../../contracts/events";
import { EventContractError } from "../../contracts/events";
import { EventsMixin, type EventsMethods } from "../../mixins/events.mixin";
import DlqService from "../../services/dlq.service";
import { runDlq } from "../../repl/dlq";
import { renderHealth } from "../../repl/health";
import { flushRedis, infra } from "../helpers/infra";
import { startBroker, testNamespace } from "../helpers/broker";
import { waitFor } from "../helpers/wait";

describe("two brokers over NATS", function () {
	this.timeout(30_000);
	let publisherNode: ServiceBroker;
	let consumerNode: ServiceBroker;
	const attempts = new Map<string, number>();
	let healed = false;

	const Payments: ServiceSchema = {
		name: "payments-probe",
		mixins: [EventsMixin],
		actions: {
			confirm: {
				params: { orderId: "string", paymentRef: "string" },
				handler(ctx) {
					const self = this as unknown as EventsMethods;
					return self.publish("store.order.confirmed", {
						orderId: ctx.params.orderId,
						paymentRef: ctx.params.paymentRef,
						waId: "15551234567",
						brand: "home",
						total: 12900,
						currency: "USD"
					});
				}
			}
		}
	};

	const Fulfilment: ServiceSchema = {
		name: "fulfilment-probe",
		channels: {
			// Order updates travel on their brand's share; these are home's.
			"store.order.confirmed.home": {
				async handler(event: CloudEvent<OrderConfirmedV1>) {
					const n = (attempts.get(event.data.orderId) ?? 0) + 1;
					attempts.set(event.data.orderId, n);
					if (event.data.orderId === "ord_flaky" && n <= 2) throw new Error("carrier API timeout");
					if (event.data.orderId === "ord_poison" && !healed) throw new Error("no warehouse serves this address");
				}
			}
		}
	};

	before(async () => {
		const { natsUrl, redisUrl } = await infra();
		await flushRedis();
		const env = { TRANSPORTER: natsUrl, REDIS_URL: redisUrl, NAMESPACE: testNamespace() };
		consumerNode = await startBroker({ env, nodeID: "consumer", services: [Fulfilment, DlqService] });
		publisherNode = await startBroker({ env, nodeID: "publisher", services: [Payments] });
		await publisherNode.waitForServices(["dlq"], 10_000);
	});

	after(async () => {
		await publisherNode?.stop();
		await consumerNode?.stop();
	});

	it("delivers a validated event to the other node, retrying a handler that fails twice", async () => {
		const event = await publisherNode.call<CloudEvent, object>("payments-probe.confirm", { orderId: "ord_flaky", paymentRef: "pay_1" });
		assert.equal(event.type, "store.order.confirmed");
		await waitFor(() => attempts.get("ord_flaky") === 3);
		const listed = await runDlq(publisherNode, { sub: "list", options: {} });
		assert.equal(listed, "The dead-letter queue is empty.");
	});

	it("refuses to publish an event that breaks its contract", async () => {
		const self = publisherNode.getLocalService("payments-probe") as unknown as EventsMethods;
		await assert.rejects(
			self.publish("store.order.confirmed", { orderId: "ord_x", waId: "not-a-number" } as never),
			(err: unknown) => err instanceof EventContractError && err.violations.some(v => v.field === "data.waId")
		);
	});

	it("dead-letters a handler that always fails, and the operator's replay succeeds", async () => {
		await publisherNode.call("payments-probe.confirm", { orderId: "ord_poison", paymentRef: "pay_2" });
		await waitFor(async () => (await runDlq(publisherNode, { sub: "list", options: {} })).includes("no warehouse serves this address"));
		assert.equal(attempts.get("ord_poison"), 5);

		const listed = await runDlq(publisherNode, { sub: "list", options: { channel: "store.order.confirmed" } });
		const id = /^([0-9a-f]{16}) /m.exec(listed)?.[1];
		assert.ok(id, listed);
		const shown = JSON.parse(await runDlq(publisherNode, { sub: "show", id, options: {} }));
		assert.equal(shown.originalEvent.data.orderId, "ord_poison");
		assert.equal(shown.error.attempts, 5);
		assert.equal(shown.nodeID, "consumer");

		healed = true;
		assert.match(await runDlq(publisherNode, { sub: "replay", id, options: {} }), /^Replayed [0-9a-f]{16} on store\.order\.confirmed\.home for fulfilment-probe\.$/);
		await waitFor(() => attempts.get("ord_poison") === 6);
		await waitFor(async () => (await runDlq(publisherNode, { sub: "list", options: {} })) === "The dead-letter queue is empty.");
	});

	it("publishes an event nothing consumes yet: the stream is made on the first publish, not left to a consumer", async () => {
		// store.order.delivered has no consumer on either node: JetStream would answer 503 without a stream.
		const self = publisherNode.getLocalService("payments-probe") as unknown as EventsMethods;
		const data = { orderId: "ord_audit", waId: "15551234567", brand: "home", deliveredAt: "2026-11-22T10:00:00Z" };
		await self.publish("store.order.delivered", data as never);
		await self.publish("store.order.delivered", { ...data, orderId: "ord_audit2" } as never);
	});

	it("reports both nodes and their services in the REPL health command", async () => {
		const text = await renderHealth(publisherNode);
		assert.match(text, /^ready\s+yes/m);
		assert.match(text, /transporter\s+connected/);
		assert.match(text, /store\s+redis, ready/);
		assert.match(text, /publisher \(this\)\s+available/);
		assert.match(text, /consumer\s+available/);
		assert.match(text, /fulfilment-probe\s+consumer/);
		assert.match(text, /dlq\s+consumer/);
	});
});
