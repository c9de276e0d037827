/** The reply once the tools have answered: each tool's result written in the customer's language and the persona's voice. */
import { readSpecBound, sizeMeasure, sizesSmallestFirst, writeSpecBounds } from "../../contracts/catalog";
import type { Lang } from "../language";
import type { Persona } from "../personas";
import type { ChatMessage, ChatToolCall } from "../runner";
import type { PolicyTopic, ShortLine, ToolErrorFacts } from "../tools";
import { detailsHead, featureAsked, WHICH_FEATURE } from "./answers";
import { FIT_ASKED, platformsOf } from "./attributes";
import { FOR_SOMEONE, FURNISHING, MAX_LINE_QTY, GROUP_DISCOUNT, HOW_TO_PAY, INSTALMENTS, NEW_HOME, NEW_TAG, PAYMENT_WORDS, PRODUCT_ASKED, RESTOCK, RETURN_CONDITION_WORDS, STOCK_ASKED, TOPIC_WORDS } from "./intents";
import { kindsLater, namesAKind, onlyNumberMatched, unmatchedOf } from "./kinds";
import { addressPrompt } from "./address";
import { type CartPromotion, cartLines, itemLines, priceRank, productLines, promotionLost } from "./lists";
import { DEMANDING_BOUND, DEMANDING_USE } from "./query";
import { aYearOld, capitalise, CATEGORIES_ES, colourIn, descriptionIn, example, fold, joinWith, labelIn, singular, t } from "./text";
import { type BrainState, type ComposeContext, NO_CONTEXT, type ProductOut, type Relaxed } from "./types";
import { choiceAsked, lineName, recolouredText, resizedText, sizedText, sizeReferenced, variantOf } from "./variants";


/** "How much for two?": that many together, each, and whether there are that many to add. */
function pricedFor(p: ProductOut, forQty: { qty: number; eachText: string; totalText: string }, inCart: number, lang: Lang): { text: string; understood: boolean } {
	const { qty, eachText, totalText } = forQty;
	const head = t(lang, `${qty} × ${p.name} come to ${totalText} (${eachText} each).`, `${qty} × ${p.name} salen ${totalText} (${eachText} cada uno).`);
	const next =
		p.stock <= 0
			? t(lang, "Sold out right now, I'm afraid. Want me to show you something similar?", "Está agotado por ahora, lo siento. ¿Te muestro algo parecido?")
			: inCart
				? t(lang, `You have ${inCart} in your cart; ${p.stock} in stock.`, `Tienes ${inCart} en tu carrito; ${p.stock} ${p.stock === 1 ? "disponible" : "disponibles"}.`)
				: p.stock < qty
					? t(lang, `Only ${p.stock} in stock, though. Shall I add ${p.stock === 1 ? "it" : `all ${p.stock}`} to your cart?`, `Pero solo ${p.stock === 1 ? "queda 1" : `quedan ${p.stock}`}. ¿${p.stock === 1 ? "Lo agrego" : `Agrego ${p.stock}`} a tu carrito?`)
					: t(lang, `${p.stock} in stock. Shall I add ${qty} to your cart?`, `${p.stock} ${p.stock === 1 ? "disponible" : "disponibles"}. ¿Agrego ${qty} a tu carrito?`);
	return { text: `${head}\n${next}`, understood: true };
}

/** Searched words as the customer wrote them ("dark circles" for the search's "dark circle"), else as searched. */
function asSaid(searched: string, asked: string): string {
	const words = searched.split(/\s+/).map(w => `${w.replace(/[^a-z0-9]/g, "")}(?:s|es)?`);
	return new RegExp(`\\b${words.join("\\s+")}\\b`).exec(fold(asked))?.[0] ?? searched;
}

/** "Swap it for …", done: what went out, what came in, the cart, and what the new one still needs. */
export function composeSwap(removed: { name: string; size?: string; color?: string }, added: any, cart: any, lang: Lang): { text: string; understood: boolean } {
	const put = added.added as { name: string; size?: string; color?: string };
	return { text: `${t(lang, `Swapped ${lineName(removed)} for ${lineName(put)} 👌`, `Cambié ${lineName(removed, lang)} por ${lineName(put, lang)} 👌`)}\n${cartLines(cart, lang)}\n${choiceAsked(added, lang)}`, understood: true };
}

/** An add of more than are left, after those left went in: the cart now holds every one there is. */
function cappedText(lang: Lang, { name, inStock }: { name: string; inStock: number }): string {
	return inStock === 1
		? t(lang, `Only 1 ${name} left in stock — it's in your cart now.`, `Solo queda 1 unidad de ${name} — ya está en tu carrito.`)
		: t(lang, `Only ${inStock} of the ${name} left in stock — ${inStock === 2 ? "both are" : `all ${inStock} are`} in your cart now.`, `Solo quedan ${inStock} unidades de ${name} — ya están todas en tu carrito.`);
}

/**
 * What the customer reads when a tool said no. Refusals by the store's rules are worded from their
 * facts in the customer's language; anything else gets an apology without the tool's English text
 * (which is written for the model).
 */
function refusal(tool: string, output: (ToolErrorFacts | { code?: undefined }) & { error: string }, lang: Lang): { text: string; understood: boolean } {
	switch (output.code) {
		case "insufficient_stock": {
			const more = output.inStock - output.inCart;
			const text =
				output.inStock === 0
					? t(lang, `Sorry, ${output.name} is sold out right now. Want me to show you something similar?`, `Perdón, ${output.name} está agotado por ahora. ¿Te muestro algo parecido?`)
					: more <= 0
						? output.inStock === 1
							? t(lang, `You already have the last ${output.name} we have in your cart.`, `Ya tienes en tu carrito la única unidad de ${output.name} que nos queda.`)
							: t(lang, `You already have all ${output.inStock} ${output.name} we have in your cart.`, `Ya tienes en tu carrito las ${output.inStock} unidades de ${output.name} que nos quedan.`)
						: t(lang, `Sorry, I can add only ${more} more ${output.name} (${output.inStock} in stock).`, `Perdón, solo puedo agregar ${more} más de ${output.name} (${output.inStock} disponibles).`);
			return { text, understood: true };
		}
		case "sold_at_checkout":
			return {
				text:
					output.inStock === 0
						? t(lang, `Sorry — ${output.name} sold out while we were at it, so I haven't placed the order. Shall I take it out of your cart, or show you something similar?`, `Perdón — ${output.name} se agotó mientras tanto, así que no hice el pedido. ¿Lo quito del carrito o te muestro algo parecido?`)
						: t(lang, `Sorry — only ${output.inStock} of the ${output.name} left now, and you have ${output.inCart} in your cart, so I haven't placed the order. Shall I make it ${output.inStock}?`, `Perdón — ahora solo quedan ${output.inStock} de ${output.name} y tienes ${output.inCart} en el carrito, así que no hice el pedido. ¿Lo dejo en ${output.inStock}?`),
				understood: true
			};
		case "unknown_size":
			return {
				text: output.sizes.length
					? t(
							lang,
							`Sorry, ${output.name} doesn't come in ${output.size}. Sizes: ${sizesSmallestFirst(output.sizes).join(", ")}.`,
							`Perdón, ${output.name} no viene en ${output.size}. Tallas: ${sizesSmallestFirst(output.sizes).join(", ")}.`
						)
					: /^\d+$/.test(output.size) && Number(output.size) > MAX_LINE_QTY
						? // "Make it 25" of what has no sizes was a count, past what a cart line takes.
							t(lang, `I can put up to ${MAX_LINE_QTY} of a product in a cart here. For ${output.size}, our team can give you a price — just say "talk to a person".`, `Aquí puedo agregar hasta ${MAX_LINE_QTY} unidades de un producto. Para ${output.size}, nuestro equipo te da un precio — solo escribe "hablar con una persona".`)
						: t(lang, `${output.name} comes in one size only.`, `${output.name} viene en talla única.`),
				understood: true
			};
		case "unknown_color":
			return {
				text: output.colours.length
					? t(lang, `Sorry, ${output.name} doesn't come in ${output.color}. Colours: ${output.colours.join(", ")}.`, `Perdón, ${output.name} no viene en ese color. Colores: ${colourIn(lang, output.colours.join(", "))}.`)
					: t(lang, `${output.name} comes in one colour only.`, `${output.name} viene en un solo color.`),
				understood: true
			};
		case "color_needed":
			return {
				text: t(lang, `Before I place it: which colour of ${output.name}? ${output.colours.join(", ")}`, `Antes de hacer el pedido: ¿qué color de ${output.name}? ${colourIn(lang, output.colours.join(", "))}`),
				understood: true
			};
		case "size_needed":
			return {
				text: t(
					lang,
					`Before I place it: which size of ${output.name}? ${sizesSmallestFirst(output.sizes).join(", ")}`,
					`Antes de hacer el pedido: ¿qué talla de ${output.name}? ${sizesSmallestFirst(output.sizes).join(", ")}`
				),
				understood: true
			};
		case "not_in_cart":
			return { text: t(lang, "That isn't in your cart.", "Eso no está en tu carrito."), understood: true };
		case "address_needed":
			return { text: addressPrompt(lang), understood: true };
		case "promo_refused": {
			const c = output.promoCode;
			const why: Record<string, [string, string]> = {
				unknown: [`I don't know the code ${c} — could you check it?`, `No conozco el código ${c} — ¿puedes revisarlo?`],
				expired: [`Sorry, ${c} has expired.`, `Perdón, ${c} ya venció.`],
				not_started: [`${c} isn't active yet.`, `${c} todavía no está activo.`],
				out_of_scope: [`${c} doesn't apply to what's in your cart.`, `${c} no aplica a lo que tienes en el carrito.`],
				below_minimum: [`${c} needs a bigger order — add a bit more and I'll apply it.`, `${c} necesita un pedido mayor — agrega algo más y lo aplico.`],
				first_order_only: [`${c} is for a first order, and you've ordered with us before — sorry!`, `${c} es para un primer pedido, y ya nos compraste antes — ¡lo siento!`]
			};
			const [en, es] = why[output.refusal] ?? why.unknown!;
			return { text: t(lang, en, es), understood: true };
		}
		case "not_cancellable":
			return {
				text:
					output.status === "delivered"
						? t(lang, `Your order ${output.orderId} was already delivered, so there's nothing to cancel. To return it, say "talk to a person" and our team will help.`, `Tu pedido ${output.orderId} ya fue entregado, así que no hay nada que cancelar. Para devolverlo, escribe "hablar con una persona" y nuestro equipo te ayuda.`)
						: t(lang, `Your order ${output.orderId} has already shipped, so it can't be cancelled any more. To return it once it arrives, say "talk to a person" and our team will help.`, `Tu pedido ${output.orderId} ya salió, así que ya no se puede cancelar. Para devolverlo cuando llegue, escribe "hablar con una persona" y nuestro equipo te ayuda.`),
				understood: true
			};
		case "address_fixed":
			return {
				text:
					output.status === "cancelled"
						? t(lang, `Your order ${output.orderId} was cancelled, so it goes nowhere now. Want to place a new one?`, `Tu pedido ${output.orderId} fue cancelado, así que ya no va a ningún lado. ¿Hacemos uno nuevo?`)
						: t(lang, `Your order ${output.orderId} has already ${output.status === "delivered" ? "been delivered" : "shipped"}, so its address can't be changed from here. Say "talk to a person" and our team will see what can be done.`, `Tu pedido ${output.orderId} ya ${output.status === "delivered" ? "fue entregado" : "salió"}, así que su dirección ya no se puede cambiar desde aquí. Escribe "hablar con una persona" y nuestro equipo ve qué se puede hacer.`),
				understood: true
			};
		case "no_order":
			// A number the customer gave that is none of theirs: how ours look, and the way to their latest.
			if (typeof output.orderId === "string")
				return {
					text: t(
						lang,
						`I can't find an order “${output.orderId}” of yours. Our order numbers start with “ord_” (it's in your order confirmation) — or say "where is my order?" and I'll look up your latest.`,
						`No encuentro un pedido “${output.orderId}” tuyo. Nuestros números de pedido empiezan con “ord_” (está en la confirmación del pedido) — o escribe "dónde está mi pedido" y busco el último.`
					),
					understood: true
				};
			return { text: t(lang, "I can't find an order of yours yet. Want to place one?", "Todavía no encuentro un pedido tuyo. ¿Hacemos uno?"), understood: true };
		case "no_order_with":
			return {
				text: output.open.length
					? `${t(lang, `I can't find ${output.item} in your recent orders. Which order shall I cancel?`, "No lo encuentro en tus pedidos recientes. ¿Qué pedido cancelo?")}\n${orderChoices(output.open, lang)}`
					: t(lang, `I can't find ${output.item} in your recent orders, and none of them is open to cancel.`, "No lo encuentro en tus pedidos recientes, y ninguno sigue abierto para cancelarlo."),
				understood: true
			};
		case "unknown_product":
			return { text: t(lang, "Sorry, I can't find that product anymore. Want to search again?", "Perdón, ya no encuentro ese producto. ¿Buscamos de nuevo?"), understood: false };
	}
	if (tool === "checkout" && /empty/i.test(output.error))
		return { text: t(lang, "Your cart is empty — want me to show you a few things?", "Tu carrito está vacío — ¿te muestro algunas cosas?"), understood: true };
	return { text: t(lang, "Sorry, I couldn't do that just now.", "Perdón, no pude hacerlo ahora mismo."), understood: false };
}

