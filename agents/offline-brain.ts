/**
 * The offline brain: a deterministic `Model` with no network, used when no OPENAI_API_KEY is set.
 * It reads the same request an LLM would (the persona prompt, the `[state]` system message, the
 * customer's words and the tool results) and answers the same way: first with tool calls, then,
 * once their results are in, with text in the persona's voice. Every figure it writes is copied
 * from a tool result, so its replies pass the guardrails by construction.
 *
 * English and Spanish. Same input, same output: tests can table utterances against tool calls.
 */
import { composeComparison, rankingAsked } from "./brain/answers";
import { FIT_ASKED, GOES_WITH_NAMED, goesWithNamed, namedQuestion, platformNames, platformsOf, wantedForIt, wantedToGoWith, WITH_IT } from "./brain/attributes";
import { argsOf, compose, composeAdds, composeEach, composeRemovals, composeSwap, DEFINITE, goesWithBase, namedFamily, namedHit, namedInFull, outputOf, recommendFilters, relax, theOneInCart, withOpener } from "./brain/compose";
import { aboutThePhoto, CAPS_WORD, containerIsIt, decide, followUpAsked, orderChosen, questionPicked, removalChosen, SOMETHING_LIKE } from "./brain/decide";
import { ADD, ADD_THE_PRICED, alsoAdded, cartRequest, chatShorthand, withoutOurName, COMPLEMENT, DETAILS, FOR_SOMEONE, LEADING_COUNT, NEW_TAG, NUMBER_WORDS, ONE_MORE_ASKED, QUESTION, RECOMMEND, SIZES_ASKED } from "./brain/intents";
import { asCompared, comparedNames, comparedWithIt, compoundAdd, routineAsked, whichOfNamed, nearerKind, nearestKind, needWords, onlyNumberMatched, unmatchedOf } from "./brain/kinds";
import { COMPARE_MAX, earlierListed, listedLines, pricedLines, rankedFirst, replyInView, unavailableSaid } from "./brain/lists";
import { ageOf, COMPARE, ownedPlatform, ownedSearch, parseProductQuery } from "./brain/query";
import { ADDRESS_ASKED, ADDRESS_CHANGE, ADDRESS_UNSAID, addressPrompt, addressSaid } from "./brain/address";
import { asWritten, fold, joinWith, keepingMarkers, lastReplyOf, t } from "./brain/text";
import { type BrainState, NO_STATE, type ProductOut } from "./brain/types";
import { askedQty, askedSizes, coloursStillAsked, countWhileLooking, productWords, rememberedColour, rememberedSize, RESIZED_SAID, saidSinceVariantRefused, repickAsked, shownSizes, sizeArg, swapAsked, variantArgs, variantOf } from "./brain/variants";
import { detectLang, wordsBeside } from "./language";
import { personaFor } from "./personas";
import type { ChatMessage, ChatToolCall, Model, ModelRequest, ModelResponse } from "./runner";


/** The checkout's question about a choice a cart line still needs ("Before I place it: which size of …?"). */
const CHECKOUT_STOPPED = /^(?:Before I place it: which (?:size|colour)|Antes de hacer el pedido: ¿qué (?:talla|color))\b/m;

/** Tools that look something up and change nothing: several questions in one message may each call one. */
const LOOKUPS = new Set(["search_products", "get_product", "recommend", "store_policy", "list_promotions", "order_status", "view_cart"]);
const PRODUCT_LOOKUPS = new Set(["search_products", "get_product", "recommend"]);

function parseState(messages: ChatMessage[]): BrainState {
	for (const m of messages)
		if (m.role === "system" && m.content.startsWith("[state] ")) {
			try {
				return JSON.parse(m.content.slice(8)) as BrainState;
			} catch {
				break;
			}
		}
	return NO_STATE;
}

