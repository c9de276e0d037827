/**
 * The tools' reach into the catalog and orders services, over the broker. One builder for every
 * caller of the AI seller's tools: the conversation host for its turns, and the sales assistant when
 * a human seller approves a suggested action (so both go through exactly the same tools).
 */
import type { ServiceBroker } from "moleculer";
import type { OrderView, Product, PromotionView, QuoteView, ToolContext } from "../../agents/tools";
import { COLOUR_ATTRIBUTES, coloursOf, type StorePolicies } from "../../contracts/catalog";
import { ErrorTypes } from "../../contracts/errors";

export interface CatalogProduct {
	sku: string;
	brand: string;
	name: string;
	description?: string;
	descriptionEs?: string;
	category?: string;
	price: number;
	currency: string;
	stock: number;
	attributes?: Record<string, string | string[]>;
	imageUrl?: string;
	tags?: string[];
}

/** What `catalog.promotions` answers per item. */
interface CatalogPromotion {
	code: string;
	description: string;
	descriptionEs?: string;
	kind: "percent" | "fixed";
	value: number;
	category?: string;
	minSubtotal?: number;
	firstOrderOnly?: boolean;
}

interface OrderLike {
	id: string;
	waId: string;
	status: string;
	total: number;
	currency: string;
	carrier?: string;
	trackingNumber?: string;
	deliverTo?: string;
	items?: { sku: string; name: string; qty: number; size?: string; color?: string }[];
}

export function toolContextFor(broker: ServiceBroker, conversationId: string, brand: string, waId: string, paymentLinkUrl: string | null = null): Omit<ToolContext, "turn"> {
	const toOrderView = (o: OrderLike) => orderView(o, paymentLinkUrl);
	/** An order action the orders service refuses when the order moved on since the customer was asked (it shipped): the status it has. */
	const orderStep = async (action: string, params: Record<string, unknown>): Promise<{ order: OrderView } | { refusedAs: string }> => {
		try {
			return { order: toOrderView(await broker.call<OrderLike, Record<string, unknown>>(action, params)) };
		} catch (err) {
			const e = err as { type?: string; data?: { status?: unknown } };
			if (e.type === ErrorTypes.InvalidTransition && typeof e.data?.status === "string") return { refusedAs: e.data.status };
			throw err;
		}
	};
	const recent = async (q: { waId: string; brand: string; limit: number }) =>
		(await broker.call<{ items: OrderLike[] }, Record<string, unknown>>("orders.list", { waId: q.waId, brand: q.brand, limit: q.limit })).items.map(toOrderView);
	return {
		conversationId,
		brand,
		waId,
		catalog: {
			async search(q) {
				// Colour is a filter, not a word to rank by: "black jacket" must not bring black scarves.
				const query = q.query;
				const res = await broker.call<{ items: CatalogProduct[]; unmatched?: string[]; missing?: string[]; searchedFor?: string; categories?: string[]; ratedOlder?: number }, Record<string, unknown>>("catalog.search", {
					brand: q.brand,
					limit: q.limit,
					...(query ? { query } : {}),
					...(q.color ? { color: q.color } : {}),
					...(q.size ? { size: q.size } : {}),
					...(q.platforms?.length ? { platforms: q.platforms } : {}),
					...(q.forAge !== undefined ? { forAge: q.forAge } : {}),
					...(q.category ? { category: q.category } : {}),
					...(q.minPrice !== undefined ? { minPrice: q.minPrice } : {}),
					...(q.maxPrice !== undefined ? { maxPrice: q.maxPrice } : {}),
					...(q.sort ? { sort: q.sort } : {}),
					...(q.offset ? { offset: q.offset } : {})
				});
				return {
					products: res.items.map(toProduct),
					unmatched: res.unmatched ?? [],
					...(res.missing?.length ? { missing: res.missing } : {}),
					...(res.searchedFor ? { searchedFor: res.searchedFor } : {}),
					...(res.categories?.length ? { categories: res.categories } : {}),
					...(res.ratedOlder ? { ratedOlder: res.ratedOlder } : {})
				};
			},
			price(request) {
				// Whose cart it is: a code for a first order asks whether they have one.
				return broker.call<QuoteView, typeof request & { waId: string }>("catalog.price", { ...request, waId });
			},
			async promotions(q) {
				const res = await broker.call<{ items: CatalogPromotion[] }, { brand: string }>("catalog.promotions", { brand: q.brand });
				return res.items.map(toPromotionView);
			},
			policies(q) {
				return broker.call<StorePolicies, { brand: string }>("catalog.policies", { brand: q.brand });
			},
			async get(sku) {
				try {
					return toProduct(await broker.call<CatalogProduct, { sku: string; waId: string }>("catalog.get", { sku, waId }));
				} catch (err) {
					if ((err as { code?: number }).code === 404) return null;
					throw err;
				}
			},
			async recommend(q) {
				const res = await broker.call<{ items: CatalogProduct[] }, Record<string, unknown>>("catalog.recommend", {
					brand: q.brand,
					waId,
					limit: q.limit,
					...(q.sku ? { sku: q.sku } : {}),
					...(q.kind ? { kind: q.kind } : {}),
					...(q.maxPrice !== undefined ? { maxPrice: q.maxPrice } : {}),
					...(q.cheaper ? { cheaper: true } : {}),
					...(q.size ? { size: q.size } : {}),
					...(q.forAge !== undefined ? { forAge: q.forAge } : {}),
					...(q.gift ? { gift: true } : {}),
					...(q.offset ? { offset: q.offset } : {})
				});
				return res.items.map(toProduct);
			}
		},
		orders: {
			async create(req) {
				return toOrderView(await broker.call<OrderLike, typeof req>("orders.create", req));
			},
			async status(q) {
				if (q.orderId) {
					try {
						const o = await broker.call<OrderLike, { id: string }>("orders.get", { id: q.orderId });
						return o.waId === q.waId ? toOrderView(o) : null;
					} catch (err) {
						if ((err as { code?: number }).code === 404) return null;
						throw err;
					}
				}
				return (await recent({ ...q, limit: 1 }))[0] ?? null;
			},
			recent,
			async setAddress(req) {
				const step = await orderStep("orders.setAddress", { id: req.orderId, deliverTo: req.deliverTo });
				return "order" in step ? step : { notChangeable: step.refusedAs };
			},
			async cancel(req) {
				const step = await orderStep("orders.cancel", { id: req.orderId, reason: req.reason });
				return "order" in step ? step : { notCancellable: step.refusedAs };
			}
		}
	};
}

