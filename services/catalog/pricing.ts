/**
 * Prices and promotions, pure. Every amount is an integer in minor units; a percent discount is
 * rounded to the nearest cent once, on the eligible subtotal (not per line), so the lines and the
 * total always add up.
 */
import type { Product, Promotion } from "./types";
import { foldKey } from "./text";
import { coloursOf, formatMoney } from "../../contracts/catalog";

export interface PriceLine {
	sku: string;
	brand: string;
	name: string;
	qty: number;
	unitPrice: number;
	lineTotal: number;
	/** The sizes the product comes in, when it does: an order line's size must be one of them. */
	sizes?: string[];
	/** The colours (or shades) it comes in, when it lists them: an order line's colour must be one of them. */
	colours?: string[];
	/** The part of `lineTotal` the promotion's scope covers. */
	eligible: boolean;
}

export type PromoRefusal = "unknown" | "not_started" | "expired" | "first_order_only" | "out_of_scope" | "below_minimum";

export interface PromoOutcome {
	code: string;
	applied: boolean;
	description?: string;
	/** Why the code did not apply, in words a seller can repeat to the customer. */
	reason?: string;
	refusal?: PromoRefusal;
}

export interface Quote {
	lines: Omit<PriceLine, "eligible">[];
	subtotal: number;
	discount: number;
	total: number;
	currency: string;
	promo?: PromoOutcome;
}

export class UnknownSkuError extends Error {
	constructor(readonly sku: string) {
		super(`Product '${sku}' not found`);
	}
}

export class MixedCurrencyError extends Error {
	constructor(readonly currencies: string[]) {
		super(`Items are priced in different currencies: ${currencies.join(", ")}`);
	}
}

export function isActive(promo: Promotion, now: number): boolean {
	return Date.parse(promo.startsAt) <= now && now < Date.parse(promo.endsAt);
}

export function inScope(promo: Promotion, product: Product): boolean {
	return (
		(promo.brand === undefined || foldKey(promo.brand) === foldKey(product.brand)) &&
		(promo.category === undefined || foldKey(promo.category) === foldKey(product.category))
	);
}

function scopeText(promo: Promotion): string {
	if (promo.brand && promo.category) return `${promo.category} from ${promo.brand}`;
	if (promo.category) return promo.category;
	if (promo.brand) return `${promo.brand} products`;
	return "every product";
}

export function findPromotion(promotions: readonly Promotion[], code: string): Promotion | undefined {
	const wanted = code.trim().toUpperCase();
	return promotions.find(p => p.code.toUpperCase() === wanted);
}

export function quote(
	items: readonly { sku: string; qty: number }[],
	lookup: (sku: string) => Product | undefined,
	opts: { promoCode?: string; promotions?: readonly Promotion[]; now?: number; orderedBefore?: boolean } = {}
): Quote {
	const products = items.map(item => {
		const product = lookup(item.sku);
		if (!product) throw new UnknownSkuError(item.sku);
		return { item, product };
	});
	const currencies = [...new Set(products.map(p => p.product.currency))];
	if (currencies.length > 1) throw new MixedCurrencyError(currencies);
	const currency = currencies[0] ?? "USD";

	const promoCode = opts.promoCode?.trim();
	const promo = promoCode ? findPromotion(opts.promotions ?? [], promoCode) : undefined;
	const lines: PriceLine[] = products.map(({ item, product }) => {
		const colours = coloursOf(product.attributes);
		return {
			sku: product.sku,
			brand: product.brand,
			name: product.name,
			qty: item.qty,
			unitPrice: product.price,
			lineTotal: product.price * item.qty,
			...(Array.isArray(product.attributes.sizes) && product.attributes.sizes.length ? { sizes: product.attributes.sizes as string[] } : {}),
			...(colours.length ? { colours } : {}),
			eligible: promo !== undefined && inScope(promo, product)
		};
	});
	const subtotal = lines.reduce((sum, l) => sum + l.lineTotal, 0);

	let discount = 0;
	let outcome: PromoOutcome | undefined;
	if (promoCode) {
		const now = opts.now ?? Date.now();
		const code = promoCode.toUpperCase();
		const eligible = lines.filter(l => l.eligible).reduce((sum, l) => sum + l.lineTotal, 0);
		if (!promo) outcome = { code, applied: false, refusal: "unknown", reason: `${code} is not a promotion code we know` };
		else if (now < Date.parse(promo.startsAt))
			outcome = { code, applied: false, refusal: "not_started", reason: `${code} starts on ${promo.startsAt.slice(0, 10)}` };
		else if (now >= Date.parse(promo.endsAt))
			outcome = { code, applied: false, refusal: "expired", reason: `${code} expired on ${promo.endsAt.slice(0, 10)}` };
		else if (promo.firstOrderOnly && opts.orderedBefore)
			outcome = { code, applied: false, refusal: "first_order_only", reason: `${code} is for a first order only, and this customer has ordered${promo.brand ? ` from ${promo.brand}` : ""} before` };
		else if (eligible === 0)
			outcome = { code, applied: false, refusal: "out_of_scope", reason: `${code} applies to ${scopeText(promo)} only, and none of these items qualify` };
		else if (promo.minSubtotal !== undefined && eligible < promo.minSubtotal)
			outcome = {
				code,
				applied: false,
				refusal: "below_minimum",
				reason: `${code} needs at least ${formatMoney(promo.minSubtotal, currency)} of ${scopeText(promo)}; these items come to ${formatMoney(eligible, currency)}`
			};
		else {
			discount = promo.kind === "percent" ? Math.round((eligible * promo.value) / 100) : Math.min(promo.value, eligible);
			outcome = { code, applied: true, description: promo.description };
		}
	}

	const result: Quote = {
		lines: lines.map(({ eligible: _eligible, ...line }) => line),
		subtotal,
		discount,
		total: subtotal - discount,
		currency
	};
	if (outcome) result.promo = outcome;
	return result;
}