export function createOfflineBrain(): Model {
	let callCounter = 0;
	const brain = {
		async complete(request: ModelRequest): Promise<ModelResponse> {
			const said = parseState(request.messages);
			const userIndex = request.messages.map(m => m.role).lastIndexOf("user");
			const history = request.messages.slice(0, userIndex);
			// The opener changes with each reply of the conversation; the same request still gets the same one.
			const persona = withOpener(personaFor(said.brand, { seller: said.seller }), history.filter(m => m.role === "assistant").length);
			const user = request.messages[userIndex];
			const lastReply = lastReplyOf(history);
			/** The customer's earlier messages, most recent first. */
			const earlier = history.flatMap(m => (m.role === "user" ? [keepingMarkers(m.content, said => cartRequest(chatShorthand(withoutOurName(said, persona.name))))] : [])).reverse();
			const typed = user && user.role === "user" ? keepingMarkers(user.content, words => routineAsked(containerIsIt(followUpAsked(orderChosen(removalChosen(cartRequest(alsoAdded(chatShorthand(withoutOurName(words, persona.name)), said.cart.items.length > 0)), lastReply), lastReply), lastReply, said, earlier), said), said.brand)) : "";
			const inView = replyInView(history, said.shown.length);
			// "Which one do you mean?" answered: the question asked before it, about the one picked.
			const picked = earlier[0] ? questionPicked(typed, lastReply, said, listedLines(inView, said.shown.length), pricedLines(inView)) : undefined;
			// "Do the jeans run small?" then "the second one": asked of that one ("does it run small?"), not searched again.
			const text = picked ? (namedQuestion(fold(earlier[0]!))?.itForm ?? earlier[0]!) : typed;
			// "Does it come in grey?" after "the Haven Corner Sofa's is the biggest": "it" is that one.
			const first = said.focus || picked ? undefined : rankedFirst(lastReply, said);
			const state = picked ? { ...said, focus: picked } : first ? { ...said, focus: first } : said;
			// The checkout asked where to deliver (or the customer says where, or shares a location).
			const addressAsked = ADDRESS_ASKED.test(lastReply);
			const raw = user && user.role === "user" ? user.content : "";
			const location = /^\[location\]\s*([\s\S]*)$/.exec(raw);
			// After an order, with nothing new in the cart, an address is where that order goes now.
			const afterOrder = state.lastOrderId !== null && !state.cart.items.length && !state.awaitingConfirmation && request.tools.some(tool => tool.name === "change_order_address");
			const address = request.tools.some(tool => tool.name === "set_delivery_address") ? addressSaid(location ? "" : raw, location ? location[1]! : null, { ...state, addressAsked: addressAsked || afterOrder }) : null;
			// As said, not as spelt out above ("agrégalo al carrito" is Spanish in the words the add drops);
			// an address says nothing of the customer's language ("12 Rue de Rivoli" is no Spanish "de"),
			// the words around it do ("envíalo a …").
			const lang = detectLang(location || !raw ? "" : chatShorthand(address ? wordsBeside(raw, address) : raw), detectLang(earlier.join(" ")));
			// A size just set ("Linen Shirt in size M 👌") is the line just put in the cart as much as an add.
			const resizedSaid = RESIZED_SAID.exec(lastReply);
			const resizedLine = resizedSaid ? state.cart.items.find(i => i.name === (resizedSaid[1] ?? resizedSaid[4])) : undefined;
			const resized = resizedSaid && resizedLine ? { sku: resizedLine.sku, from: (resizedSaid[2] ?? resizedSaid[5])!, to: (resizedSaid[3] ?? resizedSaid[6])! } : undefined;
			const justAdded = /\b(?:Added\b|Agregué)|\b(?:You have \d+ in your cart|Tienes \d+ en tu carrito)\b|\b(?:in|en) [^\n]+ 👌/.test(lastReply) || resized ? state.cart.items.filter(i => lastReply.includes(i.name)).map(i => i.sku) : [];
			const after = request.messages.slice(userIndex + 1);
			const lastCall = [...after].reverse().find((m): m is Extract<ChatMessage, { role: "assistant" }> => m.role === "assistant" && !!m.toolCalls?.length);
			// A conversation reopened (closed by a seller, or idle) greets a customer it has spoken with as one it knows.
			const metBefore = history.some(m => m.role === "assistant");
			const greeting = () =>
				state.greet ? (metBefore ? `${t(lang, `Hi again! ${persona.name} here.`, `¡Hola de nuevo! Soy ${persona.name}.`)} ` : `${persona.greeting[lang].split(/(?<=[.!?✨🏡💄🎮])\s/)[0]} `) : "";
			const offered = (name: string) => request.tools.some(tool => tool.name === name);
			/** Another round of tool calls, numbered on from the last. */
			const callTools = (calls: { name: string; args: object }[], intent: string): ModelResponse => ({
				message: { content: null, toolCalls: calls.map(c => ({ id: `offline_${++callCounter}`, name: c.name, arguments: JSON.stringify(c.args) })) },
				model: "offline",
				intent
			});

			const codeAsked = /Tell me a code|Dime un código|^Which code — |^¿Qué código — |^Shall I apply [A-Z0-9_-]+ to your order\?$|^¿Aplico [A-Z0-9_-]+ a tu pedido\?$/m.test(lastReply);
			const codesOffered = codeAsked ? [...lastReply.matchAll(/^• ([A-Z0-9][A-Z0-9_-]{2,31}) — /gm)].map(m => m[1]!) : [];
			const similarOffered = /(?:Want me to show you something similar|¿Te muestro algo parecido)\?$/.test(lastReply);
			const checkoutOffered = /(?:[Rr]eady to check out|[Ff]inalizamos la compra|¿Listo para finalizar)\?$/.test(lastReply);
			// A reply after an order, a thanks or a chat offered nothing: "ok" to it adds nothing.
			const addOffered = !lastReply || /\b(?:Shall I add|Want me to add|add (?:it|them|one|\d+) to your cart)\b|¿(?:Lo|La|Los|Las|Te lo|Te la)? ?agrego|¿Agrego|a tu carrito\?/i.test(lastReply);
			const colourAnswered = /^(?:Yes, it comes in |Not in [^\n]*, I'm afraid — it comes in |Sí, viene en ese color\.|No en ese color, lo siento — viene en )/.test(lastReply);
			const focusLine = state.cart.items.find(i => i.sku === state.focus);
			const detailsLast = !!focusLine && lastReply.startsWith(`${focusLine.name} — `);
			const oneMoreOffered = ONE_MORE_ASKED.exec(lastReply) ? state.cart.items.find(i => lastReply.startsWith(`${i.name} `))?.sku : undefined;
			const sideBySideLines = pricedLines(lastReply).map(l => l.n);
			const comparedLines = sideBySideLines.length >= 2 && sideBySideLines.length < state.shown.length && sideBySideLines.every(n => n <= state.shown.length) ? sideBySideLines : undefined;
			/** The first step's choice for these words in this conversation: the whole message, or one of its questions. */
			const decideFor = (words: string) =>
				decide(words, { ...state, pendingQty: askedQty(lastReply) ?? countWhileLooking([words, ...earlier]), codeAsked, codesOffered, similarOffered, checkoutOffered, addOffered, colourAnswered, detailsLast, justAdded, oneMoreOffered, resized, compared: comparedLines, unavailable: unavailableSaid(lastReply, state.cart.items), coloursAsked: coloursStillAsked(history), sizesShown: shownSizes(lastReply), listLast: inView !== "" && inView === lastReply }, lang, persona, earlier, listedLines(inView, state.shown.length), askedSizes(lastReply), pricedLines(inView));
			/**
			 * "Do you have the hoodie in black? How much is shipping? And can I pay on delivery?": each question
			 * its own tool and its own answer, in the order asked. Only questions that look something up, one
			 * product at most (two lists in one reply can't be chosen from); null when the message asks one
			 * thing, or when its questions come to one answer.
			 */
			const severalAsked = (): { calls: { name: string; args: Record<string, unknown> }[]; asks: string[]; intent: string } | null => {
				const parts = text.split(/(?<=\?)\s+/).map(p => p.trim()).filter(p => /\p{L}/u.test(p));
				if (parts.length < 2) return null;
				const asked = parts.flatMap(ask => {
					const d = decideFor(ask);
					return d.kind === "tool" && LOOKUPS.has(d.name) ? [{ call: { name: d.name, args: d.args }, ask, intent: d.intent }] : [];
				});
				const products = asked.filter(a => PRODUCT_LOOKUPS.has(a.call.name)).length;
				const distinct = new Set(asked.map(a => JSON.stringify(a.call))).size === asked.length;
				if (asked.length < 2 || products > 1 || !distinct) return null;
				// The product last: a list to tap is offered only when a listing came last.
				const ordered = [...asked.filter(a => !PRODUCT_LOOKUPS.has(a.call.name)), ...asked.filter(a => PRODUCT_LOOKUPS.has(a.call.name))];
				return { calls: ordered.map(a => a.call), asks: ordered.map(a => a.ask), intent: ordered.at(-1)!.intent };
			};
			/** The question each of these calls answers, when they are the calls of several questions (`severalAsked`). */
			const questionsOf = (calls: ChatToolCall[]): string[] | undefined => {
				const several = calls.length > 1 ? severalAsked() : null;
				const same = several && several.calls.length === calls.length && several.calls.every((c, i) => c.name === calls[i]!.name && JSON.stringify(c.args) === calls[i]!.arguments);
				return same ? several.asks.map(fold) : undefined;
			};
			/** What a comparison named that its searches found none of ("which is warmer, the parka or the puffer?" in a shop with no parka), said first. */
			const unfoundNote = (): string => {
				const first = after.find((m): m is Extract<ChatMessage, { role: "assistant" }> => m.role === "assistant" && !!m.toolCalls?.length);
				const named = first?.toolCalls!.every(c => c.name === "search_products") ? comparedNames(fold(text)) : null;
				if (!first || first === lastCall || !named || named.length !== first.toolCalls!.length) return "";
				const unfound = first.toolCalls!.flatMap((c, i) => (namedFamily(c, outputOf(after, c.id), COMPARE_MAX - 1).length ? [] : [`“${named[i]!.query}”`]));
				return unfound.length ? `${t(lang, `I can't find ${joinWith(unfound, "or")} in our shop, I'm afraid.`, `No encuentro ${joinWith(unfound, "o")} en la tienda, lo siento.`)}\n` : "";
			};

			// The promotions, once what the cart holds was looked up for them (below): only codes for it are offered.
			const rounds0 = after.filter((m): m is Extract<ChatMessage, { role: "assistant" }> => m.role === "assistant" && !!m.toolCalls?.length);
			const promosCall = rounds0.length === 2 && rounds0[0]!.toolCalls!.length === 1 && rounds0[0]!.toolCalls![0]!.name === "list_promotions" ? rounds0[0]!.toolCalls![0]! : undefined;
			if (promosCall && rounds0[1]!.toolCalls!.every(c => c.name === "get_product")) {
				const cartCategories = rounds0[1]!.toolCalls!.map(c => outputOf(after, c.id)?.category).filter((c): c is string => typeof c === "string");
				const answer = compose(promosCall, outputOf(after, promosCall.id), lang, persona, undefined, { hasCart: true, asked: fold(text), cartCategories });
				return { message: { content: greeting() + answer.text, toolCalls: [] }, model: "offline", understood: answer.understood };
			}
			if (lastCall?.toolCalls && lastCall.toolCalls.length > 1) {
				const outputs = lastCall.toolCalls.map(c => outputOf(after, c.id));
				const names = lastCall.toolCalls.map(c => c.name);
				// Each product (or family: "the Nexus") a comparison named, found: side by side. Some found: those,
				// and the reply says which it has none of ("the parka"). None found: one search of all the words.
				const compared = names.every(n => n === "search_products") ? comparedNames(fold(text)) : null;
				if (compared && compared.length === outputs.length && offered("get_product")) {
					const families = lastCall.toolCalls.map((c, i) => namedFamily(c, outputs[i], COMPARE_MAX - 1));
					const skus = [...new Set(families.flat())];
					const calls = families.some(f => f.length) && skus.length <= COMPARE_MAX
						? skus.map(sku => ({ name: "get_product", args: { sku } }))
						: [{ name: "search_products", args: parseProductQuery(productWords(asCompared(fold(text))).replace(new RegExp(COMPARE.source, "g"), " ")) }];
					return callTools(calls, calls[0]!.name === "get_product" ? "product" : "search");
				}
				// "Compare it with the ProBook 14": found by name, the two side by side; not found, each as it is.
				const inView = names.length === 2 && names[0] === "get_product" && names[1] === "search_products" && typeof outputs[0]?.sku === "string" ? (outputs[0] as ProductOut) : undefined;
				const other = inView ? namedHit(lastCall.toolCalls[1]!, outputs[1]) : undefined;
				if (inView && other && other !== inView.sku && offered("get_product"))
					return callTools([inView.sku, other].map(sku => ({ name: "get_product", args: { sku } })), "product");
				const parts = names.every(n => n === "search_products") ? compoundAdd(fold(text)) : null;
				if (parts && parts.length === outputs.length && offered("add_to_cart")) {
					const skus = lastCall.toolCalls.map((c, i) => namedHit(c, outputs[i], fold(text), true));
					// Each part found its product: all of them go in. Otherwise the first one not named is
					// shown to choose from, and the reply names the others to ask for next.
					const unnamed = skus.findIndex(sku => !sku);
					const calls = unnamed < 0
						? skus.map((sku, i) => {
								// Each with what was said of it: its size, its colour, how many.
								const part = parts[i]!;
								return { name: "add_to_cart", args: { sku, ...(part.size ? { size: part.size } : {}), ...(part.query.color ? { color: part.query.color } : {}), ...(part.qty ? { qty: part.qty } : {}) } };
							})
						: [{ name: "search_products", args: parts[unnamed]!.query }];
					return callTools(calls, calls[0]!.name === "add_to_cart" ? "add_to_cart" : "search");
				}
				const answer = names.every(n => n === "get_product")
					? composeComparison(outputs, lang, state.shown, comparedWithIt(fold(text)) ? "" : (whichOfNamed(fold(text)) ?? namedQuestion(fold(text))?.itForm ?? fold(text)), earlier, comparedNames(fold(text)) !== null)
					: names.every(n => n === "add_to_cart")
						? composeAdds(outputs, lang, persona, /^\[order /.test(text))
						: names.every(n => n === "remove_from_cart")
							? composeRemovals(outputs, lang)
							: composeEach(lastCall.toolCalls, outputs, lang, persona, { hasCart: state.cart.items.length > 0, asked: fold(text) }, questionsOf(lastCall.toolCalls));
				return { message: { content: greeting() + (names.every(n => n === "get_product") ? unfoundNote() : "") + answer.text, toolCalls: [] }, model: "offline", understood: answer.understood };
			}

			if (lastCall?.toolCalls) {
				// Tool results are in: answer from them (the first call carries the intent).
				const call = lastCall.toolCalls[0];
				const output = outputOf(after, call.id);
				const toolRounds = after.filter((m): m is Extract<ChatMessage, { role: "assistant" }> => m.role === "assistant" && !!m.toolCalls?.length);
				const rounds = toolRounds.length;
				// "Any discount codes?" with a cart: what it holds first, so no code is offered for what it cannot take.
				const promos = call.name === "list_promotions" ? ((output?.promotions ?? []) as { category?: string }[]) : [];
				if (rounds === 1 && state.cart.items.length && promos.some(p => p.category) && offered("get_product"))
					return callTools([...new Set(state.cart.items.map(i => i.sku))].slice(0, 5).map(sku => ({ name: "get_product", args: { sku } })), "promotions");
				// A confirm tapped on a summary the cart has changed since (a code applied): the summary as it is now, to confirm again.
				if (call.name === "checkout" && output?.code === "confirm_first" && rounds === 1 && offered("checkout")) return callTools([{ name: "checkout", args: {} }], "checkout");
				// "PROBOOK" typed alone in capitals, with no cart to apply a code to, was tried as a code and is
				// none of ours: the product, searched. With a cart it is a code mistyped, and said to be unknown.
				const capsWord = CAPS_WORD.exec(raw)?.[1];
				if (call.name === "apply_promo_code" && output?.code === "promo_refused" && output.refusal === "unknown" && rounds === 1 && capsWord && !state.cart.items.length && offered("search_products"))
					return callTools([{ name: "search_products", args: parseProductQuery(capsWord.toLowerCase()) }], "search");
				// The address is in: with a cart, the summary to confirm, which shows it.
				if (call.name === "set_delivery_address" && output?.deliverTo && state.cart.items.length && offered("checkout")) return callTools([{ name: "checkout", args: {} }], "checkout");
				// "Does the ProBook 16 have a backlit keyboard?" is answered as "does it have a backlit keyboard?".
				const productNamed = namedQuestion(fold(text));
				const asked = productNamed?.itForm ?? fold(text);
				// "running shoes, size 42" then "the first": the size said while looking goes on the line.
				// "pink sneakers" then "the first": the colour too.
				// "2 of the first" with 1 left: the one there is went in instead (below), and is sized the same way.
				const firstCall = toolRounds[0]!.toolCalls![0]!;
				const firstOut = outputOf(after, firstCall.id);
				// An earlier add of this turn that asked for more than were left ("quiero 5 Cloudstep Runner"): those left went in after it.
				const shortOut = toolRounds
					.slice(0, -1)
					.map(r => r.toolCalls![0]!)
					.filter(c => c.name === "add_to_cart")
					.map(c => outputOf(after, c.id))
					.find(o => o?.code === "insufficient_stock" && o.inStock > o.inCart);
				const capped = call.name === "add_to_cart" && shortOut ? { name: String(shortOut.name), inStock: Number(shortOut.inStock) } : undefined;
				// "Add the duvet cover" found by its words first: the size said while looking ("for a king bed") still goes on.
				const foundFirst = firstCall.name === "search_products";
				const justIn = (rounds === 1 || (rounds === 2 && (capped || foundFirst)) || (rounds === 3 && capped && foundFirst)) && call.name === "add_to_cart" && output?.added;
				const unspent = [text, ...earlier.slice(0, saidSinceVariantRefused(history))];
				const rememberedSz = justIn && Array.isArray(output.sizeNeeded) ? rememberedSize(unspent, output.sizeNeeded) : null;
				const rememberedCl = justIn && Array.isArray(output.colourNeeded) ? rememberedColour(unspent, output.colourNeeded) : null;
				if (rememberedSz || rememberedCl)
					return callTools([{ name: "add_to_cart", args: { sku: output.added.sku, ...variantOf(output.added), ...(rememberedSz ? { size: rememberedSz } : {}), ...(rememberedCl ? { color: rememberedCl } : {}) } }], "add_to_cart");
				// "Before I place it: which colour of …?" answered: the checkout it stopped goes on, to the next
				// choice missing or the summary, without the customer asking for it again.
				const checkoutStopped = CHECKOUT_STOPPED.test(lastReply) && !toolRounds.some(r => r.toolCalls!.some(c => c.name === "checkout"));
				if (checkoutStopped && call.name === "add_to_cart" && (output?.sized || output?.added) && offered("checkout")) return callTools([{ name: "checkout", args: {} }], "checkout");
				// "Swap it for the Cloudstep Runner": found, the named one goes in (in the line's size, if it comes
				// in it); once it is in, the old line comes out. A failed add takes nothing out.
				const swap = call.name === "search_products" || call.name === "add_to_cart" || call.name === "remove_from_cart" ? swapAsked(fold(text), state) : null;
				const swapIn = swap && rounds === 1 && call.name === "search_products" ? (namedHit(call, output, asked) ?? (((output?.products ?? []) as ProductOut[]).length === 1 ? (output.products as ProductOut[])[0]!.sku : undefined)) : undefined;
				if (swap && swapIn && swapIn !== swap.line.sku && offered("add_to_cart") && offered("remove_from_cart")) {
					const product = ((output?.products ?? []) as ProductOut[]).find(p => p.sku === swapIn);
					const size = swap.line.size && product?.sizes?.some(z => z === swap.line.size) ? { size: swap.line.size } : {};
					const colours = String((product as { color?: string } | undefined)?.color ?? "").split(/,\s*/).filter(Boolean);
					const color = swap.line.color && colours.length > 1 && colours.includes(swap.line.color) ? { color: swap.line.color } : {};
					return callTools([{ name: "add_to_cart", args: { sku: swapIn, ...(swap.line.qty > 1 ? { qty: swap.line.qty } : {}), ...size, ...color } }], "add_to_cart");
				}
				const swappedIn = swap && rounds === 2 && call.name === "add_to_cart" && firstCall.name === "search_products" ? output?.added : undefined;
				if (swap && swappedIn && offered("remove_from_cart")) return callTools([{ name: "remove_from_cart", args: { sku: swap.line.sku, ...variantOf(swap.line) } }], "add_to_cart");
				if (swap && rounds === 3 && call.name === "remove_from_cart" && output?.removed) {
					const added = outputOf(after, toolRounds[1]!.toolCalls![0]!.id);
					if (added?.added) return { message: { content: greeting() + composeSwap(output.removed, added, output.cart, lang).text, toolCalls: [] }, model: "offline", understood: true };
				}
				// "No, mejor el segundo": the new pick is in; the first pick comes out, and the reply says it was a swap.
				const repick = call.name === "add_to_cart" || call.name === "remove_from_cart" ? repickAsked(fold(text), { ...state, justAdded }) : null;
				if (repick && rounds === 1 && call.name === "add_to_cart" && output?.added?.sku === repick.sku && offered("remove_from_cart"))
					return callTools([{ name: "remove_from_cart", args: { sku: repick.line.sku, ...variantOf(repick.line) } }], "add_to_cart");
				if (repick && rounds === 2 && call.name === "remove_from_cart" && output?.removed) {
					const added = outputOf(after, firstCall.id);
					if (added?.added) return { message: { content: greeting() + composeSwap(output.removed, added, output.cart, lang).text, toolCalls: [] }, model: "offline", understood: true };
				}
				// "add the biker leather jacket in M", "and the chelsea boots in 42": the product it names goes in the cart.
				const count = LEADING_COUNT.exec(asked)?.[1];
				const qty = count ? (NUMBER_WORDS[count] ?? Number(count)) : 1;
				// "And Kart Legends" right after an add: one more for the cart, as the one before (it showed its details).
				const andAnother = justAdded.length > 0 && /\b(?:Added|Agregué)\b/.test(lastReply) && /^\W*(?:and|also|plus|y|tambien)\b/.test(asked);
				const named = rounds === 1 && call.name === "search_products" && (ADD.test(asked) || sizeArg(asked).size || count || andAnother) && !QUESTION.test(asked) ? namedHit(call, output, asked, true) : undefined;
				// "add the cheapest wireless one": the search ran cheapest first, so its first in stock.
				const byPrice =
					rounds === 1 && call.name === "search_products" && ADD_THE_PRICED.test(asked) && !QUESTION.test(asked)
						? ((output?.products ?? []) as ProductOut[]).find(p => p.stock > 0)?.sku
						: undefined;
				// "Add the jacket" with the Red Bomber Jacket in view: the words found it among others, and
				// "the" points at the one in view, not at a new list of jackets.
				// "Add the scarf" after a list with one scarf on it: that one, not a new list of scarves.
				const hits = rounds === 1 && call.name === "search_products" && ADD.test(asked) && !QUESTION.test(asked) && DEFINITE.test(asked) ? ((output?.products ?? []) as ProductOut[]) : [];
				const listedHits = hits.filter(p => state.shown.some(x => x.sku === p.sku));
				const pointed = state.focus && hits.some(p => p.sku === state.focus) ? state.focus : listedHits.length === 1 ? listedHits[0]!.sku : undefined;
				// "The cheapest" chooses among what the words found, even when one name has them all.
				const chosen = byPrice ?? named ?? pointed;
				if (chosen && offered("add_to_cart"))
					return callTools([{ name: "add_to_cart", args: { sku: chosen, ...(qty > 1 && qty <= 20 ? { qty } : {}), ...variantArgs(asked) } }], "add_to_cart");
				// "M" for a jacket that is sold out, or a tap on a sold-out row: no size or tap brings it back,
				// so what is like it and in stock, at once, instead of asking whether to show that.
				// More than are left: those left, and the reply says so. Taking one out of the cart is easy;
				// "I can add only 1" left the customer to ask again.
				const short = (rounds === 1 || (rounds === 2 && foundFirst)) && call.name === "add_to_cart" && output?.code === "insufficient_stock" && output.inStock > output.inCart;
				if (short && offered("add_to_cart")) return callTools([{ name: "add_to_cart", args: { ...argsOf(call), qty: output.inStock - output.inCart } }], "add_to_cart");
				const gone = call.name === "add_to_cart" && output?.code === "insufficient_stock" && output.inStock === 0 && !/^\[order /.test(text);
				if (gone && offered("recommend")) return callTools([{ name: "recommend", args: { sku: output.sku, kind: "similar" } }], "recommend");
				// "A controller that works with it": the product in view's details are in; now the search, for its platforms.
				const forIt = rounds === 1 && call.name === "get_product" ? wantedForIt(asked) : null;
				if (forIt?.query && output && offered("search_products"))
					return callTools([{ name: "search_products", args: { ...forIt, ...(platformNames(output as ProductOut).length ? { platforms: platformNames(output as ProductOut) } : {}), ...(typeof output.sku === "string" ? { exclude: [output.sku] } : {}) } }], "recommend");
				// "What's new?" when nothing is tagged new: our picks, said so (not "nothing for “new”").
				if (rounds === 1 && call.name === "search_products" && argsOf(call).query === NEW_TAG && !((output?.products ?? []) as ProductOut[]).length && offered("recommend"))
					return callTools([{ name: "recommend", args: {} }], "recommend");
				// "What shoes would go with it?": the product in view's details are in; now those shoes.
				const toGoWith = rounds === 1 && call.name === "get_product" && output?.sku ? wantedToGoWith(asked) : null;
				if (toGoWith && offered("search_products")) return callTools([{ name: "search_products", args: toGoWith }], "recommend");
				// "What moisturiser do you recommend for dry skin?" when what fits is sold out: similar ones in stock.
				const fits = rounds === 1 && call.name === "search_products" ? ((output?.products ?? []) as ProductOut[]) : [];
				// The turn's first look, when it was one call.
				const origin = toolRounds[0]!.toolCalls!.length === 1 ? toolRounds[0]!.toolCalls![0] : undefined;
				const allSoldOut = fits.length > 0 && fits.every(p => p.stock === 0) && (RECOMMEND.test(asked) || FOR_SOMEONE.test(asked));
				// First what else is for that need ("dry skin"), of any kind: a serum for dry skin before moisturisers for oily skin.
				const need = allSoldOut ? needWords(argsOf(call).query) : undefined;
				if (need && offered("search_products")) return callTools([{ name: "search_products", args: { query: need } }], "recommend");
				// Nothing else for that need in stock either: similar ones to the best fit.
				const needSearch = rounds === 2 && call.name === "search_products" && origin?.name === "search_products" && origin !== call && argsOf(call).query === needWords(argsOf(origin).query);
				const soldOutFit = needSearch ? ((outputOf(after, origin!.id)?.products ?? []) as ProductOut[])[0] : undefined;
				if (allSoldOut && offered("recommend") || (soldOutFit && !((output?.products ?? []) as ProductOut[]).some(p => p.stock > 0 && p.sku !== soldOutFit.sku) && offered("recommend")))
					return callTools([{ name: "recommend", args: { sku: (soldOutFit ?? fits[0])!.sku, kind: "similar" } }], "recommend");
				// "What goes well with a white dress?": the dress found, what goes with it ("what bag goes
				// with …?": the bags). Looked up only on what the words found at once.
				const baseHit = rounds === 1 && call.name === "search_products" && goesWithNamed(asked) ? goesWithBase(call, output) : undefined;
				if (baseHit) {
					const wanted = parseProductQuery(productWords(asked.slice(0, GOES_WITH_NAMED.exec(asked)!.index)));
					if (wanted.query && offered("search_products")) return callTools([{ name: "search_products", args: wanted }], "recommend");
					if (offered("recommend")) return callTools([{ name: "recommend", args: { sku: baseHit, kind: "complementary" } }], "recommend");
				}
				// "What's Kart Legends about?", "how wide is the velvet loveseat?": the one product the question names, in detail.
				// A question that describes rather than names ("do you have wireless earbuds with noise
				// cancelling?") is answered with what fits, not with the one whose name has two of its words.
				const sole = ((output?.products ?? []) as ProductOut[]).length === 1;
				// A product named in a question ("is the denim jacket warm?") is judged on the customer's words, whose "the" `asked` (about "it") lost.
				const namedIn = productNamed ? fold(text) : asked;
				const about = rounds === 1 && call.name === "search_products" && (QUESTION.test(asked) || DETAILS.test(asked)) && !onlyNumberMatched(argsOf(call).query, output) ? (sole ? namedHit(call, output) : (namedHit(call, output, namedIn) ?? theOneInCart(output, namedIn, state))) : undefined;
				if (about && offered("get_product")) return callTools([{ name: "get_product", args: { sku: about } }], "product");
				// "Quiero ver el ProBook 14", "ProBook 14": a product named, every word of it, is shown in
				// detail, not as a list of one; words that only describe ("black jacket") still list.
				const shownNamed = rounds === 1 && call.name === "search_products" && !output?.unmatched && !output?.missing ? namedInFull(call, output, asked) : undefined;
				if (shownNamed && offered("get_product")) return callTools([{ name: "get_product", args: { sku: shownNamed } }], "product");
				// "The duvet" (or "add the duvet") when two duvets are on the list: which one, not the same list again.
				const found = (output?.products ?? []) as ProductOut[];
				// "What sizes does the duvet come in?", "does the leather jacket have pockets?" when two or three
				// are duvets or leather jackets: each one's answer, side by side.
				// Not how they fit: that is answered of the one picked (the list asks which).
				if (rounds === 1 && call.name === "search_products" && (SIZES_ASKED.test(asked) || productNamed) && !FIT_ASKED.test(asked) && found.length >= 2 && found.length <= 3 && offered("get_product"))
					return callTools(found.map(p => ({ name: "get_product", args: { sku: p.sku } })), "product");
				// "Which laptop has the most RAM?", "what's the difference between the serums?" with nothing
				// listed: the ones found, side by side (on RAM, the one with the most named first).
				if (rounds === 1 && call.name === "search_products" && found.length >= 2 && (rankingAsked(asked) !== null || COMPARE.test(asked)) && offered("get_product"))
					return callTools(found.map(p => ({ name: "get_product", args: { sku: p.sku } })), "product");
				const listed = new Set(state.shown.map(p => p.sku));
				// Of what the words found, the ones on the list: "the jacket" means one of those shown.
				const inList = found.filter(p => listed.has(p.sku));
				if (rounds === 1 && call.name === "search_products" && inList.length >= 2 && inList.length <= 3 && /^\W*(?:ok |and |y )?(?:(?:add|take|i'?ll take|give me|get me|agrega|dame|quiero|me llevo) )?(the|that|el|la|los|las|ese|esa)\b/.test(asked))
					return {
						message: {
							content: t(lang, `Which one — ${joinWith(inList.map(p => `the ${p.name}`), "or")}?`, `¿Cuál — ${joinWith(inList.map(p => p.name), "o")}?`),
							toolCalls: []
						},
						model: "offline",
						understood: true
					};
				// "Something floral?" found nothing as floral perfumes: the words alone, as a search of their own.
				const plain = rounds === 1 && call.name === "search_products" && output?.count === 0 && SOMETHING_LIKE.test(asked) ? parseProductQuery(productWords(asked)) : null;
				if (plain?.query !== undefined && plain.query !== argsOf(call).query) return callTools([{ name: "search_products", args: plain }], "search");
				// "Games for my 10-year-old" when every game that fits is rated older: picks that suit that age instead.
				if (call.name === "search_products" && output?.count === 0 && Number(output.ratedOlder ?? 0) > 0 && offered("recommend"))
					return callTools([{ name: "recommend", args: recommendFilters(argsOf(call)) }], "recommend");
				// A search for what works with the product in view follows its details: relaxed in the second round.
				const relaxing = rounds === 1 || argsOf(call).platforms !== undefined ? relax(call, output) : null;
				// "What do you recommend for oily skin?" with nothing that says so: our picks, not a dead end.
				if (!relaxing && rounds === 1 && call.name === "search_products" && output?.count === 0 && (RECOMMEND.test(asked) || FOR_SOMEONE.test(asked)) && offered("recommend"))
					return callTools([{ name: "recommend", args: recommendFilters(argsOf(call)) }], "recommend");
				// "Do you have matching heels?" with no heels: what goes with the product in view, and why.
				const anchor = state.focus ?? state.cart.items[state.cart.items.length - 1]?.sku;
				// "A raincoat?" in a shop without: its jackets, the nearest it has (a category searched once).
				const nearest = call.name === "search_products" && output?.count === 0 && argsOf(call).category === undefined && typeof argsOf(call).query === "string" ? nearestKind(argsOf(call).query as string, (output.categories ?? []) as string[]) : undefined;
				// A kind with a nearer one the shop sells ("what case goes with it?": its accessories) is shown that (below).
				const afterDetails = rounds === 2 && origin?.name === "get_product";
				if (!relaxing && !nearest && (rounds === 1 || afterDetails) && call.name === "search_products" && output?.count === 0 && COMPLEMENT.test(asked) && anchor && offered("recommend"))
					return callTools([{ name: "recommend", args: { sku: anchor, kind: "complementary" } }], "recommend");
				if (relaxing) return callTools([{ name: call.name, args: relaxing.args }], "search");
				const forAge = typeof argsOf(call).forAge === "number" ? { forAge: argsOf(call).forAge } : {};
				if (nearest) return callTools([{ name: "search_products", args: { category: nearest, ...forAge } }], "search");
				// "A laptop case" where the words found laptops only: the case's nearest kind, with "laptop".
				const nearer = rounds === 1 && call.name === "search_products" && typeof argsOf(call).query === "string" ? nearerKind(argsOf(call).query as string, unmatchedOf(output)) : undefined;
				if (nearer) return callTools([{ name: "search_products", args: { query: nearer.query, ...forAge } }], "search");
				// The one call of the round before: searched again without a filter only when that search found
				// nothing (after "a black dress and white sneakers", two searches then the dress's own, the
				// black dress was found).
				const previous = toolRounds.at(-2)?.toolCalls;
				const before = previous?.length === 1 ? previous[0] : undefined;
				const relaxed = before ? relax(before, outputOf(after, before.id))?.dropped : aboutThePhoto(text) && call.name === "search_products" ? "photo" : undefined;
				const color = relaxed === "color" ? argsOf(before!).color : undefined;
				const size = relaxed === "size" ? argsOf(before!).size : undefined;
				const budgetSoldOut = relaxed === "price" && (outputOf(after, before!.id)?.count ?? 0) > 0;
				// The sold-out best fit whose similar ones, or others for the same need, these are (above).
				const soldOut = origin && before?.name === "search_products" && (call.name === "recommend" || needSearch) ? ((outputOf(after, origin.id)?.products ?? []) as ProductOut[])[0]?.name : undefined;
				// The sold-out product the customer tried to add (found by a search first, or not), whose similar ones these are (above).
				const soldOutAsked = before?.name === "add_to_cart" && call.name === "recommend" ? (outputOf(after, before.id)?.name as string | undefined) : undefined;
				// The product a search looked for things to go with, on its platforms (above): the turn's first look.
				const base = origin?.name === "get_product" && call.name === "search_products" && WITH_IT.test(asked) ? (outputOf(after, origin.id) as ProductOut | undefined) : undefined;
				// Or the device the customer owns ("my son has a ps5"), whose platform the search was for.
				const ownedFor = relaxed === "platforms" && !base && Array.isArray(argsOf(before!).platforms) ? (argsOf(before!).platforms as string[]).join(", ") : undefined;
				const worksWith = base && platformsOf(base).length ? `${base.name} (${base.attributes!.platform})` : ownedFor;
				// What a search for something to go with it found nothing for ("heels").
				// Or what a search for a recommendation found nothing for ("for dark circles"): our picks instead, said so.
				const lacking = before?.name === "search_products" && call.name === "recommend" && (argsOf(call).kind === "complementary" || (argsOf(call).kind === undefined && outputOf(after, before.id)?.count === 0)) ? argsOf(before).query : undefined;
				// The product the customer named for these to go with (above).
				const baseFound = origin?.name === "search_products" && origin !== call && goesWithNamed(asked) ? outputOf(after, origin.id) : undefined;
				const baseSku = call.name === "recommend" ? argsOf(call).sku : baseFound && goesWithBase(origin!, baseFound);
				// Or the product in view, looked up first for what was asked to go with it (above).
				const inView = origin?.name === "get_product" && before === origin && call.name === "search_products" && wantedToGoWith(asked) ? (outputOf(after, origin.id) as ProductOut | undefined) : undefined;
				const goesWithName = ((baseFound?.products ?? []) as ProductOut[]).find(p => p.sku === baseSku)?.name ?? inView?.name;
				// The kind a search found none of, whose nearest category this is (above).
				const beforeOut = before ? outputOf(after, before.id) : undefined;
				const nearerFor = before?.name === "search_products" && call.name === "search_products" && typeof argsOf(before).query === "string" ? nearerKind(argsOf(before).query as string, unmatchedOf(beforeOut)) : undefined;
				const nearestFor =
					nearerFor && argsOf(call).query === nearerFor.query
						? nearerFor.lacking
						: before?.name === "search_products" && call.name === "search_products" && typeof argsOf(before).query === "string" && argsOf(call).category !== undefined && argsOf(before).category === undefined && beforeOut?.count === 0
							? argsOf(before).query
							: undefined;
				// The add this turn made before setting the size or colour said while looking: a new line, not a change.
				const earlierAdd = call.name === "add_to_cart" && output?.sized ? toolRounds.slice(0, -1).flatMap(r => r.toolCalls!).find(c => c.name === "add_to_cart" && outputOf(after, c.id)?.added?.sku === output.sized.sku) : undefined;
				const addedOut = earlierAdd ? outputOf(after, earlierAdd.id) : undefined;
				const addedNow = addedOut && !state.cart.items.some(i => i.sku === addedOut.added.sku) ? Number(addedOut.added.qty) : undefined;
				const answer = compose(call, output, lang, persona, relaxed, {
					hasCart: state.cart.items.length > 0,
					asked,
					...(typeof color === "string" ? { missingColor: color } : {}),
					...(typeof size === "string" ? { missingSize: size } : {}),
					...(soldOut ? { soldOutBest: soldOut } : {}),
					...(soldOutAsked ? { soldOutAsked } : {}),
					...(budgetSoldOut ? { budgetSoldOut } : {}),
					...(worksWith ? { worksWith } : {}),
					...(typeof lacking === "string" ? { lacking } : {}),
					...(typeof nearestFor === "string" ? { nearestFor } : {}),
					...(goesWithName ? { goesWith: goesWithName } : {}),
					...(capped ? { capped } : {}),
					...(addedNow ? { addedNow } : {}),
					...(before?.name === "search_products" && call.name === "recommend" && argsOf(before).query === NEW_TAG ? { noneNew: true } : {}),
					...(before?.name === "search_products" && call.name === "recommend" && Number(outputOf(after, before.id)?.ratedOlder ?? 0) > 0 && typeof argsOf(before).forAge === "number" ? { ratedOlder: argsOf(before).forAge as number } : {}),
					...ageOf([text, ...earlier])
				});
				// The address went in but the checkout still waits for a size or colour: the customer hears both.
				const noted = firstCall.name === "set_delivery_address" && call.name === "checkout" && !output?.awaitingConfirmation && typeof firstOut?.deliverTo === "string" ? `${t(lang, `Noted — delivery to ${firstOut.deliverTo}.`, `Anotado — entrega en ${firstOut.deliverTo}.`)} ` : "";
				return { message: { content: greeting() + noted + (call.name === "get_product" ? unfoundNote() : "") + answer.text, toolCalls: [] }, model: "offline", understood: answer.understood };
			}

			// An address given: recorded, then the summary; after an order, that order's new address.
			if (address && afterOrder) return callTools([{ name: "change_order_address", args: { address } }], "delivery_address");
			if (address) return callTools([{ name: "set_delivery_address", args: { address } }], "delivery_address");
			// "Send it to my house": yes, and where is that.
			if (ADDRESS_UNSAID.test(raw) && (addressAsked || state.awaitingConfirmation || state.cart.items.length > 0))
				return { message: { content: `${t(lang, "Sure!", "¡Claro!")} ${addressPrompt(lang)}`, toolCalls: [] }, model: "offline", intent: "delivery_address", understood: true };
			if ((addressAsked || state.awaitingConfirmation || afterOrder) && ADDRESS_CHANGE.test(fold(text))) return { message: { content: addressPrompt(lang), toolCalls: [] }, model: "offline", intent: "delivery_address", understood: true };
			// "The first jacket you showed me" under a list of boots: that jacket, from the list it was on.
			const earlierPick = !state.awaitingConfirmation ? earlierListed(text, history, listedLines(inView, state.shown.length)) : null;
			if (earlierPick && offered("search_products")) return callTools([{ name: "search_products", args: { query: fold(earlierPick) } }], "product");
			const whole = decideFor(text);
			const several = whole.kind === "tools" ? null : severalAsked();
			const decision: typeof whole = several ? { kind: "tools", calls: several.calls, intent: several.intent } : whole;
			const decided = decision.kind === "tools" ? decision.calls : decision.kind === "tool" ? [{ name: decision.name, args: decision.args }] : [];
			// "He's 12 and has a Switchblade": what is looked for must work with it, and is not the device itself.
			// A refinement ("the cheapest?") searches an earlier message's words: a device owned there still
			// is, unless this message names it itself ("show me the Switchblade Handheld").
			const ownedBefore = (calls: typeof decided) =>
				earlier
					.slice(0, 4)
					.map(ownedPlatform)
					.find((device): device is string => device !== null && !fold(text).includes(fold(device)) && calls.some(c => c.name === "search_products" && String((c.args as { query?: unknown }).query ?? "").split(" ").includes(fold(device))));
			const owned = (user && user.role === "user" ? ownedPlatform(user.content) : null) ?? ownedBefore(decided) ?? null;
			const calls = owned ? decided.map(c => (c.name === "search_products" && !("platforms" in c.args) ? { ...c, args: ownedSearch(c.args as Record<string, unknown>, owned) } : c)) : decided;
			// Tools the runner no longer offers (its last round) are not called.
			if (decision.kind === "text" || !calls.every(c => offered(c.name))) {
				const d = decision.kind === "text" ? decision : { text: t(lang, "Let me check that for you.", "Déjame revisarlo."), intent: decision.intent, understood: true };
				// The first reply of a conversation says who answers, whatever it answers.
				return { message: { content: (fold(d.text).includes(fold(persona.name)) ? "" : greeting()) + d.text, toolCalls: [] }, model: "offline", intent: d.intent, understood: d.understood };
			}
			return callTools(calls, decision.intent);
		}
	};
	return {
		name: "offline",
		async complete(request: ModelRequest): Promise<ModelResponse> {
			const out = await brain.complete(request);
			// The brain reads folded words; the customer's words it quotes back go as they wrote them.
			const content = out.message.content;
			if (!content) return out;
			const saidByCustomer = request.messages.flatMap(m => (m.role === "user" ? [m.content] : [])).slice(-2).join("\n");
			return { ...out, message: { ...out.message, content: asWritten(content, saidByCustomer) } };
		}
	};
}
