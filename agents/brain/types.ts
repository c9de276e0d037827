/** The offline brain's own shapes: what it reads from the `[state]` message and the tool results, and what it decides. */

export interface BrainState {
	brand: string;
	/** The AI seller's name, as the brands file gives it. */
	seller?: string;
	greet: boolean;
	awaitingConfirmation: boolean;
	cart: { items: { sku: string; name: string; size?: string; color?: string; qty: number; unitPriceText: string; lineTotalText: string }[]; totalText: string };
	shown: { position: number; sku: string }[];
	/** The product whose details were shown last ("add it" means this one). */
	focus?: string | null;
	lastOrderId: string | null;
	/** The order the last reply asked the customer to confirm cancelling. */
	cancelling?: string | null;
	/** "Which one would you like 2 of?" was asked: the customer's choice comes in that quantity. */
	pendingQty?: number;
	/** The last reply asked for a promotion code: a bare "WELCOME10" is one. */
	codeAsked?: boolean;
	/** The codes that reply listed: "apply it" after a list of one is that one. */
	codesOffered?: string[];
	/** The last reply offered something similar to a sold-out product: a yes wants that, not the product. */
	similarOffered?: boolean;
	/** The last reply asked whether to check out ("Ready to check out?" after the delivery times): a yes is that. */
	checkoutOffered?: boolean;
	/** The last reply offered to put the product in view in the cart ("Shall I add it to your cart?"); a bare yes takes it up. */
	addOffered?: boolean;
	/** The last reply said whether the product in view comes in a colour: "and in black?" asks the same of it. */
	colourAnswered?: boolean;
	/** The cart lines (skus) the last reply said were just added, or already in the cart. */
	justAdded?: string[];
	/** The last reply was the details of the product in view (it is looked at again: "add it" then means one more). */
	detailsLast?: boolean;
	/** The last reply asked whether to add one more of this cart line's product. */
	oneMoreOffered?: string;
	/**
	 * The list positions the last reply put side by side, when it compared some of the list: "which
	 * has more storage?" after "compare the first two" asks about those two.
	 */
	compared?: number[];
	/** The colours the last reply asked the customer to choose from, and for which product when it said. */
	coloursAsked?: { colours: string[]; of: string | null; earlier?: boolean } | null;
	/** The sizes the last reply's details of the product in view listed ("Sizes: 160x230 cm, 200x300 cm."), smallest first. */
	sizesShown?: string[] | null;
	/** The last reply is the numbered list in view: a bare "yes" under it is yes to one of them. */
	listLast?: boolean;
	/** The cart line whose size the last reply changed, and from which: "undo" changes it back. */
	resized?: { sku: string; from: string; to: string };
	/**
	 * Cart lines the last reply said can't be had as they are (sold out, or fewer left than the cart
	 * holds), with how many are left: a yes to "Shall I take it out?" fixes them.
	 */
	unavailable?: { sku: string; left: number }[];
	/** Where the customer's orders go, once given. */
	deliverTo?: string | null;
	/** The last reply asked where to deliver: an address now is the answer. */
	addressAsked?: boolean;
}

export interface ProductOut {
	sku: string;
	name: string;
	priceText: string;
	stock: number;
	description?: string;
	/** The description in Spanish, where the catalog has it: what a Spanish-speaking customer reads. */
	descriptionEs?: string;
	sizes?: string[];
	/** The colours it comes in, as the catalog lists them ("white, brass"). */
	color?: string;
	category?: string;
	attributes?: Record<string, string>;
	/** The catalog's tags, in its details ("single player"). */
	tags?: string[];
	promotion?: { code: string; percentOff: number; priceText: string };
}

export type Decision =
	| { kind: "tool"; name: string; args: Record<string, unknown>; intent: string }
	| { kind: "tools"; calls: { name: string; args: Record<string, unknown> }[]; intent: string }
	| { kind: "text"; text: string; intent: string; understood: boolean };

export const NO_STATE: BrainState = { brand: "fashion", greet: false, awaitingConfirmation: false, cart: { items: [], totalText: "$0.00" }, shown: [], lastOrderId: null };

export type ProductQuery = { query?: string; color?: string; minPrice?: number; maxPrice?: number; sort?: "price_asc" | "price_desc" | "size_asc" | "size_desc"; forAge?: number };

/** A line of the product list in the brain's last reply, as `productLines` wrote it. */
export interface ListedLine {
	name: string;
	/** Minor units; the promotion's price too, when it had one. */
	prices: number[];
}

/** A numbered product line of the last reply (a list, or two of it side by side): its number there and price. */
export interface PricedLine {
	n: number;
	/** Minor units, the promotion's price when it had one. */
	price: number;
	soldOut: boolean;
}

/** The filter a search was retried without. */
export type Relaxed = "price" | "color" | "size" | "platforms";

/** What an answer may depend on beyond its tool's output: a cart waiting, and the customer's words (folded). */
export interface ComposeContext {
	hasCart: boolean;
	/** The categories of what the cart holds, when they were looked up (a code for laptops is not offered for a phone). */
	cartCategories?: string[];
	asked: string;
	/** The colour a search asked for and found nothing in, when it was searched again without it. */
	missingColor?: string;
	/** The size a search asked for and found nothing in, when it was searched again without it. */
	missingSize?: string;
	/** The product that fit a recommendation best but is sold out, when similar ones were looked up instead. */
	soldOutBest?: string;
	/** The sold-out product the customer tried to add, when similar ones were looked up instead. */
	soldOutAsked?: string;
	/** A search within a budget found only sold-out products, so it was searched again above it. */
	budgetSoldOut?: boolean;
	/** The product (and its platforms) a search looked for things that work with. */
	worksWith?: string;
	/** What a search for something to go with the product found nothing for, when what goes with it was looked up instead. */
	lacking?: string;
	/** A kind the shop does not sell ("raincoat"), when its nearest category was searched instead. */
	nearestFor?: string;
	/** The product the customer named for these to go with ("what goes well with a white dress?"). */
	goesWith?: string;
	/** The age a search was for whose every fitting game is rated older, when picks for that age were looked up instead. */
	ratedOlder?: number;
	/** "What's new?" found nothing tagged new, so these are the usual picks. */
	noneNew?: boolean;
	/** The count put in the cart earlier in this turn, when this call only set its size or colour (said while looking). */
	addedNow?: number;
	/** An add asked for more of a product than are left, so those left went in: its name and stock. */
	capped?: { name: string; inStock: number };
	/** The age of who it is for, as the customer said it in this message or lately. */
	age?: number;
}
export const NO_CONTEXT: ComposeContext = { hasCart: false, asked: "" };
