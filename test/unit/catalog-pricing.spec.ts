import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { quote, UnknownSkuError, MixedCurrencyError } from "../../services/catalog/pricing";
import { recommend } from "../../services/catalog/recommend";
import { checkCatalogData, loadCatalogData } from "../../services/catalog/data";
import { catalogJson, generateCatalog, generatePromotions, promotionsJson } from "../../scripts/generate-catalog";
import type { Product, Promotion, StorePolicies } from "../../services/catalog/types";

const product = (sku: string, over: Partial<Product> = {}): Product => ({
	sku,
	brand: "tech",
	name: `Product ${sku}`,
	description: "d",
	category: "laptops",
	price: 100_00,
	currency: "USD",
	stock: 5,
	tags: [],
	attributes: {},
	imageUrl: `https://images.agent-store.example/${sku}.jpg`,
	...over
});

const NOW = Date.parse("2025-06-10T12:00:00.000Z");
const promos: Promotion[] = [
	{ code: "TENOFF", description: "10% off tech", kind: "percent", value: 10, brand: "tech", startsAt: "2025-01-01T00:00:00.000Z", endsAt: "2026-01-01T00:00:00.000Z" },
	{ code: "MICE5", description: "$5 off mice", kind: "fixed", value: 500, category: "mice", startsAt: "2025-01-01T00:00:00.000Z", endsAt: "2026-01-01T00:00:00.000Z" },
	{ code: "BIG50", description: "$50 off laptops over $500", kind: "fixed", value: 5000, category: "laptops", minSubtotal: 500_00, startsAt: "2025-01-01T00:00:00.000Z", endsAt: "2026-01-01T00:00:00.000Z" },
	{ code: "OLD", description: "old", kind: "percent", value: 50, startsAt: "2024-01-01T00:00:00.000Z", endsAt: "2024-02-01T00:00:00.000Z" },
	{ code: "SOON", description: "soon", kind: "percent", value: 50, startsAt: "2026-01-01T00:00:00.000Z", endsAt: "2026-02-01T00:00:00.000Z" }
];

describe("catalog pricing and promotions", () => {
	const catalog = new Map([
		["L1", product("L1", { price: 333_33 })],
		["M1", product("M1", { category: "mice", price: 19_99 })],
		["F1", product("F1", { brand: "fashion", category: "jeans", price: 49_99 })]
	]);
	const lookup = (s: string) => catalog.get(s);
	const price = (items: { sku: string; qty: number }[], promoCode?: string) => quote(items, lookup, { promoCode, promotions: promos, now: NOW });

	it("prices lines in integer cents and adds them up", () => {
		const q = price([{ sku: "L1", qty: 2 }, { sku: "M1", qty: 3 }]);
		assert.deepEqual(q.lines.map(l => [l.sku, l.unitPrice, l.lineTotal]), [["L1", 333_33, 666_66], ["M1", 19_99, 59_97]]);
		assert.equal(q.subtotal, 726_63);
		assert.equal(q.discount, 0);
		assert.equal(q.total, 726_63);
		assert.equal(q.currency, "USD");
		assert.equal(q.promo, undefined);
	});

	it("applies a percent code to the in-scope lines only, rounded once to the cent", () => {
		const q = price([{ sku: "L1", qty: 1 }, { sku: "F1", qty: 1 }], " tenoff ");
		assert.deepEqual(q.promo, { code: "TENOFF", applied: true, description: "10% off tech" });
		assert.equal(q.discount, 33_33);
		assert.equal(q.total, 333_33 + 49_99 - 33_33);
		assert.ok(Number.isInteger(q.total));
	});

	it("caps a fixed discount at the eligible amount", () => {
		const q = price([{ sku: "M1", qty: 1 }, { sku: "F1", qty: 1 }], "MICE5");
		assert.equal(q.discount, 500);
		const cheap = quote([{ sku: "X", qty: 1 }], () => product("X", { category: "mice", price: 300 }), { promoCode: "MICE5", promotions: promos, now: NOW });
		assert.equal(cheap.discount, 300);
		assert.equal(cheap.total, 0);
	});

	it("refuses a code outside its window, scope or minimum, with the reason", () => {
		const cases: [string, string, RegExp][] = [
			["NOPE", "unknown", /not a promotion code we know/],
			["OLD", "expired", /expired on 2024-02-01/],
			["SOON", "not_started", /starts on 2026-01-01/],
			["MICE5", "out_of_scope", /applies to mice only/]
		];
		for (const [code, refusal, reason] of cases) {
			const q = price([{ sku: "L1", qty: 1 }], code);
			assert.equal(q.promo?.applied, false, code);
			assert.equal(q.promo?.refusal, refusal, code);
			assert.match(q.promo!.reason!, reason);
			assert.equal(q.discount, 0);
			assert.equal(q.total, q.subtotal);
		}
		const below = price([{ sku: "L1", qty: 1 }], "BIG50");
		assert.equal(below.promo?.refusal, "below_minimum");
		assert.match(below.promo!.reason!, /needs at least \$500\.00 of laptops; these items come to \$333\.33/);
		assert.equal(price([{ sku: "L1", qty: 2 }], "BIG50").discount, 5000);
	});

	it("refuses unknown skus and mixed currencies", () => {
		assert.throws(() => price([{ sku: "NOPE", qty: 1 }]), UnknownSkuError);
		assert.throws(
			() => quote([{ sku: "A", qty: 1 }, { sku: "B", qty: 1 }], s => product(s, { currency: s === "A" ? "USD" : "EUR" })),
			MixedCurrencyError
		);
	});
});

