import assert from "node:assert/strict";
import type { ServiceBroker } from "moleculer";
import { replCommands, toMoleculerCommands } from "../../repl";
import { restWords } from "../../repl/args";
import { runCatalog, runStock } from "../../repl/catalog";
import { runOrder, runOrders } from "../../repl/orders";
import { createCatalogService } from "../../services/catalog.service";
import { createOrdersService, type OrderView } from "../../services/orders.service";
import { startBroker } from "../helpers/broker";

describe("REPL: catalog, stock, orders, order", () => {
	let broker: ServiceBroker;

	before(async () => {
		broker = await startBroker({ services: [createCatalogService(), createOrdersService()] });
	});
	after(() => broker?.stop());

	it("registers the commands with moleculer-repl", () => {
		const names = toMoleculerCommands().map(c => c.command);
		for (const c of ["catalog [sub] [text...]", "stock <sku> [n]", "orders", "order <id> [action] [a1] [a2]"]) assert.ok(names.includes(c), c);
		assert.equal(names.length, replCommands.length);
	});

	it("restWords reads free text from the raw command line, skipping options", () => {
		assert.deepEqual(restWords({ options: {}, rawCommand: "catalog search black  leather --brand fashion jacket" }, 2, []), ["black", "leather", "jacket"]);
		assert.deepEqual(restWords({ options: {}, text: ["a", "b"] }, 2, ["text"]), ["a", "b"]);
	});

	it("catalog search prints ranked products with price and stock", async () => {
		const out = await runCatalog(broker, { sub: "search", text: "noise", options: {}, rawCommand: "catalog search noise cancelling headphones" });
		assert.match(out, /^\d+ product\(s\) match "noise cancelling headphones"/);
		assert.match(out.split("\n")[1]!, /^TE-\d{4}  Noise Cancelling Travel Headphones  \$[\d,]+\.\d\d  (\d+ in stock|out of stock)  \[tech\/headphones\]$/);
		assert.equal(await runCatalog(broker, { sub: "search", options: {}, rawCommand: "catalog search submarine" }), 'No products match "submarine".');
		assert.match(await runCatalog(broker, { sub: "search", options: {} }), /^usage: catalog/);
		assert.match(await runCatalog(broker, { sub: "explode", options: {} }), /^usage: catalog/);
		assert.equal(await runCatalog(broker, { sub: "search", text: "x", options: { limit: "lots" } }), "--limit must be an integer from 1 to 100");
		assert.match(await runCatalog(broker, { sub: "promotions", options: {} }), /WELCOME10/);
	});

	it("stock shows and sets a level, and refuses a bad one", async () => {
		const before = (await broker.call<{ stock: number }, object>("catalog.get", { sku: "HO-0003" })).stock;
		assert.equal(await runStock(broker, { sku: "HO-0003", n: "9", options: {} }), `HO-0003: stock ${before} → 9`);
		assert.match(await runStock(broker, { sku: "HO-0003", options: {} }), /^HO-0003  .*  9 in stock  \[home\/sofas\]$/);
		assert.match(await runStock(broker, { sku: "HO-0003", n: "-1", options: {} }), /^usage: stock/);
		assert.match(await runStock(broker, { sku: "HO-0003", n: "1e3", options: {} }), /^usage: stock/);
		await assert.rejects(runStock(broker, { sku: "NOPE-1", options: {} }), (err: Error & { type?: string }) => err.type === "PRODUCT_NOT_FOUND");
	});

	it("orders lists with filters; order shows state, history and totals and moves it", async () => {
		await broker.call("catalog.setStock", { sku: "HO-0031", stock: 10 });
		const created = await broker.call<OrderView, object>("orders.create", { waId: "15553334444", brand: "home", items: [{ sku: "HO-0031", qty: 2, size: "king" }], deliverTo: "45 Oak Avenue, Springfield IL 62704" });
		const id = created.id;

		const shown = await runOrder(broker, { id, options: {} });
		assert.match(shown, new RegExp(`^order     ${id}\\nstate     pending`));
		assert.match(shown, /customer  home \/ •••••••4444\ndeliver   45 Oak Avenue, Springfield IL 62704\n/);
		assert.ok(shown.includes(`\npay by    ${created.payBy}  (then cancelled as not paid in time)\n`), shown);
		assert.match(shown, /2 × HO-0031 .* \(size king\) .* = \$[\d,]+\.\d\d/);
		assert.match(shown, /total     \$[\d,]+\.\d\d/);
		assert.match(shown, /CREATE  - → pending/);

		assert.match(await runOrder(broker, { id, action: "address", a1: "5", a2: "Elm", options: {}, rawCommand: `order ${id} address 5 Elm Road, Leeds LS1 4AB` }), /deliver   5 Elm Road, Leeds LS1 4AB\n[\s\S]*ADDRESS pending → pending/);
		assert.match(await runOrder(broker, { id, action: "address", options: {} }), /^usage: order/);
		assert.match(await runOrder(broker, { id, action: "pay", a1: "psp_7", options: {}, rawCommand: `order ${id} pay psp_7` }), /state     confirmed[\s\S]*payment   psp_7/);
		assert.match(await runOrder(broker, { id, action: "ship", a1: "UPS", options: {} }), /^usage: order/);
		// The tracking number as the carrier prints it, in groups: the rest of the line.
		const shipped = await runOrder(broker, { id, action: "ship", a1: "UPS", a2: "1Z", options: {}, rawCommand: `order ${id} ship UPS 1Z 999 AA1` });
		assert.match(shipped, /state     shipped[\s\S]*shipping  UPS 1Z 999 AA1\n/);
		assert.equal((await broker.call<OrderView, object>("orders.get", { id })).trackingNumber, "1Z 999 AA1");
		// A wrong one corrected: the order follows the new one, its history keeps both.
		const corrected = await runOrder(broker, { id, action: "ship", a1: "DHL", a2: "JD", options: {}, rawCommand: `order ${id} ship DHL JD 0001` });
		assert.match(corrected, /state     shipped\n[\s\S]*shipping  DHL JD 0001\n/);
		assert.match(corrected, /SHIP    confirmed → shipped  \(api\)  UPS 1Z 999 AA1\n.*SHIP    shipped → shipped  \(api\)  DHL JD 0001/);
		await assert.rejects(
			runOrder(broker, { id, action: "cancel", options: {}, rawCommand: `order ${id} cancel customer changed their mind` }),
			(err: Error & { type?: string }) => err.type === "INVALID_TRANSITION" && /shipped/.test(err.message)
		);
		assert.match(await runOrder(broker, { id, action: "deliver", options: {} }), /state     delivered[\s\S]*DELIVER shipped → delivered/);
		assert.match(await runOrder(broker, { id, action: "fly", options: {} }), /^usage: order/);

		const other = await broker.call<OrderView, object>("orders.create", { waId: "15553334444", brand: "home", items: [{ sku: "HO-0004", qty: 1 }] });
		assert.match(await runOrder(broker, { id: other.id, action: "cancel", options: {}, rawCommand: `order ${other.id} cancel customer changed their mind` }), /cancelled customer changed their mind/);

		const listed = await runOrders(broker, { options: { status: "delivered", brand: "home" } });
		assert.match(listed, /^1 order\(s\):\n/);
		assert.match(listed, new RegExp(`${id}  delivered  home`));
		assert.equal(await runOrders(broker, { options: { status: "lost" } }), "--status must be one of pending, confirmed, shipped, delivered, cancelled");
		assert.equal(await runOrders(broker, { options: { brand: "nope" } }), "Unknown brand 'nope': expected one of fashion, tech, home, beauty, gaming");
		assert.equal(await runOrders(broker, { options: { brand: "gaming" } }), "No orders.");
	});

	it("orders --refund-due lists what is owed back; order shows each refund and records one made", async () => {
		await broker.call("catalog.setStock", { sku: "HO-0005", stock: 10 });
		assert.equal(await runOrders(broker, { options: { refundDue: true } }), "No refunds due.");
		const order = await broker.call<OrderView, object>("orders.create", { waId: "15553335555", brand: "home", items: [{ sku: "HO-0005", qty: 1 }] });
		const total = (await runOrder(broker, { id: order.id, options: {} })).match(/total     (\S+)/)![1]!;
		await broker.call("orders.pay", { id: order.id, paymentRef: "psp_a" });
		// A paid order marked paid again without a reference would invent a second payment to give back.
		assert.match(await runOrder(broker, { id: order.id, action: "pay", options: {}, rawCommand: `order ${order.id} pay` }), /is confirmed \(paid: psp_a\); to record another payment, which will be owed back, give its reference/);
		const twice = await runOrder(broker, { id: order.id, action: "pay", a1: "psp_b", options: {}, rawCommand: `order ${order.id} pay psp_b` });
		assert.ok(twice.includes(`\nrefund    ${total} for payment psp_b, paid again with another payment; OWED since `), twice);
		assert.match(twice, /PAY     confirmed → confirmed  \(api\)  refund owed \S+ \(psp_b\)/);

		const listed = await runOrders(broker, { options: { refundDue: true } });
		assert.match(listed, new RegExp(`^1 order\\(s\\):\n${order.id}  confirmed  home .*  refund due ${total.replace("$", "\\$")}$`));

		assert.match(await runOrder(broker, { id: order.id, action: "refunded", options: {} }), /^usage: order/);
		const made = await runOrder(broker, { id: order.id, action: "refunded", a1: "psp_b", a2: "re", options: {}, rawCommand: `order ${order.id} refunded psp_b re 77` });
		assert.match(made, /refund    \S+ for payment psp_b, paid again with another payment; refunded \S+ \(re 77\)/);
		assert.match(made, /REFUND  confirmed → confirmed  \(api\)  refunded \S+ \(psp_b\)/);
		assert.equal(await runOrders(broker, { options: { refundDue: true } }), "No refunds due.");
	});
});