/**
 * Lines that sold while in the cart, under it: what can't be had, and the fix offered (out, or what
 * is left). The wording is what `unavailableSaid` reads back to know what a yes fixes.
 */
function unavailableText(short: ShortLine[], lang: Lang): string {
	const each = short.map(l =>
		l.inStock === 0
			? t(lang, `⚠️ ${l.name} is sold out now.`, `⚠️ ${l.name} se agotó.`)
			: t(lang, `⚠️ Only ${l.inStock} of the ${l.name} left now, and you have ${l.inCart}.`, `⚠️ Ahora solo quedan ${l.inStock} de ${l.name} y tienes ${l.inCart}.`)
	);
	const [one] = short;
	const ask =
		short.length > 1
			? t(lang, "Shall I change your cart to what's left?", "¿Ajusto tu carrito a lo que queda?")
			: one!.inStock === 0
				? t(lang, "Shall I take it out of your cart, or show you something similar?", "¿Lo quito del carrito o te muestro algo parecido?")
				: t(lang, `Shall I make it ${one!.inStock}?`, `¿Lo dejo en ${one!.inStock}?`);
	return `${each.join("\n")}\n${ask}`;
}

type OrderItem = { name: string; qty: number; size?: string; color?: string };
const orderItemLines = (items: OrderItem[], lang: Lang): string => items.map(i => `• ${lineName(i, lang)} ×${i.qty}`).join("\n");
/** Open orders to choose from, one line each: its id (what an answer may quote), total and contents. */
function orderChoices(orders: { orderId: string; totalText: string; items?: OrderItem[] }[], lang: Lang): string {
	const lines = orders.map(o => `• ${o.orderId} (${o.totalText})${o.items?.length ? `: ${o.items.map(i => `${lineName(i, lang)} ×${i.qty}`).join(", ")}` : ""}`);
	return `${lines.join("\n")}\n${t(lang, 'Say e.g. "the first one".', 'Dime p. ej. "el primero".')}`;
}

/** The product "what goes well with a white dress?" named: the one the search names, else its first hit. */
export const goesWithBase = (call: ChatToolCall, output: any): string | undefined => namedHit(call, output) ?? ((output?.products ?? []) as ProductOut[])[0]?.sku;

/** The words a search looked for: "usb-c hub" is the words of "USB-C Hub 7-in-1". */
const searchedWords = (call: ChatToolCall): string[] => String(argsOf(call).query ?? "").split(/[\s-]+/).filter(Boolean);
/** A searched word is a word of a name: "boot" is in "Chelsea Boots"; a lone "c" is only the word "c". */
const wordOfName = (w: string, n: string): boolean => n === w || (w.length > 2 && n.startsWith(w));
const nameWords = (name: string): string[] => fold(name).split(/[^a-z0-9]+/);
/** Every searched word is a word of the name ("probook 14" of "ProBook 14"). */
const nameHasAll = (words: string[], name: string): boolean => {
	const parts = nameWords(name);
	return words.every(w => parts.some(n => wordOfName(w, n)));
};

/**
 * The one product a search for a name found: the only hit, or the one whose name has clearly the
 * most of the words searched, two at least ("is the vitamin c serum good for sensitive skin?"
 * names the Vitamin C Brightening Serum, not the other serums; "black jacket" names neither of two
 * black jackets; one word names a kind of product, not one of them).
 */
export function namedHit(call: ChatToolCall, output: any, addFor?: string, toAdd = false): string | undefined {
	const products = (output?.products ?? []) as ProductOut[];
	// To show it, the only hit will do; to put it in the cart, the customer must have named it ("I want
	// a red lipstick" found one lipstick, but the customer has not chosen it yet).
	if (products.length === 1 && addFor === undefined) return products[0]!.sku;
	// To add, the colour searched is a word of the name too when the name says it ("add the terracotta
	// vase"); to show, "white sneakers" still lists the white ones.
	const colour = toAdd ? argsOf(call).color : undefined;
	const words = [...searchedWords(call), ...(typeof colour === "string" ? fold(colour).split(/\s+/) : [])];
	const said = (n: string) => words.some(w => wordOfName(w, n));
	const inName = (p: ProductOut) => words.filter(w => nameWords(p.name).some(n => wordOfName(w, n))).length;
	const ranked = products.map(p => ({ p, n: inName(p) })).sort((a, b) => b.n - a.n);
	const [first, second] = ranked;
	if (!first || first.n < 2 || first.n <= (second?.n ?? 0)) return undefined;
	if (addFor !== undefined) {
		// Into the cart only what the customer named, not what their words describe: "headphones with
		// noise cancelling" fits the Noise Cancelling Travel Headphones but chose nothing. Every word of
		// the name said, or all but one after "the" ("I'll take the waxed jacket").
		// Said in the message counts too, as the words the search drops ("sea").
		const written = addFor.split(/[^a-z0-9]+/).filter(Boolean);
		const missing = nameWords(first.p.name).filter(n => n.length > 2 && !/\d/.test(n) && !NAME_FILLER.has(n) && !said(n) && !written.some(w => wordOfName(w, n))).length;
		if (missing > (DEFINITE.test(addFor) ? 1 : 0)) return undefined;
	}
	return first.p.sku;
}
/**
 * What a comparison's name stands for: the product named, or the few whose names all carry the
 * words said ("the Nexus" is the three Nexus consoles; "the Switchblade" is the Switchblade
 * Handheld, not the games for it that also say Switchblade). None when the words name nothing
 * or more than `most`.
 */
