/**
 * `catalog`: products, search, recommendations, prices, promotions, the brands' terms of sale
 * (delivery, returns, warranty, payment) and stock. The product data is static per deployment
 * (data/*.json, loaded by every node); the live stock levels live in
 * the Store, so every node sees the same levels and reservations are atomic across nodes. Levels
 * are seeded from the data file only where the Store has none, so a restart on Redis keeps them.
 *
 * Thin: search, recommendations, pricing and the promotion schedule are pure modules in
 * `services/catalog/`.
 */
import type { Context, ServiceSchema } from "moleculer";
import { EventsMixin, type EventsMethods } from "../mixins/events.mixin";
import { ServiceNames } from "../contracts/services";
import { EventTypes, type CatalogStockChangedV1, type CloudEvent, type OrderCreatedV1 } from "../contracts/events";
import { ErrorTypes, NotFoundError, StoreClientError } from "../contracts/errors";
import type { Store } from "../adapters/store/store";
import { brokerConfig } from "../adapters/broker-config";
import { loadCatalogData } from "./catalog/data";
import { SEARCH_SORTS, SearchIndex, sortHits, type SearchSort } from "./catalog/search";
import { recommend } from "./catalog/recommend";
import { findPromotion, isActive, MixedCurrencyError, quote, UnknownSkuError } from "./catalog/pricing";
import { PromotionScheduler, type PromotionPhase } from "./catalog/promotion-scheduler";
import type { Product, Promotion, StorePolicies } from "./catalog/types";

/** At or below this level a product counts as low on stock. */
export const LOW_STOCK_THRESHOLD = 5;
/** How many viewed / bought skus per customer inform recommendations. */
const HISTORY_LENGTH = 20;
const SEED_BATCH = 200;

export const stockKey = (sku: string) => `catalog:stock:${sku}`;
const viewedKey = (waId: string) => `catalog:viewed:${waId}`;
const boughtKey = (waId: string) => `catalog:bought:${waId}`;

export type ProductView = Product;
export interface StockLine {
	sku: string;
	qty: number;
}

export interface CatalogServiceOptions {
	products?: Product[];
	promotions?: Promotion[];
	policies?: StorePolicies[];
	/** Clock for promotion windows and the schedule (tests). */
	now?: () => number;
	/** Longest sleep of the promotion schedule between checks. */
	promotionCheckMs?: number;
}

export function stockChangeReason(before: number, after: number): CatalogStockChangedV1["reason"] | null {
	if (before === after) return null;
	if (after === 0) return "out";
	if (before === 0) return "restocked";
	if (after <= LOW_STOCK_THRESHOLD && before > LOW_STOCK_THRESHOLD) return "low";
	return null;
}

const sku = { type: "string", min: 1, max: 64, trim: true } as const;
const waId = { type: "string", pattern: /^\d{5,20}$/ } as const;
const brand = { type: "string", min: 1, max: 32, trim: true } as const;
const money = { type: "number", integer: true, min: 0, convert: true } as const;
/** Years, of who a product is for ("for my 10-year-old"). */
const age = { type: "number", integer: true, min: 0, max: 120, convert: true } as const;
const stockItems = {
	type: "array",
	min: 1,
	max: 50,
	items: { type: "object", strict: "remove", props: { sku, qty: { type: "number", integer: true, positive: true, max: 1000, convert: true } } }
} as const;

interface SearchParams {
	query?: string;
	brand?: string;
	category?: string;
	minPrice?: number;
	maxPrice?: number;
	color?: string;
	size?: string;
	platforms?: string[];
	forAge?: number;
	inStock?: boolean;
	sort?: SearchSort;
	limit?: number;
	offset?: number;
}

interface CatalogThis {
	broker: import("moleculer").ServiceBroker;
	logger: import("moleculer").LoggerInstance;
	index: SearchIndex;
	promotionList: Promotion[];
	policyList: StorePolicies[];
	now: () => number;
	scheduler?: PromotionScheduler;
	store(): Store;
	mustGet(sku: string): Product;
	levels(skus: string[]): Promise<number[]>;
	view(p: Product, stock: number): ProductView;
	recordHistory(key: string, skus: string[]): Promise<void>;
	orderedBefore(ctx: Context, waId: string, brand: string | undefined): Promise<boolean>;
	announceStockChanges(changes: { sku: string; before: number; after: number; reason: CatalogStockChangedV1["reason"] | null }[]): Promise<void>;
	publish: EventsMethods["publish"];
}

