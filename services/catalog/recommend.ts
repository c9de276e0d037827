/**
 * Recommendations, pure: similar products (same category, shared tags, a close price) and
 * complementary ones (categories that go with it: a laptop → a mouse, a sleeve, a monitor), shaped
 * by what the customer looked at and bought. In-stock products always come first, and only they are
 * "similar"; the product asked about and the products already bought never appear.
 */
import { sizeBeyond, sizeMeasure, suitsAge } from "../../contracts/catalog";
import type { Product } from "./types";

/** What goes with what, by category. One-directional on purpose: a sofa suggests cushions, not the reverse. */
export const COMPLEMENTS: Record<string, string[]> = {
	sneakers: ["t-shirts", "hoodies", "jeans", "bags"],
	jackets: ["scarves", "jeans", "boots", "hoodies"],
	jeans: ["t-shirts", "sneakers", "boots", "jackets"],
	dresses: ["bags", "scarves", "sneakers", "boots"],
	"t-shirts": ["jeans", "sneakers", "hoodies"],
	hoodies: ["jeans", "sneakers", "t-shirts"],
	boots: ["jeans", "jackets", "scarves"],
	bags: ["scarves", "dresses"],
	scarves: ["jackets", "boots"],
	laptops: ["mice", "keyboards", "monitors", "accessories", "headphones"],
	smartphones: ["headphones", "accessories", "smartwatches"],
	headphones: ["smartphones", "accessories"],
	monitors: ["keyboards", "mice", "accessories"],
	keyboards: ["mice", "monitors"],
	mice: ["keyboards", "accessories"],
	tablets: ["keyboards", "accessories", "headphones"],
	smartwatches: ["smartphones", "headphones"],
	accessories: ["laptops", "smartphones"],
	sofas: ["cushions", "rugs", "lamps"],
	lamps: ["candles", "vases"],
	rugs: ["cushions", "sofas"],
	cushions: ["sofas", "bedding", "candles"],
	kitchen: ["candles", "storage"],
	bedding: ["cushions", "candles", "lamps"],
	candles: ["vases", "cushions"],
	vases: ["candles", "storage"],
	storage: ["vases", "candles"],
	moisturisers: ["serums", "cleansers", "sunscreens"],
	serums: ["moisturisers", "cleansers", "sunscreens"],
	cleansers: ["moisturisers", "serums"],
	sunscreens: ["moisturisers", "bodycare"],
	haircare: ["bodycare", "fragrances"],
	lipsticks: ["makeup", "fragrances"],
	fragrances: ["bodycare", "lipsticks"],
	makeup: ["lipsticks", "cleansers"],
	bodycare: ["fragrances", "haircare"],
	consoles: ["games", "controllers", "headsets", "gift cards"],
	controllers: ["games", "gaming accessories"],
	games: ["controllers", "headsets", "consoles"],
	headsets: ["gaming accessories", "games"],
	chairs: ["gaming keyboards", "gaming mice", "headsets"],
	"gaming mice": ["gaming keyboards", "gaming accessories", "headsets"],
	"gaming keyboards": ["gaming mice", "gaming accessories", "headsets"],
	"gaming accessories": ["headsets", "gaming mice"],
	"gift cards": ["games"]
};

export type RecommendReason = "similar" | "complementary" | "for_you" | "popular";

export interface Recommendation {
	product: Product;
	reason: RecommendReason;
	score: number;
}

export interface RecommendInput {
	products: readonly Product[];
	stockOf(sku: string): number;
	/** The product being looked at; never recommended itself. */
	base?: Product;
	brand?: string;
	/** Skus the customer looked at and bought, most recent last. */
	viewed?: readonly string[];
	bought?: readonly string[];
	/** With a base: only products like it ("similar"), or only ones that go with it ("complementary"). */
	kind?: "similar" | "complementary";
	/** Minor units: "a gift under $50" is picks under $50. */
	maxPrice?: number;
	/** With a base: only products that cost less than it ("too expensive"). */
	cheaper?: boolean;
	/** The age of who it is for: games rated for older players are left out. */
	forAge?: number;
	/** Picks for a present ("a gift for my wife"): what the catalog tags as a gift first. */
	gift?: boolean;
	/**
	 * With a base: only products bigger ("is there a bigger one?") or more compact than it, measured
	 * as it is (a sofa's width against sofas' widths), the nearest size first. A base that states no
	 * size has nothing to compare with: none.
	 */
	size?: "bigger" | "smaller";
	limit: number;
	/** Picks to skip: the next page of the same recommendation. */
	offset?: number;
}