export function namedFamily(call: ChatToolCall, output: any, most: number): string[] {
	const hit = namedHit(call, output);
	if (hit) return [hit];
	const words = searchedWords(call);
	if (!words.length) return [];
	const family = ((output?.products ?? []) as ProductOut[]).filter(p => nameHasAll(words, p.name));
	return family.length <= most ? family.map(p => p.sku) : [];
}
/** The hit the customer named, when every word searched is a word of its name ("probook 14"). */
export function namedInFull(call: ChatToolCall, output: any, asked: string): string | undefined {
	const sku = namedHit(call, output, asked);
	const hit = ((output?.products ?? []) as ProductOut[]).find(p => p.sku === sku);
	return hit && nameHasAll(searchedWords(call), hit.name) ? sku : undefined;
}
/**
 * "What colours does the dress come in?" with a dress in the cart: of the hits, the one the cart
 * holds, when "the" points at one and the cart holds just one of them.
 */
export function theOneInCart(output: any, words: string, state: BrainState): string | undefined {
	if (!DEFINITE.test(words)) return undefined;
	const inCart = ((output?.products ?? []) as ProductOut[]).filter(p => state.cart.items.some(i => i.sku === p.sku));
	return inCart.length === 1 ? inCart[0]!.sku : undefined;
}
/** Words of a product's name that name nothing ("Tee with Pocket", "Salt and Pepper Set"). */
const NAME_FILLER = new Set(["and", "with", "for", "the", "con", "para", "los", "las", "del"]);
/** A product pointed at: "the waxed jacket", "that lamp", "la chaqueta". */
export const DEFINITE = /\b(the|that|this|el|la|ese|esa|este|esta)\b/;

/** The budget of a query, and the age of who it is for, as the recommend tool takes them. */
export function recommendFilters(q: { maxPrice?: unknown; forAge?: unknown }): { maxPrice?: number; forAge?: number } {
	return { ...(typeof q.maxPrice === "number" ? { maxPrice: q.maxPrice } : {}), ...(typeof q.forAge === "number" ? { forAge: q.forAge } : {}) };
}

/** A tool call's arguments as an object; none when they are not one. */
export function argsOf(call: ChatToolCall): Record<string, unknown> {
	try {
		const args = JSON.parse(call.arguments) as unknown;
		return args && typeof args === "object" && !Array.isArray(args) ? (args as Record<string, unknown>) : {};
	} catch {
		return {};
	}
}

/**
 * A search that found nothing because of the customer's size, budget, colour or platforms is tried
 * once more without it (the budget's cheapest first), as a seller would say "nothing under $50,
 * but…"; so is one within a budget that found only sold-out products.
 */
export function relax(call: ChatToolCall, output: any): { args: Record<string, unknown>; dropped: Relaxed } | null {
	if (call.name !== "search_products" || !output) return null;
	const { size, ...sized } = argsOf(call);
	// "A laptop under $1000" when every one within it is sold out: the nearest above it that can be bought.
	const found = (output.products ?? []) as ProductOut[];
	if (found.length && found.every(p => p.stock === 0) && size === undefined && sized.maxPrice !== undefined) {
		const { maxPrice: _over, ...unbounded } = sized;
		return { args: { ...unbounded, sort: "price_asc" }, dropped: "price" };
	}
	if (output.count !== 0) return null;
	// The size goes first: "a dress in M under $50" with none in M shows the ones under $50.
	if (size !== undefined) return { args: sized, dropped: "size" };
	const { minPrice, maxPrice, color, ...rest } = sized;
	if (minPrice !== undefined || maxPrice !== undefined)
		return { args: { ...rest, ...(color !== undefined ? { color } : {}), ...(maxPrice !== undefined ? { sort: "price_asc" } : {}) }, dropped: "price" };
	if (color !== undefined) return { args: rest, dropped: "color" };
	// Last, what it must work with: "a wheel that works with it" with none that does shows the wheels, and says so.
	const { platforms, ...anyPlatform } = rest;
	if (platforms !== undefined) return { args: anyPlatform, dropped: "platforms" };
	return null;
}

/** What a list for someone of `age` opens with, and how many games it left out as rated for older players. */
function ageIntro(age: number, left: number, lang: Lang): string {
	if (!left) return t(lang, `For ${aYearOld(age)}:`, `Aptos para ${age} años:`);
	return t(
		lang,
		`For ${aYearOld(age)} (I've left out ${left === 1 ? "a game" : `${left} games`} rated for older players):`,
		`Aptos para ${age} años (dejé fuera ${left === 1 ? "un juego" : `${left} juegos`} para mayores):`
	);
}

/** Several different tools' answers, one after the other (an order's status, then delivery times); `asks`: the question each answers, when each answers its own. */
export function composeEach(calls: ChatToolCall[], outputs: any[], lang: Lang, persona: Persona, ctx: ComposeContext = NO_CONTEXT, asks?: string[]): { text: string; understood: boolean } {
	// One opener for the reply: the parts after the first go without theirs ("Here you go." twice read oddly).
	const quiet: Persona = { ...persona, flourish: { en: "", es: "" }, showing: { en: [""], es: [""] } };
	const parts = calls.map((c, i) => {
		const output = outputs[i];
		// An order that arrived has its own news; one on its way still has the store's delivery times to go by
		// ("when will it arrive?" got only the carrier).
		if (c.name === "store_policy" && outputs.some(o => o?.status === "delivered")) return null;
		// Nor the ways to pay, for an order paid (or cancelled) already.
		if (c.name === "store_policy" && output?.topic === "payment" && outputs.some(o => o?.status !== undefined && o.status !== "pending")) return null;
		if (typeof output?.error === "string") return refusal(c.name, output, lang);
		// Each call of several questions answers its own ("how much is shipping?"), not the whole message.
		const part = compose(c, output, lang, i ? quiet : persona, undefined, asks?.[i] !== undefined ? { ...ctx, asked: asks[i]! } : ctx);
		// An answer with more after it does not close with its own offer ("Anything I can find for you?").
		const text = asks && i < calls.length - 1 ? part.text.replace(/\s*(?:Anything I can find for you\?|¿Te busco algo\?)$/, "") : part.text;
		return i ? { ...part, text: text.trimStart() } : { ...part, text };
	});
	const shown = parts.filter((p): p is { text: string; understood: boolean } => p !== null);
	return { text: shown.map(p => p.text).join("\n"), understood: shown.some(p => p.understood) };
}

/** The cart's lines and total, with the code the output says applies to it (or no longer does). */
function withPromotion(cart: any, output: { promotion?: CartPromotion; promotionNotApplied?: { code: string } }, lang: Lang): string {
	return cartLines({ ...cart, ...(output.promotion ? { promotion: output.promotion } : {}), ...(output.promotionNotApplied ? { promotionNotApplied: output.promotionNotApplied } : {}) }, lang);
}

/** The store's payment link of an order waiting for payment, on a line of its own. */
/** The summary's line saying where the order goes, and how to change it. */
function deliveryLine(summary: { deliverTo?: unknown; digital?: unknown }, lang: Lang): string {
	if (summary.digital === true) return `\n${t(lang, "Delivery: a digital code, no address needed", "Entrega: código digital, sin dirección")}`;
	return typeof summary.deliverTo === "string" ? `\n${t(lang, `Delivery to: ${summary.deliverTo} (to change it, send the new address)`, `Entrega en: ${summary.deliverTo} (para cambiarla, mándame la nueva dirección)`)}` : "";
}

function payHere(order: { paymentUrl?: unknown }, lang: Lang): string {
	return typeof order.paymentUrl === "string" ? `\n${t(lang, "Pay here", "Paga aquí")}: ${order.paymentUrl}` : "";
}

/** An order's lifecycle state in the customer's words. */
const ORDER_STATUS_WORDS: Record<string, [string, string]> = {
	pending: ["placed and waiting for payment", "hecho y esperando el pago"],
	confirmed: ["paid and being prepared", "pagado y en preparación"],
	shipped: ["on its way", "en camino"],
	delivered: ["delivered", "entregado"],
	cancelled: ["cancelled", "cancelado"]
};

/** The persona with its n-th opener (the first, then `alsoSays` in turn) as its flourish, and its n-th list opener first. */
export function withOpener(persona: Persona, n: number): Persona {
	const en = [persona.flourish.en, ...(persona.alsoSays?.en ?? [])];
	const es = [persona.flourish.es, ...(persona.alsoSays?.es ?? [])];
	const turn = (xs: string[]) => [...xs.slice(n % xs.length), ...xs.slice(0, n % xs.length)];
	return { ...persona, flourish: { en: en[n % en.length]!, es: es[n % es.length]! }, showing: { en: turn(persona.showing.en), es: turn(persona.showing.es) } };
}

