/** Sizes and colours: which one a message names, which one an earlier message named, and how a reply says them. */
import { colourNamed, COLOURS_ES, sameSize, sizesSmallestFirst } from "../../contracts/catalog";
import type { Lang } from "../language";
import type { ChatMessage } from "../runner";
import { ADD, NUMBER_WORDS, QUESTION, SEARCH_COUNT } from "./intents";
import { parsePosition, parseProductQuery } from "./query";
import { chooseListed } from "./lists";
import { colourIn, colourInCatalog, fold, singular, t } from "./text";
import type { BrainState, Decision, ListedLine } from "./types";


/** Sizes no other word looks like; "s", "m", "l" and two-digit numbers are sizes only where a size is expected. */
const SIZE_WORD = String.raw`xxs|xs|xl|xxl|xxxl|small|medium|large|pequena|pequeno|mediana|mediano|grande|king|queen|single|double|twin|\d{2,3}\s?x\s?\d{2,3}(?:\s?cm)?`;
const SIZE_TOKEN = String.raw`(${SIZE_WORD}|s|m|l|\d{2}(?:[.,]5)?)`;
/** Letter sizes, where a message is only about sizes (below): "s", "m" and "l" need no guard there. */
const LETTER_SIZES = String.raw`xxs|xs|s|m|l|xl|xxl|xxxl`;
/** "The M is too small for me, ", "M is too tight, ", "la M me queda chica, ": the size tried, said before what they ask. */
export const SIZE_TRIED = new RegExp(
	String.raw`(?:^|\b)(?:the |my |a |la |el )?(?:size |talla )?(${LETTER_SIZES}|\d{1,2}(?:\.5)?) (?:is|was|feels|runs|'s|me queda|queda) (?:too |a bit too |a little too |way too |muy |demasiado |un poco )?(?:small|big|large|tight|loose|short|long|chic[oa]|pequen[oa]|grande|apretad[oa]|holgad[oa])(?: (?:for|on) me)?\b[\s,.;]*`,
	"i"
);
/** "Do you have L?", "¿tienes M?": a size asked alone, of whatever is in view. */
export const SIZE_ALONE = new RegExp(
	String.raw`^[¿\s]*(?:and |ok |so |y |entonces )?(?:do you have|have you got|got|is there|any|tienes|tienen|hay)(?: (?:it|one|that|this|lo|la))?(?: in)?(?: a| an| en)?(?: size| talla)? (${LETTER_SIZES}|\d{2}(?:\.5)?)[\s?!.]*$`,
	"i"
);
/**
 * A size said of a product as a reference to it, "the 200x300 one", "el de 42", or asked of it,
 * "in XXL", "en talla S", "in a 42" (not "in 10 days", "in 15 colours").
 */
const SIZE_REFERENCE = new RegExp(String.raw`\b(?:the|el|la|lo) (?:de )?${SIZE_TOKEN}(?: ?cm)?(?: one| uno| una| size)?\b(?! ?x)`);
// A one-digit size ("a size 8", a dress's or a shoe's) only when "size" says so: "in 2" may be anything.
const SIZE_ASKED_IN = new RegExp(String.raw`\b(?:in|en) (?:(?:a|an|una?) )?(?:(?:(?:size|talla|talle) )?${SIZE_TOKEN}|(?:size|talla|talle) (\d))\b(?! ?x)(?! ?(?:colou?rs?|colores|pieces?|units?|days?|dias|weeks?|semanas|minutes?|minutos|hours?|horas|%|percent))`);
/**
 * The size a message names of the product it is about, as written, and the message without it:
 * "is the 200x300 one soft?" reads "is it soft?", "does it come in XXL?" reads "does it come?".
 */
