/** Where an order goes: the address a customer gives when the checkout asks, or says on their own ("send it to …"). */
import { deliveryAddress } from "../../contracts/conversation";
import type { Lang } from "../language";
import { fold, t } from "./text";
import type { BrainState } from "./types";

/** The checkout's question; the message after it is read as the answer. */
export const addressPrompt = (lang: Lang): string =>
	t(lang, "Where shall we deliver your order? Send the street and number, city and postcode — or share your location 📍", "¿A dónde te enviamos el pedido? Mándame calle y número, ciudad y código postal — o comparte tu ubicación 📍");
// The first words it used (in conversations of before) still count.
export const ADDRESS_ASKED = /^(?:Where shall we deliver (?:it|your order)\?|¿A dónde te (?:lo enviamos|enviamos el pedido)\?)/m;

/** Words that only an address has around its number ("2TB drive, usb-c" is no address: "drive" is not here). */
const STREET_WORD =
	/\b(?:st|str|street|rd|road|ave?|avenue|blvd|boulevard|ln|lane|hwy|highway|apt|apartment|suite|zip|postcode|rue|strasse|platz|paseo|avda|rambla|calle|cl|cll|carrera|cra|kra|avenida|av|diagonal|transversal|colonia|depto|departamento|dpto|apto|barrio|rua|cp|codigo postal)\b/;
/** Words an address may have that other messages have too: enough once the address was asked for. */
const ADDRESS_WORD = /\b(?:drive|dr|way|court|ct|place|pl|square|sq|unit|flat|floor|piso|no|num|numero|col)\b/;

/**
 * Words no address has and requests do: "wait, actually make the hub 2", "hold on, make it 2 copies",
 * "espera, mejor que sean 2, una para mi hermano" answer the address question with something else.
 */
const ASKS_SOMETHING =
	/\b(?:wait|hold on|hang on|actually|make (?:it|the|them|that)|add|remove|cancel|want|need|copies|instead of|one for|for my|espera|esperate|mejor|sean|quiero|necesito|agrega|anade|quita|cambia|copias|una para|uno para|para mi)\b/;

/**
 * "123 Main St, Miami FL 33101", "Calle 5 #23-45, Bogotá": a number with words around it, and a
 * street word, a house number sign or (`asked`: the checkout asked for it) parts set apart by
 * commas or a word addresses share with other talk ("Flat 3"). "Add 2 more of the first one" is
 * none; neither is a question.
 */
export function looksLikeAddress(text: string, asked = false): boolean {
	const s = fold(text);
	if (!/\d/.test(s) || !/[a-z]{2}/.test(s) || text.includes("?") || ASKS_SOMETHING.test(s)) return false;
	return STREET_WORD.test(s) || /#\s*\d|\bn[º°]\s*\d/.test(text) || (asked && (ADDRESS_WORD.test(s) || text.includes(",")));
}