/** The answer to several products added at once (a WhatsApp catalog cart, or "both"): what went in, what could not, and the cart. */
export function composeAdds(outputs: any[], lang: Lang, persona: Persona, fromCatalog: boolean): { text: string; understood: boolean } {
	const added = outputs.filter(o => o?.added);
	const refused = outputs.filter(o => typeof o?.error === "string").map(o => refusal("add_to_cart", o, lang).text);
	const cart = added.length ? added[added.length - 1].cart : null;
	const head = !added.length
		? fromCatalog
			? t(lang, "I couldn't add anything from your WhatsApp cart:", "No pude agregar nada de tu carrito de WhatsApp:")
			: t(lang, "I couldn't add those:", "No pude agregar esos:")
		: fromCatalog
			? t(lang, `${persona.flourish[lang]} I put your WhatsApp cart in your order:`, `${persona.flourish[lang]} Pasé tu carrito de WhatsApp a tu pedido:`)
			: t(lang, `${persona.flourish[lang]} Added to your cart 🛒`, `${persona.flourish[lang]} Agregué a tu carrito 🛒`);
	const body = [head, ...(cart ? [cartLines(cart, lang)] : []), ...refused].join("\n");
	// A product added without its size or colour: asked now, or the checkout would ask later.
	const unsized = added.find(o => Array.isArray(o.sizeNeeded) && o.sizeNeeded.length);
	const uncoloured = added.find(o => Array.isArray(o.colourNeeded) && o.colourNeeded.length);
	const next = unsized
		? t(lang, `Which size would you like in the ${unsized.added.name}? ${sizesSmallestFirst(unsized.sizeNeeded).join(", ")}`, `¿En qué talla quieres ${unsized.added.name}? ${sizesSmallestFirst(unsized.sizeNeeded).join(", ")}`)
		: uncoloured
		? t(lang, `Which colour would you like in the ${uncoloured.added.name}? ${uncoloured.colourNeeded.join(", ")}`, `¿En qué color quieres ${uncoloured.added.name}? ${uncoloured.colourNeeded.join(", ")}`)
		: cart
			? t(lang, "Ready to check out?", "¿Finalizamos la compra?")
			: t(lang, "Want me to show you something similar?", "¿Te muestro algo parecido?");
	return { text: `${body}\n${next}`, understood: true };
}

/** Several lines out at once ("empty my cart"): what went, and what is left. */
export function composeRemovals(outputs: any[], lang: Lang): { text: string; understood: boolean } {
	const removed = outputs.filter(o => o?.removed).map(o => lineName(o.removed, lang));
	const refused = outputs.filter(o => typeof o?.error === "string").map(o => refusal("remove_from_cart", o, lang).text);
	const cart = [...outputs].reverse().find(o => o?.cart)?.cart;
	const head = removed.length ? t(lang, `Removed ${joinWith(removed, "and")}.`, `Quité ${joinWith(removed, "y")}.`) : null;
	const rest = cart?.items.length ? cartLines(cart, lang) : t(lang, "Your cart is empty now — tell me what you're looking for!", "Tu carrito quedó vacío — ¡dime qué buscas!");
	return { text: [head, ...refused, rest].filter(Boolean).join("\n"), understood: removed.length > 0 };
}