describe("catalog recommendations", () => {
	const { products } = loadCatalogData();
	const stock = new Map(products.map(p => [p.sku, p.stock]));
	const laptop = products.find(p => p.category === "laptops")!;

	it("suggests similar and complementary products of the brand, in stock first, never the product itself", () => {
		const picks = recommend({ products, stockOf: s => stock.get(s)!, base: laptop, limit: 10 });
		assert.equal(picks.length, 10);
		assert.ok(picks.every(r => r.product.sku !== laptop.sku && r.product.brand === "tech"));
		assert.ok(picks.some(r => r.reason === "similar" && r.product.category === "laptops"));
		assert.ok(picks.some(r => r.reason === "complementary" && ["mice", "keyboards", "monitors", "accessories", "headphones"].includes(r.product.category)));
		const firstOut = picks.findIndex(r => stock.get(r.product.sku) === 0);
		if (firstOut >= 0) assert.ok(picks.slice(firstOut).every(r => stock.get(r.product.sku) === 0), "an out-of-stock product came before one in stock");
	});

	it("asked for one kind, gives only that kind: what goes with jeans is no more jeans", () => {
		const jeans = products.find(p => p.category === "jeans")!;
		const goWith = recommend({ products, stockOf: s => stock.get(s)!, base: jeans, kind: "complementary", limit: 5 });
		assert.ok(goWith.length > 0 && goWith.every(r => r.reason === "complementary" && r.product.category !== "jeans"), goWith.map(r => r.product.name).join());
		const like = recommend({ products, stockOf: s => stock.get(s)!, base: jeans, kind: "similar", limit: 5 });
		assert.ok(like.length > 0 && like.every(r => r.product.category === "jeans" && r.product.sku !== jeans.sku));
	});

	it("offers as similar only what is in stock: an alternative must be one the customer can buy", () => {
		const mice = products.filter(p => p.category === "mice");
		const travel = mice.find(p => p.name === "Travel Mouse")!;
		const soldOut = mice.filter(p => stock.get(p.sku) === 0 && p.sku !== travel.sku);
		assert.ok(soldOut.length > 0, "the catalog has another sold-out mouse to leave out");
		const like = recommend({ products, stockOf: s => stock.get(s)!, base: travel, kind: "similar", limit: 10 });
		assert.deepEqual(like.map(r => r.product.category), like.map(() => "mice"));
		assert.ok(like.length > 0 && like.every(r => stock.get(r.product.sku)! > 0), like.map(r => r.product.name).join());
		const none = recommend({ products, stockOf: () => 0, base: travel, kind: "similar", limit: 10 });
		assert.deepEqual(none, []);
	});

	it("puts every in-stock product before any out-of-stock one", () => {
		const picks = recommend({ products, stockOf: s => (s.endsWith("1") ? 0 : 3), brand: "home", limit: 44 });
		const flags = picks.map(r => (r.product.sku.endsWith("1") ? 0 : 1));
		assert.deepEqual(flags, [...flags].sort((a, b) => b - a));
	});

	it("uses what the customer looked at and bought, and never re-suggests a purchase", () => {
		const sofa = products.find(p => p.category === "sofas")!;
		const picks = recommend({ products, stockOf: () => 1, brand: "home", viewed: [], bought: [sofa.sku], limit: 5 });
		assert.ok(picks.every(r => r.product.sku !== sofa.sku));
		assert.ok(picks.every(r => ["cushions", "rugs", "lamps"].includes(r.product.category)), picks.map(r => r.product.category).join());
		const viewedSerum = products.find(p => p.category === "serums")!;
		const forViewer = recommend({ products, stockOf: () => 1, brand: "beauty", viewed: [viewedSerum.sku], limit: 3 });
		assert.ok(forViewer.every(r => r.reason === "for_you" && r.product.category === "serums"));
	});

	it("for a present, puts what the catalog tags as a gift first, within the budget", () => {
		const plain = recommend({ products, stockOf: () => 1, brand: "beauty", maxPrice: 5500, limit: 3 });
		const gifts = recommend({ products, stockOf: () => 1, brand: "beauty", maxPrice: 5500, gift: true, limit: 3 });
		assert.ok(!plain.every(r => r.product.tags.includes("gift")), "bestsellers first without it");
		assert.ok(gifts.every(r => r.product.tags.includes("gift") && r.product.price <= 5500), gifts.map(r => r.product.name).join());
		// A brand with no gifts tagged still gets its picks.
		assert.equal(recommend({ products, stockOf: () => 1, brand: "tech", gift: true, limit: 3 }).length, 3);
	});

	it("for an age, leaves out games rated for older players and keeps what carries no rating", () => {
		const forTen = recommend({ products, stockOf: () => 1, brand: "gaming", forAge: 10, limit: 50 });
		assert.ok(forTen.length > 0 && forTen.every(r => !r.product.attributes.rating), forTen.map(r => r.product.name).join());
		const forFourteen = recommend({ products, stockOf: () => 1, brand: "gaming", forAge: 14, limit: 50 });
		const ratings = new Set(forFourteen.flatMap(r => (typeof r.product.attributes.rating === "string" ? [r.product.attributes.rating] : [])));
		assert.deepEqual([...ratings], ["T"], "T is 13 and up; M is 17 and up");
	});
});