/** "Deliver it to …", "my address is …", "envíalo a …": what follows is the address, as written. */
const DELIVER_TO =
	/^\W*(?:(?:actually|ok(?:ay)?|oh|sorry|and|also|no|hmm|wait|bueno|perd[oó]n|y|mejor|oye)\b[,!.]?\s*)*(?:(?:please |pls |can you |could you |por favor )?(?:deliver|send|ship)(?: it| them| (?:the|my) (?:order|package|parcel))? to|(?:my |the )?(?:new |delivery |shipping )*address(?: is|:)|(?:(?:can|could|may) (?:i|you|we) (?:please )?|(?:i'?d like|i want|i need) to |please )?(?:change|update) (?:the |my )?(?:delivery |shipping )?address(?: of (?:the|my) order)? to|(?:(?:puedo|puedes|podemos|quiero|necesito) )?(?:cambiar|actualizar) (?:la |mi )?direcci[oó]n(?: de entrega| de env[ií]o)? a|(?:env[ií]alo|env[ií]alos|env[ií]amelo|m[aá]ndalo|m[aá]ndamelo|entr[eé]galo|env[ií]en(?:lo)?)(?: el pedido)? a|(?:mi |la )?(?:nueva )?direcci[oó]n(?: de entrega| de env[ií]o)?(?: es|:)|(?:cambia|cambiar|actualiza)(?: la| mi)? direcci[oó]n(?: de entrega| de env[ií]o)? a)\s*:?\s*/iu;

/** What follows the words that introduce an address, when it has a number and asks nothing ("Can you deliver to 90210?" asks where they deliver). */
function addressAfter(message: string, said: RegExpExecArray): string | null {
	// "… 62704 instead, please": the words after the address are no part of it; nor "my office:" before it.
	const rest = addressPart(message.slice(said.index + said[0].length)).replace(PLACE_LABEL, "");
	return /\d/.test(rest) && !/\?\s*$/.test(rest) ? deliveryAddress(rest) : null;
}
/** "my office: …", "casa: …": what the place is to them, not part of where it is. */
const PLACE_LABEL = /^\s*(?:(?:my|the|our|mi|la|el|nuestra)\s+)?(?:office|work|house|home|place|apartment|flat|casa|oficina|trabajo|depa|departamento)\s*[:?,-]\s*/iu;
/** "ok, 44 Maple Avenue…", "sure: …": a word before the address, answering the question. */
const LEADING_WORDS = /^\s*(?:(?:ok(?:ay)?|sure|yes|yeah|yep|right|here|it'?s|it is|si|sí|claro|vale|dale|listo|es)\b[\s,.:!-]*)+/iu;
/** "Send it to my house": where, without the address. */
export const ADDRESS_UNSAID =
	/^\W*(?:please |pls )?(?:deliver|send|ship)(?: it| them| (?:the|my) (?:order|package))? to (?:my|our) (?:house|home|place|office|work|apartment|flat)\b[^?\d]*$|^\W*(?:env[ií]a(?:lo|melo)?|m[aá]nda(?:lo|melo)?|entr[eé]ga(?:lo|melo)?) a (?:mi|nuestra) (?:casa|oficina|trabajo|depa|departamento)\b[^?\d]*$/iu;
const TRAILING_WORDS = /(?:[\s,.!]+(?:instead|please|pls|thanks|thank you|por favor|gracias|mejor|en su lugar))+[\s.!]*$/iu;
/**
 * "12 Baker Street, London NW1 6XE. yes place the order", "… 28013 Madrid y confírmalo": what comes
 * after the address answers something else. A street may be a "Place": only "place the order" ends it.
 */
const CLAUSE_AFTER =
	/(?:[.!;]\s+|,\s*|\s+(?:and|y)\s+)(?:(?:yes|yeah|yep|ok(?:ay)?|sure|s[ií]|vale|dale|perfect[oa]?)\b(?!\s*\d)|(?:please\s+|por favor\s+)?(?:place|confirm|submit)\s+(?:the |my |this )?(?:order|it)\b|go ahead\b|(?:thanks|thank you|gracias)\b|confirm(?:a|alo|ame|o)?\b|conf[ií]rm(?:alo|amelo)\b|(?:haz|hazlo|haga|realiza) (?:el )?pedido\b)[^]*$/iu;
/** The address of a message, without what is said after it. */
const addressPart = (text: string) => text.replace(CLAUSE_AFTER, "").replace(TRAILING_WORDS, "");

/** "Change the address", "a different address", "otra dirección": at the checkout, the question again. */
export const ADDRESS_CHANGE = /\b(?:change|update|edit|wrong|different|another|other|new) (?:the |my )?(?:delivery |shipping )?address\b|\b(?:cambiar|cambia|cambio|actualizar|otra|nueva) (?:la |mi )?direccion\b|\bdireccion (?:equivocada|incorrecta|distinta)\b/;

/**
 * The address a message gives, as the customer wrote it: a location shared, or an address after
 * "send it to"; at the checkout's question or its summary, a message that looks like one. Null otherwise.
 * `location` is a shared location's text (its place and address, or its coordinates).
 */
export function addressSaid(message: string, location: string | null, state: Pick<BrainState, "addressAsked" | "awaitingConfirmation" | "cart">): string | null {
	// A tap on a list row or button picks a product ("Fleece Zip Hoodie" has a postcode's word in it).
	if (/\[(?:tap|order) /.test(message)) return null;
	if (location !== null) return state.addressAsked || state.awaitingConfirmation || state.cart.items.length ? deliveryAddress(location) : null;
	const said = DELIVER_TO.exec(message);
	if (said) return addressAfter(message, said);
	const plain = addressPart(message.replace(LEADING_WORDS, "").replace(PLACE_LABEL, ""));
	if (state.addressAsked || state.awaitingConfirmation) return looksLikeAddress(plain, true) ? deliveryAddress(plain) : null;
	// Unasked, with something to deliver: only what cannot be a search ("12 Baker Street, London").
	return state.cart.items.length && looksLikeAddress(plain) ? deliveryAddress(plain) : null;
}


/**
 * The address a customer's message gives when nobody asked for one (a human seller has the
 * conversation): after "send it to …", or one that has a street word. Null otherwise.
 */
export function addressIn(message: string): string | null {
	const said = DELIVER_TO.exec(message) ?? DELIVER_TO_WITHIN.exec(message);
	if (said) return addressAfter(message, said);
	const plain = addressPart(message);
	return looksLikeAddress(plain) ? deliveryAddress(plain) : null;
}

/** "Great, I'll take it — send it to …": the address after the words that introduce it, anywhere in the message. */
const DELIVER_TO_WITHIN = /\b(?:deliver|send|ship)(?: it| them| (?:the|my) (?:order|package|parcel))? to\s+|\b(?:delivery |shipping )?address(?: is|:)\s*|\bnew (?:one|address)(?: is|:)\s*|\b(?:la )?nueva(?: direcci[oó]n)?(?: es|:)\s*|\b(?:env[ií]alo|env[ií]amelo|m[aá]ndalo|m[aá]ndamelo) a\s+|\bdirecci[oó]n(?: de entrega| de env[ií]o)?(?: es|:)\s*/iu;
