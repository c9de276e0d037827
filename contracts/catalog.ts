/** The catalog's answers that other services and the agents read as they are. */

/**
 * Sizes compared as a customer writes them: "m" is "M", "45mm" is "45 mm", and "200 x 300" is
 * "200x300 cm" (the unit may be left out). One rule for the seller's tools and the orders service.
 */
const sizeKey = (size: string) => size.replace(/\s+/g, "").toUpperCase().replace(/(\d)CM$/, "$1");
export const sameSize = (a: string, b: string): boolean => sizeKey(a) === sizeKey(b);

/**
 * A price as every reply, card and log shows it: "$1,084.99", "€12.50", "MXN 1,200.00". One
 * formatter, so the guardrails, the brain's list parsing and the console all read the same text.
 */
export function formatMoney(minor: number, currency = "USD"): string {
	const sign = minor < 0 ? "-" : "";
	const abs = Math.abs(Math.round(minor));
	const units = Math.floor(abs / 100).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ",");
	const amount = `${units}.${(abs % 100).toString().padStart(2, "0")}`;
	const symbol = ({ USD: "$", EUR: "€", GBP: "£" } as Record<string, string>)[currency];
	return `${sign}${symbol ?? `${currency} `}${amount}`;
}

const LETTER_SIZES = ["XXS", "XS", "S", "M", "L", "XL", "XXL", "XXXL"];
const BED_SIZES = ["single", "twin", "double", "queen", "king"];
/**
 * Sizes as a size chart lists them, smallest first: XS before M, 39 before 42.5, 120x170 cm before
 * 200x300 cm (by area), single before king; anything else after them, as given.
 */
export function sizesSmallestFirst(sizes: readonly string[]): string[] {
	const rank = (size: string): number => {
		const letter = LETTER_SIZES.indexOf(size.toUpperCase());
		if (letter >= 0) return letter;
		const bed = BED_SIZES.indexOf(size.toLowerCase());
		if (bed >= 0) return 10 + bed;
		const figures = size.match(/\d+(?:[.,]\d+)?/g)?.map(f => Number(f.replace(",", ".")));
		return figures ? 100 + figures.reduce((area, f) => area * f, 1) : Number.POSITIVE_INFINITY;
	};
	return [...sizes].sort((a, b) => rank(a) - rank(b));
}

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
