import assert from "node:assert/strict";
import { ServiceBroker } from "moleculer";
import type { SearchQuery } from "../../../agents/tools";
import { toolContextFor, toProduct } from "../../../services/ai-seller/tool-context";

/**
 * The tools' filters reach the catalog as they are given: a filter the tool context leaves out
 * passes every unit test that uses the fake catalog, and silently widens every real search.
 */
describe("tool context → catalog", () => {
	const seen: Record<string, Record<string, unknown>> = {};
	const broker = new ServiceBroker({ logger: false });
	broker.createService({
		name: "catalog",
		actions: {
			search: ctx => ((seen.search = ctx.params as Record<string, unknown>), { items: [], total: 0, ratedOlder: 2 }),
			recommend: ctx => ((seen.recommend = ctx.params as Record<string, unknown>), { items: [] })
		}
	});
	before(() => broker.start());
	after(() => broker.stop());
	const catalog = toolContextFor(broker, "gaming:15550001111", "gaming", "15550001111").catalog;

	it("passes every filter of a search, and brings back how many the age left out", async () => {
		const query: Required<SearchQuery> = {
			brand: "gaming",
			query: "racing game",
			category: "games",
			color: "black",
			size: "M",
			platforms: ["Nexus"],
			forAge: 10,
			minPrice: 100,
			maxPrice: 9000,
			sort: "price_asc",
			limit: 5,
			offset: 5
		};
		const out = await catalog.search(query);
		assert.deepEqual(seen.search, query);
		assert.equal(out.ratedOlder, 2);
	});

	it("a catalog product reaches the agents with its photo and tags, its colours and sizes apart from its other specs", () => {
		const p = toProduct({ sku: "GA-1", brand: "gaming", name: "Kart Cup", price: 4000, currency: "USD", stock: 3, attributes: { colours: ["red", "blue"], sizes: ["S", "M"], rating: "T" }, imageUrl: "https://images.example.test/GA-1.jpg", tags: ["game", "single player"] });
		assert.deepEqual(p, { sku: "GA-1", brand: "gaming", name: "Kart Cup", price: 4000, currency: "USD", stock: 3, color: "red, blue", sizes: ["S", "M"], attributes: { rating: "T" }, imageUrl: "https://images.example.test/GA-1.jpg", tags: ["game", "single player"] });
	});

	it("passes every filter of a recommendation, with the customer for their history", async () => {
		const query = { brand: "gaming", sku: "GA-0012", kind: "similar" as const, cheaper: true, size: "bigger" as const, maxPrice: 9000, forAge: 10, limit: 3, offset: 3 };
		await catalog.recommend(query);
		assert.deepEqual(seen.recommend, { ...query, waId: "15550001111" });
	});
});