/** The text answer once the tool results are in; `relaxed` names the filter a retried search left out. */
export function compose(call: ChatToolCall, output: any, lang: Lang, persona: Persona, relaxed?: Relaxed | "photo", ctx: ComposeContext = NO_CONTEXT): { text: string; understood: boolean } {
	if (output && typeof output.error === "string") return refusal(call.name, output, lang);
	switch (call.name) {
		case "search_products":
		case "recommend": {
			const products = (output.products ?? []) as ProductOut[];
			const paged = Number(argsOf(call).offset ?? 0) > 0;
			// "Show me more" after the last of them.
			if (!products.length && paged)
				return { text: t(lang, "That's everything I have for that, I'm afraid — nothing more to show. Want me to look for something else?", "Eso es todo lo que tengo de eso, lo siento. ¿Te busco otra cosa?"), understood: true };
			if (!products.length && call.name === "recommend") {
				const look = t(lang, "Tell me what you're after and I'll look.", "Dime qué buscas y lo busco.");
				const like = argsOf(call).size ?? (argsOf(call).cheaper === true ? "cheaper" : undefined);
				return {
					text: output.unmeasured
						? t(lang, `Its details don't give a size to compare by, I'm afraid. ${look}`, `Su ficha no indica un tamaño para comparar, perdón. ${look}`)
						: like === "bigger"
						? t(lang, `Nothing like it that's in stock is bigger, I'm afraid. ${look}`, `No tengo nada parecido más grande disponible, perdón. ${look}`)
						: like === "smaller"
						? t(lang, `Nothing like it that's in stock is more compact, I'm afraid. ${look}`, `No tengo nada parecido más compacto disponible, perdón. ${look}`)
						: like === "cheaper"
						? t(lang, `Nothing like it that's in stock costs less, I'm afraid. ${look}`, `No tengo nada parecido por menos disponible, perdón. ${look}`)
						: ctx.soldOutBest
						? t(lang, `The ${ctx.soldOutBest} fits best, but it's sold out right now, and I have nothing like it in stock. ${look}`, `${ctx.soldOutBest} es lo que mejor encaja, pero está agotado ahora, y no tengo nada parecido disponible. ${look}`)
						: ctx.soldOutAsked
						? t(lang, `Sorry, ${ctx.soldOutAsked} is sold out right now, and I have nothing like it in stock. ${look}`, `Perdón, ${ctx.soldOutAsked} está agotado por ahora, y no tengo nada parecido disponible. ${look}`)
						: argsOf(call).kind === "similar"
							? t(lang, `I don't have anything like it in stock right now, I'm afraid. ${look}`, `No tengo nada parecido disponible ahora, perdón. ${look}`)
							: t(lang, `I have nothing to suggest right now. ${look}`, `No tengo sugerencias ahora mismo. ${look}`),
					understood: true
				};
			}
			if (!products.length) {
				const args = argsOf(call);
				const filtered = args.color !== undefined || args.minPrice !== undefined || args.maxPrice !== undefined;
				// "What's the weather like?" found nothing either: say what was looked for, and what we do.
				const words = typeof args.query === "string" ? args.query.slice(0, 60) : "";
				const understood = PRODUCT_ASKED.test(fold(ctx.asked)) || namesAKind(words);
				// "Do you sell sunglasses?" in a shop without: what it does sell, to choose from.
				const sells = Array.isArray(output.categories) ? (output.categories as string[]).slice(0, 10) : [];
				return {
					text:
						filtered || !words
							? t(lang, "I couldn't find anything matching that. Want to try another colour or budget?", "No encontré nada con eso. ¿Probamos otro color o presupuesto?")
							: understood && sells.length
							? t(lang, `I couldn't find “${words}” in our shop, I'm afraid — we have ${joinWith(sells, "and")}. Which shall I show you?`, `No tengo eso en la tienda, perdón — tenemos ${joinWith(sells.map(c => CATEGORIES_ES[fold(c)] ?? c), "y")}. ¿Qué te muestro?`)
							: t(
									lang,
									`I couldn't find anything for “${words}” in our shop. Tell me the product you're after (e.g. ${example(persona, lang)}), or ask about your cart or an order.`,
									// The query is in the catalog's English: not quoted back to a Spanish speaker.
									`No encontré eso en la tienda. Dime qué producto buscas (p. ej. ${example(persona, lang)}), o pregúntame por tu carrito o un pedido.`
								),
					// "I also need a chair" was understood: the shop has none. A message searched only
					// because nothing else fit ("what's the weather like?") was not.
					understood
				};
			}
			// "Do you have an iPhone 15?": only its number matched (the WorkMate 15): none of ours, said so.
			const notOurs = call.name === "search_products" ? onlyNumberMatched(argsOf(call).query, output) : null;
			if (notOurs)
				return {
					text: t(
						lang,
						`I don't have “${notOurs}” in our shop, I'm afraid. Tell me what you need it for and I'll find the closest we have (e.g. ${example(persona, lang)}).`,
						`No tengo “${notOurs}” en la tienda, lo siento. Cuéntame para qué lo necesitas y te busco lo más parecido (p. ej. ${example(persona, lang)}).`
					),
					understood: true
				};
			// Words the shop has nothing for ("horror" games): what follows answers the other words only.
			const unmatched = unmatchedOf(output).slice(0, 3);
			// Words other products have but none of these ("linen" when no shirt is): not a match either.
			// Quoted in English only: the search's words are the catalog's (English) ones.
			const searched = String(argsOf(call).query ?? "");
			const partial = !unmatched.length && Array.isArray(output.missing) && output.missing.length > 0 && searched.length > 0;
			// Misspelt words searched as the shop's closest ones: said, so a wrong guess is seen.
			// Only the words changed: the query sent holds our own added words ("tshirt t shirt basic"), which are no customer's.
			const sentWords = fold(searched).split(/\s+/).filter(Boolean);
			const readWords = typeof output.searchedFor === "string" ? fold(output.searchedFor).split(/\s+/).filter(Boolean) : [];
			const misspelt = sentWords.filter(w => !readWords.includes(w));
			const readFor = readWords.filter(w => !sentWords.includes(w));
			const readAs = misspelt.length && misspelt.length === readFor.length
				? `${t(lang, `(I read ${joinWith(misspelt.map(w => `“${w}”`), "and")} as ${joinWith(readFor.map(w => `“${w}”`), "and")}.)`, `(Leí ${joinWith(misspelt.map(w => `“${w}”`), "y")} como ${joinWith(readFor.map(w => `“${w}”`), "y")}.)`)}\n`
				: "";
			// "A laptop for video editing" (or "what about for gaming?" after laptops) was searched as one
			// with enough memory: said, with why.
			const use = call.name === "search_products" && searched.split(/\s+/).includes(DEMANDING_BOUND) ? DEMANDING_USE.exec(writeSpecBounds(fold(ctx.asked)))?.[1] : undefined;
			// "Something cheaper?" may list the same products again: the order is what changed, said so.
			const sortedBy = call.name === "search_products" ? argsOf(call).sort : undefined;
			// "A compact sofa": in order of what their size is measured by, each one's figure in its line.
			const bySize = sortedBy === "size_asc" || sortedBy === "size_desc" || (call.name === "recommend" && argsOf(call).size !== undefined);
			const measures = bySize ? products.flatMap(p => sizeMeasure(p.attributes, p.sizes) ?? []) : [];
			const measure = measures[0] ?? null;
			// "By width" only when every one of them is measured so ("something small" may list vases and a sofa).
			const by = measure && measures.every(m => m.name === measure.name) ? measure.name : null;
			// Smartwatches that all come in 41 mm and 45 mm: no order to put them in.
			const alike = measure && measures.length === products.length && measures.every(m => m.text === measure.text) ? measure.text.split(", ") : null;
			// No figure in the relaxed intros: the guardrails accept only prices seen in this turn.
			const intro = ctx.goesWith
				? t(lang, `To go with the ${ctx.goesWith}:`, `Para combinar con ${ctx.goesWith}:`)
				: call.name === "recommend"
					? argsOf(call).kind === "complementary"
						? ctx.lacking
							? t(lang, `Nothing for “${ctx.lacking}” in our shop, I'm afraid — these go well with it:`, "No tengo eso, lo siento — esto combina bien:")
							: t(lang, "These go well with it:", "Combinan bien con eso:")
						: argsOf(call).kind === "similar"
							? argsOf(call).size !== undefined
								? argsOf(call).size === "bigger"
									? t(lang, "Bigger ones like it, the nearest size first:", "Parecidos y más grandes, empezando por el más cercano:")
									: t(lang, "More compact ones like it, the nearest size first:", "Parecidos y más compactos, empezando por el más cercano:")
							: argsOf(call).cheaper === true
								? t(lang, "Similar ones for less:", "Parecidos por menos:")
								: ctx.soldOutBest
								? t(lang, `The ${ctx.soldOutBest} fits best, but it's sold out right now — similar ones you can have now:`, `${ctx.soldOutBest} es lo que mejor encaja, pero está agotado ahora — parecidos que sí tenemos:`)
								: ctx.soldOutAsked
								? t(lang, `Sorry, ${ctx.soldOutAsked} is sold out right now — similar ones you can have now:`, `Perdón, ${ctx.soldOutAsked} está agotado por ahora — parecidos que sí tenemos:`)
								: t(lang, "Similar ones you can have now:", "Parecidos que sí tenemos:")
							: NEW_HOME.test(fold(ctx.asked)) && !FOR_SOMEONE.test(fold(ctx.asked))
								? FURNISHING.test(fold(ctx.asked))
									? t(lang, "A few favourites to start furnishing with:", "Algunos favoritos para empezar a amueblar:")
									: t(lang, "Congratulations on the new place! A few favourites to start with:", "¡Felicidades por la casa nueva! Algunos favoritos para empezar:")
								: ctx.noneNew
								? t(lang, "Nothing new in right now — my picks instead:", "Nada nuevo por ahora — mis recomendaciones:")
								: ctx.ratedOlder !== undefined
								? t(lang, `Every game I have that fits is rated for players older than ${ctx.ratedOlder}, I'm afraid, so no game from me — these suit ${aYearOld(ctx.ratedOlder)}:`, `Todos los juegos que encajan con eso son para mayores de ${ctx.ratedOlder} años, lo siento, así que no te recomiendo ninguno — esto sí es apto para ${ctx.ratedOlder} años:`)
								: typeof argsOf(call).forAge === "number"
								? t(lang, `My picks for ${aYearOld(argsOf(call).forAge as number)}:`, `Mis recomendaciones para ${argsOf(call).forAge} años:`)
								: ctx.lacking
								? t(lang, `I have nothing made for “${asSaid(ctx.lacking, ctx.asked)}”, I'm afraid — my picks instead:`, "No tengo nada específico para eso, perdón — mis recomendaciones en su lugar:")
								: paged
								? t(lang, "A few more picks:", "Algunas recomendaciones más:")
								: t(lang, "My picks for you:", "Mis recomendaciones:")
					: ctx.soldOutBest
						? t(lang, `The ${ctx.soldOutBest} fits best, but it's sold out right now — these are for ${searched} too:`, `${ctx.soldOutBest} es lo que mejor encaja, pero está agotado ahora — estos también sirven para eso:`)
					: ctx.nearestFor
						? argsOf(call).category !== undefined
							? t(lang, `No “${ctx.nearestFor}” in our shop, I'm afraid — the nearest we have are our ${String(argsOf(call).category)}:`, "No tengo eso en la tienda, perdón — lo más parecido que tenemos:")
							: t(lang, `No “${ctx.nearestFor}” in our shop, I'm afraid — the nearest we have:`, "No tengo eso en la tienda, perdón — lo más parecido que tenemos:")
					: relaxed === "platforms" && products.every(p => !platformsOf(p).length)
						? t(lang, `Nothing I have says it works with the ${ctx.worksWith ?? "platforms you named"}, I'm afraid — here's what I have:`, `Nada de lo que tengo dice que funcione con ${ctx.worksWith ?? "esas plataformas"}, lo siento — esto es lo que hay:`)
					: relaxed === "platforms"
						? t(lang, `Nothing like that works with the ${ctx.worksWith ?? "platforms you named"}, I'm afraid — these are for other platforms:`, `No tengo nada así que funcione con ${ctx.worksWith ?? "esas plataformas"}, lo siento — estos son para otras plataformas:`)
					: ctx.worksWith && !unmatched.length
						? t(lang, `For the ${ctx.worksWith}, these run on its platforms:`, `Para ${ctx.worksWith}, estos funcionan en sus plataformas:`)
					: relaxed === "price"
						? ctx.budgetSoldOut
							? t(lang, "Everything within that budget is sold out right now, I'm afraid — the closest I have:", "Todo lo que entra en ese presupuesto está agotado ahora — lo más cercano:")
							: t(lang, "Nothing within that budget, I'm afraid — the closest I have:", "No tengo nada en ese presupuesto — lo más cercano:")
						: relaxed === "size" && products.length === 1 && products[0]!.sizes?.length
							? // The one product asked about lacks it: that, and the sizes it has ("nothing in S" read as the whole shop).
								t(lang, `The ${products[0]!.name} doesn't come in ${ctx.missingSize ?? "that size"}, I'm afraid — it comes in ${sizesSmallestFirst(products[0]!.sizes!).join(", ")}:`, `${products[0]!.name} no viene en talla ${ctx.missingSize ?? "esa"}, lo siento — viene en ${sizesSmallestFirst(products[0]!.sizes!).join(", ")}:`)
						: relaxed === "size"
							? t(lang, `Nothing in size ${ctx.missingSize ?? "that size"} right now, I'm afraid — here's what I have in other sizes:`, `No tengo nada en talla ${ctx.missingSize ?? "esa"} ahora, lo siento — esto hay en otras tallas:`)
						: relaxed === "color"
							? products.every(p => !p.color)
								? t(lang, `I can't tell which of these come in ${ctx.missingColor ?? "that colour"} — their details don't list colours:`, "No sé cuáles de estos vienen en ese color — sus fichas no indican colores:")
								: products.length === 1
								? t(lang, `Not in ${ctx.missingColor ?? "that colour"} right now — here it is in other colours:`, "No lo tengo en ese color ahora — aquí está en otros:")
								: t(lang, `Nothing in ${ctx.missingColor ?? "that colour"} right now — here's what I have in other colours:`, "No tengo nada en ese color ahora — esto hay en otros colores:")
							: relaxed === "photo"
								? /^\[video\]/.test(ctx.asked)
									? t(lang, "I can't play videos in this chat, sorry — here's what I have in that colour (tell me what it is and I'll narrow it down):", "No puedo ver videos en este chat, perdón — esto tengo en ese color (dime qué es y lo afino):")
									: t(lang, "I can't open photos in this chat, sorry — here's what I have in that colour (tell me what it is and I'll narrow it down):", "No puedo abrir fotos en este chat, perdón — esto tengo en ese color (dime qué es y lo afino):")
								: use && unmatched.length === 1 && unmatched[0] === readSpecBound(DEMANDING_BOUND)!.text
									? t(lang, `For ${use} I'd want at least 16 GB of RAM, and none of ours has that — the closest I have:`, "Para eso recomiendo al menos 16 GB de RAM, y no tengo ninguno así — lo más cercano:")
								: unmatched.length
									? t(lang, `Nothing in our shop mentions ${joinWith(unmatched.map(w => `“${w}”`), "or")} — the closest I have:`, "No tengo nada que diga exactamente eso — lo más cercano:")
									: partial
									? t(lang, `I couldn't find “${searched}” exactly — the closest I have:`, "No encontré exactamente eso — lo más cercano:")
									: products[0]!.stock <= 0 && products.some(p => p.stock > 0)
									? t(lang, "The closest match is sold out right now; the others are in stock:", "Lo que más se ajusta está agotado ahora; los demás sí están disponibles:")
									: use
									? t(lang, `For ${use} I'd go for at least 16 GB of RAM — these have it:`, "Para eso te recomiendo al menos 16 GB de RAM — estos lo tienen:")
									: typeof argsOf(call).forAge === "number"
									? ageIntro(Number(argsOf(call).forAge), Number(output.ratedOlder ?? 0), lang)
									: bySize && products.length > 1
									? measure
										? alike
											? sortedBy === "size_asc"
												? t(lang, `All of them come in ${joinWith(alike, "and")} — none is more compact:`, `Todos vienen en ${joinWith(alike, "y")} — ninguno es más compacto:`)
												: t(lang, `All of them come in ${joinWith(alike, "and")} — none is bigger:`, `Todos vienen en ${joinWith(alike, "y")} — ninguno es más grande:`)
										: sortedBy === "size_asc"
											? by === "sizes"
												? t(lang, "The most compact first, by the smallest size each comes in:", "Lo más compacto primero, por el tamaño más pequeño de cada uno:")
												: t(lang, `The most compact first${by ? `, by ${by}` : ""}:`, `Lo más compacto primero${by ? `, por ${labelIn(lang, by)}` : ""}:`)
											: by === "sizes"
												? t(lang, "The biggest first, by the biggest size each comes in:", "Lo más grande primero, por el tamaño más grande de cada uno:")
												: t(lang, `The biggest first${by ? `, by ${by}` : ""}:`, `Lo más grande primero${by ? `, por ${labelIn(lang, by)}` : ""}:`)
										: t(lang, "Their details don't give a size to put them in order by, I'm afraid — here's what I have:", "Sus fichas no indican un tamaño para ordenarlos, lo siento — esto es lo que tengo:")
									: argsOf(call).query === NEW_TAG && products.length > 1
									? t(lang, "Just in:", "Lo más nuevo:")
									: sortedBy === "price_asc" && products.length > 1
									? t(lang, "From the most affordable:", "Del más económico al más caro:")
									: sortedBy === "price_desc" && products.length > 1
									? t(lang, "From the priciest:", "Del más caro al más económico:")
									: typeof argsOf(call).size === "string"
									? t(lang, `These come in ${argsOf(call).size}:`, `Estos vienen en talla ${argsOf(call).size}:`)
									: paged
									? t(lang, "A few more:", "Algunos más:")
									: t(lang, "Here's what I found:", "Esto es lo que encontré:");
			// One product found is the one in view: a yes or the button adds it.
			const next =
				products.length === 1
					? products[0]!.stock > 0
						? t(lang, "Shall I add it to your cart?", "¿Lo agrego a tu carrito?")
						: t(lang, "Want me to show you something similar?", "¿Te muestro algo parecido?")
					: t(lang, "Tap one to add it, or say e.g. \"the second one\".", "Toca uno para agregarlo, o dime p. ej. \"el segundo\".");
			// One of several kinds asked at once ("a sofa, a rug and a floor lamp"): the others, to ask for next.
			const later = call.name === "search_products" ? kindsLater(ctx.asked, argsOf(call).query) : [];
			const then = later.length
				? `\n${t(lang, `When you're ready, say ${joinWith(later.map(w => `“${w}”`), "or")} and I'll show you those too.`, "Cuando quieras, pídeme lo siguiente de tu lista y te lo muestro.")}`
				: "";
			// "Do the jeans run small?" of several: which one — the pick gets the answer (`questionPicked`), not the cart.
			if (call.name === "search_products" && products.length > 1 && FIT_ASKED.test(ctx.asked) && !relaxed && !unmatched.length)
				return {
					text: `${t(lang, `Which one do you mean? Tap it in the list, or say e.g. "the first one" — I'll tell you how it fits.`, `¿Cuál dices? Tócalo en la lista, o dime p. ej. "el primero" — te digo cómo queda.`)}\n${productLines(products, lang, measure !== null)}`,
					understood: true
				};
			return {
				// Not what was asked for exactly: no cheer before saying so.
				text: `${readAs}${relaxed || unmatched.length || partial || ctx.nearestFor || ctx.soldOutBest || ctx.ratedOlder !== undefined ? "" : `${persona.showing[lang][0]} `}${intro}\n${productLines(products, lang, measure !== null)}\n${next}${then}`,
				understood: true
			};
		}
		case "get_product": {
			const p = output as ProductOut;
			if (output.forQty) return pricedFor(p, output.forQty, Number(output.inCart ?? 0), lang);
			const promo = p.promotion ? ` ${t(lang, "On promotion", "En promoción")}: ${p.promotion.priceText} (${p.promotion.percentOff}% off, code ${p.promotion.code}).` : "";
			// A sold-out product is not offered for the cart.
			const inCart = Number((output as { inCart?: number }).inCart ?? 0);
			// "How many are left?" about one already in the cart: the stock too.
			const left = inCart && p.stock > 0 && STOCK_ASKED.test(ctx.asked) ? `${t(lang, `${p.stock} in stock`, `${p.stock} ${p.stock === 1 ? "disponible" : "disponibles"}`)}. ` : "";
			// One in the cart still waiting for its size or colour: that question again, not the checkout.
			const toChoose = inCart && (output.sizeNeeded || output.colourNeeded) ? choiceAsked(output, lang) : "";
			const next = inCart
				? `${left}${toChoose ? `${t(lang, `You have ${inCart} in your cart.`, `Tienes ${inCart} en tu carrito.`)}\n${toChoose}` : t(lang, `You have ${inCart} in your cart. Keep shopping or check out?`, `Tienes ${inCart} en tu carrito. ¿Seguimos mirando o finalizas la compra?`)}`
				: p.stock > 0
					? `${t(lang, `${p.stock} in stock`, `${p.stock} ${p.stock === 1 ? "disponible" : "disponibles"}`)}. ${t(lang, "Shall I add it to your cart?", "¿Lo agrego a tu carrito?")}`
					: RESTOCK.test(ctx.asked)
						? t(lang, "Sold out right now, and I don't have a date for when it's back. Want me to show you something similar?", "Agotado por ahora, y no tengo fecha de reposición. ¿Te muestro algo parecido?")
						: t(lang, "Sold out right now. Want me to show you something similar?", "Agotado por ahora. ¿Te muestro algo parecido?");
			const sizes = p.sizes?.length ? ` ${t(lang, "Sizes", "Tallas")}: ${sizesSmallestFirst(p.sizes).join(", ")}.` : "";
			// "Does it come in XXL?": the size is answered from its sizes, not looked for in its details.
			const feature = featureAsked(sizeReferenced(ctx.asked)?.rest ?? ctx.asked);
			// "Which one is 4K?" answered by the one product: it is the answer, no "yes" before it.
			const answered = feature.length > 0 && !WHICH_FEATURE.test(ctx.asked);
			const rank = priceRank(ctx.asked);
			// "Which is cheapest?": the answer says it is, and that a sold-out one was passed over.
			const ranked = !rank
				? null
				: p.stock > 0
					? rank === "low" ? t(lang, "The cheapest you can have now:", "La opción más económica disponible:") : t(lang, "The priciest you can have now:", "La opción más cara disponible:")
					: rank === "low" ? t(lang, "The cheapest of them:", "La opción más económica:") : t(lang, "The priciest of them:", "La opción más cara:");
			// "Can I see it?": the photo goes with this text as its caption, or there is none to send.
			const photo = output.photo === "attached" ? t(lang, "Here it is 📸", "Aquí está 📸") : output.photo === "none" ? t(lang, "I don't have a photo of it here, I'm afraid.", "No tengo una foto de este aquí, lo siento.") : null;
			const line = photo ?? detailsHead(p, feature, answered, lang, ctx.asked, ctx.age) ?? ranked;
			const head = line ? `${line}\n` : "";
			const description = descriptionIn(lang, p);
			return { text: `${head}${p.name} — ${p.priceText}.${promo}${description ? ` ${description}` : ""}${sizes}\n${next}`, understood: true };
		}
		case "add_to_cart": {
			const putIn = (qty: number, line: string) => t(lang, `Added ${qty}× ${line} to your cart 🛒`, `Agregué ${qty}× ${line} a tu carrito 🛒`);
			const added = (head: string) => ({ text: `${persona.flourish[lang]} ${head}\n${cartLines(output.cart, lang)}\n${choiceAsked(output, lang)}`, understood: true });
			if (output.resized) {
				const { name, from, size } = output.resized as { name: string; from: string; size: string };
				return {
					text: `${resizedText(lang, name, from, size)}\n${cartLines(output.cart, lang)}\n${choiceAsked(output, lang)}`,
					understood: true
				};
			}
			if (output.recoloured) {
				const { name, from, color } = output.recoloured as { name: string; from: string; color: string };
				return { text: `${recolouredText(lang, name, from, color)}\n${cartLines(output.cart, lang)}\n${t(lang, "Keep shopping or check out?", "¿Seguimos mirando o finalizas la compra?")}`, understood: true };
			}
			if (ctx.capped) return { text: `${cappedText(lang, ctx.capped)}\n${cartLines(output.cart, lang)}\n${choiceAsked(output, lang)}`, understood: true };
			if (output.sized) {
				const { size, color, name } = output.sized as { size?: string; color?: string; name: string };
				// Put in and sized in one turn ("running shoes, size 42", then "the first"): an add, as said of any.
				if (ctx.addedNow) return added(putIn(ctx.addedNow, lineName({ name, ...variantOf({ size, color }) }, lang)));
				return { text: `${sizedText(lang, name, size, color)}\n${cartLines(output.cart, lang)}\n${choiceAsked(output, lang)}`, understood: true };
			}
			const { qty, name: plainName, sku, size, color } = output.added as { qty: number; name: string; sku: string; size?: string; color?: string };
			const name = lineName({ name: plainName, ...variantOf({ size, color }) }, lang);
			// "make it 2" or a second add of one product: the new count, not a bare "Added 1×".
			const now = (output.cart.items as { sku: string; size?: string; color?: string; qty: number }[]).find(i => i.sku === sku && i.size === size && i.color === color)?.qty ?? qty;
			return added(now > qty ? t(lang, `Added ${qty} more: ${now}× ${name} in your cart now 🛒`, `Agregué ${qty} más: ahora ${now}× ${name} en tu carrito 🛒`) : putIn(qty, name));
		}
		case "remove_from_cart": {
			// A line of one size and colour, not the product's others: "Removed Cloudstep Runner (42)".
			const removed = output.removed as { sku: string; name: string; size?: string; color?: string };
			const left = (output.cart.items as { sku: string; name: string; size?: string; color?: string; qty: number }[]).find(i => i.sku === removed.sku && i.size === removed.size && i.color === removed.color);
			const head = left
				? t(lang, `Done: ${left.qty}× ${lineName(left)} now.`, `Listo: ahora ${left.qty}× ${lineName(left, lang)}.`)
				: t(lang, `Removed ${lineName(removed)}.`, `Quité ${lineName(removed, lang)}.`);
			return {
				text: `${head}\n${output.cart.items.length ? cartLines(output.cart, lang) : t(lang, "Your cart is now empty.", "Tu carrito quedó vacío.")}`,
				understood: true
			};
		}
		case "view_cart":
			return {
				text: output.items.length
					? `${t(lang, "Your cart:", "Tu carrito:")}\n${withPromotion(output, output, lang)}\n${output.unavailable?.length ? unavailableText(output.unavailable, lang) : t(lang, "Ready to check out?", "¿Listo para finalizar?")}`
					: t(lang, "Your cart is empty — tell me what you're looking for!", "Tu carrito está vacío — ¡dime qué buscas!"),
				understood: true
			};
		case "checkout": {
			const promo = output.promotion as { code: string; discountText: string; totalText?: string } | undefined;
			if (output.awaitingConfirmation)
				return { text: `${t(lang, "Here's your order:", "Este es tu pedido:")}\n${withPromotion(output.summary, output, lang)}${deliveryLine(output, lang)}\n${t(lang, "Shall I place it?", "¿Lo confirmo?")}`, understood: true };
			const lostLine = promotionLost(output, lang);
			const saved = promo ? t(lang, ` (you saved ${promo.discountText} with ${promo.code})`, ` (ahorraste ${promo.discountText} con ${promo.code})`) : "";
			return {
				text: `${t(lang, `Done! Your order ${output.orderId} is placed — total ${output.totalText}${saved}.`, `¡Listo! Tu pedido ${output.orderId} está hecho — total ${output.totalText}${saved}.`)}${typeof output.deliverTo === "string" ? t(lang, ` It goes to ${output.deliverTo}.`, ` Va a ${output.deliverTo}.`) : ""} ${t(lang, "I'll keep you posted here.", "Te aviso por aquí.")}${lostLine} ${persona.signOff[lang]}${payHere(output, lang)}`,
				understood: true
			};
		}
		case "change_order_address":
			return { text: t(lang, `Done — your order ${output.orderId} now goes to ${output.deliverTo}.`, `Listo — tu pedido ${output.orderId} ahora va a ${output.deliverTo}.`), understood: true };
		case "set_delivery_address":
			// Given before any cart: kept for the order to come.
			return { text: t(lang, `Noted — your order will go to ${output.deliverTo}. What would you like to get?`, `Anotado — tu pedido irá a ${output.deliverTo}. ¿Qué te gustaría llevar?`), understood: true };
		case "apply_promo_code":
			if (output.noted)
				return {
					text: t(
						lang,
						`Code ${output.code} noted ✅ — ${descriptionIn(lang, output)}. Your cart is empty for now: it applies to your order once you add something. What are you looking for?`,
						`Código ${output.code} anotado ✅ — ${descriptionIn(lang, output)}. Tu carrito está vacío por ahora: se aplica a tu pedido cuando agregues algo. ¿Qué buscas?`
					),
					understood: true
				};
			return {
				text: t(
					lang,
					`Code ${output.code} applied ✅ You save ${output.discountText}: your total is now ${output.totalText}. Ready to check out?`,
					`Código ${output.code} aplicado ✅ Ahorras ${output.discountText}: tu total queda en ${output.totalText}. ¿Finalizamos la compra?`
				),
				understood: true
			};
		case "list_promotions": {
			const promotions = (output.promotions ?? []) as { code: string; description: string; descriptionEs?: string; category?: string }[];
			if (!promotions.length && GROUP_DISCOUNT.test(ctx.asked))
				return { text: t(lang, "I don't have a discount like that, I'm afraid, and no promotions are running right now — but I can help you find something within your budget.", "No tengo un descuento así, perdón, y no hay promociones activas ahora — pero te ayudo a encontrar algo a tu medida."), understood: true };
			if (!promotions.length)
				return { text: t(lang, "No promotions are running right now — but I can help you find something within your budget.", "No hay promociones activas ahora mismo — pero te ayudo a encontrar algo a tu medida."), understood: true };
			const lines = promotions.map(p => `• ${p.code} — ${descriptionIn(lang, p)}`).join("\n");
			// "Is there a student discount?": said plainly when none of them is one.
			const group = GROUP_DISCOUNT.exec(ctx.asked);
			const who = group ? singular(group[1] ?? group[2]!) : null;
			const none = who && !promotions.some(p => fold(p.description).includes(who.slice(0, 5))) ? t(lang, `I don't have a ${who} discount, I'm afraid — what's running now:`, `No tengo un descuento para ${(group![1] ?? group![2])!}, perdón — lo que hay ahora:`) : null;
			// With a cart and one code, a yes applies it (the question names it for `codesOffered`).
			// With what the cart holds known, only a code for it is offered (LAPTOP50 was offered for a phone).
			const fits = ctx.cartCategories ? promotions.filter(p => !p.category || ctx.cartCategories!.includes(p.category)) : promotions;
			const ask =
				ctx.hasCart && ctx.cartCategories && !fits.length
					? t(lang, "None of them applies to what's in your cart right now.", "Ninguna aplica a lo que tienes en el carrito ahora.")
					: ctx.hasCart && fits.length === 1 && (promotions.length === 1 || ctx.cartCategories)
					? t(lang, `Shall I apply ${fits[0]!.code} to your order?`, `¿Aplico ${fits[0]!.code} a tu pedido?`)
					: t(lang, "Tell me a code and I'll apply it to your order.", "Dime un código y lo aplico a tu pedido.");
			return { text: `${none ?? t(lang, "Running now:", "Promociones activas:")}\n${lines}\n${ask}`, understood: true };
		}
		case "store_policy":
			return { text: policyText(output, lang, ctx), understood: true };
		case "cancel_order": {
			if (Array.isArray(output.choose)) return { text: `${t(lang, "Which order shall I cancel?", "¿Qué pedido cancelo?")}\n${orderChoices(output.choose, lang)}`, understood: true };
			const id = output.orderId as string;
			// What is in it, so the customer sees it is the order they mean before saying yes.
			if (output.confirmationNeeded && Array.isArray(output.items))
				return {
					text: t(lang, `Your order ${id} (${output.totalText}) has:\n${orderItemLines(output.items, lang)}\nIt hasn't shipped yet — shall I cancel it?`, `Tu pedido ${id} (${output.totalText}) tiene:\n${orderItemLines(output.items, lang)}\nTodavía no salió — ¿lo cancelo?`),
					understood: true
				};
			if (output.confirmationNeeded)
				return { text: t(lang, `Shall I cancel your order ${id} (${output.totalText})? It hasn't shipped yet, so it still can be.`, `¿Cancelo tu pedido ${id} (${output.totalText})? Todavía no salió, así que se puede.`), understood: true };
			if (output.alreadyCancelled) return { text: t(lang, `Your order ${id} is already cancelled.`, `Tu pedido ${id} ya está cancelado.`), understood: true };
			const after = output.wasPaid
				? t(lang, ` It was already paid: for the refund, say "talk to a person" and our team will help.`, ` Ya estaba pagado: para el reembolso, escribe "hablar con una persona" y nuestro equipo te ayuda.`)
				: t(lang, " Nothing was charged.", " No se cobró nada.");
			return { text: `${t(lang, `Done — your order ${id} is cancelled.`, `Listo — tu pedido ${id} está cancelado.`)}${after}`, understood: true };
		}
		case "order_status": {
			const shipped = output.carrier && output.trackingNumber ? ` ${t(lang, "Carrier", "Transportista")}: ${output.carrier}, ${t(lang, "tracking", "seguimiento")} ${output.trackingNumber}.` : "";
			const [en, es] = ORDER_STATUS_WORDS[output.status as string] ?? [output.status, output.status];
			// "How do I pay?" of an order waiting for payment with no link to give: a person, not a dead end.
			const noLink =
				output.status === "pending" && typeof output.paymentUrl !== "string" && HOW_TO_PAY.test(ctx.asked)
					? `\n${t(lang, `I don't have a payment link for it in this chat — say "talk to a person" and our team will help you pay.`, `No tengo un enlace de pago para él en este chat — escribe "hablar con una persona" y nuestro equipo te ayuda a pagarlo.`)}`
					: "";
			// Until it arrives, where it goes: the customer can still catch a wrong address.
			const goes = typeof output.deliverTo === "string" && ["pending", "confirmed", "shipped"].includes(output.status) ? ` ${t(lang, `It goes to ${output.deliverTo}.`, `Va a ${output.deliverTo}.`)}` : "";
			// Their other orders still on the way, one line each: "where are my orders?" is about all of them.
			const others = ((output.others ?? []) as { orderId: string; status: string; totalText: string }[]).map(o => {
				const [oEn, oEs] = ORDER_STATUS_WORDS[o.status] ?? [o.status, o.status];
				return `\n• ${o.orderId} (${o.totalText}): ${t(lang, oEn, oEs)}`;
			});
			const alsoHave = others.length ? `\n${t(lang, others.length === 1 ? "You also have this order:" : "You also have these orders:", others.length === 1 ? "También tienes este pedido:" : "También tienes estos pedidos:")}${others.join("")}` : "";
			return { text: `${t(lang, `Your order ${output.orderId} is ${en}.`, `Tu pedido ${output.orderId} está ${es}.`)}${goes}${shipped}${payHere(output, lang)}${noLink}${alsoHave}`, understood: true };
		}
		default:
			return { text: t(lang, "Done.", "Listo."), understood: true };
	}
}

