import assert from "node:assert/strict";
import type { AddressInfo } from "node:net";
import { Errors, type ServiceBroker, type ServiceSchema } from "moleculer";
import sinon from "sinon";
import type { Store } from "../../adapters/store";
import type { CloudEvent, EventType } from "../../contracts/events";
import ApiService from "../../gateway/api.service";
import { signBody } from "../../gateway/whatsapp/signature";
import { createCatalogService } from "../../services/catalog.service";
import { createOrdersService, type OrderRefund, type OrderView } from "../../services/orders.service";
import { OrderMetrics } from "../../services/orders/metrics";
import { loadCatalogData } from "../../services/catalog/data";
import { channelsOf, startBroker } from "../helpers/broker";
import { waitFor } from "../helpers/wait";

const ORDER_EVENTS: EventType[] = ["store.order.created", "store.order.confirmed", "store.order.shipped", "store.order.delivered", "store.order.cancelled", "store.order.address.changed", "store.order.tracking.changed", "store.order.refund.due"];
const SECRET = "orders-webhook-test-secret";
const WA = "15551230000";

function orderSink() {
	const events: CloudEvent<{ orderId: string }>[] = [];
	const schema: ServiceSchema = {
		name: "orders-probe",
		channels: Object.fromEntries(ORDER_EVENTS.flatMap(t => channelsOf(t).map(channel => [channel, { handler: async (e: CloudEvent<{ orderId: string }>) => void events.push(e) }])))
	};
	return { events, schema, of: (orderId: string) => events.filter(e => e.data.orderId === orderId).map(e => e.type.replace("store.order.", "")) };
}

