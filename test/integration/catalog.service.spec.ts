import assert from "node:assert/strict";
import { Errors, type ServiceBroker, type ServiceSchema } from "moleculer";
import type { CatalogPromotionV1, CatalogStockChangedV1, CloudEvent } from "../../contracts/events";
import { createCatalogService } from "../../services/catalog.service";
import { loadCatalogData } from "../../services/catalog/data";
import type { Product, StorePolicies } from "../../services/catalog/types";
import { startBroker } from "../helpers/broker";
import { waitFor } from "../helpers/wait";

type Item = Product & { reason?: string };

function eventSink(types: string[]) {
	const events: CloudEvent[] = [];
	const schema: ServiceSchema = {
		name: "catalog-probe",
		channels: Object.fromEntries(types.map(t => [t, { handler: async (e: CloudEvent) => void events.push(e) }]))
	};
	return { events, schema };
}

describe("catalog service", () => {
	let broker: ServiceBroker;
	const sink = eventSink(["store.catalog.stock.changed", "store.catalog.promotion.started", "store.catalog.promotion.ended"]);
	const { products } = loadCatalogData();
	before(async () => {
		// The window is computed when the broker starts: mocha loads every file long before it runs this one.
		const t0 = Date.now();
		const promotions = [
			...loadCatalogData().promotions,
			{ code: "FLASH", description: "flash sale", kind: "percent" as const, value: 50, brand: "gaming", startsAt: new Date(t0 + 300).toISOString(), endsAt: new Date(t0 + 900).toISOString() }
		];
		broker = await startBroker({ services: [createCatalogService({ products, promotions, promotionCheckMs: 200 }), sink.schema] });
	});
	after(() => broker?.stop());

	const call = <T>(action: string, params: object = {}) => broker.call<T, object>(`catalog.${action}`, params);
	const stockEvents = (sku: string) => sink.events.filter(e => e.type === "store.catalog.stock.changed" && (e.data as CatalogStockChangedV1).sku === sku).map(e => e.data as CatalogStockChangedV1);

	it("get returns the product with its live stock; an unknown sku is 404 PRODUCT_NOT_FOUND", async () => {
		const p = await call<Item>("get", { sku: "TE-0001" });
		assert.equal(p.name, products.find(x => x.sku === "TE-0001")!.name);
		assert.equal(p.stock, products.find(x => x.sku === "TE-0001")!.stock);
		await assert.rejects(call("get", { sku: "XX-9999" }), (err: Errors.MoleculerError) => err.code === 404 && err.type === "PRODUCT_NOT_FOUND");
	});

	it("refuses bad params with a ValidationError", async () => {
		const bad: [string, object][] = [
			["get", {}],
			["get", { sku: "" }],
			["search", { limit: 0 }],
			["search", { limit: 1000 }],
			["search", { minPrice: -1 }],
			["search", { query: "x".repeat(201) }],
			["price", { items: [] }],
			["price", { items: [{ sku: "TE-0001", qty: 0 }] }],
			["price", { items: [{ sku: "TE-0001", qty: 1.5 }] }],
			["setStock", { sku: "TE-0001", stock: -3 }],
			["recommend", { waId: "not-a-number" }],
			["recommend", { brand: "fashion", offset: -1 }],
			["recommend", { brand: "fashion", gift: "maybe" }],
			["reserve", { items: [{ sku: "TE-0001" }] }]
		];
		for (const [action, params] of bad)
			await assert.rejects(call(action, params), Errors.ValidationError, `${action} ${JSON.stringify(params)}`);
	});

	it("search ranks, filters, pages and reports the total with live stock", async () => {
		const res = await call<{ items: Item[]; total: number }>("search", { query: "Trainers", limit: 2 });
		assert.equal(res.items.length, 2);
		assert.equal(res.total, products.filter(p => p.category === "sneakers").length);
		assert.ok(res.items.every(p => p.category === "sneakers"));
		const page2 = await call<{ items: Item[] }>("search", { query: "Trainers", limit: 2, offset: 2 });
		assert.ok(page2.items.every(p => !res.items.some(q => q.sku === p.sku)));

		await call("setStock", { sku: "FA-0001", stock: 0 });
		const inStock = await call<{ items: Item[]; total: number }>("search", { query: "sneakers", inStock: true, limit: 100 });
		assert.ok(inStock.items.every(p => p.stock > 0));
		assert.ok(!inStock.items.some(p => p.sku === "FA-0001"));
		const priced = await call<{ items: Item[] }>("search", { brand: "tech", minPrice: "10000", maxPrice: "50000", limit: 100 });
		assert.ok(priced.items.length > 0 && priced.items.every(p => p.brand === "tech" && p.price >= 10000 && p.price <= 50000));
		// "a black jacket under $100": colour is a filter, so no black scarf or jeans slips in.
		const black = await call<{ items: (Item & { attributes: { colours?: string[] } })[] }>("search", { query: "jacket", color: "black", maxPrice: 10000, limit: 10 });
		assert.ok(black.items.length > 0);
		assert.ok(black.items.every(p => p.category === "jackets" && p.price <= 10000 && p.attributes.colours?.includes("black")), JSON.stringify(black.items.map(p => p.name)));
		// "a dress in size M": so is size.
		const inM = await call<{ items: (Item & { attributes: { sizes?: string[] } })[] }>("search", { query: "dress", size: "M", limit: 10 });
		assert.ok(inM.items.length > 0 && inM.items.every(p => p.attributes.sizes?.includes("M")), JSON.stringify(inM.items.map(p => p.name)));
		await assert.rejects(call("search", { query: "dress", size: "" }), { name: "ValidationError" });
		// "A wheel that works with my Switchblade": so is the platform, any of several.
		const wheels = await call<{ items: (Item & { attributes: { platform?: string[] } })[] }>("search", { query: "wheel", platforms: ["Nexus", "Switchblade"], limit: 10 });
		assert.deepEqual(wheels.items.map(p => p.attributes.platform), [["PC", "Switchblade"]]);
		assert.deepEqual((await call<{ items: Item[] }>("search", { query: "wheel", platforms: ["Nexus"], limit: 10 })).items, []);
		await assert.rejects(call("search", { query: "wheel", platforms: "Nexus" }), { name: "ValidationError" });
	});

	it("search names the query's words that nothing in the brand has, so a caller does not present the rest as a match", async () => {
		const horror = await call<{ items: Item[]; unmatched?: string[] }>("search", { query: "horror games", brand: "gaming", limit: 5 });
		assert.ok(horror.items.length > 0 && horror.items.every(p => p.category === "games"));
		assert.deepEqual(horror.unmatched, ["horror"]);
		assert.equal((await call<{ unmatched?: string[] }>("search", { query: "racing games", brand: "gaming", limit: 5 })).unmatched, undefined);
		// Nothing found at all says nothing more.
		assert.equal((await call<{ items: Item[]; unmatched?: string[] }>("search", { query: "submarine periscope", limit: 5 })).unmatched, undefined);
	});

	it("search with nothing found in a brand lists the brand's categories, so the answer offers what it does sell", async () => {
		const none = await call<{ items: Item[]; total: number; categories?: string[] }>("search", { query: "raincoat", brand: "fashion", limit: 5 });
		assert.deepEqual([none.items, none.total], [[], 0]);
		assert.deepEqual(none.categories, ["sneakers", "jackets", "jeans", "dresses", "t-shirts", "hoodies", "boots", "bags", "scarves"]);
		assert.deepEqual((await call<{ categories?: string[] }>("search", { query: "periscope", brand: "gaming", limit: 5, inStock: true })).categories?.includes("consoles"), true);
		// Something found, no brand to speak for, or a category already chosen: nothing more.
		for (const params of [{ query: "jacket", brand: "fashion" }, { query: "raincoat" }, { query: "raincoat", brand: "fashion", category: "jackets" }])
			assert.equal((await call<{ categories?: string[] }>("search", { ...params, limit: 5 })).categories, undefined, JSON.stringify(params));
	});

	it("search names the query's words that the brand has but none of the products found does", async () => {
		// Linen dresses exist, linen shirts do not: the shirts found answer "shirt" only.
		const linen = await call<{ items: Item[]; unmatched?: string[]; missing?: string[] }>("search", { query: "linen shirt", brand: "fashion", limit: 5 });
		assert.ok(linen.items.length > 0 && linen.items.every(p => !/linen/i.test(`${p.name} ${p.description}`)), linen.items.map(p => p.name).join(" | "));
		assert.deepEqual([linen.missing, linen.unmatched], [["linen"], undefined]);
		// Every word in the products found (the same with the in-stock filter): nothing to say.
		for (const inStock of [false, true]) assert.equal((await call<{ missing?: string[] }>("search", { query: "linen dress", brand: "fashion", limit: 5, inStock })).missing, undefined);
		// A word nothing has is `unmatched`'s alone.
		assert.equal((await call<{ missing?: string[] }>("search", { query: "horror games", brand: "gaming", limit: 5 })).missing, undefined);
	});

	it("search spells a misspelt word as the catalog's closest and says what it searched for", async () => {
		const res = await call<{ items: Item[]; searchedFor?: string }>("search", { query: "black jakcets", brand: "fashion", limit: 5 });
		assert.equal(res.searchedFor, "black jacket");
		assert.ok(res.items.length > 0 && res.items.every(p => p.category === "jackets"));
		assert.equal((await call<{ searchedFor?: string }>("search", { query: "black jackets", brand: "fashion", limit: 5 })).searchedFor, undefined);
	});

	it("search sorts by price when asked, cheapest or priciest first, across the whole result before paging", async () => {
		const laptops = products.filter(p => p.brand === "tech" && p.category === "laptops").map(p => p.price);
		assert.ok(laptops.length >= 3);
		const cheapest = await call<{ items: Item[]; total: number }>("search", { query: "laptop", brand: "tech", sort: "price_asc", limit: 3 });
		assert.ok(cheapest.items.every(p => p.category === "laptops"), "the cheapest laptops, not a sleeve that says laptop");
		assert.deepEqual(cheapest.items.map(p => p.price).slice(0, 1), [Math.min(...laptops)]);
		assert.deepEqual(cheapest.items.map(p => p.price), [...cheapest.items.map(p => p.price)].sort((a, b) => a - b));
		const all = await call<{ items: Item[]; total: number }>("search", { query: "laptop", brand: "tech", sort: "price_asc", limit: 50 });
		assert.equal(all.total, laptops.length, "only laptops: a sleeve or a dock that mentions one is not among the cheapest laptops");
		const priciest = await call<{ items: Item[] }>("search", { query: "laptop", brand: "tech", sort: "price_desc", limit: 1 });
		assert.equal(priciest.items[0]!.price, Math.max(...laptops));
		await assert.rejects(call("search", { query: "laptop", sort: "random" }), (err: Error & { code?: number }) => err.code === 422);
	});

	it("search sorts by size when asked: the most compact sofas first, or the biggest, by the width they state", async () => {
		const widthOf = (p: Item) => parseFloat(String((p as { attributes?: Record<string, unknown> }).attributes?.width));
		const compact = await call<{ items: Item[] }>("search", { query: "sofa", brand: "home", sort: "size_asc", limit: 10 });
		const widths = compact.items.map(widthOf);
		assert.ok(compact.items.length >= 3 && compact.items.every(p => p.category === "sofas"), "sofas only: a cushion's size does not compare with a sofa's");
		assert.deepEqual(widths, [...widths].sort((a, b) => a - b));
		const biggest = await call<{ items: Item[] }>("search", { query: "sofa", brand: "home", sort: "size_desc", limit: 1 });
		assert.equal(widthOf(biggest.items[0]!), Math.max(...widths));
	});

	it("setStock publishes out, restocked, low and plain changes with before and after", async () => {
		await call("setStock", { sku: "HO-0001", stock: 20 });
		await call("setStock", { sku: "HO-0001", stock: 3 });
		await call("setStock", { sku: "HO-0001", stock: 0 });
		await call("setStock", { sku: "HO-0001", stock: 12 });
		await call("setStock", { sku: "HO-0001", stock: 12 });
		await waitFor(() => stockEvents("HO-0001").length >= 4);
		const tail = stockEvents("HO-0001").slice(-4).map(e => `${e.before}>${e.after}:${e.reason}`);
		assert.deepEqual(tail.slice(1), ["20>3:low", "3>0:out", "0>12:restocked"]);
		assert.match(tail[0]!, /^\d+>20:(changed|restocked)$/);
		assert.equal((await call<Item>("get", { sku: "HO-0001" })).stock, 12);
	});

	it("reserve is all or nothing and answers OUT_OF_STOCK naming the sku; release gives stock back once per ref", async () => {
		await call("setStock", { sku: "BE-0001", stock: 6 });
		await call("setStock", { sku: "BE-0002", stock: 1 });
		await assert.rejects(
			call("reserve", { items: [{ sku: "BE-0001", qty: 2 }, { sku: "BE-0002", qty: 2 }] }),
			(err: Errors.MoleculerError) => err.code === 409 && err.type === "OUT_OF_STOCK" && (err.data as { sku: string }).sku === "BE-0002" && (err.data as { available: number }).available === 1
		);
		assert.equal((await call<Item>("get", { sku: "BE-0001" })).stock, 6);
		await call("reserve", { items: [{ sku: "BE-0001", qty: 2 }] });
		await waitFor(() => stockEvents("BE-0001").some(e => e.before === 6 && e.after === 4 && e.reason === "low"));
		assert.deepEqual(await call("release", { items: [{ sku: "BE-0001", qty: 2 }], ref: "r1" }), { released: true, items: [{ sku: "BE-0001", stock: 6 }] });
		assert.deepEqual(await call("release", { items: [{ sku: "BE-0001", qty: 2 }], ref: "r1" }), { released: false, items: [] });
		assert.equal((await call<Item>("get", { sku: "BE-0001" })).stock, 6);
		await assert.rejects(call("reserve", { items: [{ sku: "XX-0000", qty: 1 }] }), (err: Errors.MoleculerError) => err.type === "PRODUCT_NOT_FOUND");
	});

	it("refuses a release without a ref: it would add stock that was never reserved", async () => {
		await call("setStock", { sku: "TE-0016", stock: 60 });
		for (const params of [{ items: [{ sku: "TE-0016", qty: 5 }] }, { items: [{ sku: "TE-0016", qty: 5 }], ref: "" }])
			await assert.rejects(call("release", params), (err: Errors.MoleculerError) => err.code === 422 && err.type === "VALIDATION_ERROR");
		assert.equal((await call<Item>("get", { sku: "TE-0016" })).stock, 60);
	});

	it("never oversells: 50 concurrent reservations of a product with 10 in stock", async () => {
		await call("setStock", { sku: "GA-0001", stock: 10 });
		const results = await Promise.allSettled(Array.from({ length: 50 }, () => call("reserve", { items: [{ sku: "GA-0001", qty: 1 }] })));
		assert.equal(results.filter(r => r.status === "fulfilled").length, 10);
		assert.ok(results.filter(r => r.status === "rejected").every(r => (r as PromiseRejectedResult).reason.type === "OUT_OF_STOCK"));
		assert.equal((await call<Item>("get", { sku: "GA-0001" })).stock, 0);
	});

	it("price quotes from the catalog and explains a refused code", async () => {
		const q = await call<{ subtotal: number; discount: number; total: number; promo: { applied: boolean; reason?: string } }>("price", {
			items: [{ sku: "FA-0002", qty: 2 }],
			promoCode: "welcome10"
		});
		const unit = products.find(p => p.sku === "FA-0002")!.price;
		assert.equal(q.subtotal, unit * 2);
		assert.equal(q.discount, Math.round((unit * 2) / 10));
		assert.equal(q.total, q.subtotal - q.discount);
		const expired = await call<{ discount: number; promo: { applied: boolean; reason: string } }>("price", { items: [{ sku: "FA-0002", qty: 1 }], promoCode: "BLACKFRIDAY24" });
		assert.equal(expired.promo.applied, false);
		assert.match(expired.promo.reason, /expired/);
		const scope = await call<{ promo: { reason: string } }>("price", { items: [{ sku: "TE-0001", qty: 1 }], promoCode: "WELCOME10" });
		assert.match(scope.promo.reason, /applies to fashion products only/);
		await assert.rejects(call("price", { items: [{ sku: "NOPE", qty: 1 }] }), (err: Errors.MoleculerError) => err.code === 404);
	});

	it("promotions lists the active ones, and the schedule publishes start and end events", async () => {
		const { items } = await call<{ items: { code: string }[] }>("promotions");
		const codes = items.map(p => p.code);
		assert.ok(codes.includes("WELCOME10"));
		assert.ok(!codes.includes("BLACKFRIDAY24") && !codes.includes("SUMMER2099"));
		await waitFor(() => sink.events.some(e => e.type === "store.catalog.promotion.ended" && (e.data as CatalogPromotionV1).code === "FLASH"), { timeoutMs: 5000 });
		const flash = sink.events.filter(e => (e.data as CatalogPromotionV1).code === "FLASH").map(e => e.type);
		assert.deepEqual(flash, ["store.catalog.promotion.started", "store.catalog.promotion.ended"]);
		const started = sink.events.filter(e => e.type === "store.catalog.promotion.started").map(e => (e.data as CatalogPromotionV1).code);
		assert.ok(started.includes("WELCOME10") && !started.includes("BLACKFRIDAY24") && !started.includes("SUMMER2099"));
	});

	it("policies answers a brand's stated terms of sale; a brand with none stated gets just its id", async () => {
		const tech = await call<StorePolicies>("policies", { brand: "tech" });
		assert.deepEqual(tech, loadCatalogData().policies.find(p => p.brand === "tech"));
		assert.ok(tech.warranty && tech.delivery && tech.returns && tech.payment);
		assert.deepEqual(await call("policies", { brand: "garden" }), { brand: "garden" });
		await assert.rejects(call("policies", {}), (err: Errors.MoleculerError) => err.name === "ValidationError");
	});

	it("recommend: never the product itself, in stock first; with waId, shaped by views and purchases", async () => {
		const base = await call<{ items: Item[] }>("recommend", { sku: "TE-0001", limit: 8 });
		assert.equal(base.items.length, 8);
		assert.ok(base.items.every(p => p.sku !== "TE-0001" && p.reason));
		const stocks = base.items.map(p => (p.stock > 0 ? 1 : 0));
		assert.deepEqual(stocks, [...stocks].sort((a, b) => b - a));

		const wa = "15550001111";
		await call("get", { sku: "BE-0006", waId: wa });
		const personal = await call<{ items: Item[] }>("recommend", { brand: "beauty", waId: wa, limit: 3 });
		assert.ok(personal.items.every(p => p.reason === "for_you" && p.category === "serums"), personal.items.map(p => p.category).join());
		await assert.rejects(call("recommend", { sku: "XX-1" }), (err: Errors.MoleculerError) => err.type === "PRODUCT_NOT_FOUND");
	});

	it("recommend for a present: the catalog's gifts first", async () => {
		const gifts = await call<{ items: (Item & { tags?: string[] })[] }>("recommend", { brand: "beauty", gift: true, maxPrice: 5500, limit: 3 });
		assert.equal(gifts.items.length, 3);
		assert.ok(gifts.items.every(p => ["bodycare", "fragrances"].includes(p.category)), gifts.items.map(p => p.category).join());
	});

	it("recommend pages: offset gives the picks after the first ones, in the same order", async () => {
		const all = await call<{ items: Item[] }>("recommend", { brand: "home", limit: 9 });
		const second = await call<{ items: Item[] }>("recommend", { brand: "home", limit: 3, offset: 3 });
		assert.deepEqual(second.items.map(p => p.sku), all.items.slice(3, 6).map(p => p.sku));
		const beyond = await call<{ items: Item[] }>("recommend", { brand: "home", limit: 3, offset: 500 });
		assert.deepEqual(beyond.items, []);
	});

	it("recommend within a budget: no pick above maxPrice", async () => {
		const all = await call<{ items: Item[] }>("recommend", { brand: "fashion", limit: 10 });
		assert.ok(all.items.some(p => p.price > 5000), "the unbounded picks include dearer products");
		const cheap = await call<{ items: Item[] }>("recommend", { brand: "fashion", maxPrice: 5000, limit: 10 });
		assert.ok(cheap.items.length > 0 && cheap.items.every(p => p.price <= 5000), cheap.items.map(p => p.price).join());
		// "Too expensive": like it, for less than it.
		const base = (await call<{ items: Item[] }>("search", { query: "leather jacket", brand: "fashion", limit: 1 })).items[0]!;
		const less = await call<{ items: Item[] }>("recommend", { sku: base.sku, kind: "similar", cheaper: true, limit: 10 });
		assert.ok(less.items.length > 0 && less.items.every(p => p.price < base.price && p.category === base.category), less.items.map(p => `${p.category} ${p.price}`).join());
	});

	it("recommend bigger or more compact than a product: its kind, measured as it is, the nearest size first", async () => {
		const widthOf = (p: Item) => Number(/(\d+) cm/.exec(String(p.attributes?.width))?.[1]);
		const sofas = (await call<{ items: Item[] }>("search", { query: "sofa", brand: "home", limit: 10 })).items.filter(p => p.category === "sofas");
		const loveseat = sofas.reduce((a, b) => (widthOf(b) < widthOf(a) ? b : a));
		const bigger = await call<{ items: Item[] }>("recommend", { sku: loveseat.sku, kind: "similar", size: "bigger", limit: 10 });
		const widths = bigger.items.map(widthOf);
		assert.ok(widths.length > 0 && bigger.items.every(p => p.category === "sofas" && widthOf(p) > widthOf(loveseat)), widths.join());
		assert.deepEqual(widths, [...widths].sort((a, b) => a - b), "the next size up first");
		const widest = sofas.reduce((a, b) => (widthOf(b) > widthOf(a) ? b : a));
		assert.deepEqual((await call<{ items: Item[] }>("recommend", { sku: widest.sku, kind: "similar", size: "bigger", limit: 10 })).items.filter(p => widthOf(p) > widthOf(widest)), []);
		// Rugs by the sizes they come in: more compact is a smaller smallest size.
		const rugs = (await call<{ items: Item[] }>("search", { query: "rug", brand: "home", limit: 10 })).items;
		const roomy = rugs.find(p => !(p.attributes?.sizes as string[]).includes("120x170 cm"))!;
		const compact = await call<{ items: Item[] }>("recommend", { sku: roomy.sku, kind: "similar", size: "smaller", limit: 10 });
		assert.ok(compact.items.length > 0 && compact.items.every(p => (p.attributes?.sizes as string[]).includes("120x170 cm")), compact.items.map(p => p.name).join());
		await assert.rejects(call("recommend", { sku: roomy.sku, size: "huge" }), (err: Errors.MoleculerError) => err.type === "VALIDATION_ERROR");
	});
});