/** Delivery services the terms do not state: carrying it upstairs, a day or a time of one's choosing. */
const DELIVERY_EXTRA = /\b(?:upstairs|up the stairs|to (?:my|the) (?:room|floor|apartment door)|(?:same|next)[- ]day|overnight|express|on (?:a )?(?:saturdays?|sundays?|weekends?)|white[- ]glove|(?:a |specific )?(?:delivery )?(?:time slot|time window)|subir(?:lo|la)? hasta (?:el|mi) piso|suben hasta (?:el|mi) piso|subir(?:lo|la)?|suben|hasta (?:el|mi) piso|(?:el )?mismo dia|dia siguiente|urgente|en fin de semana)\b/;
/** A place or postcode named in a delivery question ("ship to canada", "¿envían a México?", "deliver to 90210"), or abroad in general. */
// "To" after the English verbs, "a", "hasta", "en" after the Spanish ones: "delivery for a sofa" names no place.
const DELIVER_TO = /(?:\b(?:ship|ships|shipping|deliver|delivery|send)\b[^?]*?\bto|\b(?:envian|envias|envio|envios|mandan|llega|llegan)\b[^?]*?\b(?:a|hasta|en))\s+(?!(?:my|mi|your|tu|the|la|el|casa|home|house|door|puerta|domicilio|you|usted|ti)\b)([a-z]{3,}(?: [a-z]{3,})?|\d{4,6}(?:-\d{4})?|[a-z]{1,2}\d[a-z\d]? ?\d[a-z]{2})\s*\??$|\b(?:international(?:ly)?|abroad|overseas|al extranjero|internacional(?:es)?|fuera del pais)()\b/;
/** A payment method as a customer names it. */
const PAYMENT_NAMED: Record<string, RegExp> = {
	card: /\b(card|credit|debit|tarjeta|visa|mastercard)\b/,
	paypal: /\bpaypal\b/,
	apple_pay: /\bapple pay\b/,
	bank_transfer: /\b(bank transfer|transfer|transferencia)\b/,
	cash_on_delivery: /\b(cash|efectivo|contra ?entrega|contrareembolso|(?:pago|pagar) al recibir(?:lo|la)?|pay (?:on|at) (?:delivery|the door))\b/
};