describe("catalog data", () => {
	const data = loadCatalogData();

	it("has at least 40 valid products per brand, some low and some out of stock", () => {
		for (const brand of ["fashion", "tech", "home", "beauty", "gaming"])
			assert.ok(data.products.filter(p => p.brand === brand).length >= 40, brand);
		assert.ok(data.products.some(p => p.stock === 0));
		assert.ok(data.products.some(p => p.stock > 0 && p.stock <= 5));
		assert.ok(data.products.every(p => Number.isInteger(p.price) && p.currency === "USD" && p.imageUrl.endsWith(`/${p.sku}.jpg`)));
		assert.equal(new Set(data.products.map(p => p.sku)).size, data.products.length);
	});

	it("never describes a product against its own name (a screen size, a resolution, an SPF)", () => {
		const checks: [RegExp, (m: RegExpExecArray, description: string) => boolean][] = [
			[/^(?:AirBook|ProBook|UltraSlim|WorkMate|Creator Studio) (\d\d)\b/, (m, d) => new RegExp(`\\b${m[1]}(\\.\\d)? in display`).test(d)],
			[/^(?:Slate|Note Tab)(?: Pro)? (\d\d)\b/, (m, d) => new RegExp(`\\b${m[1]}(\\.\\d)? in display`).test(d)],
			[/\bSPF (\d+\+?)$/, (m, d) => !d.includes("(SPF ") || d.includes(`(SPF ${m[1]})`)],
			[/\bQHD Monitor$/, (_m, d) => d.includes("2560x1440")],
			[/\b4K Monitor$/, (_m, d) => d.includes("3840x2160")],
			[/Noise Cancelling/, (_m, d) => d.includes("active noise cancelling")],
			[/Loveseat/, (_m, d) => /\b1[0-6]\d cm wide/.test(d)],
			[/\b(Kart|Racer)\b(?!.*Chair)/, (_m, d) => /\ba racing game\b/.test(d)],
			[/\bTactics\b/, (_m, d) => /\ba strategy game\b/.test(d)],
			// A "Wireless Gaming Headset" is not plugged in with a 3.5 mm jack.
			[/\bWireless\b/, (_m, d) => !/\b(3\.5 mm|USB|USB-C) connection\b/.test(d)],
			// No espresso cups in olive wood, no knife in stoneware, no waffle throw in percale.
			[/\bCups?\b/, (_m, d) => !/\bin (olive wood|cast iron|stainless steel)\b/.test(d)],
			[/\b(Knife|Frying Pan)\b/, (_m, d) => !/\bin (olive wood|stoneware|cast iron)\b/.test(d)],
			[/\bWaffle\b/, (_m, d) => !/\b(percale|merino)\b/.test(d)],
			// Said as a person would: "works with any device", not "compatible with universal".
			[/./, (_m, d) => !/compatible with universal/.test(d)]
		];
		let checked = 0;
		for (const p of data.products)
			for (const [re, agrees] of checks) {
				const m = re.exec(p.name);
				if (!m) continue;
				checked++;
				assert.ok(agrees(m, p.description), `${p.name}: ${p.description}`);
			}
		// A "Linen Midi Dress" is not also said to be "in linen".
		for (const p of data.products) {
			const material = p.attributes.material;
			if (typeof material === "string" && p.name.toLowerCase().includes(material)) {
				checked++;
				assert.doesNotMatch(p.description, new RegExp(`\\bin ${material}\\b`, "i"), p.name);
			}
		}
		// A "Biker Leather Jacket" is leather, a "Stoneware Dinner Set" stoneware.
		for (const p of data.products) {
			const material = p.attributes.material;
			if (typeof material !== "string") continue;
			for (const named of ["leather", "linen", "velvet", "wool", "cotton", "stoneware", "glass", "ceramic", "terracotta", "oak", "bamboo", "cast iron", "olive wood"])
				if (new RegExp(`\\b${named}\\b`, "i").test(p.name)) {
					checked++;
					assert.ok(material.includes(named), `${p.name} in ${material}`);
				}
		}
		assert.ok(checked >= 30, `only ${checked} products checked`);
	});

	it("lists every product's sizes smallest first, as a size chart does", () => {
		const order = ["XXS", "XS", "S", "M", "L", "XL", "XXL", "single", "twin", "double", "queen", "king"];
		const rank = (z: string) => (order.includes(z) ? order.indexOf(z) : (z.match(/\d+/g) ?? []).map(Number).reduce((a, d) => a * d, 1));
		const sized = data.products.filter(p => Array.isArray(p.attributes.sizes));
		assert.ok(sized.length >= 40);
		for (const p of sized) {
			const sizes = p.attributes.sizes as string[];
			assert.deepEqual(sizes, [...sizes].sort((a, b) => rank(a) - rank(b)), `${p.name}: ${sizes.join(", ")}`);
		}
	});

	it("is what the seeded generator writes, byte for byte", () => {
		const dir = path.join(__dirname, "..", "..", "data");
		assert.equal(readFileSync(path.join(dir, "catalog.json"), "utf8"), catalogJson(generateCatalog()));
		assert.equal(readFileSync(path.join(dir, "promotions.json"), "utf8"), promotionsJson(generatePromotions()));
	});

	it("has active, expired and future promotions", () => {
		const now = Date.now();
		const state = (p: Promotion) => (now < Date.parse(p.startsAt) ? "future" : now >= Date.parse(p.endsAt) ? "expired" : "active");
		assert.deepEqual([...new Set(data.promotions.map(state))].sort(), ["active", "expired", "future"]);
	});

	it("describes each promotion by what it applies to, and no other category of its brand", () => {
		for (const promo of data.promotions.filter(p => p.category && p.brand)) {
			const others = [...new Set(data.products.filter(p => p.brand === promo.brand && p.category !== promo.category).map(p => p.category))];
			assert.match(promo.description.toLowerCase(), new RegExp(`\\b${promo.category!.replace(/s$/, "")}`), promo.code);
			// "15% off bedding and cushions" gave 15% off bedding only: a customer was promised cushions too.
			for (const other of others) assert.doesNotMatch(promo.description.toLowerCase(), new RegExp(`\\b${other.replace(/s$/, "")}`), `${promo.code} names ${other}`);
		}
	});

	it("rejects a malformed file with the problems listed", () => {
		const bad = { ...data.products[0]!, price: 12.5 };
		assert.throws(() => checkCatalogData({ products: [bad], promotions: [], policies: [] }), /price/);
		const promo = { ...data.promotions[0]!, kind: "percent" as const, value: 150 };
		assert.throws(() => checkCatalogData({ products: [], promotions: [promo], policies: [] }), /percent above 100/);
	});

	it("states every brand's delivery, returns and payment terms, and warranties where the goods carry one", () => {
		for (const brand of ["fashion", "tech", "home", "beauty", "gaming"]) {
			const p = data.policies.find(x => x.brand === brand);
			assert.ok(p?.delivery && p.returns && p.payment, brand);
		}
		for (const brand of ["tech", "home", "gaming"]) assert.ok(data.policies.find(x => x.brand === brand)?.warranty, brand);
	});

	it("rejects malformed terms of sale: unknown fields and methods, impossible ranges, a brand twice", () => {
		const check = (policies: unknown[]) => () => checkCatalogData({ products: [], promotions: [], policies: policies as StorePolicies[] });
		assert.throws(check([{ brand: "tech", delivery: { minDays: 5, maxDays: 2 } }]), /policies.*minDays above maxDays/);
		assert.throws(check([{ brand: "tech" }, { brand: "tech" }]), /listed twice/);
		assert.throws(check([{ brand: "tech", payment: { methods: ["bitcoin"] } }]), /policies/);
		assert.throws(check([{ brand: "tech", returns: { days: 30, condition: "unused", note: "free" } }]), /policies/);
		assert.throws(check([{ brand: "tech", warranty: { months: 0 } }]), /policies/);
		assert.doesNotThrow(check([{ brand: "tech" }, { brand: "home", returns: { days: 0, condition: "any" } }]));
	});

	it("generates a larger catalog with distinct skus for benchmarks", () => {
		const big = generateCatalog(2000);
		assert.equal(big.length, 10_000);
		assert.equal(new Set(big.map(p => p.sku)).size, 10_000);
	});
});
