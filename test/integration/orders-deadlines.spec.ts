/**
 * Payment deadlines: an order nobody pays is cancelled as "not paid in time" once its deadline
 * passes, its stock released once and `store.order.cancelled` published once, by the service's own
 * sweeper (the clock is injected), on any node, after a restart, with two nodes sweeping at once;
 * orders stored before deadlines existed get one. The customer hears of it once.
 */
import assert from "node:assert/strict";
import type { ServiceBroker, ServiceSchema } from "moleculer";
import type { CloudEvent, OrderCancelledV1, OrderCreatedV1 } from "../../contracts/events";
import type { OutboxEntry } from "../../gateway/whatsapp/outbox";
import { initialOrderSnapshot, type OrderEvent } from "../../machines/order.machine";
import AiSellerFashion from "../../services/ai-seller-fashion.service";
import { createCatalogService } from "../../services/catalog.service";
import { createOrdersService, orderKey, type OrderRecord, type OrderView } from "../../services/orders.service";
import { OrderMetrics } from "../../services/orders/metrics";
import { channelsOf, probeChannel, startBroker, testNamespace } from "../helpers/broker";
import { infra } from "../helpers/infra";
import { postWebhook, startGateway } from "../helpers/whatsapp";
import { waitFor } from "../helpers/wait";
import { msg, nowSeconds, withMessages } from "../fixtures/whatsapp";

const MINUTE = 60_000;

interface OrdersInternals {
	sweepPayments(): Promise<{ swept: boolean; fired: number }>;
	apply(id: string, event: OrderEvent, source: string): Promise<OrderView>;
}

/** Records the order facts every group member would get (a group of its own). */
function orderProbe(name = "deadline-probe") {
	const created: CloudEvent<OrderCreatedV1>[] = [];
	const cancelled: CloudEvent<OrderCancelledV1>[] = [];
	const schema: ServiceSchema = {
		name,
		channels: {
			...Object.fromEntries(channelsOf("store.order.created").map(c => [c, probeChannel(name, async e => void created.push(e as CloudEvent<OrderCreatedV1>))])),
			...Object.fromEntries(channelsOf("store.order.cancelled").map(c => [c, probeChannel(name, async e => void cancelled.push(e as CloudEvent<OrderCancelledV1>))]))
		}
	};
	return { schema, created, cancelled, cancelledOf: (id: string) => cancelled.filter(e => e.data.orderId === id) };
}

/** Runs sweeps until `n` of them really swept (another sweep may hold the lock at a given moment). */
async function sweeps(broker: ServiceBroker, n = 1): Promise<void> {
	const orders = broker.getLocalService("orders") as unknown as OrdersInternals;
	for (let done = 0; done < n; ) if ((await orders.sweepPayments()).swept) done++;
}

