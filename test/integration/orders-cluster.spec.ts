/**
 * Catalog and orders on real infrastructure: two nodes over NATS sharing Redis must not oversell,
 * and an order (its machine state and history) and the stock levels survive a restart on Redis.
 */
import assert from "node:assert/strict";
import type { Errors, ServiceBroker } from "moleculer";
import { createCatalogService } from "../../services/catalog.service";
import { createOrdersService, type OrderView } from "../../services/orders.service";
import { startBroker, testNamespace } from "../helpers/broker";
import { flushRedis, infra } from "../helpers/infra";

describe("catalog and orders over NATS + Redis", function () {
	this.timeout(30_000);

	describe("two nodes", () => {
		let a: ServiceBroker;
		let b: ServiceBroker;

		before(async () => {
			const { natsUrl, redisUrl } = await infra();
			await flushRedis();
			const env = { TRANSPORTER: natsUrl, REDIS_URL: redisUrl, NAMESPACE: testNamespace() };
			a = await startBroker({ env, nodeID: "node-a", services: [createCatalogService(), createOrdersService()] });
			b = await startBroker({ env, nodeID: "node-b", services: [createCatalogService(), createOrdersService()] });
			await Promise.all([a.waitForServices(["catalog", "orders"], 10_000), b.waitForServices(["catalog", "orders"], 10_000)]);
		});

		after(async () => {
			await b?.stop();
			await a?.stop();
		});

		it("50 concurrent orders across both nodes for a product with 10 in stock: exactly 10 succeed", async () => {
			await a.call("catalog.setStock", { sku: "TE-0003", stock: 10 });
			const results = await Promise.allSettled(
				Array.from({ length: 50 }, (_, i) =>
					(i % 2 ? a : b).call<OrderView, object>("orders.create", { waId: `1555100${String(i).padStart(4, "0")}`, brand: "tech", items: [{ sku: "TE-0003", qty: 1 }] })
				)
			);
			const ok = results.filter((r): r is PromiseFulfilledResult<OrderView> => r.status === "fulfilled");
			assert.equal(ok.length, 10);
			for (const r of results) if (r.status === "rejected") assert.equal((r.reason as Errors.MoleculerError).type, "OUT_OF_STOCK");
			assert.equal((await b.call<{ stock: number }, object>("catalog.get", { sku: "TE-0003" })).stock, 0);
			assert.equal(await a.store.get("catalog:stock:TE-0003"), 0);

			// A cancellation on one node gives the stock back for the other.
			await b.call("orders.cancel", { id: ok[0]!.value.id, reason: "test" });
			assert.equal((await a.call<{ stock: number }, object>("catalog.get", { sku: "TE-0003" })).stock, 1);
		});
	});

	describe("restart with Redis", () => {
		it("keeps an order, its machine state and history, and the stock levels", async () => {
			const { redisUrl } = await infra();
			const env = { REDIS_URL: redisUrl, NAMESPACE: testNamespace() };
			const services = () => [createCatalogService(), createOrdersService()];

			const first = await startBroker({ env, services: services() });
			let order: OrderView;
			try {
				await first.call("catalog.setStock", { sku: "GA-0002", stock: 7 });
				order = await first.call<OrderView, object>("orders.create", { waId: "15552220000", brand: "gaming", items: [{ sku: "GA-0002", qty: 2 }], idempotencyKey: "k1" });
				await first.call("orders.pay", { id: order.id, paymentRef: "pay_restart" });
			} finally {
				await first.stop();
			}

			const second = await startBroker({ env, services: services() });
			try {
				const again = await second.call<OrderView, object>("orders.get", { id: order.id });
				assert.equal(again.status, "confirmed");
				assert.equal(again.paymentRef, "pay_restart");
				assert.deepEqual(again.history.map(h => h.to), ["pending", "confirmed"]);
				assert.equal((await second.call<{ stock: number }, object>("catalog.get", { sku: "GA-0002" })).stock, 5, "not re-seeded from the data file");
				const same = await second.call<OrderView, object>("orders.create", { waId: "15552220000", brand: "gaming", items: [{ sku: "GA-0002", qty: 2 }], idempotencyKey: "k1" });
				assert.equal(same.id, order.id);
				const shipped = await second.call<OrderView, object>("orders.ship", { id: order.id, carrier: "FedEx", trackingNumber: "FX1" });
				assert.equal(shipped.status, "shipped");
				await assert.rejects(second.call("orders.cancel", { id: order.id, reason: "late" }), (err: Errors.MoleculerError) => err.type === "INVALID_TRANSITION");
			} finally {
				await second.stop();
			}
		});
	});
});