/** The store's stated terms for the topic asked about, or an honest "not stated" with a person offered. */
function policyText(output: any, lang: Lang, { hasCart, asked }: ComposeContext): string {
	const topic = output.topic as PolicyTopic;
	if (topic === "delivery" && output.delivery) {
		const { minDays, maxDays } = output.delivery as { minDays: number; maxDays: number };
		const span = minDays === maxDays ? `${minDays}` : `${minDays}–${maxDays}`;
		// "Do you ship to Canada?": where we deliver is not in the terms, so not promised.
		const place = DELIVER_TO.exec(asked);
		if (place) {
			const where = place[1] ? (/\d/.test(place[1]) ? place[1].toUpperCase() : capitalise(place[1])) : t(lang, "other countries", "otros países");
			return t(
				lang,
				`Orders arrive in ${span} business days, and delivery is included in the price 🚚 Whether we deliver to ${where} I can't confirm from here — say "talk to a person" and our team will check.`,
				`Los pedidos llegan en ${span} días hábiles, y el envío está incluido en el precio 🚚 Si enviamos a ${where} no lo puedo confirmar desde aquí — escribe "hablar con una persona" y nuestro equipo lo revisa.`
			);
		}
		// "Do you deliver upstairs?", "same-day delivery?": what the terms do not state, not promised.
		const extra = DELIVERY_EXTRA.exec(asked)?.[0];
		if (extra)
			return t(
				lang,
				`Orders arrive in ${span} business days, and delivery is included in the price 🚚 About “${extra}”: I can't confirm that from here — say "talk to a person" and our team will check.`,
				`Los pedidos llegan en ${span} días hábiles, y el envío está incluido en el precio 🚚 Sobre “${extra}”: no lo puedo confirmar desde aquí — escribe "hablar con una persona" y nuestro equipo lo revisa.`
			);
		return t(
			lang,
			// With a cart waiting, the next step is the order, not more shopping.
			`Orders arrive in ${span} business days, and delivery is included in the price 🚚 ${hasCart ? "Ready to check out?" : "Anything I can find for you?"}`,
			`Los pedidos llegan en ${span} días hábiles, y el envío está incluido en el precio 🚚 ${hasCart ? "¿Finalizamos la compra?" : "¿Te busco algo?"}`
		);
	}
	if (topic === "returns" && output.returns) {
		const { days, condition } = output.returns as { days: number; condition: string };
		if (days === 0) return t(lang, "Sales are final here: we don't take returns, I'm afraid.", "Aquí las ventas son finales: no aceptamos devoluciones, lo siento.");
		const [en, es] = RETURN_CONDITION_WORDS[condition] ?? ["", ""];
		return t(
			lang,
			`You can send items back within ${days} days of delivery${en}. To start a return, say "talk to a person" and our team will arrange it.`,
			`Puedes devolver los artículos dentro de ${days} días desde la entrega${es}. Para empezar una devolución, escribe "hablar con una persona" y nuestro equipo se encarga.`
		);
	}
	if (topic === "warranty" && output.warranty) {
		const { months } = output.warranty as { months: number };
		const years = months % 12 === 0 ? months / 12 : null;
		return t(
			lang,
			`Everything we sell comes with a ${years ? `${years}-year` : `${months}-month`} warranty.`,
			`Todo lo que vendemos tiene ${years ? `${years} año${years === 1 ? "" : "s"}` : `${months} meses`} de garantía.`
		);
	}
	if (topic === "payment" && output.payment) {
		const taken = output.payment.methods as string[];
		const methods = taken.map(m => PAYMENT_WORDS[m] ?? [m, m]);
		const all = t(lang, `You can pay by ${joinWith(methods.map(m => m[0]), "or")}.`, `Puedes pagar con ${joinWith(methods.map(m => m[1]), "o")}.`);
		// "con tarjeta": the method named, answered, not the whole list again.
		// Instalments are no method the store states: not promised, and a person can say more.
		if (INSTALMENTS.test(asked))
			return t(
				lang,
				`Paying in instalments isn't something I can set up from this chat, I'm afraid. ${all} If you'd like to ask about it, say "talk to a person".`,
				`Pagar en cuotas no es algo que pueda ofrecer desde este chat, perdón. ${all} Si quieres consultarlo, escribe "hablar con una persona".`
			);
		const named = Object.keys(PAYMENT_NAMED).find(m => PAYMENT_NAMED[m]!.test(asked));
		if (!named) return all;
		const [en, es] = PAYMENT_WORDS[named]!;
		return taken.includes(named) ? t(lang, `Yes, we take ${en}.`, `Sí, aceptamos ${es}.`) : t(lang, `We don't take ${en}, I'm afraid. ${all}`, `No aceptamos ${es}, perdón. ${all}`);
	}
	const [en, es] = TOPIC_WORDS[topic] ?? TOPIC_WORDS.delivery;
	return t(
		lang,
		`I don't have ${en} details in this chat, sorry. Someone from our team can tell you: just say "talk to a person". Meanwhile, can I help you find something?`,
		`No tengo los detalles de ${es} en este chat, perdón. Alguien de nuestro equipo te puede ayudar: solo escribe "hablar con una persona". Mientras tanto, ¿te ayudo a encontrar algo?`
	);
}

/** A tool call's result as the runner handed it back; a result that is not JSON reads as an error. */
export function outputOf(after: ChatMessage[], callId: string): any {
	const result = after.find(m => m.role === "tool" && m.toolCallId === callId);
	try {
		return result && result.role === "tool" ? JSON.parse(result.content) : {};
	} catch {
		return { error: "unexpected tool output" };
	}
}
