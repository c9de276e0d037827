/**
 * A node that dies between an order's state write and its publish leaves the event in the record's
 * outbox; the sweeper on a surviving node publishes it, once, without anyone touching the order.
 */
import assert from "node:assert/strict";
import type { ServiceBroker, ServiceSchema } from "moleculer";
import type { CloudEvent } from "../../contracts/events";
import { createCatalogService } from "../../services/catalog.service";
import { createOrdersService, orderEventId, orderKey, type OrderRecord, type OrderView } from "../../services/orders.service";
import { channelsOf, startBroker } from "../helpers/broker";
import { waitFor } from "../helpers/wait";

describe("orders outbox sweeper", () => {
	let broker: ServiceBroker;
	const seen: CloudEvent<{ orderId: string }>[] = [];
	const Probe: ServiceSchema = {
		name: "outbox-probe",
		channels: Object.fromEntries(channelsOf("store.order.confirmed").map(channel => [channel, async (e: CloudEvent<{ orderId: string }>) => void seen.push(e)]))
	};

	before(async () => {
		broker = await startBroker({ services: [createCatalogService(), createOrdersService({ outboxSweepMs: 25 }), Probe] });
	});
	after(() => broker?.stop());

	it("publishes an event a crashed node left in the outbox, exactly once", async () => {
		await broker.call("catalog.setStock", { sku: "FA-0003", stock: 5 });
		const order = await broker.call<OrderView, object>("orders.create", { waId: "15551239999", brand: "fashion", items: [{ sku: "FA-0003", qty: 1 }] });

		// What a node leaves when it dies right after its compare-and-set: the state changed, the
		// event recorded in the outbox, nothing published.
		const stored = (await broker.store.getVersioned<OrderRecord>(orderKey(order.id)))!;
		const crashed: OrderRecord = {
			...stored.value,
			order: { ...stored.value.order, status: "confirmed", paymentRef: "pay_crash" },
			outbox: [
				{
					kind: "publish",
					type: "store.order.confirmed",
					id: orderEventId(order.id, "confirmed"),
					data: { orderId: order.id, waId: order.waId, brand: order.brand, paymentRef: "pay_crash", total: order.total, currency: order.currency }
				}
			]
		};
		await broker.store.append("orders:outbox:pending", { orderId: order.id, at: Date.now() });
		assert.notEqual(await broker.store.compareAndSet(orderKey(order.id), stored.version, crashed), null);

		await waitFor(() => seen.some(e => e.data.orderId === order.id));
		await waitFor(async () => (await broker.store.getVersioned<OrderRecord>(orderKey(order.id)))!.value.outbox.length === 0);
		const swept = await (broker.getLocalService("orders") as unknown as { sweepOutbox(): Promise<number> }).sweepOutbox();
		assert.equal(swept, 0, "nothing left");
		assert.equal(seen.filter(e => e.data.orderId === order.id).length, 1);
		assert.equal(seen.find(e => e.data.orderId === order.id)!.id, orderEventId(order.id, "confirmed"));
	});
});