describe("orders service", () => {
	let broker: ServiceBroker;
	let base: string;
	const sink = orderSink();
	const { products } = loadCatalogData();
	const priceOf = (sku: string) => products.find(p => p.sku === sku)!.price;

	before(async () => {
		broker = await startBroker({
			env: { ORDERS_WEBHOOK_SECRET: SECRET },
			services: [createCatalogService(), createOrdersService(), ApiService, sink.schema]
		});
		const api = broker.getLocalService("api") as unknown as { server: { address(): AddressInfo } };
		base = `http://127.0.0.1:${api.server.address().port}`;
	});
	after(() => broker?.stop());

	const call = <T = OrderView>(action: string, params: object = {}) => broker.call<T, object>(action, params);
	const stock = async (sku: string) => (await call<{ stock: number }>("catalog.get", { sku })).stock;
	const create = (over: object = {}) => call("orders.create", { waId: WA, brand: "fashion", items: [{ sku: "FA-0002", qty: 1 }], ...over });

	it("creates a pending order priced by the catalog, never by the caller, and reserves its stock", async () => {
		await call("catalog.setStock", { sku: "FA-0002", stock: 30 });
		const order = await create({ items: [{ sku: "FA-0002", qty: 2, unitPrice: 1, price: 1 }], conversationId: "fashion:15551230000" });
		assert.match(order.id, /^ord_[0-9a-f]{20}$/);
		assert.equal(order.status, "pending");
		assert.deepEqual(order.items, [{ sku: "FA-0002", name: products.find(p => p.sku === "FA-0002")!.name, qty: 2, unitPrice: priceOf("FA-0002"), lineTotal: priceOf("FA-0002") * 2 }]);
		assert.equal(order.subtotal, priceOf("FA-0002") * 2);
		assert.equal(order.total, order.subtotal);
		assert.equal(order.currency, "USD");
		assert.ok(!Number.isNaN(Date.parse(order.createdAt)));
		assert.equal(await stock("FA-0002"), 28);
		await waitFor(() => sink.of(order.id).includes("created"));
		const created = sink.events.find(e => e.data.orderId === order.id)!;
		assert.equal(created.id, `order-${order.id}-created`);
		assert.equal(created.correlationid, "fashion:15551230000");
	});

	it("keeps the size of each line on the order and in store.order.created; two sizes of one product reserve its stock together", async () => {
		await call("catalog.setStock", { sku: "FA-0007", stock: 10 });
		const order = await create({ items: [{ sku: "FA-0007", qty: 1, size: " M " }, { sku: "FA-0007", qty: 2, size: "XL" }] });
		assert.deepEqual(order.items.map(l => [l.sku, l.size, l.qty]), [["FA-0007", "M", 1], ["FA-0007", "XL", 2]]);
		assert.equal(await stock("FA-0007"), 7);
		await waitFor(() => sink.of(order.id).includes("created"));
		const created = sink.events.find(e => e.data.orderId === order.id && e.type === "store.order.created")!;
		assert.deepEqual((created.data as unknown as { items: { size?: string }[] }).items.map(l => l.size), ["M", "XL"]);
		await assert.rejects(create({ items: [{ sku: "FA-0007", qty: 1, size: "x".repeat(25) }] }), (err: Error & { code?: number }) => err.code === 422);
	});

	it("takes only a size the product comes in, in the catalog's spelling, and refuses any other without reserving", async () => {
		await call("catalog.setStock", { sku: "FA-0007", stock: 10 });
		const order = await create({ items: [{ sku: "FA-0007", qty: 1, size: "xl" }] });
		assert.deepEqual(order.items.map(l => l.size), ["XL"], "as the catalog writes it");
		const rug = await create({ brand: "home", items: [{ sku: "HO-0011", qty: 1, size: "200 x 300" }] });
		assert.deepEqual(rug.items.map(l => l.size), ["200x300 cm"]);
		const before = await stock("FA-0007");
		await assert.rejects(create({ items: [{ sku: "FA-0007", qty: 1, size: "44" }] }), (err: Errors.MoleculerError) => {
			assert.equal(err.type, "UNKNOWN_SIZE");
			assert.equal(err.message, "Biker Leather Jacket does not come in size 44 (sizes: XS, S, M, XL)");
			return true;
		});
		await assert.rejects(create({ items: [{ sku: "FA-0002", qty: 1 }, { sku: "FA-0038", qty: 1, size: "M" }] }), (err: Errors.MoleculerError) => err.type === "UNKNOWN_SIZE" && err.message === "Leather Tote Bag comes in one size only");
		assert.equal(await stock("FA-0007"), before, "nothing reserved");
	});

	it("keeps the colour of each line, in the catalog's spelling, and refuses one the product does not come in without reserving", async () => {
		await call("catalog.setStock", { sku: "FA-0007", stock: 10 });
		const order = await create({ items: [{ sku: "FA-0007", qty: 1, size: "M", color: " Camel " }, { sku: "FA-0007", qty: 1, size: "M", color: "black" }] });
		assert.deepEqual(order.items.map(l => [l.size, l.color]), [["M", "camel"], ["M", "black"]]);
		await waitFor(() => sink.of(order.id).includes("created"));
		const created = sink.events.find(e => e.data.orderId === order.id && e.type === "store.order.created")!;
		assert.deepEqual((created.data as unknown as { items: { color?: string }[] }).items.map(l => l.color), ["camel", "black"]);
		const before = await stock("FA-0007");
		await assert.rejects(create({ items: [{ sku: "FA-0007", qty: 1, size: "M", color: "pink" }] }), (err: Errors.MoleculerError) => {
			assert.equal(err.type, "UNKNOWN_COLOUR");
			assert.equal(err.message, "Biker Leather Jacket does not come in pink (colours: camel, black)");
			return true;
		});
		await assert.rejects(create({ items: [{ sku: "FA-0007", qty: 1, color: "c".repeat(33) }] }), (err: Error & { code?: number }) => err.code === 422);
		assert.equal(await stock("FA-0007"), before, "nothing reserved");
	});

	it("keeps where the order goes, on the order and in store.order.created, and refuses what cannot be an address", async () => {
		await call("catalog.setStock", { sku: "FA-0002", stock: 10 });
		const order = await create({ deliverTo: "  45 Oak Avenue, Springfield IL 62704 " });
		assert.equal(order.deliverTo, "45 Oak Avenue, Springfield IL 62704");
		assert.equal((await call("orders.get", { id: order.id })).deliverTo, "45 Oak Avenue, Springfield IL 62704");
		await waitFor(() => sink.of(order.id).includes("created"));
		const created = sink.events.find(e => e.data.orderId === order.id && e.type === "store.order.created")!;
		assert.equal((created.data as unknown as { deliverTo?: string }).deliverTo, "45 Oak Avenue, Springfield IL 62704");
		// Without one (a seller's order taken by other means) it has none; too short or too long is refused before anything is reserved.
		assert.equal((await create()).deliverTo, undefined);
		const before = await stock("FA-0002");
		for (const deliverTo of ["x", "a".repeat(301), 42])
			await assert.rejects(create({ deliverTo }), (err: Error & { code?: number }) => err.code === 422, String(deliverTo));
		assert.equal(await stock("FA-0002"), before, "nothing reserved");
	});

	it("changes where an order goes until it ships, once per change, and says so in store.order.address.changed", async () => {
		await call("catalog.setStock", { sku: "FA-0002", stock: 10 });
		const order = await create({ deliverTo: "12 Baker Street, London NW1 6XE", conversationId: "fashion:15551230000" });
		const moved = await call("orders.setAddress", { id: order.id, deliverTo: " 45 Oak Avenue, Springfield IL 62704 " });
		assert.equal(moved.deliverTo, "45 Oak Avenue, Springfield IL 62704");
		assert.equal(moved.status, "pending", "the status does not move");
		assert.deepEqual(moved.history.map(h => [h.event, h.from, h.to]), [["CREATE", null, "pending"], ["ADDRESS", "pending", "pending"]]);
		// The same address again (a double click) is no change and no second event.
		await call("orders.setAddress", { id: order.id, deliverTo: "45 Oak Avenue, Springfield IL 62704" });
		await waitFor(() => sink.of(order.id).includes("address.changed"));
		const changed = sink.events.filter(e => e.data.orderId === order.id && e.type === "store.order.address.changed");
		assert.equal(changed.length, 1);
		assert.equal(changed[0]!.id, `order-${order.id}-address-1`);
		assert.deepEqual(changed[0]!.data, { orderId: order.id, waId: WA, brand: "fashion", deliverTo: "45 Oak Avenue, Springfield IL 62704", previous: "12 Baker Street, London NW1 6XE", conversationId: "fashion:15551230000" });
		// Paid, still before shipping: it can change; the payment is untouched and PAY stays a repeat.
		await call("orders.pay", { id: order.id, paymentRef: "pay-addr" });
		assert.equal((await call("orders.setAddress", { id: order.id, deliverTo: "5 Elm Road, Leeds LS1 4AB" })).status, "confirmed");
		assert.equal((await call("orders.pay", { id: order.id, paymentRef: "pay-addr" })).status, "confirmed");
		await waitFor(() => sink.events.filter(e => e.data.orderId === order.id && e.type === "store.order.address.changed").length === 2);
		// Shipped: too late, said as a conflict; nothing changes.
		await call("orders.ship", { id: order.id, carrier: "DHL", trackingNumber: "TRK-A" });
		await assert.rejects(call("orders.setAddress", { id: order.id, deliverTo: "1 Nowhere Lane, Leeds" }), (err: Errors.MoleculerError) => err.code === 409 && /it is shipped/.test(err.message));
		assert.equal((await call("orders.get", { id: order.id })).deliverTo, "5 Elm Road, Leeds LS1 4AB");
		await assert.rejects(call("orders.setAddress", { id: "ord_missing", deliverTo: "5 Elm Road, Leeds" }), (err: Error & { code?: number }) => err.code === 404);
		for (const deliverTo of ["x", "a".repeat(301), 7])
			await assert.rejects(call("orders.setAddress", { id: order.id, deliverTo }), (err: Error & { code?: number }) => err.code === 422, String(deliverTo));
	});

	it("the same idempotencyKey returns the same order, even under concurrent retries, and reserves once", async () => {
		await call("catalog.setStock", { sku: "FA-0003", stock: 10 });
		const orders = await Promise.all(Array.from({ length: 5 }, () => create({ items: [{ sku: "FA-0003", qty: 3 }], idempotencyKey: "cart-42" })));
		assert.equal(new Set(orders.map(o => o.id)).size, 1);
		assert.equal(await stock("FA-0003"), 7);
		const again = await create({ items: [{ sku: "FA-0003", qty: 3 }], idempotencyKey: "cart-42" });
		assert.equal(again.id, orders[0]!.id);
		assert.equal(await stock("FA-0003"), 7);
		const other = await create({ waId: "15559990000", items: [{ sku: "FA-0003", qty: 3 }], idempotencyKey: "cart-42" });
		assert.notEqual(other.id, orders[0]!.id, "keys are per customer");
		await waitFor(() => sink.of(orders[0]!.id).length === 1);
		assert.deepEqual(sink.of(orders[0]!.id), ["created"]);
	});

	it("gives the stock back when the order cannot be written, on every attempt of one idempotencyKey", async () => {
		await call("catalog.setStock", { sku: "FA-0004", stock: 10 });
		const store = (broker.getLocalService("orders") as unknown as { store(): Store }).store();
		const realCas = store.compareAndSet.bind(store);
		const cas = sinon.stub(store, "compareAndSet").callsFake(async (key: string, ...rest: unknown[]) => {
			if (key.startsWith("orders:order:")) throw new Error("Connection is closed.");
			return (realCas as (...a: unknown[]) => Promise<number | null>)(key, ...rest);
		});
		try {
			for (let attempt = 0; attempt < 2; attempt++) {
				await assert.rejects(create({ items: [{ sku: "FA-0004", qty: 3 }], idempotencyKey: "cart-unwritable" }), /Connection is closed/);
				assert.equal(await stock("FA-0004"), 10, `attempt ${attempt + 1}: its reservation released`);
			}
		} finally {
			cas.restore();
		}
	});

	it("applies a promo code, and refuses the order when the code does not apply, with the reason", async () => {
		const order = await create({ waId: "15559990101", promoCode: "welcome10" });
		assert.equal(order.promoCode, "WELCOME10");
		assert.equal(order.discount, Math.round(priceOf("FA-0002") / 10));
		assert.equal(order.total, order.subtotal - order.discount);
		await assert.rejects(create({ promoCode: "BLACKFRIDAY24" }), (err: Errors.MoleculerError) => err.code === 422 && err.type === "PROMO_NOT_APPLICABLE" && /expired/.test(err.message));
	});

	it("a first-order code applies to a customer's first order of its brand only; a cancelled order does not count", async () => {
		const buyer = "15559990202";
		const first = await create({ waId: buyer, promoCode: "WELCOME10", idempotencyKey: "first" });
		assert.equal(first.promoCode, "WELCOME10");
		await assert.rejects(
			create({ waId: buyer, promoCode: "WELCOME10", idempotencyKey: "second" }),
			(err: Errors.MoleculerError) => err.code === 422 && err.type === "PROMO_NOT_APPLICABLE" && /first order only/.test(err.message)
		);
		const quoted = await call<{ promo: { applied: boolean; refusal?: string } }>("catalog.price", { items: [{ sku: "FA-0002", qty: 1 }], promoCode: "WELCOME10", waId: buyer });
		assert.deepEqual([quoted.promo.applied, quoted.promo.refusal], [false, "first_order_only"]);
		// Another brand's order is no first fashion order.
		await create({ waId: "15559990303", brand: "tech", items: [{ sku: "TE-0001", qty: 1 }], idempotencyKey: "tech" });
		assert.equal((await create({ waId: "15559990303", promoCode: "WELCOME10", idempotencyKey: "fashion" })).promoCode, "WELCOME10");
		await call("orders.cancel", { id: first.id, reason: "changed my mind" });
		assert.equal((await create({ waId: buyer, promoCode: "WELCOME10", idempotencyKey: "third" })).promoCode, "WELCOME10", "the cancelled one was no order");
	});

	it("refuses foreign skus, unknown skus, out-of-stock items and bad params without reserving anything", async () => {
		const before = await stock("FA-0002");
		await assert.rejects(create({ items: [{ sku: "FA-0002", qty: 1 }, { sku: "TE-0001", qty: 1 }] }), (err: Errors.MoleculerError) => err.type === "BRAND_MISMATCH");
		await assert.rejects(create({ items: [{ sku: "FA-9999", qty: 1 }] }), (err: Errors.MoleculerError) => err.type === "PRODUCT_NOT_FOUND");
		await call("catalog.setStock", { sku: "FA-0004", stock: 1 });
		await assert.rejects(
			create({ items: [{ sku: "FA-0002", qty: 1 }, { sku: "FA-0004", qty: 2 }] }),
			(err: Errors.MoleculerError) => err.type === "OUT_OF_STOCK" && (err.data as { sku: string }).sku === "FA-0004"
		);
		assert.equal(await stock("FA-0002"), before);
		for (const bad of [{ waId: "abc" }, { items: [] }, { brand: "Fashion!" }, { items: [{ sku: "FA-0002", qty: -1 }] }])
			await assert.rejects(create(bad), Errors.ValidationError);
	});

	it("never oversells: 50 concurrent orders for a product with 10 in stock", async () => {
		await call("catalog.setStock", { sku: "FA-0005", stock: 10 });
		const results = await Promise.allSettled(Array.from({ length: 50 }, (_, i) => create({ waId: `1555000${String(i).padStart(4, "0")}`, items: [{ sku: "FA-0005", qty: 1 }] })));
		assert.equal(results.filter(r => r.status === "fulfilled").length, 10);
		assert.ok(results.every(r => r.status === "fulfilled" || (r.reason as Errors.MoleculerError).type === "OUT_OF_STOCK"));
		assert.equal(await stock("FA-0005"), 0);
	});

	it("walks the lifecycle; repeats are no-ops; each event leaves once", async () => {
		const order = await create();
		const paid = await call("orders.pay", { id: order.id, paymentRef: "pay_1" });
		assert.equal(paid.status, "confirmed");
		assert.equal(paid.paymentRef, "pay_1");
		const again = await call("orders.pay", { id: order.id, paymentRef: "pay_1" });
		assert.deepEqual([again.paymentRef, again.refunds, again.history.length], ["pay_1", undefined, 2]);
		const shipped = await call("orders.ship", { id: order.id, carrier: "UPS", trackingNumber: "1Z999" });
		assert.deepEqual([shipped.status, shipped.carrier, shipped.trackingNumber], ["shipped", "UPS", "1Z999"]);
		assert.equal((await call("orders.pay", { id: order.id, paymentRef: "pay_1" })).status, "shipped");
		await assert.rejects(call("orders.cancel", { id: order.id, reason: "too late" }), (err: Errors.MoleculerError) =>
			err.code === 409 && err.type === "INVALID_TRANSITION" && /it is shipped/.test(err.message) && (err.data as { status: string }).status === "shipped"
		);
		const delivered = await call("orders.deliver", { id: order.id });
		assert.equal(delivered.status, "delivered");
		await call("orders.deliver", { id: order.id });
		assert.deepEqual(delivered.history.map(h => `${h.event}:${h.to}`), ["CREATE:pending", "PAY:confirmed", "SHIP:shipped", "DELIVER:delivered"]);
		await waitFor(() => sink.of(order.id).length === 4);
		assert.deepEqual(sink.of(order.id), ["created", "confirmed", "shipped", "delivered"]);
		await assert.rejects(call("orders.get", { id: "ord_missing" }), (err: Errors.MoleculerError) => err.code === 404 && err.type === "ORDER_NOT_FOUND");
	});

	it("cancelling releases the stock once, even when cancel is repeated", async () => {
		await call("catalog.setStock", { sku: "FA-0006", stock: 5 });
		const order = await create({ items: [{ sku: "FA-0006", qty: 2 }] });
		await call("orders.pay", { id: order.id, paymentRef: "pay_9" });
		assert.equal(await stock("FA-0006"), 3);
		const cancelled = await call("orders.cancel", { id: order.id, reason: "changed my mind" });
		assert.deepEqual([cancelled.status, cancelled.cancelReason], ["cancelled", "changed my mind"]);
		await Promise.all([call("orders.cancel", { id: order.id, reason: "again" }), call("orders.cancel", { id: order.id, reason: "again" })]);
		assert.equal(await stock("FA-0006"), 5);
		await assert.rejects(call("orders.ship", { id: order.id, carrier: "UPS", trackingNumber: "1" }), (err: Errors.MoleculerError) => err.type === "INVALID_TRANSITION" && /cancelled/.test(err.message));
		await waitFor(() => sink.of(order.id).includes("refund.due"));
		const ev = sink.events.find(e => e.type === "store.order.cancelled" && e.data.orderId === order.id)!;
		assert.equal((ev.data as unknown as { from: string }).from, "confirmed");
		assert.deepEqual(sink.of(order.id), ["created", "confirmed", "cancelled", "refund.due"], "it was paid: the payment is owed back, once");
	});

	describe("refunds owed", () => {
		const owedCount = (reason: string) =>
			(broker as unknown as { metrics: { getMetric(n: string): { get(l: object): { value: number } | null } | null } }).metrics.getMetric(OrderMetrics.RefundsOwed)?.get({ brand: "fashion", reason })?.value ?? 0;
		const due = async () => (await call<{ items: OrderView[] }>("orders.list", { refundDue: true, limit: 500 })).items.map(o => o.id);
		const refundsOf = (o: OrderView) => (o.refunds ?? []).map(({ at, ...r }: OrderRefund) => (assert.ok(!Number.isNaN(Date.parse(at))), r));
		// Stock of their own: the tests after these count on what FA-0002 has.
		const create = () => call("orders.create", { waId: WA, brand: "fashion", items: [{ sku: "FA-0009", qty: 1 }] });
		beforeEach(() => call("catalog.setStock", { sku: "FA-0009", stock: 20 }));

		it("a paid order cancelled (by the customer in chat, or an operator) owes its payment back, once", async () => {
			const before = owedCount("cancelled_after_payment");
			const order = await create();
			await call("orders.pay", { id: order.id, paymentRef: "psp_paid_then_cancelled" });
			const cancelled = await call("orders.cancel", { id: order.id, reason: "Cancelled by the customer in the chat" });
			assert.deepEqual(refundsOf(cancelled), [
				{ paymentRef: "psp_paid_then_cancelled", amount: order.total, currency: "USD", reason: "cancelled_after_payment", note: "Cancelled by the customer in the chat" }
			]);
			assert.deepEqual(cancelled.history.at(-1)!.refund, { paymentRef: "psp_paid_then_cancelled", amount: order.total, reason: "cancelled_after_payment" });
			await call("orders.cancel", { id: order.id, reason: "again" });
			assert.equal((await call("orders.get", { id: order.id })).refunds!.length, 1, "a repeated cancel owes nothing more");
			assert.equal(owedCount("cancelled_after_payment"), before + 1);

			const unpaid = await create();
			assert.equal((await call("orders.cancel", { id: unpaid.id, reason: "changed my mind" })).refunds, undefined, "nothing was paid");
			const owing = await due();
			assert.ok(owing.includes(order.id) && !owing.includes(unpaid.id));
			// The customer is told, once: the refund's event carries what they paid.
			await waitFor(() => sink.of(order.id).includes("refund.due"), { message: "store.order.refund.due" });
			const told = sink.events.filter(e => e.data.orderId === order.id && e.type === "store.order.refund.due");
			assert.equal(told.length, 1);
			assert.deepEqual(told[0]!.data, { orderId: order.id, waId: WA, brand: "fashion", paymentRef: "psp_paid_then_cancelled", amount: order.total, currency: "USD", reason: "cancelled_after_payment" });
			await waitFor(() => sink.of(unpaid.id).includes("cancelled"));
			assert.ok(!sink.of(unpaid.id).includes("refund.due"), "nothing paid, nothing owed");
		});

		it("a refund made is recorded once (orders.refunded) and leaves the refund-due list; its record stays", async () => {
			const order = await create();
			await call("orders.pay", { id: order.id, paymentRef: "psp_to_refund" });
			await call("orders.cancel", { id: order.id, reason: "out of stock after all" });
			assert.ok((await due()).includes(order.id));
			const made = await call("orders.refunded", { id: order.id, paymentRef: "psp_to_refund", refundRef: "re_001" });
			assert.equal(made.refunds![0]!.refundRef, "re_001");
			assert.ok(!Number.isNaN(Date.parse(made.refunds![0]!.refundedAt!)));
			assert.deepEqual(made.history.at(-1)!.event, "REFUND");
			assert.ok(!(await due()).includes(order.id));
			assert.equal((await call("orders.refunded", { id: order.id, paymentRef: "psp_to_refund" })).history.length, made.history.length, "again: no change");
			await assert.rejects(call("orders.refunded", { id: order.id, paymentRef: "psp_other" }), (err: Errors.MoleculerError) =>
				err.code === 409 && /owes no refund for payment psp_other \(it owes for: psp_to_refund\)/.test(err.message)
			);
		});
	});

	it("lists orders by customer, brand and status", async () => {
		const wa = "15557770000";
		const a = await create({ waId: wa });
		const b = await create({ waId: wa, brand: "tech", items: [{ sku: "TE-0002", qty: 1 }] }).catch(async () => {
			await call("catalog.setStock", { sku: "TE-0002", stock: 5 });
			return create({ waId: wa, brand: "tech", items: [{ sku: "TE-0002", qty: 1 }] });
		});
		await call("orders.pay", { id: b.id, paymentRef: "p" });
		const mine = await call<{ items: OrderView[]; total: number }>("orders.list", { waId: wa });
		assert.deepEqual(mine.items.map(o => o.id), [b.id, a.id]);
		assert.deepEqual((await call<{ items: OrderView[] }>("orders.list", { waId: wa, status: "confirmed" })).items.map(o => o.id), [b.id]);
		assert.deepEqual((await call<{ items: OrderView[] }>("orders.list", { waId: wa, brand: "fashion" })).items.map(o => o.id), [a.id]);
		await assert.rejects(call("orders.list", { status: "lost" }), Errors.ValidationError);
	});

	it("lists a customer's orders by reading theirs alone, also orders written before the customer lists existed", async () => {
		const wa = "15557770001";
		// Seven orders of FA-0002; the tests after this one count on the stock it had.
		await call("catalog.setStock", { sku: "FA-0002", stock: (await stock("FA-0002")) + 7 });
		const mine = [await create({ waId: wa }), await create({ waId: wa })];
		for (let i = 0; i < 5; i++) await create({ waId: `1555777100${i}` });
		const orders = broker.getLocalService("orders") as unknown as { store(): Store; indexCustomers(): Promise<void> };
		const store = orders.store();
		const reads = sinon.spy(store, "getVersioned");
		try {
			assert.deepEqual((await call<{ items: OrderView[] }>("orders.list", { waId: wa })).items.map(o => o.id), mine.map(o => o.id).reverse());
			assert.equal(reads.callCount, mine.length, "only this customer's orders are read");
		} finally {
			reads.restore();
		}
		// A store from before the customer lists: the service fills them once, from the store-wide index.
		await store.del("orders:index:customer:v1");
		await store.del(`orders:index:customer:${wa}`);
		assert.deepEqual((await call<{ items: OrderView[] }>("orders.list", { waId: wa })).items, []);
		await orders.indexCustomers();
		assert.deepEqual((await call<{ items: OrderView[] }>("orders.list", { waId: wa })).items.map(o => o.id), mine.map(o => o.id).reverse());
	});

	describe("POST /webhooks/orders", () => {
		const post = (body: string, headers: Record<string, string> = {}) =>
			fetch(`${base}/webhooks/orders`, { method: "POST", headers: { "content-type": "application/json", ...headers }, body });
		const signed = (payload: unknown, secret = SECRET) => {
			const body = typeof payload === "string" ? payload : JSON.stringify(payload);
			return post(body, { "x-signature-256": signBody(secret, body) });
		};

		it("applies a signed payment and shipment, and a redelivery is a no-op", async () => {
			const order = await create();
			const res = await signed({ orderId: order.id, event: "paid", paymentRef: "psp_123", amount: order.total });
			assert.equal(res.status, 200);
			assert.equal(((await res.json()) as OrderView).status, "confirmed");
			assert.equal((await signed({ orderId: order.id, event: "paid", paymentRef: "psp_123" })).status, 200);
			const shipped = await signed({ orderId: order.id, event: "shipped", carrier: "DHL", trackingNumber: "JD0001" });
			assert.equal(shipped.status, 200);
			assert.equal((await call("orders.get", { id: order.id })).trackingNumber, "JD0001");
			assert.equal((await call("orders.get", { id: order.id })).history.filter(h => h.source === "webhook").length, 2);
		});

		it("records a payment for an order already cancelled as a refund owed, answered 200; its redelivery is a no-op", async () => {
			await call("catalog.setStock", { sku: "FA-0008", stock: 4 });
			const order = await create({ items: [{ sku: "FA-0008", qty: 1 }] });
			assert.equal((await signed({ orderId: order.id, event: "cancelled", reason: "fraud check" })).status, 200);
			const res = await signed({ orderId: order.id, event: "paid", paymentRef: "psp_after_cancel" });
			assert.equal(res.status, 200, "the provider has the money: a non-2xx would only make it retry");
			const body = (await res.json()) as OrderView & { outcome: string };
			assert.deepEqual([body.status, body.outcome, body.paymentRef], ["cancelled", "refund_due", undefined]);
			assert.deepEqual(body.refunds!.map(r => [r.paymentRef, r.amount, r.reason]), [["psp_after_cancel", order.total, "paid_after_cancellation"]]);
			assert.deepEqual(body.history.at(-1), { ...body.history.at(-1)!, event: "PAY", from: "cancelled", to: "cancelled", source: "webhook", paymentRef: "psp_after_cancel" });

			const again = await signed({ orderId: order.id, event: "paid", paymentRef: "psp_after_cancel" });
			assert.equal(again.status, 200);
			const same = (await again.json()) as OrderView & { outcome: string };
			assert.equal(same.outcome, "repeated");
			assert.deepEqual([same.refunds!.length, same.history.length], [1, body.history.length]);
			assert.equal(await stock("FA-0008"), 4, "nothing reserved again");
			await waitFor(() => sink.of(order.id).includes("cancelled"));
			await waitFor(() => sink.of(order.id).includes("refund.due"));
			assert.deepEqual(sink.of(order.id), ["created", "cancelled", "refund.due"], "no confirmation for a cancelled order; the refund once");
		});

		it("records a second payment (another paymentRef) for a paid order as a refund owed; the same one again is a no-op", async () => {
			await call("catalog.setStock", { sku: "FA-0009", stock: 20 });
			const order = await create({ items: [{ sku: "FA-0009", qty: 1 }] });
			const outcome = async (paymentRef: string) => {
				const res = await signed({ orderId: order.id, event: "paid", paymentRef });
				assert.equal(res.status, 200);
				return (await res.json()) as OrderView & { outcome: string };
			};
			assert.equal((await outcome("psp_first")).outcome, "applied");
			const twice = await outcome("psp_second");
			assert.deepEqual([twice.outcome, twice.status, twice.paymentRef], ["refund_due", "confirmed", "psp_first"]);
			assert.deepEqual(twice.refunds!.map(r => [r.paymentRef, r.reason]), [["psp_second", "paid_twice"]]);
			for (const ref of ["psp_second", "psp_first"]) assert.equal((await outcome(ref)).outcome, "repeated", ref);
			await signed({ orderId: order.id, event: "shipped", carrier: "DHL", trackingNumber: "JD0002" });
			const late = await outcome("psp_third");
			assert.deepEqual([late.outcome, late.status], ["refund_due", "shipped"]);
			assert.deepEqual(late.refunds!.map(r => r.paymentRef), ["psp_second", "psp_third"]);
			assert.deepEqual(late.history.map(h => `${h.event}:${h.to}:${h.paymentRef ?? ""}`), ["CREATE:pending:", "PAY:confirmed:psp_first", "PAY:confirmed:psp_second", "SHIP:shipped:", "PAY:shipped:psp_third"]);
			await waitFor(() => sink.of(order.id).includes("shipped"));
			await waitFor(() => sink.of(order.id).filter(t => t === "refund.due").length === 2);
			assert.deepEqual(sink.of(order.id).filter(t => t !== "refund.due"), ["created", "confirmed", "shipped"], "one confirmation");
			assert.deepEqual(sink.events.filter(e => e.data.orderId === order.id && e.type === "store.order.refund.due").map(e => (e.data as { paymentRef?: string }).paymentRef), ["psp_second", "psp_third"]);
		});

		it("a tracking correction on a shipped order replaces its tracking and is published, numbered; the same again is a no-op", async () => {
			await call("catalog.setStock", { sku: "FA-0009", stock: 20 });
			const order = await create({ items: [{ sku: "FA-0009", qty: 1 }], conversationId: `fashion:${WA}` });
			await signed({ orderId: order.id, event: "paid", paymentRef: "psp_track" });
			const ship = async (carrier: string, trackingNumber: string) => {
				const res = await signed({ orderId: order.id, event: "shipped", carrier, trackingNumber });
				assert.equal(res.status, 200);
				return (await res.json()) as OrderView & { outcome: string };
			};
			assert.equal((await ship("DHL", "WRONG1")).outcome, "applied");
			const fixed = await ship("UPS", "1ZRIGHT");
			assert.deepEqual([fixed.outcome, fixed.status, fixed.carrier, fixed.trackingNumber], ["tracking_changed", "shipped", "UPS", "1ZRIGHT"]);
			assert.deepEqual(fixed.history.slice(-2).map(h => [h.event, h.from, h.to, h.tracking?.carrier, h.tracking?.trackingNumber]), [
				["SHIP", "confirmed", "shipped", "DHL", "WRONG1"],
				["SHIP", "shipped", "shipped", "UPS", "1ZRIGHT"]
			]);
			assert.equal((await ship("UPS", "1ZRIGHT")).outcome, "repeated");
			assert.equal((await call("orders.get", { id: order.id })).trackingNumber, "1ZRIGHT");

			const corrections = () => sink.events.filter(e => e.data.orderId === order.id && e.type === "store.order.tracking.changed");
			await waitFor(() => corrections().length === 1);
			assert.equal(corrections()[0]!.id, `order-${order.id}-tracking-1`);
			assert.deepEqual(corrections()[0]!.data, {
				orderId: order.id,
				waId: WA,
				brand: "fashion",
				carrier: "UPS",
				trackingNumber: "1ZRIGHT",
				previous: { carrier: "DHL", trackingNumber: "WRONG1" },
				correction: 1,
				conversationId: `fashion:${WA}`
			});
			// The operator's action corrects it too, as the second correction.
			assert.equal((await call("orders.ship", { id: order.id, carrier: "UPS", trackingNumber: "1ZRIGHT2" })).trackingNumber, "1ZRIGHT2");
			await waitFor(() => corrections().length === 2);
			assert.deepEqual([corrections()[1]!.id, (corrections()[1]!.data as unknown as { correction: number }).correction], [`order-${order.id}-tracking-2`, 2]);
			assert.deepEqual(sink.of(order.id).filter(f => f === "shipped"), ["shipped"], "shipped once");

			// Delivered: the parcel arrived, a tracking number changes nothing for anyone.
			await signed({ orderId: order.id, event: "delivered" });
			const late = await ship("DHL", "AFTER");
			assert.deepEqual([late.outcome, late.status, late.trackingNumber], ["repeated", "delivered", "1ZRIGHT2"]);
		});

		it("answers 401 to a missing, malformed or wrong signature, and changes nothing", async () => {
			const order = await create();
			const body = JSON.stringify({ orderId: order.id, event: "paid", paymentRef: "x" });
			assert.equal((await post(body)).status, 401);
			assert.equal((await post(body, { "x-signature-256": "sha1=abc" })).status, 401);
			assert.equal((await post(body, { "x-signature-256": signBody("another-secret", body) })).status, 401);
			// Signed over different bytes (re-serialised JSON) is not the same body.
			assert.equal((await post(body.replace("{", "{ "), { "x-signature-256": signBody(SECRET, body) })).status, 401);
			assert.equal((await call("orders.get", { id: order.id })).status, "pending");
		});

		it("answers 404 for an unknown order and 409 with the reason for an invalid transition", async () => {
			const missing = await signed({ orderId: "ord_nope", event: "paid", paymentRef: "x" });
			assert.equal(missing.status, 404);
			const order = await create();
			const res = await signed({ orderId: order.id, event: "delivered" });
			assert.equal(res.status, 409);
			const err = (await res.json()) as { type: string; message: string; data: { status: string } };
			assert.equal(err.type, "INVALID_TRANSITION");
			assert.match(err.message, /Cannot deliver order .* it is pending/);
			assert.equal(err.data.status, "pending");
		});

		it("answers 400 to a malformed body, signed or not JSON", async () => {
			const order = await create();
			for (const bad of [{ orderId: order.id, event: "teleported" }, { event: "paid" }, { orderId: order.id, event: "paid" }, { orderId: order.id, event: "shipped", carrier: "UPS" }, [1, 2]])
				assert.equal((await signed(bad)).status, 400, JSON.stringify(bad));
			assert.equal((await signed("{not json")).status, 400);
			const text = await fetch(`${base}/webhooks/orders`, { method: "POST", headers: { "content-type": "text/plain" }, body: "hello" });
			assert.equal(text.status, 400);
			assert.equal((await call("orders.get", { id: order.id })).status, "pending");
		});
	});
});