export function sizeReferenced(s: string): { size: string; definite: boolean; rest: string } | null {
	const definite = SIZE_REFERENCE.exec(s);
	const m = definite ?? SIZE_ASKED_IN.exec(s);
	return m ? { size: (m[1] ?? m[2])!, definite: definite !== null, rest: `${s.slice(0, m.index)}${definite ? "it" : ""}${s.slice(m.index + m[0].length)}` } : null;
}
/** The product in view as the words say it: "does it come in M?", "is this available in size S?", "¿lo tienes en 42?". */
export const IT_WORD = /\b(?:it|this|that|lo)\b/;
/** "Can I have the M one?", "¿me das la M?": a question that asks for it, not about it. */
export const CAN_HAVE = /\b(?:can|could|may) (?:i|we) (?:get|have|order|buy|take)\b|\b(?:me (?:das|da|pones|pone|puedes dar)|puedo (?:pedir|comprar|llevar))\b/;
/** A message that is only a size: "M", "size 42", "talla M", "la M", "in medium". */
export const BARE_SIZE = new RegExp(String.raw`^\W*(?:ok |okay |alright |and |then |y |vale |bueno |pues |entonces )?(?:(?:in |en |size |talla |talle |la |el |una |un )*)${SIZE_TOKEN}\W*(?:then|instead|please|pls|por favor|entonces)?\W*$`);
/** A size named beside an add: "the first one in size M", "la segunda en talla 40", "in king", and a letter or a shoe size last ("… in M", "… in 42"). */
/** "For a king bed", "para cama queen": the bed's size is the bedding's. */
const BED_SIZE = String.raw`\b(?:for |para )?(?:a |my |the |una |mi )?(?:(king|queen|single|double|twin)(?:[- ]size)? bed|cama (king|queen|individual|matrimonial|doble))\b`;
/** "Let's do L", "I'll take the M", "me llevo la S": a letter size chosen as one, not said of anything else. */
const SIZE_CHOSEN = String.raw`\b(?:let'?s (?:do|go with|go for|get|try)|i'?ll (?:take|go with|go for|have|get|do)|i'?d like|go with|gimme|give me|me llevo|dame|quiero)\s+(?:(?:the|a|an|la|el|una?)\s+)?(?:size\s+|talla\s+)?(${LETTER_SIZES}|small|medium|large)\b(?:\s+(?:one|size|please|pls|por favor|then|instead|entonces))?\s*[.!?]*$`;
const SIZE_IN = new RegExp(String.raw`\b(?:size|talla|talle)\b\s*:?\s*${SIZE_TOKEN}\b|\b(?:in|en)\s+(${SIZE_WORD})\b|\b(?:in|en)\s+([sml]|\d{2}(?:[.,]5)?)\b(?=\s*(?:please|pls|por favor)?\s*[.!?]*$)|${BED_SIZE}|${SIZE_CHOSEN}`);
export const ADD_ALL = new RegExp(ADD.source, "g");
export const SIZE_IN_ALL = new RegExp(SIZE_IN.source, "g");
/** A message's product words alone: "ok add the linen shirt in M" → "ok the linen shirt". */
export const productWords = (s: string) => s.replace(SIZE_IN_ALL, " ").replace(/\b\d{2,3}\s?mm\b/g, " ").replace(ADD_ALL, " ");
/** The message being answered and the six before it: the host keeps twelve messages of history. */
const LOOK_BACK = 7;
/**
 * What `find` reads in the customer's recent messages (newest first, folded); looking back stops
 * at an earlier choice, whose size or colour was that product's.
 */
