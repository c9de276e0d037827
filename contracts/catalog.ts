/** The catalog's answers that other services and the agents read as they are. */

/**
 * Sizes compared as a customer writes them: "m" is "M", "45mm" is "45 mm", and "200 x 300" is
 * "200x300 cm" (the unit may be left out). One rule for the seller's tools and the orders service.
 */
const sizeKey = (size: string) => size.replace(/\s+/g, "").toUpperCase().replace(/(\d)CM$/, "$1");
export const sameSize = (a: string, b: string): boolean => sizeKey(a) === sizeKey(b);

export const PAYMENT_METHODS = ["card", "paypal", "apple_pay", "bank_transfer", "cash_on_delivery"] as const;
export type PaymentMethod = (typeof PAYMENT_METHODS)[number];
export const RETURN_CONDITIONS = ["any", "unused", "unopened"] as const;
export type ReturnCondition = (typeof RETURN_CONDITIONS)[number];

/**
 * A brand's terms of sale, as data the seller quotes (never its own guess). Figures only, no
 * prose: the seller words them in the customer's language. A topic left out is one the store has
 * not stated: the seller says so and offers a person. Orders carry no delivery charge, so none is
 * stated here either.
 */
export interface StorePolicies {
	brand: string;
	/** Business days from the order to the door. */
	delivery?: { minDays: number; maxDays: number };
	/** Days after delivery within which an item may be sent back, and in what state. */
	returns?: { days: number; condition: ReturnCondition };
	warranty?: { months: number };
	payment?: { methods: PaymentMethod[] };
}