/** Attributes the product view carries under their own names (`color`, `sizes`). */
const VIEWED_APART = new Set<string>([...COLOUR_ATTRIBUTES, "sizes"]);

export function toProduct(p: CatalogProduct): Product {
	// Colours or shades, whichever the product lists: one to choose from when several.
	const color = coloursOf(p.attributes).join(", ");
	const sizes = p.attributes?.sizes;
	const attributes = Object.entries(p.attributes ?? {})
		.filter(([key]) => !VIEWED_APART.has(key))
		.map(([key, v]) => [key, Array.isArray(v) ? v.join(", ") : String(v)] as const);
	return {
		sku: p.sku,
		name: p.name,
		brand: p.brand,
		price: p.price,
		currency: p.currency,
		stock: p.stock,
		...(p.category ? { category: p.category } : {}),
		...(p.description ? { description: p.description } : {}),
		...(p.descriptionEs ? { descriptionEs: p.descriptionEs } : {}),
		...(color ? { color } : {}),
		...(sizes ? { sizes: Array.isArray(sizes) ? sizes : [sizes] } : {}),
		...(attributes.length ? { attributes: Object.fromEntries(attributes) } : {}),
		...(p.imageUrl ? { imageUrl: p.imageUrl } : {}),
		...(p.tags?.length ? { tags: p.tags } : {})
	};
}

function toPromotionView(p: CatalogPromotion): PromotionView {
	return {
		code: p.code,
		description: p.description,
		...(p.descriptionEs ? { descriptionEs: p.descriptionEs } : {}),
		...(p.kind === "percent" ? { percentOff: p.value } : { amountOff: p.value }),
		...(p.category ? { category: p.category } : {}),
		...(p.minSubtotal !== undefined ? { minSubtotal: p.minSubtotal } : {}),
		...(p.firstOrderOnly ? { firstOrderOnly: true } : {})
	};
}

/** An order as the tools see it; one waiting for payment carries the store's payment link for it. */
function orderView(o: OrderLike, paymentLinkUrl: string | null): OrderView {
	return {
		orderId: o.id,
		status: o.status,
		total: o.total,
		currency: o.currency,
		...(paymentLinkUrl && o.status === "pending" ? { paymentUrl: paymentLinkUrl.split("{orderId}").join(encodeURIComponent(o.id)) } : {}),
		...(o.carrier ? { carrier: o.carrier } : {}),
		...(o.trackingNumber ? { trackingNumber: o.trackingNumber } : {}),
		...(o.deliverTo ? { deliverTo: o.deliverTo } : {}),
		// What it holds: "cancel the hoodie order" names an order by it.
		...(o.items?.length ? { items: o.items.map(l => ({ sku: l.sku, name: l.name, qty: l.qty, ...(l.size ? { size: l.size } : {}), ...(l.color ? { color: l.color } : {}) })) } : {})
	};
}