export function lookBack<T>(said: string[], find: (f: string) => T | undefined): T | undefined {
	// As far back as the history the host keeps: questions about the product ("what's it made of?")
	// come between the colour said with the search and the add.
	for (const text of said.slice(0, LOOK_BACK)) {
		const found = find(fold(text));
		if (found !== undefined) return found;
		if (endsLookBack(text, said)) return undefined;
	}
	return undefined;
}
/** "size 42", a bare "42" sent on its own, "do they come in 42?", "I'm usually a medium": the size, canonical. */
export function sizeSaidIn(f: string): string | undefined {
	const named = sizeArg(f).size ?? BARE_SIZE.exec(f)?.[1] ?? sizeReferenced(f)?.size ?? USUAL_SIZE.exec(f)?.[1] ?? sizeChangeUnplaced(f);
	return named ? canonicalSize(fold(named)) : undefined;
}
/** A size the customer gave while looking ("I need running shoes, size 42"), if the product comes in it. */
export function rememberedSize(said: string[], sizes: string[]): string | null {
	const found = lookBack(said, f => {
		const named = sizeSaidIn(f);
		if (named) return sizeNamed(named, sizes);
		// "for a queen bed": a size that is a word is named without "size".
		return sizes.find(z => /^[a-z]{4,}$/i.test(z) && new RegExp(`\\b${fold(z)}\\b`).test(f));
	});
	return found ?? null;
}
/** A reply that refused a size or colour for the product it named ("Sorry, Slim Jeans doesn't come in M", "Not in red, I'm afraid"). */
const VARIANT_REFUSED = /\b(?:doesn't|don't) come in\b|^(?:Not|Nothing) in [^\n]*(?:, I'm afraid| right now)\b|\bcomes in one (?:size|colour) only\b|\bno vienen? en\b|^No en [^\n]*, lo siento\b|^No (?:lo )?tengo (?:nada )?en (?:ese color|talla)\b|\bviene en (?:talla única|un solo color)\b/im;
/**
 * How many of the customer's latest messages a size or colour may still be remembered from: those
 * since a reply refused one. "The jeans in M" answered "they don't come in M" spent that M on the
 * jeans; it is not the size of the t-shirt added next.
 */
export function saidSinceVariantRefused(history: { role: string; content: string | null }[]): number {
	let said = 0;
	for (const m of [...history].reverse()) {
		if (m.role === "user") said++;
		else if (m.role === "assistant" && VARIANT_REFUSED.test(m.content ?? "")) return said;
	}
	return said;
}
/** An earlier choice ends a look back for what was said while looking; a question about listed ones ("the first or the second?") does not. */
function endsLookBack(text: string, said: string[]): boolean {
	const f = fold(text);
	return text !== said[0] && (ADD.test(f) || (parsePosition(f) !== null && !QUESTION.test(f)) || /\[tap /.test(text));
}
/**
 * A colour the customer gave while looking ("pink sneakers", "¿la tienes en negro?"), if the
 * product comes in it; looking back stops at an earlier choice, as for sizes.
 */
export function rememberedColour(said: string[], colours: string[]): string | null {
	const found = lookBack(said, f => {
		const named = parseProductQuery(f).color;
		return named ? (colourNamed(named, colours) ?? null) : undefined;
	});
	return found ?? null;
}
/**
 * How many the customer asked for while looking ("I want 2 black jackets", then the list): the count
 * a choice from that list adds when it says none. The search that made the list decides; an
 * earlier choice ends the look back, as for sizes.
 */
export function countWhileLooking(said: string[]): number | undefined {
	// The message being answered says its own count, if any ("ok 2 then" chooses the second).
	for (const text of said.slice(1, 4)) {
		const f = fold(text);
		if (endsLookBack(text, said) && !SEARCH_COUNT.test(f)) return undefined;
		// "Is the first one warm?" asks about the list; its words search nothing.
		if (parsePosition(f) !== null) continue;
		if (parseProductQuery(productWords(f)).query === undefined) continue;
		const count = SEARCH_COUNT.exec(f)?.[1];
		const n = count ? (NUMBER_WORDS[count] ?? Number(count)) : 1;
		return n > 1 && n <= 20 ? n : undefined;
	}
	return undefined;
}
/** The colours the last reply asked the customer to choose from ("Which colour would you like? pink, white"). */
function askedColours(lastReply: string): { colours: string[]; of: string | null } | null {
	const m = /(?:Which colou?r would you like(?: in (?:the )?([^?\n]+))?\?|which colou?r of ([^?\n]+)\?|¿Qué color quieres\?|¿qué color de ([^?\n]+)\?|¿En qué color quieres ([^?\n]+)\?)\s*([^\n]+)$/m.exec(lastReply);
	return m ? { colours: m[5]!.split(/,\s*/).map(x => colourInCatalog(x.trim())), of: m[1] ?? m[2] ?? m[3] ?? m[4] ?? null } : null;
}
/**
 * The colours asked by the last reply, else by one of the two before it (`earlier`): "beige" after
 * a question about another product in between still answers it, while its line has no colour.
 */
export function coloursStillAsked(history: ChatMessage[]): BrainState["coloursAsked"] {
	const replies = history.filter(m => m.role === "assistant" && m.content).slice(-3).reverse();
	for (const [i, m] of replies.entries()) {
		const asked = askedColours(m.content ?? "");
		if (asked) return i === 0 ? asked : { ...asked, earlier: true };
	}
	return null;
}
/** A catalog colour as the customer may write it: its own name, or ours for it in Spanish ("verde oliva"). */
export const colourSaid = (c: string): RegExp => new RegExp(`\\b(?:${[c, COLOURS_ES[fold(c)] ?? c].map(w => fold(w).replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("|")})\\b`, "g");
/** The one asked colour a message names: its own word ("plum"), or a colour that covers just one ("the grey one" for "charcoal"). */
export function colourChosen(s: string, colours: string[]): string | undefined {
	const said = colours.filter(c => colourSaid(c).test(s));
	if (said.length === 1) return said[0];
	const named = parseProductQuery(s).color;
	return named ? colourNamed(named, colours) : undefined;
}
/** The quantity of a bare "add 2 of those" that the last reply asked to pin to a product. */
export function askedQty(lastReply: string): number | undefined {
	// Or the offer after a price for that many ("… Shall I add 2 to your cart?").
	const m = /^(?:Which one would you like (\d{1,2}) of\?|¿De cuál quieres (\d{1,2})\?)|(?:Shall I add (\d{1,2}) to your cart\?|¿Agrego (\d{1,2}) a tu carrito\?)$/.exec(lastReply);
	return m ? Number(m[1] ?? m[2] ?? m[3] ?? m[4]) : undefined;
}
/** The sizes the last reply asked the customer to choose from ("Which size would you like? S, M, L"). */
export function askedSizes(lastReply: string): { sizes: string[]; of: string | null } | null {
	// The seller's console suggests "Which size would you like in the X? …" and "¿En qué talla quieres X? …".
	const m = /(?:Which size would you like(?: in (?:the )?([^?\n]+))?\?|which size of ([^?\n]+)\?|¿Qué talla quieres\?|¿qué talla de ([^?\n]+)\?|¿En qué (?:talla|tamaño) quieres ([^?\n]+)\?|¿En qué tamaño lo quieres\?)\s*([^\n]+)$/m.exec(lastReply);
	return m ? { sizes: m[5]!.split(/,\s*/).map(x => x.trim()), of: m[1] ?? m[2] ?? m[3] ?? m[4] ?? null } : null;
}
/** The sizes a product's details in the last reply listed (" Sizes: S, M, L." ends their first line). */
export function shownSizes(lastReply: string): string[] | null {
	// Under an answer ("Yes, it comes in rust."), the details are the second line.
	const m = lastReply
		.split("\n", 2)
		.map(line => / (?:Sizes|Tallas): ([^\n]+)\.$/.exec(line))
		.find(Boolean);
	return m ? m[1]!.split(/,\s*/).map(x => x.trim()) : null;
}
/** "The biggest one", "la más chica", "the bigger size": a size chosen by rank. */
export const EXTREME_SIZE =
	/^\W*(?:(?:ok|okay|yes|sure|great|si|vale|bueno)\W+)?(?:(?:i'?ll take|i'?ll get|i want|i'?d like|give me|add|quiero|dame|me llevo|agrega|agregalo|ponlo) )?(?:(?:it|one|lo|la|uno|una) )?(?:in |en )?(?:the |el |la )?(?:talla |tamano |size )?(?:(biggest|largest|bigger|larger|mas grande|big|large|grande)|(smallest|smaller|mas pequen[oa]|mas chic[oa]|small|little|pequen[oa]|chic[oa]))(?: one| size| uno| una| talla| tamano)?(?: please| por favor)?\W*$/;
/**
 * "The biggest one", "la más chica": the largest or smallest of these sizes (listed smallest first);
 * "the bigger size", "the big one", "la chica" only of two.
 */
export function extremeSize(s: string, sizes: string[]): string | null {
	const m = EXTREME_SIZE.exec(s);
	if (!m || !sizes.length || (/er$|^(?:big|large|grande|small|little|pequen|chic)/.test(m[1] ?? m[2]!) && sizes.length > 2)) return null;
	const ordered = sizesSmallestFirst(sizes);
	return (m[1] ? ordered.at(-1) : ordered[0]) ?? null;
}
/** The one asked size a message names, whatever its words around it ("the 200x300 one", "king please"). */
export function sizeNamed(s: string, sizes: string[]): string | null {
	const squash = (x: string) => fold(x).replace(/\s+|cm\b/g, "");
	// "I'm" and "it's" are one word each: their "m" and "s" are no sizes.
	const tokens = ` ${fold(s).replace(/([a-z])['’]([a-z])/g, "$1$2").replace(/[^a-z0-9.]+/g, " ")} `;
	// A word size must stand alone ("s" is not in "shoes"); one with figures may be written any way ("200 x 300").
	const hits = sizes.filter(z => tokens.includes(` ${fold(z).replace(/[^a-z0-9.]+/g, " ").trim()} `) || (/\d/.test(z) && squash(s).includes(squash(z))));
	return hits.length === 1 ? hits[0]! : null;
}
const SIZE_WORDS: Record<string, string> = { small: "S", pequena: "S", pequeno: "S", medium: "M", mediana: "M", mediano: "M", large: "L", grande: "L" };
/** As the catalog writes it: letter sizes in capitals, words as their letter, "42,5" as "42.5"; "king" and "200x300" as they are. */
export const canonicalSize = (raw: string) => SIZE_WORDS[raw] ?? (/^x{0,3}[sml]$/.test(raw) ? raw.toUpperCase() : raw.replace(",", "."));
/**
 * Colour and shade names of the catalog that are no search colour: as filters they would catch
 * "face cream", "self tan" or a rose perfume, but "in tan", "the nude one" choose a variant.
 */
const VARIANT_COLOURS = "tan|cream|cognac|midnight|oatmeal|terracotta|brass|natural|ivory|rust|mustard|blush|graphite|stone|nude|plum|coral|berry|rose|light|medium";
/** "In tan", "the nude one": not "add the cream", which names a product. */
const VARIANT_COLOUR = new RegExp(String.raw`\b(?:in|en) (${VARIANT_COLOURS})\b|\b(?:the|el|la) (${VARIANT_COLOURS}) (?:one|shade)\b`);
/** A colour named beside an add ("add it in black", "the first one in pink", "in tan"): the colour it comes in is the tool's to check. */
/** The catalog's colours of two words or more, in English and Spanish ("light blue", "azul claro"), longest first. */
const MANY_WORD_COLOURS = Object.entries(COLOURS_ES)
	.flatMap(([en, es]) => [[fold(en), en], [fold(es), en]])
	.filter(([said]) => said!.includes(" "))
	.sort((a, b) => b[0]!.length - a[0]!.length);
export function colourArg(s: string): { color?: string } {
	// "Azul claro" is light blue, not any blue (which asked the colour again: light blue or indigo).
	const whole = MANY_WORD_COLOURS.find(([said]) => new RegExp(`\\b${said}\\b`).test(s));
	if (whole) return { color: whole[1]! };
	const variant = VARIANT_COLOUR.exec(s);
	const color = parseProductQuery(s).color ?? variant?.[1] ?? variant?.[2];
	return color ? { color } : {};
}
/** The size and colour an add names. */
export const variantArgs = (s: string) => ({ ...sizeArg(s), ...colourArg(s) });
export function sizeArg(s: string): { size?: string } {
	const m = SIZE_IN.exec(s);
	const raw = m?.[1] ?? m?.[2] ?? m?.[3] ?? m?.[4] ?? BED_ES[m?.[5] ?? ""] ?? m?.[6];
	if (raw) return { size: canonicalSize(raw) };
	// "45mm", "41 mm": a case or strap measured as the catalog writes it ("45 mm"); it went unread.
	const measured = /\b(\d{2,3})\s?mm\b/.exec(s);
	return measured ? { size: `${measured[1]} mm` } : {};
}
/** A size named as one in a search ("size M", "talla 40"): other forms ("in large") may be no size. */
const SIZE_NAMED = new RegExp(String.raw`\b(?:size|talla|talle)\b\s*:?\s*${SIZE_TOKEN}\b`);
const BED_ES: Record<string, string> = { king: "king", queen: "queen", individual: "single", matrimonial: "double", doble: "double" };
const BED_SIZE_RE = new RegExp(BED_SIZE);
export function searchSize(s: string): { size?: string } {
	const bed = BED_SIZE_RE.exec(s);
	const raw = SIZE_NAMED.exec(s)?.[1] ?? bed?.[1] ?? BED_ES[bed?.[2] ?? ""];
	return raw ? { size: canonicalSize(raw) } : {};
}
/** A cart line as the customer reads it: "Shirt Dress (M)". */
export const lastLineOf = (state: BrainState) => state.cart.items.at(-1);

/** "Make it a 43", "change it to size M", "in L instead", "mejor en talla 40": another size for a line that has one. */
const SIZE_CHANGE = /\b(?:make (?:it|that|them|those)|change (?:it|that|them|the size)|switch|swap|exchange|instead|rather|actually|cambia\w*|mejor)\b/;
/** The size such a message names without "size" or "in": "make it 43", "change it to a M", "mejor la 40". */
const SIZE_AFTER_CHANGE = new RegExp(
	String.raw`\b(?:make (?:it|that|them|those)|change (?:it|that|them|the size)(?: to)?|switch(?: it| that)? to|swap(?: it| that)? for|actually|rather|mejor|cambia\w*(?: (?:la|el) (?:talla|talle|tamano))?(?: a| por)?|in|en)\s+(?:(?:a|an|the|la|el|una|un)\s+)?${SIZE_TOKEN}\b(?!\s*(?:pieces?|units?|of|x\b))`
);
/** How the reply to a size change says it: "undo" after it reads the line and both sizes back. */
export const RESIZED_SAID = /^(?:Changed (.+) from size (.+?) to (.+?)|Cambié (.+) de talla (.+?) a (.+?)) 👌$/m;
/** A size or colour set on a line: "Linen Shirt in size M 👌", "Brass Desk Lamp in black 👌", "… in size 42, pink 👌". */
export function sizedText(lang: Lang, name: string, size: string | undefined, color: string | undefined): string {
	const en = [size ? `size ${size}` : "", color ?? ""].filter(Boolean).join(", ");
	const es = [size ? `talla ${size}` : "", color ? colourIn("es", color) : ""].filter(Boolean).join(", ");
	return t(lang, `${name} in ${en} 👌`, `${name} en ${es} 👌`);
}
/** What an add asks next: the size still to choose, else the colour, else whether to go on. */
export function choiceAsked(output: { sizeNeeded?: string[]; colourNeeded?: string[] }, lang: Lang): string {
	if (output.sizeNeeded?.length) return t(lang, `Which size would you like? ${sizesSmallestFirst(output.sizeNeeded).join(", ")}`, `¿Qué talla quieres? ${sizesSmallestFirst(output.sizeNeeded).join(", ")}`);
	if (output.colourNeeded?.length) return t(lang, `Which colour would you like? ${output.colourNeeded.join(", ")}`, `¿Qué color quieres? ${colourIn(lang, output.colourNeeded.join(", "))}`);
	return t(lang, "Keep shopping or check out?", "¿Seguimos mirando o finalizas la compra?");
}
/** Spelled out for `RESIZED_SAID` to read back. */
export const resizedText = (lang: Lang, name: string, from: string, to: string) => t(lang, `Changed ${name} from size ${from} to ${to} 👌`, `Cambié ${name} de talla ${from} a ${to} 👌`);

/**
 * A number after "make it" is a count ("make it 2") unless it cannot be one or reads as a size
 * next to the line's own: 43 for a 42, 10 for a 9 (the tool takes at most 20 of anything).
 */
function numberIsSize(n: number, lineSize: string): boolean {
	if (n > 20) return true;
	const now = Number(lineSize.replace(",", "."));
	return Number.isFinite(now) && n >= 4 && Math.abs(n - now) <= 4;
}

/**
 * "Make it a 43" after a size-42 line went in: that line in 43, not a second pair. The line is the
 * one of the product in view, else the one just added, else the only product with a size in the
 * cart. A bare size counts only right after the line went in ("43" answering "… (42) 🛒").
 */
/** The size a change of size names ("change the size to L", "make it a large", "actually in M"), as written. */
const changedSize = (s: string): string | undefined => (SIZE_CHANGE.test(s) && !ADD.test(s) ? (sizeArg(s).size ?? SIZE_AFTER_CHANGE.exec(s)?.[1]) : undefined);
/**
 * A change of size with no sized line to change, canonical: "change the size to L" before any
 * choice. A small number is a count ("make it 3"), not a size, unless it is called one.
 */
export function sizeChangeUnplaced(s: string): string | undefined {
	const named = changedSize(s);
	if (!named) return undefined;
	const size = canonicalSize(named);
	return /^\d+$/.test(size) && Number(size) <= 20 && !SIZE_NAMED.test(s) ? undefined : size;
}
/** "Actually in green", "change the colour to white", "mejor en negro": another colour for a line that has one. */
const COLOUR_CHANGE = /\b(?:make (?:it|that|them|those)|change (?:it|that|them|the colou?r)|switch|swap|instead|rather|actually|prefer|cambia\w*|mejor|prefiero)\b/;
const COLOUR_CHANGE_ALL = new RegExp(COLOUR_CHANGE.source, "g");
export function colourChange(s: string, state: BrainState): Decision | null {
	if (state.awaitingConfirmation || !COLOUR_CHANGE.test(s) || ADD.test(s.replace(/\b(?:i want|quiero|i'?d like) (?:it|them|that|lo|la|los|las)\b/g, " "))) return null;
	const color = colourArg(s).color;
	if (!color) return null;
	// Not a new product in that colour: "actually, a green scarf" names one.
	if (parseProductQuery(productWords(s.replace(COLOUR_CHANGE_ALL, " ").replace(/\b(?:to|a|por|en|in)\b/g, " "))).query !== undefined) return null;
	// The lines that could change: in a colour, and not in the one asked already.
	const coloured = state.cart.items.filter(i => i.color !== undefined && !colourNamed(color, [i.color]));
	const line = state.focus ? coloured.filter(i => i.sku === state.focus).at(-1) : (coloured.filter(i => state.justAdded?.includes(i.sku)).at(-1) ?? (new Set(coloured.map(i => i.sku)).size === 1 ? coloured.at(-1) : undefined));
	if (!line?.color) return null;
	return { kind: "tool", name: "add_to_cart", args: { sku: line.sku, color, replacesColor: line.color, ...(line.size ? { size: line.size } : {}) }, intent: "add_to_cart" };
}
/**
 * "Swap it for the Cloudstep Runner", "cámbialo por la chaqueta negra": the cart line to take out
 * (the one in view, else the last put in) and the words of the product to put in instead.
 */
const SWAP = /^\W*(?:(?:actually|ok|no|instead|mejor)\W+)*(?:(?:can you |could you |can i |i'?d like to |i want to |please )?(?:swap|switch|exchange|change|replace|trade) (?:it|that|this|this one|that one|them)(?: out)? (?:for|with|to) (?:the |a |an )?|cambi(?:a|alo|ala|amelo|amela|ar(?:lo|la)?) por (?:el |la |los |las |un |una )?|en vez de (?:eso|esto|ese|esa),? (?:el |la |un |una )?)(.+?)\W*$/;
/**
 * The line named: "swap the starfall for shadow tactics", "replace my desk lamp with the arc floor
 * lamp", "cambia la chaqueta por la de cuero", "shadow tactics instead of the starfall".
 */
const SWAP_NAMED = /^\W*(?:(?:actually|ok|no|wait|mejor)\W+)*(?:(?:can you |could you |can i |i'?d like to |i want to |please )?(?:swap|switch|exchange|change|replace|trade) (?:the |my )?(?<old>.+?)(?: out)? (?:for|with) (?:the |a |an )?|cambi(?:a|ame|ar) (?:el |la |los |las |mi |mis )?(?<oldEs>.+?) por (?:el |la |los |las |un |una )?)(?<new>.+?)\W*$/;
const INSTEAD_OF = /^\W*(?:(?:actually|ok|no|wait|mejor)\W+)*(?:(?:i'?d (?:rather have|like)|i want|give me|i'?ll take|quiero|dame) )?(?:the |a |an |el |la |un |una )?(?<new>.+?),? (?:instead of|rather than|en (?:vez|lugar) del?) (?:the |my |el |la |mi )?(?<old>.+?)\W*$/;
/** "Instead of the t-shirt I want the Cropped Hoodie", "en vez de la camiseta, quiero la X": the old one first. */
const INSTEAD_FIRST =
	/^\W*(?:(?:actually|ok|no|wait|mejor)\W+)*(?:instead of|rather than|en (?:vez|lugar) del?) (?:the |my |el |la |mi )?(?<old>.+?),? (?:i(?:'?d)? (?:want|like|rather have)|i'?ll take|give me|let me have|quiero|dame|mejor|prefiero) (?:the |a |an |el |la |un |una )?(?<new>.+?)\W*$/;
/** "I want the Cropped Hoodie instead", "quiero la X en su lugar": instead of the one in view, or the last put in. */
const WANT_INSTEAD = /^\W*(?:(?:actually|ok|no|wait|mejor)\W+)*(?:i(?:'?d)? (?:want|like|rather have)|i'?ll take|give me|let me have|make it|make that|change it to|quiero|dame|prefiero|mejor|que sea|cambialo (?:a|por)) (?:the |a |an |el |la |un |una )?(.+?),? (?:instead|en su lugar|en vez de eso|mejor)\W*$/;

export function swapAsked(s: string, state: BrainState): { line: BrainState["cart"]["items"][number]; query: string } | null {
	if (state.awaitingConfirmation) return null;
	const m = SWAP.exec(s) ?? WANT_INSTEAD.exec(s);
	if (m) {
		const line = state.cart.items.filter(i => i.sku === state.focus).at(-1) ?? state.cart.items.at(-1);
		const query = parseProductQuery(productWords(m[1]!)).query;
		return line && query ? { line, query } : null;
	}
	const named = SWAP_NAMED.exec(s)?.groups ?? INSTEAD_FIRST.exec(s)?.groups ?? INSTEAD_OF.exec(s)?.groups;
	if (!named) return null;
	// A line named in Spanish ("la chaqueta" of the Denim Jacket): by the words its search would use.
	const old = named.old ?? named.oldEs!;
	const line = lineNamedBy(old, state.cart.items);
	const query = parseProductQuery(productWords(named.new!)).query;
	return line && query ? { line, query } : null;
}
/**
 * "No, mejor el segundo", "oops, I meant the third one" right after a pick from a list: the line just
 * put in goes out and the one now picked goes in, in its place. Without the second thought it is
 * another one wanted ("and the second one").
 */
export const REPICK = /^\W*(?:no|nope|oops|sorry|wait|actually|i meant|mejor|perdon|me equivoque|en realidad|queria|quise decir|no era)\b/;
export function repickAsked(s: string, state: BrainState): { line: BrainState["cart"]["items"][number]; sku: string } | null {
	if (state.awaitingConfirmation || !REPICK.test(s)) return null;
	const position = parsePosition(s);
	const sku = position === null ? undefined : state.shown.find(x => x.position === position)?.sku;
	const line = state.cart.items.filter(i => state.justAdded?.includes(i.sku) && state.shown.some(x => x.sku === i.sku)).at(-1);
	return sku && line && line.sku !== sku ? { line, sku } : null;
}
/** How the reply to a colour change says it. */
export const recolouredText = (lang: Lang, name: string, from: string, to: string) => t(lang, `Changed ${name} from ${from} to ${to} 👌`, `Cambié ${name} de ${colourIn(lang, from)} a ${colourIn(lang, to)} 👌`);
/** Words that name no cart line: "make the one", "change my". */
const LINE_FILLER = new Set(["it", "that", "them", "those", "one", "ones", "my", "the", "size", "talla", "lo", "la", "los", "las", "el", "mi", "mis"]);
/**
 * The one cart line the words name ("the hub", "the court classic", "las zapatillas"): every word in
 * its name (singular, folded). None when they name no line, or several.
 */
export function lineNamedBy(words: string, items: BrainState["cart"]["items"]): BrainState["cart"]["items"][number] | undefined {
	const byWords = (w: string) => {
		const said = fold(w).split(/[^a-z0-9]+/).filter(x => x && !LINE_FILLER.has(x)).map(singular);
		if (!said.length) return undefined;
		const lines = items.filter(l => {
			const name = fold(`${l.name} ${l.color ?? ""}`).split(/[^a-z0-9]+/).map(singular);
			return said.every(x => name.includes(x));
		});
		return lines.length === 1 ? lines[0] : undefined;
	};
	// Named in Spanish ("la sudadera" of the Fleece Zip Hoodie): by the words its search would use, its colour one of them.
	const searched = parseProductQuery(productWords(fold(words)));
	return byWords(words) ?? byWords([searched.color, searched.query].filter(Boolean).join(" "));
}
/** "Make the court classic a 41", "change the size of the sneakers to 41", "cambia la talla de la camiseta a L": the line named and the size. */
const NAMED_SIZE_CHANGE = new RegExp(String.raw`^\W*(?:(?:actually|ok|wait|no|mejor)\W+)*(?:make|change|switch|cambia\w*|pon)\s+(?:(?:the\s+)?size\s+(?:of|on)\s+(?:the|my)\s+|la\s+talla\s+(?:de\s+(?:el|la|los|las|mi|mis)|del)\s+|(?:the|my|el|la|los|las|mi|mis)\s+)([a-z][a-z0-9 -]*?)\s+(?:to |a |in |en |por )?(?:(?:a|an|size|talla|la|el)\s+)?${SIZE_TOKEN}\W*$`);

export function sizeChange(s: string, state: BrainState): Decision | null {
	// "Change the second one to M" names which; a bare "40" is no position here.
	if (state.awaitingConfirmation || (parsePosition(s) !== null && !BARE_SIZE.test(s))) return null;
	// A line named: that one, whichever was added last.
	const namedChange = NAMED_SIZE_CHANGE.exec(s);
	const namedLine = namedChange ? lineNamedBy(namedChange[1]!, state.cart.items.filter(i => i.size !== undefined)) : undefined;
	if (namedLine?.size) {
		const size = canonicalSize(namedChange![2]!);
		if (!sameSize(size, namedLine.size)) return { kind: "tool", name: "add_to_cart", args: { sku: namedLine.sku, size, replacesSize: namedLine.size, ...(namedLine.color ? { color: namedLine.color } : {}) }, intent: "add_to_cart" };
	}
	const sized = state.cart.items.filter(i => i.size !== undefined);
	const skus = new Set(sized.map(i => i.sku));
	const last = (keep: (i: (typeof sized)[number]) => boolean) => sized.filter(keep).at(-1);
	const line = state.focus ? last(i => i.sku === state.focus) : (last(i => state.justAdded?.includes(i.sku) ?? false) ?? (skus.size === 1 ? sized.at(-1) : undefined));
	if (!line?.size) return null;
	const named = changedSize(s) ?? (state.justAdded?.includes(line.sku) ? BARE_SIZE.exec(s)?.[1] : undefined);
	if (!named) return null;
	const size = canonicalSize(named);
	if (/^\d+$/.test(size) && !SIZE_NAMED.test(s) && !numberIsSize(Number(size), line.size)) return null;
	if (sameSize(size, line.size)) return null;
	return { kind: "tool", name: "add_to_cart", args: { sku: line.sku, size, replacesSize: line.size }, intent: "add_to_cart" };
}

/** A cart line's own size and colour, to name that line again in a tool call. */
export const variantOf = (i: { size?: string; color?: string }) => ({ ...(i.size ? { size: i.size } : {}), ...(i.color ? { color: i.color } : {}) });
/** A cart line by its name and what was chosen of it, the colour in the customer's language. */
export const lineName = (i: { name: string; size?: string; color?: string }, lang: Lang = "en") => {
	const chosen = [i.size, i.color && colourIn(lang, i.color)].filter(Boolean);
	return chosen.length ? `${i.name} (${chosen.join(", ")})` : i.name;
};
/** The size a customer says they wear: "I'm usually a medium", "I wear M", "normalmente uso la L". */
export const USUAL_SIZE = new RegExp(String.raw`\b(?:i'?m|i am|i wear|i take|i get|i'?m usually|usually|normally|soy|uso|llevo|calzo|(?:he|she|they|my (?:son|daughter|dad|father|mum|mom|mother|husband|wife|boyfriend|girlfriend|brother|sister|partner|kid)) (?:wears|takes|wear|take|is(?: a)?|'?s(?: a)?)|(?:usa|calza|lleva|es)(?= (?:(?:la|el|una?|talla|talle)\s+)?[0-9xsml]))\s+(?:(?:usually|normally|always|generally|normalmente|siempre)\s+)?(?:(?:wear|take|get|uso|llevo|calzo)\s+)?(?:(?:a|an|un|una|la|el)\s+)?(?:(?:size|talla|talle)\s+)?${SIZE_TOKEN}\b(?! ?x)(?!\s*(?:years?|yrs?|anos|kg|kilos?|lbs?|pounds|cm|inch))`);
export const USUAL_SIZE_ALL = new RegExp(USUAL_SIZE.source, "g");

/** Words around a pick that are neither its name nor its size or colour. */
const PICK_FILLER = new Set(["en", "in", "talla", "talle", "size", "please", "pls", "porfa", "por", "favor", "va", "ok", "okay", "bet", "dale", "sure", "yes", "si", "vale", "color", "colour", "de", "y", "and"]);
/** A word that is a colour by itself, in either language ("blancos", "latón", "sage"). */
const colourWord = (w: string): string | undefined => {
	const es = colourInCatalog(w);
	if (es !== w) return es;
	const plural = w.length > 3 ? [w.replace(/es$/, ""), w.replace(/s$/, "")].map(x => colourInCatalog(x)).find((x, i) => x !== [w.replace(/es$/, ""), w.replace(/s$/, "")][i]) : undefined;
	if (plural) return plural;
	return parseProductQuery(w).color ?? colourArg(`in ${w}`).color;
};
/**
 * "The hiking boots in 43 black please", "va, los court classic blancos 41", "la arc en latón": one
 * product of the list named with the size or colour wanted. Its place on the list and what was said
 * of it; null when the words name none of the list, or several, or say no size nor colour.
 */
export function listedInVariant(s: string, lines: ListedLine[]): { position: number; size?: string; color?: string } | null {
	const words = s.split(/[^a-z0-9'-]+/).filter(Boolean);
	// "Light blue", "azul claro": a colour of two words is said whole.
	const pair = words.slice(0, -1).map((w, i) => `${w} ${words[i + 1]}`).find(p => colourInCatalog(p) !== p || Object.prototype.hasOwnProperty.call(COLOURS_ES, p));
	const single = words.map(colourWord).find((c): c is string => !!c);
	const color = pair ? colourInCatalog(pair) : single;
	// A bare number in a listed name is its model ("the ClearView 24"), not a size.
	const modelNumbers = new Set(lines.flatMap(l => fold(l.name).split(/[^a-z0-9.]+/)));
	const size = sizeArg(s).size ?? words.find(w => /^\d{2}(?:[.,]5)?$/.test(w) && !modelNumbers.has(w));
	if (!color && !size) return null;
	const pairWords = pair ? pair.split(" ") : [];
	const rest = words.filter(w => !PICK_FILLER.has(w) && !pairWords.includes(w) && !colourWord(w) && w !== size && !(/^\d{1,3}$/.test(w) && !modelNumbers.has(w)) && !/^x{0,3}[sml]$/.test(w));
	if (!rest.length) return null;
	const position = chooseListed(rest.join(" "), lines);
	return position === null ? null : { position, ...(size ? { size: canonicalSize(size) } : {}), ...(color ? { color } : {}) };
}
