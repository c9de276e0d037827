import type { StorePolicies } from "../../contracts/catalog";

export { PAYMENT_METHODS, RETURN_CONDITIONS, type PaymentMethod, type ReturnCondition, type StorePolicies } from "../../contracts/catalog";

/**
 * Catalog data types. Prices are integer minor units (cents) in `currency`; `stock` in the data
 * file is the level a store starts from, the live level lives in the Store.
 */

export interface Product {
	sku: string;
	brand: string;
	name: string;
	description: string;
	/** The description in Spanish, for customers who write Spanish. */
	descriptionEs?: string;
	category: string;
	/** Minor units (cents). */
	price: number;
	currency: string;
	stock: number;
	tags: string[];
	/** Sizes, colours and specs; values are strings or lists of strings. */
	attributes: Record<string, string | string[]>;
	imageUrl: string;
}

export type PromotionKind = "percent" | "fixed";

export interface Promotion {
	/** Case-insensitive on input; stored upper case. */
	code: string;
	description: string;
	/** The description in Spanish, for customers who write Spanish. */
	descriptionEs?: string;
	kind: PromotionKind;
	/** Percent (1-100) for `percent`, minor units for `fixed`. */
	value: number;
	/** Scope; both unset means every product. */
	brand?: string;
	category?: string;
	/** Minimum eligible subtotal in minor units. */
	minSubtotal?: number;
	/** For a customer's first order of its brand (of any brand when it has none): not once they have one that was not cancelled. */
	firstOrderOnly?: boolean;
	startsAt: string;
	endsAt: string;
}

export interface CatalogData {
	products: Product[];
	promotions: Promotion[];
	policies: StorePolicies[];
}