function sharedTags(a: Product, b: Product): number {
	const tags = new Set(a.tags);
	return b.tags.filter(t => tags.has(t) && t !== "bestseller" && t !== "new").length;
}

function priceCloseness(a: Product, b: Product): number {
	return 1 - Math.abs(a.price - b.price) / Math.max(a.price, b.price, 1);
}

function popularity(p: Product): number {
	return (p.tags.includes("bestseller") ? 0.5 : 0) + (p.tags.includes("new") ? 0.2 : 0);
}

export function recommend(input: RecommendInput): Recommendation[] {
	const bySku = new Map(input.products.map(p => [p.sku, p]));
	const bought = new Set(input.bought ?? []);
	const brand = input.brand ?? input.base?.brand;
	const viewed = (input.viewed ?? []).map(s => bySku.get(s)).filter((p): p is Product => !!p);
	const boughtProducts = [...bought].map(s => bySku.get(s)).filter((p): p is Product => !!p);
	const viewedCategories = new Set(viewed.map(p => p.category));
	const wantedByPurchase = new Set(boughtProducts.flatMap(p => COMPLEMENTS[p.category] ?? []));
	const complements = new Set(input.base ? COMPLEMENTS[input.base.category] ?? [] : []);
	const personal = viewed.length > 0 || boughtProducts.length > 0;

	// "A bigger one" of a product that states no size: nothing to compare with.
	if (input.size && !(input.base && sizeMeasure(input.base.attributes))) return [];
	const gaps = new Map<string, number>();
	const out: Recommendation[] = [];
	for (const p of input.products) {
		if (p.sku === input.base?.sku || bought.has(p.sku)) continue;
		if (brand !== undefined && p.brand !== brand) continue;
		if (input.maxPrice !== undefined && p.price > input.maxPrice) continue;
		if (input.cheaper && input.base && p.price >= input.base.price) continue;
		if (input.forAge !== undefined && !suitsAge(p.attributes, input.forAge)) continue;
		if (input.size && input.base) {
			const gap = sizeBeyond(p, input.base, input.size);
			if (gap === null) continue;
			gaps.set(p.sku, gap);
		}
		const parts: [RecommendReason, number][] = [];
		if (input.base) {
			const similar = p.category === input.base.category;
			const complementary = !similar && complements.has(p.category);
			// "What goes with these jeans?" is no more jeans; "something like it" is no belt.
			if (input.kind && !(input.kind === "similar" ? similar : complementary)) continue;
			// An alternative is one to buy now: a sold-out one like it would be offered in its place for nothing.
			if (input.kind === "similar" && input.stockOf(p.sku) <= 0) continue;
			if (similar) parts.push(["similar", 3 + 0.5 * sharedTags(input.base, p) + priceCloseness(input.base, p)]);
			else if (complementary) parts.push(["complementary", 3 + 0.3 * sharedTags(input.base, p) + 0.5 * priceCloseness(input.base, p)]);
		}
		if (personal) {
			let mine = 0;
			if (viewedCategories.has(p.category)) mine += 1.5;
			if (wantedByPurchase.has(p.category)) mine += 2;
			if (mine) parts.push(["for_you", mine]);
		}
		const pop = popularity(p);
		if (!input.base && !personal) parts.push(["popular", 1 + pop]);
		// A present: the catalog's gifts before its bestsellers (a perfume before a moisturiser).
		if (input.gift && p.tags.includes("gift")) parts.push(["popular", 3 + pop]);
		if (!parts.length) continue;
		const score = parts.reduce((s, [, v]) => s + v, 0) + pop;
		const reason = parts.reduce((a, b) => (b[1] > a[1] ? b : a))[0];
		out.push({ product: p, reason, score });
	}
	const inStock = (r: Recommendation) => (input.stockOf(r.product.sku) > 0 ? 1 : 0);
	// "A bigger one": the next size up first, whatever else it shares.
	const nearer = (a: Recommendation, b: Recommendation) => (gaps.get(a.product.sku) ?? 0) - (gaps.get(b.product.sku) ?? 0);
	return out
		.sort((a, b) => inStock(b) - inStock(a) || nearer(a, b) || b.score - a.score || a.product.sku.localeCompare(b.product.sku))
		.slice(input.offset ?? 0, (input.offset ?? 0) + input.limit);
}