export function createCatalogService(opts: CatalogServiceOptions = {}): ServiceSchema {
	return {
		name: ServiceNames.Catalog,
		mixins: [EventsMixin],

		actions: {
			search: {
				params: {
					query: { type: "string", optional: true, max: 200 },
					brand: { ...brand, optional: true },
					category: { type: "string", optional: true, max: 64 },
					minPrice: { ...money, optional: true },
					maxPrice: { ...money, optional: true },
					color: { type: "string", optional: true, min: 1, max: 32 },
					size: { type: "string", optional: true, min: 1, max: 32 },
					platforms: { type: "array", optional: true, max: 8, items: { type: "string", min: 1, max: 32 } },
					forAge: { ...age, optional: true },
					inStock: { type: "boolean", optional: true, convert: true },
					sort: { type: "enum", values: SEARCH_SORTS, optional: true },
					limit: { type: "number", integer: true, min: 1, max: 100, optional: true, convert: true },
					offset: { type: "number", integer: true, min: 0, optional: true, convert: true }
				},
				async handler(this: CatalogThis, ctx: Context<SearchParams>) {
					const { query: asked, inStock, sort = "relevance", limit = 10, offset = 0, ...filters } = ctx.params;
					const scope = { brand: filters.brand, category: filters.category };
					// "jakcet" is searched as "jacket", and the answer says so.
					const spelled = asked ? this.index.spellcheck(asked, scope) : { query: asked, corrected: [] };
					const query = spelled.query;
					const hits = sortHits(
						this.index.search(query, filters).map(h => h.product),
						sort,
						Boolean(query?.trim())
					);
					// Words of the query nothing in the brand has: what was found answers the others only.
					const unmatched = hits.length ? this.index.unmatched(query, scope) : [];
					// Nothing found for "raincoats": what the brand does sell, so the answer is not a dead end.
					const sells = !hits.length && scope.brand && !scope.category ? { categories: this.index.categories(scope.brand) } : {};
					// "Racing games for my 10-year-old" when every racing game is rated older: said, not "no racing games".
					const tooOld = filters.forAge === undefined ? 0 : this.index.search(query, { ...filters, forAge: undefined }).length - hits.length;
					const extra = { ...(tooOld > 0 ? { ratedOlder: tooOld } : {}), ...(unmatched.length ? { unmatched } : {}), ...(hits.length && spelled.corrected.length ? { searchedFor: query } : {}), ...sells };
					// Words the brand has but none of the page does ("linen" when only the shirts' word matched).
					const missingFrom = (page: Product[]) => {
						const missing = this.index.missingFrom(query, page.map(p => p.sku), scope);
						return missing.length ? { missing } : {};
					};
					if (inStock) {
						// Only this filter needs every candidate's live level; otherwise just the page's.
						const levels = await this.levels(hits.map(p => p.sku));
						const available = hits.map((p, i) => ({ p, stock: levels[i]! })).filter(x => x.stock > 0);
						const page = available.slice(offset, offset + limit);
						return { items: page.map(x => this.view(x.p, x.stock)), total: available.length, ...extra, ...missingFrom(page.map(x => x.p)) };
					}
					const page = hits.slice(offset, offset + limit);
					const levels = await this.levels(page.map(p => p.sku));
					return { items: page.map((p, i) => this.view(p, levels[i]!)), total: hits.length, ...extra, ...missingFrom(page) };
				}
			},

			get: {
				params: { sku, waId: { ...waId, optional: true } },
				async handler(this: CatalogThis, ctx: Context<{ sku: string; waId?: string }>) {
					const product = this.mustGet(ctx.params.sku);
					const [stock] = await this.levels([product.sku]);
					if (ctx.params.waId) await this.recordHistory(viewedKey(ctx.params.waId), [product.sku]);
					return this.view(product, stock!);
				}
			},

			recommend: {
				params: {
					sku: { ...sku, optional: true },
					brand: { ...brand, optional: true },
					waId: { ...waId, optional: true },
					kind: { type: "enum", values: ["similar", "complementary"], optional: true },
					maxPrice: { ...money, optional: true },
					/** With sku: only ones that cost less than it. */
					cheaper: { type: "boolean", optional: true, convert: true },
					/** With sku: only ones bigger, or more compact, than it. */
					size: { type: "enum", values: ["bigger", "smaller"], optional: true },
					forAge: { ...age, optional: true },
					/** Picks for a present: what the catalog tags as a gift first. */
					gift: { type: "boolean", optional: true, convert: true },
					limit: { type: "number", integer: true, min: 1, max: 50, optional: true, convert: true },
					/** Picks to skip: the next page of the same recommendation. */
					offset: { type: "number", integer: true, min: 0, optional: true, convert: true }
				},
				async handler(this: CatalogThis, ctx: Context<{ sku?: string; brand?: string; waId?: string; kind?: "similar" | "complementary"; maxPrice?: number; cheaper?: boolean; size?: "bigger" | "smaller"; forAge?: number; gift?: boolean; limit?: number; offset?: number }>) {
					const base = ctx.params.sku ? this.mustGet(ctx.params.sku) : undefined;
					const [viewed, bought] = ctx.params.waId
						? await Promise.all([
								this.store().get<string[]>(viewedKey(ctx.params.waId)),
								this.store().get<string[]>(boughtKey(ctx.params.waId))
							])
						: [null, null];
					const products = this.index.all();
					// Picks are of one brand: only its products' stock is read (a fifth of the catalog, not all of it).
					const brand = ctx.params.brand ?? base?.brand;
					const candidates = brand === undefined ? products : products.filter(p => p.brand === brand);
					const levels = new Map(candidates.map((p, i) => [p.sku, i]));
					const all = await this.levels(candidates.map(p => p.sku));
					const picks = recommend({
						products,
						stockOf: s => all[levels.get(s)!] ?? 0,
						base,
						brand: ctx.params.brand,
						viewed: viewed ?? [],
						bought: bought ?? [],
						...(ctx.params.kind ? { kind: ctx.params.kind } : {}),
						...(ctx.params.maxPrice !== undefined ? { maxPrice: ctx.params.maxPrice } : {}),
						...(ctx.params.cheaper ? { cheaper: true } : {}),
						...(ctx.params.size ? { size: ctx.params.size } : {}),
						...(ctx.params.forAge !== undefined ? { forAge: ctx.params.forAge } : {}),
						...(ctx.params.gift ? { gift: true } : {}),
						limit: ctx.params.limit ?? 5,
						offset: ctx.params.offset ?? 0
					});
					return { items: picks.map(r => ({ ...this.view(r.product, all[levels.get(r.product.sku)!]!), reason: r.reason })) };
				}
			},

			price: {
				// `waId`: whose order it is, for a code meant for a first order.
				params: { items: stockItems, promoCode: { type: "string", optional: true, max: 64 }, waId: { ...waId, optional: true } },
				async handler(this: CatalogThis, ctx: Context<{ items: StockLine[]; promoCode?: string; waId?: string }>) {
					const { promoCode, waId: customer } = ctx.params;
					const promo = promoCode ? findPromotion(this.promotionList, promoCode) : undefined;
					const orderedBefore = promo?.firstOrderOnly && customer ? await this.orderedBefore(ctx, customer, promo.brand) : false;
					try {
						return quote(ctx.params.items, s => this.index.get(s), {
							promoCode,
							promotions: this.promotionList,
							now: this.now(),
							orderedBefore
						});
					} catch (err) {
						if (err instanceof UnknownSkuError)
							throw new NotFoundError(`Product '${err.sku}'`, { sku: err.sku }, ErrorTypes.ProductNotFound);
						if (err instanceof MixedCurrencyError)
							throw new StoreClientError(err.message, 422, ErrorTypes.Invalid, { currencies: err.currencies });
						throw err;
					}
				}
			},

			promotions: {
				params: { brand: { ...brand, optional: true } },
				handler(this: CatalogThis, ctx: Context<{ brand?: string }>) {
					const now = this.now();
					const items = this.promotionList.filter(p => isActive(p, now) && (!ctx.params.brand || !p.brand || p.brand === ctx.params.brand));
					return { items };
				}
			},

			/** The brand's terms of sale; a brand with none stated gets just its id (nothing to quote). */
			policies: {
				params: { brand },
				handler(this: CatalogThis, ctx: Context<{ brand: string }>): StorePolicies {
					return this.policyList.find(p => p.brand === ctx.params.brand) ?? { brand: ctx.params.brand };
				}
			},

			setStock: {
				params: { sku, stock: { type: "number", integer: true, min: 0, max: 1_000_000, convert: true } },
				async handler(this: CatalogThis, ctx: Context<{ sku: string; stock: number }>) {
					const product = this.mustGet(ctx.params.sku);
					// Read-then-write: an order reserving in between makes `before` slightly stale in the
					// event, never the level wrong: the operator's figure is the new truth either way.
					const [before] = await this.levels([product.sku]);
					await this.store().set(stockKey(product.sku), ctx.params.stock);
					const after = ctx.params.stock;
					if (before !== after) await this.announceStockChanges([{ sku: product.sku, before: before!, after, reason: stockChangeReason(before!, after) ?? "changed" }]);
					return { sku: product.sku, before, after };
				}
			},

			/** All or nothing; used by orders. Answers OUT_OF_STOCK naming the first short sku. */
			reserve: {
				params: { items: stockItems },
				async handler(this: CatalogThis, ctx: Context<{ items: StockLine[] }>) {
					for (const item of ctx.params.items) this.mustGet(item.sku);
					const result = await this.store().reserve(ctx.params.items.map(i => ({ key: stockKey(i.sku), by: i.qty })));
					if (!result.ok) {
						const short = ctx.params.items[result.index]!;
						const requested = ctx.params.items.filter(i => i.sku === short.sku).reduce((n, i) => n + i.qty, 0);
						throw new StoreClientError(
							`Not enough stock for ${short.sku}: ${requested} requested, ${result.available} available`,
							409,
							ErrorTypes.OutOfStock,
							{ sku: short.sku, requested, available: result.available }
						);
					}
					const afterBySku = new Map<string, number>();
					const takenBySku = new Map<string, number>();
					ctx.params.items.forEach((item, i) => {
						afterBySku.set(item.sku, result.levels[i]!);
						takenBySku.set(item.sku, (takenBySku.get(item.sku) ?? 0) + item.qty);
					});
					const changes = [...afterBySku].map(([s, after]) => {
						const before = after + takenBySku.get(s)!;
						return { sku: s, before, after, reason: stockChangeReason(before, after) };
					});
					await this.announceStockChanges(changes);
					return { items: changes.map(c => ({ sku: c.sku, stock: c.after })) };
				}
			},

			/**
			 * Gives reserved stock back, once per `ref` (a cancelled order retried). The ref is required:
			 * without one a release could not be told apart from its own retry, and a stray call from the
			 * REPL would add stock nobody reserved (to set a level, an operator uses `setStock`). The claim
			 * comes first: a crash between claim and increment under-counts stock (never oversells), and
			 * an operator's `setStock` fixes it.
			 */
			release: {
				params: { items: stockItems, ref: { type: "string", min: 1, max: 200 } },
				async handler(this: CatalogThis, ctx: Context<{ items: StockLine[]; ref: string }>) {
					for (const item of ctx.params.items) this.mustGet(item.sku);
					if (!(await this.store().setIfAbsent(`catalog:released:${ctx.params.ref}`, 1)))
						return { released: false, items: [] };
					const changes = [];
					for (const item of ctx.params.items) {
						const after = await this.store().incr(stockKey(item.sku), item.qty);
						changes.push({ sku: item.sku, before: after - item.qty, after, reason: stockChangeReason(after - item.qty, after) });
					}
					await this.announceStockChanges(changes);
					return { released: true, items: changes.map(c => ({ sku: c.sku, stock: c.after })) };
				}
			}
		},

		channels: {
			/** Purchases inform recommendations; idempotent because the history is a set. */
			[EventTypes.OrderCreated]: {
				async handler(this: CatalogThis, event: CloudEvent<OrderCreatedV1>) {
					await this.recordHistory(boughtKey(event.data.waId), event.data.items.map(i => i.sku));
				}
			}
		},

		methods: {
			store(this: CatalogThis) {
				return this.broker.store;
			},

			/** Whether the customer has an order (of `brand`) that was not cancelled: the orders service says. */
			async orderedBefore(this: CatalogThis, ctx: Context, customer: string, brand: string | undefined) {
				const res = await ctx.call<{ items: { status: string }[] }, object>("orders.list", { waId: customer, ...(brand ? { brand } : {}), limit: 500 });
				return res.items.some(o => o.status !== "cancelled");
			},

			mustGet(this: CatalogThis, s: string) {
				const product = this.index.get(s);
				if (!product) throw new NotFoundError(`Product '${s}'`, { sku: s }, ErrorTypes.ProductNotFound);
				return product;
			},

			/** Live levels; a sku the Store has no level for (not seeded yet) counts as 0. */
			async levels(this: CatalogThis, skus: string[]) {
				const values = await this.store().getMany<number>(skus.map(stockKey));
				return values.map(v => (typeof v === "number" && v > 0 ? v : 0));
			},

			view(this: CatalogThis, p: Product, stock: number): ProductView {
				return { ...p, stock };
			},

			/**
			 * Most recent last, each sku once, bounded; a lost race loses one entry of a hint, no more.
			 * What a customer looked at and bought is kept as long as their conversations are.
			 */
			async recordHistory(this: CatalogThis, key: string, skus: string[]) {
				const current = (await this.store().get<string[]>(key)) ?? [];
				const next = [...current.filter(s => !skus.includes(s)), ...skus].slice(-HISTORY_LENGTH);
				await this.store().set(key, next, brokerConfig(this.broker).conversationRetentionMs);
			},

			/**
			 * Publishes the threshold crossings. The stock change itself is already done; a failed
			 * publish is logged, not thrown, so that an order does not fail over a notification.
			 */
			async announceStockChanges(this: CatalogThis, changes: Parameters<CatalogThis["announceStockChanges"]>[0]) {
				for (const c of changes) {
					if (!c.reason) continue;
					const product = this.index.get(c.sku)!;
					try {
						await this.publish(EventTypes.CatalogStockChanged, { sku: c.sku, brand: product.brand, before: c.before, after: c.after, reason: c.reason }, { subject: c.sku });
					} catch (err) {
						this.logger.error(`Could not publish the stock change of ${c.sku} (${c.before} → ${c.after}): ${(err as Error).message}`);
					}
				}
			}
		},

		created(this: CatalogThis) {
			const data = opts.products && opts.promotions && opts.policies ? { products: opts.products, promotions: opts.promotions, policies: opts.policies } : loadCatalogData();
			this.index = new SearchIndex(opts.products ?? data.products);
			this.promotionList = opts.promotions ?? data.promotions;
			this.policyList = opts.policies ?? data.policies;
			this.now = opts.now ?? (() => Date.now());
		},

		async started(this: CatalogThis) {
			const products = this.index.all();
			for (let i = 0; i < products.length; i += SEED_BATCH)
				await Promise.all(products.slice(i, i + SEED_BATCH).map(p => this.store().setIfAbsent(stockKey(p.sku), p.stock)));
			const store = this.store();
			this.scheduler = new PromotionScheduler({
				promotions: this.promotionList,
				now: this.now,
				claim: key => store.setIfAbsent(key, this.broker.nodeID),
				release: async key => void (await store.del(key)),
				isClaimed: async key => (await store.get(key)) !== null,
				publish: async (phase: PromotionPhase, p: Promotion, id: string) => {
					const type = phase === "started" ? EventTypes.CatalogPromotionStarted : EventTypes.CatalogPromotionEnded;
					const data = { code: p.code, startsAt: p.startsAt, endsAt: p.endsAt, ...(p.brand ? { brand: p.brand } : {}), ...(p.category ? { category: p.category } : {}) };
					await this.publish(type, data, { id, subject: p.code });
					this.logger.info(`Promotion ${p.code} ${phase}`);
				},
				onError: err => this.logger.warn(`Promotion schedule: ${(err as Error).message}`),
				maxSleepMs: opts.promotionCheckMs
			});
			this.scheduler.start();
		},

		async stopped(this: CatalogThis) {
			await this.scheduler?.stop();
		}
	} as unknown as ServiceSchema;
}

export default createCatalogService();