describe("orders: payment deadlines", function () {
	this.timeout(30_000);

	describe("one node", () => {
		let broker: ServiceBroker;
		let clock = Date.parse("2026-03-02T10:00:00.000Z");
		const probe = orderProbe();

		before(async () => {
			broker = await startBroker({
				// The timeout from the environment, as production sets it.
				env: { ORDER_PAYMENT_TIMEOUT_MINUTES: "60" },
				services: [createCatalogService(), createOrdersService({ now: () => clock, paymentSweepMs: 10 }), probe.schema]
			});
		});
		after(() => broker?.stop());

		const stock = async (sku: string) => (await broker.call<{ stock: number }, object>("catalog.get", { sku })).stock;
		const get = (id: string) => broker.call<OrderView, object>("orders.get", { id });
		const expired = () =>
			(broker as unknown as { metrics: { getMetric(n: string): { get(l: object): { value: number } | null } | null } }).metrics.getMetric(OrderMetrics.PaymentExpired)?.get({ brand: "gaming" })?.value ?? 0;

		it("cancels an order not paid in time: stock back once, store.order.cancelled once, with the reason", async () => {
			await broker.call("catalog.setStock", { sku: "GA-0006", stock: 20 });
			const before = expired();
			const order = await broker.call<OrderView, object>("orders.create", { waId: "15550001234", brand: "gaming", items: [{ sku: "GA-0006", qty: 12 }], conversationId: "gaming:15550001234" });
			assert.equal(order.payBy, new Date(clock + 60 * MINUTE).toISOString(), "stored with the order: ORDER_PAYMENT_TIMEOUT_MINUTES after it was placed");
			assert.equal(await stock("GA-0006"), 8);
			await waitFor(() => probe.created.some(e => e.data.orderId === order.id));
			assert.equal(probe.created.find(e => e.data.orderId === order.id)!.data.payBy, order.payBy, "store.order.created says until when");

			clock += 59 * MINUTE;
			await sweeps(broker);
			assert.equal((await get(order.id)).status, "pending", "a minute before its deadline it still waits");
			assert.equal(await stock("GA-0006"), 8);

			clock += 2 * MINUTE;
			await waitFor(async () => (await get(order.id)).status === "cancelled", { message: "the order expired" });
			const done = await get(order.id);
			assert.equal(done.cancelReason, "not paid in time");
			assert.deepEqual(done.history.map(h => [h.event, h.from, h.to, h.source]).at(-1), ["EXPIRE", "pending", "cancelled", "deadline"]);
			await waitFor(async () => (await stock("GA-0006")) === 20, { message: "the 12 units back" });
			await waitFor(() => probe.cancelledOf(order.id).length === 1);
			assert.deepEqual(probe.cancelledOf(order.id)[0]!.data, {
				orderId: order.id,
				waId: "15550001234",
				brand: "gaming",
				conversationId: "gaming:15550001234",
				reason: "not paid in time",
				from: "pending",
				reasonCode: "not_paid_in_time"
			});
			assert.equal(expired(), before + 1);

			// Later sweeps, and the deadline fired again by hand, change nothing.
			clock += 60 * MINUTE;
			await sweeps(broker, 3);
			await (broker.getLocalService("orders") as unknown as OrdersInternals).apply(order.id, { type: "EXPIRE", at: new Date(clock).toISOString() }, "test");
			assert.equal(await stock("GA-0006"), 20, "released exactly once");
			assert.equal((await get(order.id)).history.length, done.history.length);
			assert.equal(probe.cancelledOf(order.id).length, 1);
			assert.equal(expired(), before + 1);
		});

		it("an order paid before its deadline keeps its stock; one cancelled before it is not cancelled again", async () => {
			await broker.call("catalog.setStock", { sku: "GA-0002", stock: 10 });
			const paid = await broker.call<OrderView, object>("orders.create", { waId: "15550001235", brand: "gaming", items: [{ sku: "GA-0002", qty: 2 }] });
			const dropped = await broker.call<OrderView, object>("orders.create", { waId: "15550001235", brand: "gaming", items: [{ sku: "GA-0002", qty: 3 }] });
			await broker.call("orders.pay", { id: paid.id, paymentRef: "psp_on_time" });
			await broker.call("orders.cancel", { id: dropped.id, reason: "changed my mind" });
			assert.equal(await stock("GA-0002"), 8);
			clock += 2 * 60 * MINUTE;
			await sweeps(broker, 2);
			assert.equal((await get(paid.id)).status, "confirmed");
			assert.equal((await get(dropped.id)).cancelReason, "changed my mind");
			assert.equal(await stock("GA-0002"), 8);
			await waitFor(() => probe.cancelledOf(dropped.id).length === 1);
			assert.equal(probe.cancelledOf(paid.id).length, 0);
		});

		it("a payment that arrives after the deadline cancelled the order is recorded as a refund owed, not lost", async () => {
			await broker.call("catalog.setStock", { sku: "GA-0004", stock: 5 });
			const order = await broker.call<OrderView, object>("orders.create", { waId: "15550001237", brand: "gaming", items: [{ sku: "GA-0004", qty: 1 }] });
			clock += 61 * MINUTE;
			await waitFor(async () => (await get(order.id)).status === "cancelled", { message: "the order expired" });
			const late = await broker.call<OrderView, object>("orders.pay", { id: order.id, paymentRef: "psp_too_late" });
			assert.equal(late.status, "cancelled");
			assert.deepEqual(late.refunds!.map(r => [r.paymentRef, r.amount, r.reason]), [["psp_too_late", order.total, "paid_after_cancellation"]]);
			assert.ok((await broker.call<{ items: OrderView[] }, object>("orders.list", { refundDue: true })).items.some(o => o.id === order.id));
			assert.equal(await stock("GA-0004"), 5, "its stock stays released");
		});

		it("gives an unpaid order stored before deadlines existed one, a full window from when it is given, however old it is", async () => {
			await broker.call("catalog.setStock", { sku: "GA-0003", stock: 10 });
			const store = broker.store;
			/** An order as a node without payment deadlines wrote it: no payBy, no entry in the deadline index. */
			const legacy = async (id: string, createdAt: number) => {
				await broker.call("catalog.reserve", { items: [{ sku: "GA-0003", qty: 1 }] });
				const at = new Date(createdAt).toISOString();
				const record: OrderRecord = {
					version: 1,
					snapshot: initialOrderSnapshot(id),
					order: { id, waId: "15550001236", brand: "gaming", status: "pending", items: [{ sku: "GA-0003", name: "x", qty: 1, unitPrice: 100, lineTotal: 100 }], subtotal: 100, discount: 0, total: 100, currency: "USD", createdAt: at, updatedAt: at },
					history: [{ event: "CREATE", from: null, to: "pending", at, source: "api" }],
					outbox: []
				};
				assert.notEqual(await store.compareAndSet(orderKey(id), 0, record), null);
				await store.append("orders:index", id);
			};
			await legacy("ord_legacy_old", clock - 3 * 24 * 60 * MINUTE);
			await legacy("ord_legacy_new", clock - 10 * MINUTE);
			assert.equal(await stock("GA-0003"), 8);

			// Its customer was never given a deadline: a three-day-old order is not cancelled on the
			// first sweep "for not paying in time", it gets the whole window from now, as the recent one does.
			const given = clock;
			await waitFor(async () => (await get("ord_legacy_old")).payBy !== undefined && (await get("ord_legacy_new")).payBy !== undefined, { message: "both given a deadline" });
			for (const id of ["ord_legacy_old", "ord_legacy_new"]) {
				const order = await get(id);
				assert.equal(order.status, "pending", id);
				assert.ok(Date.parse(order.payBy!) >= given + 60 * MINUTE, `${id}: ${order.payBy}`);
			}
			assert.equal(await stock("GA-0003"), 8, "both still hold their stock");

			clock += 61 * MINUTE;
			await waitFor(async () => (await get("ord_legacy_old")).status === "cancelled" && (await get("ord_legacy_new")).status === "cancelled", { message: "both at the end of their window" });
			assert.equal((await get("ord_legacy_old")).cancelReason, "not paid in time");
			await waitFor(async () => (await stock("GA-0003")) === 10);
		});
	});

	describe("Redis: after a restart, two nodes sweeping at once", () => {
		it("fires a deadline that passed while no node ran, once, whichever node sweeps", async () => {
			const { redisUrl } = await infra();
			const env = { REDIS_URL: redisUrl, NAMESPACE: testNamespace() };
			let clock = Date.parse("2026-03-02T10:00:00.000Z");
			const now = () => clock;

			const first = await startBroker({ env, services: [createCatalogService(), createOrdersService({ now, paymentTimeoutMs: 30 * MINUTE })] });
			let order: OrderView;
			try {
				await first.call("catalog.setStock", { sku: "TE-0003", stock: 5 });
				order = await first.call<OrderView, object>("orders.create", { waId: "15552220001", brand: "tech", items: [{ sku: "TE-0003", qty: 2 }] });
			} finally {
				await first.stop();
			}

			clock += 31 * MINUTE;
			const probe = orderProbe();
			const nodes = [
				await startBroker({ env, nodeID: "node-b", services: [createCatalogService(), createOrdersService({ now, paymentTimeoutMs: 30 * MINUTE, paymentSweepMs: 5 }), probe.schema] }),
				await startBroker({ env, nodeID: "node-c", services: [createCatalogService(), createOrdersService({ now, paymentTimeoutMs: 30 * MINUTE, paymentSweepMs: 5 })] })
			];
			try {
				const [b, c] = nodes as [ServiceBroker, ServiceBroker];
				await waitFor(async () => (await c.call<OrderView, object>("orders.get", { id: order.id })).status === "cancelled", { message: "expired after the restart" });
				await waitFor(() => probe.cancelledOf(order.id).length > 0);
				await Promise.all([sweeps(b, 3), sweeps(c, 3)]);
				const after = await b.call<OrderView, object>("orders.get", { id: order.id });
				assert.deepEqual(after.history.map(h => h.event), ["CREATE", "EXPIRE"], "one EXPIRE in the history");
				assert.equal((await b.call<{ stock: number }, object>("catalog.get", { sku: "TE-0003" })).stock, 5, "released once");
				// A publish retried by two nodes carries one id, which consumers deduplicate.
				assert.deepEqual([...new Set(probe.cancelledOf(order.id).map(e => e.id))], [`order-${order.id}-cancelled`]);
			} finally {
				for (const n of nodes) await n.stop();
			}
		});
	});

	describe("the customer", () => {
		it("is told once that the order was cancelled", async () => {
			const { redisUrl } = await infra();
			let clock = Date.now();
			const g = await startGateway({
				env: { REDIS_URL: redisUrl, NAMESPACE: testNamespace() },
				withProbe: false,
				services: [createCatalogService(), createOrdersService({ now: () => clock, paymentTimeoutMs: 60 * MINUTE, paymentSweepMs: 10 }), AiSellerFashion]
			});
			try {
				const buyer = "15550009871";
				const outbox = async () => ((await (await fetch(`${g.url}/sandbox/outbox?to=${buyer}`)).json()) as OutboxEntry[]).map(e => (e.message as { text?: { body?: string } }).text?.body ?? "");
				// A conversation with its 24-hour window open, so the notice goes as text.
				await postWebhook(g.url, withMessages(msg("text", { text: { body: "hi" } }, { from: buyer, timestamp: nowSeconds() })));
				await waitFor(async () => (await outbox()).length === 1);
				await g.broker.call("catalog.setStock", { sku: "FA-0002", stock: 5 });
				const order = await g.broker.call<OrderView, object>("orders.create", { waId: buyer, brand: "fashion", items: [{ sku: "FA-0002", qty: 1 }], conversationId: `fashion:${buyer}` });

				clock += 61 * MINUTE;
				await waitFor(async () => (await outbox()).some(t => t.includes(`Your order ${order.id} was cancelled because we didn't receive the payment in time`)), { message: "the cancellation notice" });
				await sweeps(g.broker, 3);
				// A later notice to the same customer, after those sweeps: what they could repeat has been sent by then.
				const later = await g.broker.call<OrderView, object>("orders.create", { waId: buyer, brand: "fashion", items: [{ sku: "FA-0002", qty: 1 }], conversationId: `fashion:${buyer}` });
				await g.broker.call("orders.cancel", { id: later.id, reason: "test" });
				await waitFor(async () => (await outbox()).some(t => t.includes(later.id)), { message: "the later notice" });
				const notices = (await outbox()).filter(t => t.includes(order.id));
				assert.equal(notices.length, 1, notices.join("\n"));
			} finally {
				await g.broker.stop();
			}
		});
	});
});
