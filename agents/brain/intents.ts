/** What a customer's message asks for, as patterns over its folded text: confirmations, cart, orders, policies, small talk. */
import type { PolicyTopic } from "../tools";
import { fold } from "./text";


/** Chat shorthand as customers type it, and the words it stands for. */
const SHORTHAND: [RegExp, string][] = [
	[/\bu\b/g, "you"],
	[/\bur\b/g, "your"],
	[/\b(what|where|how|that|there|who)s\b/gi, "$1's"],
	[/\b(do|does|is|are|was|did|ca|wo|have|has)nt\b/gi, "$1n't"],
	[/\bim\b/gi, "I'm"],
	[/\bive\b/gi, "I've"],
	[/\bill (take|get|have|buy|go|pay|think|check|wait|try)\b/gi, "I'll $1"],
	[/\b(?:pls|plz|pleas)\b/gi, "please"],
	[/\b(?:thx|thnx|thanx|tnx)\b/gi, "thanks"],
	[/\bwanna\b/gi, "want to"],
	[/\bgimme\b/gi, "give me"],
	[/\bsth\b/gi, "something"],
	[/\b(?:kk|kay|okk+|okie|oki)\b/gi, "ok"],
	[/\b(?:wat|wut|wht)\b/gi, "what"],
	[/\b(?:cuz|coz|bc)\b/gi, "because"],
	[/\bidk\b/gi, "I don't know"],
	[/\brn\b/gi, "right now"],
	[/\b(?:tmrw|tmr|tmrow)\b/gi, "tomorrow"],
	[/(?<=\s|^)w\/o(?=\s|$)/gi, "without"],
	[/(?<=\s|^)w\/(?=\s)/gi, "with"],
	// "sneakers sz 42", "sz M": a size.
	[/\bsz\.?(?=\s*(?:\d+|xs|s|m|l|xl|xxl)\b)/gi, "size"],
	[/\b(?:xq|pq)\b/gi, "porque"],
	[/\b(?:tb|tmb)\b/gi, "también"],
	[/\bq\b/g, "que"],
	// "How long does it last on the skin?": how long it lasts; the skin is where, not a product word.
	[/\b(last|lasts|dura|duran) (?:on|in|en) (?:the |my |your |la |mi )?(?:skin|piel)\b/gi, "$1"],
	// "Can I upgrade it later?" asks whether it is upgradeable, as its details would say it.
	[/\bcan (?:i|you|we) (upgrade|expand|repair)(?: (?:it|this|this one|that one))(?: later| in the future| myself| afterwards)?\b/gi, "is it $1able"],
	// "Something for 2 players", "a two-player game": a multiplayer one (not the game with a 2 in its name).
	[/\bfor (?:2|two|3|three|4|four) (?:players|people)\b|\b(?:2|two)[- ]players?\b|\b(?:couch|local) co-?op\b|\bpara (?:2|dos|3|tres|4|cuatro) jugadores\b/gi, "multiplayer"],
	// "How many players?" is asked as whether it is multiplayer: the details say that, or "single player".
	[/\bhow many (?:players|people)(?: (?:can play(?: it)?|is it for|are they for|does it (?:have|support|take)|do they (?:have|support|take)))?\b/gi, "is it multiplayer"],
	[/\bcu[aá]ntos jugadores(?: (?:pueden jugar|tiene|admite|son))?\b/gi, "es multijugador"]
];

/**
 * "Hey Pixel, got any racing games?", "Max: a tablet for drawing": the seller's own name, said to
 * greet or call them, is no word to search (a game was found for "pixel").
 */
export function withoutOurName(text: string, name: string): string {
	const us = name.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/[^A-Za-z]/g, "");
	if (!us) return text;
	const called = new RegExp(`^(\\W*(?:h+i+|he+y+|hel+o+|ho+la+|buenas|buenos dias|good (?:morning|afternoon|evening)|thanks|thank you|gracias|ok(?:ay)?|oye)\\b)[\\s,!]+${us}\\b[\\s,!.:]*|^\\W*${us}[,:!]\\s*`, "i");
	return text.replace(called, (_all, greeting: string | undefined) => (greeting ? `${greeting}, ` : ""));
}

/**
 * "And 2 sea salt candles", "y dos velas" with something in the cart: more to add, as "add 2 sea salt
 * candles" is (it showed the candle and asked). Words after the count that ask ("more", "of them") are not.
 */
export function alsoAdded(text: string, hasCart: boolean): string {
	if (!hasCart || /\?/.test(text)) return text;
	return text.replace(/^\W*(?:(and|also|plus)|(y|tambien|también))\s+(?=(?:\d{1,2}|two|three|four|five|dos|tres|cuatro|cinco)\s+(?!more\b|of\b|mas\b|más\b|de\b)[a-záéíóúñ])/iu, (_all, en: string | undefined) => (en ? "add " : "agrega "));
}

/** "do u have", "whats the price", "ill take it": the customer's message with its shorthand spelt out. */
export function chatShorthand(text: string): string {
	return SHORTHAND.reduce((s, [re, to]) => s.replace(re, to), text);
}

/**
 * The cart named as where a product goes ("to my cart", "in the basket", "al carrito"). Not a bag
 * something is to fit in ("a sleeve to go in my bag"): bags are products too.
 */
const INTO_CART =
	/\s*\b(?:to|in|into|onto|inside)\s+(?:(?:my|the|your|our)\s+)?(?:shopping\s+)?(?:cart|basket|trolley)\b|\s*(?<!\b(?:go|goes|fit|fits|carry|keep|store)\s+)\b(?:to|in|into)\s+(?:my|the)\s+(?:shopping\s+)?bag\b|\s*\bto\s+bag\b|\s*\b(?:a|al|en|dentro de)\s+(?:(?:el|mi|tu|su)\s+)?(?:carrito|carro|cesta|canasta)\b/;
/** Verbs that put a product in the cart when the cart is named: "put it in my cart", "ponlo en el carrito". */
const CART_VERB = /\b(add|put|throw|pop|stick|chuck|toss)\b|\b(?:agrega|anade|pon|mete)(r)?(me|lo|la|los|las)?\b/;
/** "Can you add…?", "could you put…", "I'd like to add…": a request, not a question about the product. */
const ADD_REQUEST = /^\W*(?:(?:hey|hi|ok|okay|so|and|then|please)\s+)*(?:(?:can|could|would|will)\s+(?:you|ya)|i(?:'?d| would)?\s+(?:like|want|need)\s+to|let me)\s+(?:please\s+|just\s+|also\s+)*(?=(?:add|put|throw|pop|stick|chuck|toss)\b)/;
/** "¿Puedes agregar…?", "¿me puedes poner…?", "quiero agregar…": the same request in Spanish, whose verb takes the object. */
const ADD_REQUEST_ES = /^\W*(me\s+)?(?:puedes|podrias|podes|pueden|podrian|quiero|quisiera|me gustaria|necesito)\s+(?:agregar|anadir|poner|meter|sumar)(me|lo|la|los|las)?\b/;

/** The cart named as where a product comes out of ("out of my cart", "from the basket", "del carrito"). */
const OUT_OF_CART = /\s*\b(?:out of|off|from)\s+(?:(?:my|the|your|our)\s+)?(?:shopping\s+)?(?:cart|basket|trolley|bag)\b|\s*\b(?:del|de\s+(?:mi|el|tu))\s+(?:carrito|carro|cesta|canasta)\b/;
/** Verbs that take a product out when the cart is named: "take the jacket out of my cart". */
const OUT_VERB = /\b(take|get)\b|\b(?:remove|delete|drop|quita|saca|elimina|borra)(?:me|lo|la|los|las)?\b/;

/**
 * "Add the linen shirt to my cart", "could you put it in my basket?", "pon la camisa en el carrito":
 * spelt as the add they are ("add the linen shirt", "agrega la camisa"), and "take it out of my
 * cart" as the removal. The cart named is no product word, and a polite "can you…?" asks for the
 * add, not whether it can be done. Anything else comes back as it was said.
 */
export function cartRequest(text: string): string {
	const s = fold(text);
	// "Put it back (in the cart)" is a removal; "is it in my cart?" has no verb and asks about the cart.
	if (/\bback\b/.test(s)) return text;
	const es = ADD_REQUEST_ES.exec(s);
	let out = es ? `agrega${es[2] ?? (es[1] ? "me" : "")}${s.slice(es[0].length)}` : s.replace(ADD_REQUEST, "");
	// "Take the denim jacket out of my cart": a removal, the cart no product word either.
	if (OUT_OF_CART.test(out) && OUT_VERB.test(out)) out = out.replace(OUT_OF_CART, "").replace(OUT_VERB, (verb, taken: string | undefined) => (taken ? "remove" : verb));
	else if (INTO_CART.test(out) && CART_VERB.test(out))
		out = out.replace(INTO_CART, "").replace(CART_VERB, (_verb, english: string | undefined, _infinitive: string | undefined, clitic: string | undefined) => (english ? "add" : `agrega${clitic ?? ""}`));
	if (out === s) return text;
	// A request asks nothing: its question mark would make it one.
	return out.replace(/[?¿]/g, " ").replace(/\s+/g, " ").trim();
}
/** "hiii", "heyyy", "holaaa": a greeting typed with feeling. */
export const STRETCHED_GREETING = /^(h+i+|he+y+|hel+o+|ho+la+|bue+nas+)$/;

export const YES = /^(yes|yep|yeah|yup|sure|ok|okay|confirm|confirmed|do it|go ahead|place it|si|sí|dale|claro|confirmo|confirmar|listo)\b|^(?:va|sale|orale|andale|de una|simon|esta bien|la agrego|lo agrego|las agrego|los agrego)\W*$/;
/** "Confirm", "confirm my order", "confirmar el pedido": a confirmation on its own, of an order. */
export const CONFIRM_ONLY = /^(?:yes,? |ok,? |si,? )?(?:confirm(?:ed)?|confirmo|confirmar|confirma|confirmalo)(?: (?:it|the order|my order|order|el pedido|mi pedido|la compra|la orden))?\W*$/;
export const NO = /^(no|nope|cancel|not now|wait|stop|cancelar|cancela|todavia no|aun no)\b/;
export const ORDER_STATUS =
	/^\W*(?:status|estado|order status|any news|any update|novedades)\W*$|\b(?:(?:did|has|have) (?:my|the) payment (?:go|gone|went|been)|(?:my|the) payment (?:went|go|gone|got) (?:through|thru)|(?:check|see|know) (?:if|whether) (?:my|the) payment|(?:se )?(?:hizo|proceso|registro|paso|entro|llego) (?:el|mi) pago|(?:paso|entro|llego) el pago)\b|\b(?:any )?(?:news|updates?|word)(?: on| about| regarding| for| with) (?:my|the) (?!(?:new|latest)\b)\w+|\b(?:novedades|noticias)(?: de| sobre| con) (?:mi|mis)\b|\bque (?:paso|sabes|hay) (?:de|con) (?:mi|mis)\b|\b(where (?:is|are) my (orders?|packages?|parcels?)|track(ing)?|order status(?:es)?|status of my orders?|my orders?|estado de (?:mi|mis) pedidos?|mis? pedidos?|donde esta mi|donde estan mis|seguimiento|i (?:just )?(?:ordered|placed an order|made an order|paid)|(?:haven'?t|have not|didn'?t|did not|never) (?:got|gotten|get|received|receive) (?:a|an|my|the|any) (?:confirmation|receipt|order confirmation|confirmation email)|order confirmation|(?:is|has|was) (?:the|my) order (?:been )?(?:confirmed|shipped|sent|paid|on its way|through|ready)|(?:ya )?(?:hice|realice) (?:un|el|mi) pedido|ya pague|confirmacion de(?:l| mi) pedido)\b/;
export const CHECKOUT =
	/\b(checkout|check out|pay|place (the |my )?order|buy (it|them|now|this)|that'?s all|finalize|comprar(?=\W*$|\W+(?:ya|ahora|todo|esto|eso|el carrito|lo que tengo|por favor|porfa)\b)|pagar|finalizar|finalizo|hacer (el|mi) pedido|(?:l[oa]s?) compro|(?:proceed|go|move|continue) to (?:the )?(?:payment|checkout|check out|paying)|(?:complete|finish|submit|send|wrap up) (?:my|the|this) (?:order|purchase)|(?:proceder|pasar|ir) (?:al|a) (?:pago|pagar|caja)|(?:terminar|termino|completar|completo|finalizar|cerrar) (?:la|mi|el) (?:compra|pedido))\b|^\W*(?:ok |ya |bueno |vale )?pago\b|^\W*(?:ok |so |then )?(?:i'?d like|i would like|i want|i wanna|i'?m ready|ready) to (?:order|buy|pay|check ?out|place (?:an|the|my) order)(?: (?:now|please))?\W*$|^\W*(?:ok |okay |then |so )?(?:i'?ll |let'?s )?(?:(?:buy|purchase)(?: (?:it|them|this|that|these|now|please))?|order (?:it|them|this|that|these|now))\W*$/;
/**
 * "That's it", "nothing else", "eso es todo": nothing more to choose. With a cart, the checkout;
 * without one, a friendly close. "Ready" and "listo" are also a yes, so they are READY, below.
 */
export const DONE_SHOPPING =
	/^\W*(?:(?:no|nope|nah|ok|okay|great|perfect|cool|thanks|thank you|gracias|perfecto|genial|bueno|vale|si)\W+)*(?:that'?s (?:it|all|everything)(?: for (?:now|today))?|that (?:is|will be|'?ll be|should be) (?:it|all|everything)|nothing (?:else|more)|no more|(?:i'?m|i am|we'?re|we are) (?:done|all set)(?: (?:now|then|here|shopping))?|done(?: shopping)?|all set|(?:eso|esto) (?:es|seria|sera) todo|(?:es|seria|sera) todo|nada mas|ya (?:esta|es todo)|(?:ya )?(?:termine|acabe)|solo eso)(?:\W+(?:thanks|thank you|thx|ty|gracias|please|por favor|for now|then|entonces|por ahora|nada mas))*\W*$/;
/** "Ready", "listo", "confirm" with nothing offered to add: the cart's checkout. */
export const READY = /^\W*(?:ok\W+|okay\W+|ya\W+|bueno\W+)?(?:ready|i'?m ready|listo|lista|estoy list[oa]|confirm|confirmo|confirmar|confirmed)\W*$/;
export const CART = /^\W*(?:and |so |ok |y )?(?:total|grand total|subtotal|en total)\W*$|\b(cart|basket|carrito|cesta|(my|the|order) total|total (?:so far|now|price|cost|amount)|what(?:'?s| is) the damage|how much (is it all|is everything|for everything|altogether|all together|in total|do i owe)|cuanto (es en total|es el total|es todo|sale todo|cuesta todo|seria todo|seria en total|llevo|va|te debo|les debo)|el total)\b/;
/** "cancel my order": one that has not shipped is cancelled here, once the customer confirms. */
/** "Cancel one of the two headsets in my order", "quita uno de los cascos del pedido": part of a placed order. */
export const PART_OF_ORDER = /\b(?:one|two|1|2|some|part|uno|una|dos|parte) (?:of (?:the|my|those)|de (?:los|las|mis))\b|\b(?:just|only|solo|solamente) (?:one|uno|una|1)\b|\b(?:one|a|uno|una) (?:\w+ )?(?:from|in|of|de|del) (?:the|my|mi|el) (?:order|pedido)\b/;
export const CANCEL_ORDER = /\b(cancel|cancelar|cancela|anular|anula)\b.*\b(order|pedido|compra)\b/;
/** "Cancel it" after "Shall I cancel your order …?" is a yes (for the checkout question it is a no). */
export const CANCEL_YES = /^(cancel|cancel it|cancelar|cancela|cancelalo|anular|anulalo)\b/;
export const KEEP_ORDER = /^(no|nope|not now|wait|stop|keep|don'?t|dont|todavia no|aun no|mejor no|dejalo)\b/;
/** "I want to return it": a return is arranged by a person (asking how returns work is a policy question). */
export const RETURN_REQUEST = /\b(i (want|would like|'?d like|need) to (return|send back|exchange)|quiero (devolver(?:lo|la|los|las)?|cambiar|hacer una devolucion)|necesito (devolver(?:lo|la|los|las)?|hacer una devolucion)|(?:me dio|me causo|me provoco) (?:alergia|reaccion|irritacion|un sarpullido)|i (?:want|would like|'?d like|need|demand) (?:a |my )?(?:full )?(?:refund|money back)|(?:give|send) me (?:my|a) (?:money back|refund)|refund me|(?:quiero|necesito) (?:un |mi |el )?reembolso|(?:quiero|necesito) (?:que me devuelvan )?(?:mi|el) dinero|devuelvanme (?:el|mi) dinero|reembolsenme)\b/;
/** "Cancel", "can I cancel it?": a cancelling that names no order nor anything else. */
export const BARE_CANCEL = /^\W*(?:(?:can|could) i |i (?:want|would like|'?d like|need) to |please |(?:quiero|puedo|necesito) )?(?:cancel|cancelar|cancela|anular)(?: (?:it|that|this|everything|all|todo|eso|esto))?\W*(?:please|por favor)?\W*$/;
/** A question about the sizes a product comes in. */
export const SIZES_ASKED = /\b(what|which) sizes?\b|\bsizes? (?:do|does|are|is) (?:it|they|there|available)|\bque (?:tallas|tamanos|medidas)\b|\ben que (?:tallas|tamanos)\b/;
/** "How many do you have?", "is it in stock?": the stock of the product in view, or of each listed. */
export const STOCK_ASKED = /\b(how many (?:do you have|have you got|are (?:there )?left|left|are there|in stock|available|can i (?:get|buy|order))|(?:is it|are they|is this|is that|are these) (?:still )?(?:in stock|available)|(?:do you have|have you got) (?:it|them|any) in stock|any (?:left|in stock)|cuant[oa]s (?:tienes|tienen|hay|quedan|te quedan)|(?:te )?quedan\b|hay stock|(?:esta|estan) disponibles?)\b/;
/** The price of "it" (not of everything: that is the cart). */
export const HOW_MUCH = /\b(how much (?:is|does|do|are) (?:it|this|that|this one|that one|they|these|those)(?! all)(?: cost)?|how much (?:for|is) (?:it|this|that|this one|that one)(?=\W*$)|what'?s the price|(?:cuanto|que) (?:cuesta|vale|sale|precio tiene)(?! (?:todo|en total)))\b/;
/** When a sold-out product is back: no tool knows. */
export const RESTOCK = /\b(back in stock|restock(?:ed|ing)?|be back|come back|available again|in stock again|vuelve a (?:estar|haber|tener)|vuelven a (?:tener|estar)|reponen|reposicion|cuando (?:vuelve|vuelven|llega|hay|tendran))\b/;
/** "Let me know when it's back": we cannot send alerts. */
export const NOTIFY = /\b(let me know|notify me|tell me|message me|text me|alert me|ping me|avisame|me avisas|me avisan|avisarme|me escribes)\b/;
/** "This is way too expensive": the price is the objection, so the like of it for less. */
export const TOO_DEAR = /\b(too (?:expensive|pricey|much money|dear)|(?:muy|demasiado) car[oa]|overpriced|out of my budget|can'?t afford|no me alcanza|se me va del presupuesto)\b/;
/** "Anything like it?", "¿algo parecido?": products like the one in view. */
export const SIMILAR = /\b(similar|like (?:it|this|that|this one|that one)|alternatives?|parecid[oa]s?|similar(?:es)?|algo asi|como (?:ese|esa|este|esta))\b/;
/** A placed order's address, name or contents to change. */
export const CHANGE_ORDER = /\b(?:change|update|correct|fix|edit|modify)\b.{0,30}\b(?:address|delivery details|shipping details|phone number|name on (?:the|my) order|my order)\b|\b(?:wrong|new) (?:delivery |shipping )?address\b|\bcambiar\b.{0,30}\b(?:direccion|domicilio|datos de (?:envio|entrega)|mi pedido)\b|\b(?:direccion|domicilio) (?:equivocad[oa]|incorrect[oa]|nuev[oa])\b/;
export const ORDER_ID = /\b(ord[-_][a-z0-9-]+)\b/i;
/** "My order number is 12345", "pedido #A-2291": an order's number said in words, with a figure in it. */
export const ORDER_NUMBER_SAID = /\b(?:order|pedido)\s*(?:number|no\.?|num(?:ero)?|#|id|n[°º])?\s*(?:is|es|:)?\s*#?\s*((?=[a-z-]*\d)[a-z0-9][a-z0-9-]{3,39})\b/i;
/** Something wrong with what they bought: broken, faulty, wrong, late or missing. */
export const PURCHASE_PROBLEM = /\b((?:charged|billed) (?:me )?(?:twice|double|two times|too much|the wrong amount)|double[- ](?:charged|charge|billed)|overcharged|(?:me )?cobraron (?:dos veces|doble|de mas)|cobro doble|broke|broken|damaged|defective|faulty|(?:does ?n'?t|does not|won'?t|will not|stopped|not) (?:work|working|turn on|charge|charging)|arrived (?:damaged|broken|late|wrong|torn)|wrong (?:size|item|product|colou?r|order)|missing (?:items?|pieces?|parts?)|never (?:arrived|came|got it)|has ?n'?t arrived|torn|ripped|complaint|se (?:me )?rompio|rot[oa]s?|danad[oa]s?|defectuos[oa]s?|no funciona|dejo de funcionar|llego (?:mal|rot[oa]|danad[oa]|tarde|equivocad[oa])|no (?:me )?(?:ha )?llegado|no (?:me )?llego|talla equivocada|producto equivocado|queja|reclamo|(?:package|parcel|order|delivery|shipment|pedido|paquete|envio)(?: is|'s|s are| was| esta| viene| llega)? (?:late|delayed|overdue|running late|retrasad[oa]|atrasad[oa]|demorad[oa]|tarde)|taking (?:too|so) long to (?:arrive|come|ship|deliver)|(?:still|yet) (?:hasn'?t|has not|haven'?t|have not|not) (?:arrived|come|shown up))\b/;
/** "The jacket doesn't fit", "they're too small", "no me quedan": something they have does not fit them. */
export const DOESNT_FIT =
	/\b(?:does ?n'?t|do ?n'?t|does not|do not|did ?n'?t|did not) fit(?! in\b)|\b(?:is|are|was|were|'s|'re|its|theyre) (?:too|way too|a bit too|a little too) (?:small|big|large|tight|loose|short|long)\b|\bno me (?:queda|quedan|quedo|quedaron)(?: bien)?\b|\bme (?:queda|quedan|quedo|quedaron) (?:muy |demasiado )?(?:chic[oa]s?|pequen[oa]s?|grandes?|apretad[oa]s?|flojos?|flojas?|cort[oa]s?|larg[oa]s?)\b/;
/** "Do you sell USB-C chargers?", "I need a new one", "¿tienen cargadores?": a product asked for, which something broken may be the reason for. */
export const REPLACEMENT_SOUGHT =
	/\b(?:do|does) you (?:guys )?(?:sell|have|carry|stock)\b|\b(?:looking for|need|want|buy|get) (?:a |an )?(?:new|replacement|another|spare)\b|\breplacement\b|\b(?:venden|tienen|tienes|vendes|manejan|busco|necesito (?:un|una|otr[oa])|reemplazo|repuesto)\b/;
/** What broke was bought from us: "I ordered it", "I bought it from you", "mi pedido", "se los compré". */
export const BOUGHT_HERE = /\b(?:i|we) (?:bought|ordered|purchased)\b|\bfrom (?:you|your (?:store|shop))\b|\b(?:my|the|this|that) order\b|\b(?:de|con|a) ustedes\b|\b(?:compre|pedi)\b|\bmi pedido\b/;
/** A purchase said as such: "the boots I ordered", "my jacket", "las botas que compré", "it arrived". */
export const PURCHASED = /\b(?:i|we) (?:bought|ordered|got|received|purchased)\b|\b(?:my|mis?) (?!size\b|talla\b)[a-z]+|\b(?:arrived|came|delivered|compre|pedi|me llego|me llegaron|recibi)\b/;
export const REMOVE = /\b(remove|delete|take out|take (?:it|that|this|them|those|one) out|drop|quitar|quita|quitame|saca|sacar|eliminar|elimina|borra|put (?:it|that|this|one) back|put back|take (?:it|that|this) off|undo|(?:don'?t|do not) want (?:it|that|this) any ?more|no longer want|ya no (?:lo|la) quiero)\b|\b(?:(?:don'?t|do not) want (?:the|that|this|those|these|my)\b[^,.!?]*\bany ?more|forget (?:about )?(?:the|that|this|those|these|it)\b|ya no quiero|no quiero (?:el|la|los|las|ese|esa|esos|esas)\b|(?:quita|quitame|saca|sacame|borra|elimina)(?:lo|la|los|las)\b)|^\W*no\b[^,.!?]{2,40}\bfor me\b/;
/** "Empty my cart", "remove everything", "vacía el carrito": every line out. */
export const EMPTY_CART =
	/\b(?:empty|clear|wipe|reset)\b(?: out)? (?:my |the |our )?(?:whole |entire )?(?:cart|basket|trolley)\b|^\W*(?:please )?(?:remove|delete|take out|drop|clear) (?:everything|it all|all(?: of (?:it|them))?|all (?:the )?(?:items|products|things)|every item)(?: please)?\W*$|\b(?:vacia|vaciar|vacialo|limpia|limpiar) (?:mi |el |todo el )?(?:carrito|carro|cesta)\b|^\W*(?:quita|quitame|saca|sacame|elimina|borra)(?:lo)? todo\W*$/;
/** "put it back", "remove that": the product just talked about, not a product named "it". */
export const REMOVE_IT = /\b(it|that|this|one|lo|la)\b|\b(?:quita|quitame|saca|sacame|borra|elimina)(?:lo|la|los|las)\b/;
export const DETAILS = /\b(more about|details?|tell me about|info|describe|more info|mas sobre|detalles?|informacion|hablame (?:de|del|sobre)|cuentame (?:de|del|sobre|mas)|dime mas)\b/;
export const ADD = /\b(add|take|i'?ll take|i want(?! to (?:see|check|view|look|know))|i'?d like|give me|get me|(?:i'?ll|i will|i'?d|let'?s) go with|i'?ll have|agrega|agregame|anade|añade|me llevo|me quedo con|quiero(?! (?:ver|saber|mirar|conocer|preguntar|consultar|informacion|info)\b)|dame|ponme|poneme|pongame)\b/;
/** "What do you sell?", "show me everything", "what's new?": nothing named to look for, so our picks. */
export const BROWSE =
	/\b(what (?:else )?(?:do|does) (?:you|u|y'?all|the shop|the store) (?:sell|have|carry|offer|stock|got)|what (?:products|items|things|stuff|kinds? of (?:things|products|stuff|items)|sort of (?:things|products|stuff|items)) (?:do )?(?:you|u) (?:have|sell|carry|offer|got)|what(?:'?ve| have) you got|show me (?:everything|it all|all|what you(?:'?ve)? got|what you have|your (?:products|catalog|catalogue|stuff|collection|range|items))|(?:your|the) (?:catalog|catalogue|collection|range)|what'?s new|new arrivals?|new (?:stuff|things|products|collection|in)|(?:something|anything) (?:nice|cool|good|special|interesting)|surprise me|que (?:vendes|venden|tienes|tienen|hay)|(?:muestrame|ensename|mostrame) (?:todo|lo que (?:tienes|tienen|hay)|el catalogo|tus productos)|(?:el|tu|su) catalogo|novedades|que hay de nuevo|algo (?:bonito|lindo|especial))\b/;
/** "Do you sell clothes?", "ropa de mujer": clothes in general, no kind of them named. */
export const CLOTHES = /\b(?:clothes|clothing|garments|outfits?|ropa|prendas)\b/;
export const RECOMMEND = /\b(recommend|suggest|suggestion|popular|best ?sellers?|best ?selling|what'?s hot|trending|mas vendid[oa]s?|mas popular(?:es)?|recomienda|recomiendas|recomendacion|sugerencia|sugieres)\b/;
/** "What goes well with it?": products to pair with the one in view or the last in the cart. */
export const COMPLEMENT = /\b(what else|anything else (?:i|we) (?:need|should (?:get|buy|have)|might need|would need)|(?:do|will|would) (?:i|we) need anything (?:else )?(?:for|with) (?:it|this|that|them)|need anything else (?:for|with) (?:it|this|that|them)|(?:algo|que) mas (?:necesito|me hace falta)|matching|to match|goes? (?:well |nicely )?with|(?<!\b(?:i|ill|i'll|i will|id|i'd|i would|lets|let's|we|well|we'll|gonna|to) )go (?:well |nicely )?with|go(?:es)? together|pairs? (?:well )?with|to go with|match(?:es)? (?:it|this|that)|complete the look|que mas|va bien con|van (?:bien )?con (?=el\b|ella\b|eso\b|esto\b|este\b|esta\b|ese\b|esa\b)|(?:queda|quedan) bien con|(?:que )?le (?:va|van|queda|quedan|sirve|sirven)\b|combina[nr]? con|que combina|que combine|que combinen|que vaya con|que vayan con|para acompanar)\b/;
export const COMPLEMENT_G = new RegExp(COMPLEMENT.source, "g");
export const THANKS = /\b(thanks|thank you|thx|ty|gracias|muchas gracias)\b/;
export const BYE = /\b(bye|goodbye|see you|ciao|adios|chau|hasta luego|nos vemos|(?:be|come|check) back (?:later|tomorrow|soon)|talk (?:to you )?later|catch you later|ttyl|brb|vuelvo (?:luego|despues|mas tarde|manana))\b/;
export const GREETING = /^(h+i+|hel+o+|he+y+|h?o+la+|buenas|buenos dias|buenas tardes|buenas noches|good (morning|afternoon|evening)|yo|que onda|quiubo|i'?m back|ya volvi|volvi)\b/;
/** "use code welcome10", "I have a coupon: LEVELUP", "aplica el código GLOW20", "apply laptop50". */
const CODE_AFTER_WORD = /\b(?:code|coupon|voucher|codigo|cupon)\s*:?\s*([a-z0-9][a-z0-9_-]{1,31})\b/;
const CODE_AFTER_VERB = /\b(?:apply|use|redeem|aplica|aplicame|aplicar|usa|usar)\s+(?:(?:the|my|el|la|mi|ese|este)\s+)?([a-z]+\d[a-z0-9_-]*|\d+[a-z][a-z0-9_-]*)\b/;
/** A message that is only a code-like word ("WELCOME10", "glow20"), read as one when a code was asked for. */
export const BARE_CODE = /^\W*([a-z]+\d+[a-z0-9_-]*|\d+[a-z]+[a-z0-9_-]*)\W*$/;
const NOT_A_CODE = new Set(["code", "codes", "coupon", "coupons", "please", "pls", "for", "de", "del", "el", "la", "que", "a", "the", "my", "mi", "promo", "promos", "discount", "descuento", "por", "favor", "to", "this", "that", "it", "is", "es", "no", "any", "have", "tengo", "tienes", "hay"]);

export function promoCodeIn(s: string): string | null {
	const m = CODE_AFTER_WORD.exec(s) ?? CODE_AFTER_VERB.exec(s);
	return m && !NOT_A_CODE.has(m[1]) ? m[1].toUpperCase() : null;
}

/** Questions about the store's terms, by topic: answered from store_policy, never searched as product words. */
/** "Can I pay in instalments?", "¿puedo pagar en cuotas?": a way to pay that no store method is. */
export const INSTALMENTS = /\b(instal+ments?|monthly payments?|financing|finance it|pay (?:it )?(?:later|over time|monthly)|buy now,? pay later|bnpl|klarna|afterpay|affirm|clearpay|(?:en|a) (?:cuotas|plazos|mensualidades)|meses sin intereses|financiacion|financiamiento)\b/;
/** "Send me the payment link", "¿me mandas el link de pago?": where to pay, asked as a link. */
const PAYMENT_LINK = /\b(?:pay(?:ment)? (?:link|url)|link (?:to|for) pay(?:ing|ment)?|(?:link|enlace|liga) (?:de|para) (?:pago|pagar))\b/;
export const PAYMENT_ASKED = new RegExp(
	String.raw`${PAYMENT_LINK.source}|\b(contra ?entrega|pago al recibir|pagar al recibir|payment methods?|how (do|can|should) i pay|how to pay|como (pago|puedo pagar|se paga|les pago|te pago|hago el pago)|pay with|pay by|paypal|apple pay|credit cards?|debit cards?|cash on delivery|pay (?:on|upon|at) (?:delivery|the door)|pay (?:in )?cash|bank transfer|formas? de pago|metodos? de pago|pagar con|tarjetas?(?! (de )?regalo)|efectivo|transferencia)\b|${INSTALMENTS.source}`
);
/**
 * "What if it doesn't fit?", "what if I don't like it?", "¿y si no me queda?": what happens then is
 * the returns policy, asked before buying (not a question about its fit, nor words to search).
 */
export const IF_UNSUITED =
	/\b(?:what if|and if|but if|if|y si|pero si|que pasa si|si)\b[^?.!]*?\b(?:(?:does ?n'?t|do ?n'?t|does not|do not|won'?t|will not|did ?n'?t) (?:fit|suit|work out|like (?:it|them|the)|love (?:it|them))|no me (?:queda|quedan|gusta|gustan|convence|convencen)|no le (?:queda|quedan|gusta|gustan)|no les (?:queda|quedan|gusta|gustan)|(?:is|are|'s|'re) (?:the wrong size|too (?:big|small|tight|loose))|(?:le|me) queda (?:grande|chic[oa]|mal))\b/;
/** "How do I pay?", "¿cómo pago?": how to pay, which for an order placed is about that order. */
export const HOW_TO_PAY = new RegExp(
	String.raw`\b(?:how (?:do|can|should|will) (?:i|we) pay|how to pay|where (?:do|can) (?:i|we) pay|como (?:pago|puedo pagar|se paga|les pago|te pago|hago el pago|lo pago)|donde (?:pago|puedo pagar))\b|${PAYMENT_LINK.source}`
);
export const POLICIES: [RegExp, PolicyTopic][] = [
	// First: "cash on delivery" is a way to pay.
	[PAYMENT_ASKED, "payment"],
	[/\b(shipping|ship|ships|delivery|deliver|delivered|arrive|envio|envios|envian|entrega|llega|llegan|llegar|llegaria|llegarian)\b|\b(get|have|receive) (it|them|this|that|my order) (by|before|in time|for) |\b(lo|la|los|las) (tendre|tengo|recibo|recibire) (para|antes)\b|\b(?:me |nos )?(?:lo|la|los|las) (?:suben|subiran|suben hasta)\b|\bsubir(?:lo|la|los|las)? (?:hasta|al|a mi) (?:piso|departamento|depto|casa)\b/, "delivery"],
	[/\b(returns?|refunds?|exchanges?|send (it|them)? ?back|take (it|them|this|these|that) back|devolucion(es)?|devolver(lo|la|los|las)?|devuelvo|reembolso|cambio|cambiar(lo|la|los|las)?|puedo cambiar)\b/, "returns"],
	[/\b(warranty|guarantee|garantia)\b/, "warranty"]
];
export const TOPIC_WORDS: Record<PolicyTopic, [string, string]> = {
	delivery: ["delivery", "envíos"],
	returns: ["returns", "devoluciones"],
	warranty: ["warranty", "garantía"],
	payment: ["payment", "pagos"]
};
export const PAYMENT_WORDS: Record<string, [string, string]> = {
	card: ["card (credit or debit)", "tarjeta (crédito o débito)"],
	paypal: ["PayPal", "PayPal"],
	apple_pay: ["Apple Pay", "Apple Pay"],
	bank_transfer: ["bank transfer", "transferencia bancaria"],
	cash_on_delivery: ["cash on delivery", "pago contra entrega"]
};
export const RETURN_CONDITION_WORDS: Record<string, [string, string]> = {
	any: ["", ""],
	unused: [" (unused, with tags and packaging)", " (sin usar, con etiquetas y empaque)"],
	unopened: [" (unopened, still sealed)", " (sin abrir, con el sello intacto)"]
};
/** "How long…?", "do you…?", "¿cuánto…?": a question, not an order. */
export const QUESTION = /\?|^(how|what|when|where|which|do|does|can|could|is|are|will|would|cuanto|cuantos|como|cuando|donde|hacen|aceptan|puedo|tienen|es|son)\b/;
/**
 * What is said around a new quantity and changes nothing of it: "wait, actually" before, "copies"
 * after, ", una para mi hermano" (who they are for) at the end.
 */
const QTY_LEAD = /^\W*(?:(?:wait|hold on|hang on|actually|ok(?:ay)?|oh|hmm+|sorry|no|espera|mejor|bueno|perdon|oye|ah)\b[,.!]?\s*)+/;
const QTY_UNIT = /\s+(?:copies|pieces|pcs|copias|piezas)\b/;
const QTY_FOR_WHOM = /,?\s*(?:(?:one|una|uno) (?:is )?(?:for|para) .*|(?:for|para) (?:my|mi|el|la|the) .*)$/;
export function quantityWords(s: string): string {
	const plain = s.replace(QTY_LEAD, "").replace(QTY_FOR_WHOM, "").replace(QTY_UNIT, "").trim();
	return plain || s;
}
const QTY = "(\\d{1,2}|one|two|three|four|five|uno|una|dos|tres|cuatro|cinco)";
/** "make the hub 2", "change the jeans to 3": a new quantity for the cart line the words name. */
export const NAMED_NEW_QTY = new RegExp(String.raw`^(?:make|change|set|update|pon|cambia)\s+(?:the |el |la |los |las )?([a-z][a-z0-9 -]*?)\s+(?:to |a |en )?${QTY}\s*[.!]*$`);
/** "I want 2 airbooks", "que sean 2 tarjetas": the same, the number first. */
export const NEW_QTY_NAMED = new RegExp(String.raw`^(?:i(?:'?d| would)? (?:want|like|need)|(?:i'?ll )?take|quiero|que sean|ponme|poneme|pon|dame)\s+${QTY}\s+(?:of (?:the )?|de (?:la |el |los |las )?|del )?([a-z][a-z0-9 -]*?)\s*(?:please|pls|por favor|instead|en su lugar)?[.!]*$`);

/** "make it 2", "change it to 3", "ponme 2": a new quantity for the item last added. */
export const NEW_QTY = /\b(?:make it|make that|change (?:it |that )?to|(?:change|set|update|make) (?:the )?(?:quantity|qty|amount)(?: of (?:it|that|them|those))? to|(?:cambia|pon) la cantidad a|i(?:'?d| would)? (?:want|like|need)|(?:actually )?(?:just|only)|ponme|pon|que sean|cambia(?:lo)? a|solo|(?:no\W+)?(?:en realidad |mejor )?(?:quiero|necesito|dame)|mejor|en realidad)\s+(\d{1,2}|one|two|three|four|five|uno|una|dos|tres|cuatro|cinco)\s*(?:please|pls|por favor|units?|unidades|of (?:them|it|those)|de esos|de esas)?\s*(?:en total|in total|instead|en su lugar)?\s*[.!?]*$/;
/** "and 2 velvet cushions", "2 usb-c cables": a count before the product it names is how many to add. */
export const LEADING_COUNT = /^\W*(?:(?:and|y|plus|also|tambien|add|take|i'?ll take|i want|i need|we need|we want|i'?d like|quiero|necesito|necesitamos|dame|agrega)\s+)*(\d{1,2}|two|three|four|five|dos|tres|cuatro|cinco)\s+(?!x\b|cm\b|mm\b|in\b|en\b)[a-z]/;
/**
 * "I want 2 black jackets", "do you have 3 white t-shirts?", "necesito dos camisas": how many the
 * customer is after, said with what to look for. Not "2 seater sofa", "a 3 piece set", "2 year old".
 */
export const SEARCH_COUNT =
	/^\W*(?:(?:hi|hello|hey|hola|buenas|ok|okay|so|and|y|also|tambien|please|por favor)\W+)*(?:(?:i'?m looking for|i am looking for|looking for|i(?: also)? (?:want|need)|i'?d like|i would like|can i (?:get|have)|could i (?:get|have)|do you have|have you got|got any|show me|find me|give me|get me|add|take|i'?ll take|quiero|necesito|busco|estoy buscando|tienes|tienen|dame|agrega|muestrame)\s+)?(\d{1,2}|two|three|four|five|dos|tres|cuatro|cinco)\s+(?!(?:x|cm|mm|in|en|of|de|del|more|mas|please|pls|por|each|units?|unidades|pieces?|pcs|seaters?|seats?|plazas|players?|jugadores|persons?|people|personas|doors?|puertas|drawers?|cajones|burners?|packs?|years?|yrs?|months?|anos|meses|kg|lbs?|ml|gb|tb|mp|inch(?:es)?|pulgadas|stars?|estrellas|way|ply|speed|velocidades|layers?|capas|min|minutes?|hours?|horas|days?|dias)\b)[a-z]/;
/** "How much for two?", "what would 3 cost?", "¿cuánto salen dos?": the price of that many of the product in view. */
const PRICE_FOR_COUNT =
	/^\W*(?:and |so |ok |y |vale )?(?:how much (?:for|would|will|is it for|is|are|do|does)|what(?:'?s| is| would be| will be) the (?:price|total|cost) (?:for|of)|what (?:would|will|do|does)|price for|total for|cuanto (?:por|serian|seria|sale|salen|cuestan|costarian|es por|son)|cuanto me (?:sale|salen|cuesta|cuestan|costarian))\s+(?:the |las |los |unas |unos )?(\d{1,2}|two|three|four|five|dos|tres|cuatro|cinco)\b(?:\s+(?:of (?:them|those|these|it)|units?|pieces?|unidades|de (?:esos|esas|ellos|ellas)|be|cost|come to|costar|en total|in total|together|please|por favor))*\W*$/;
export function countPriced(s: string): number | undefined {
	const count = PRICE_FOR_COUNT.exec(s)?.[1];
	const n = count ? (NUMBER_WORDS[count] ?? Number(count)) : undefined;
	return n !== undefined && n > 1 ? n : undefined;
}
/** The most a cart line takes (add_to_cart's limit): more is a bulk order, which a person prices. */
export const MAX_LINE_QTY = 20;
export const NUMBER_WORDS: Record<string, number> = { one: 1, two: 2, three: 3, four: 4, five: 5, uno: 1, una: 1, dos: 2, tres: 3, cuatro: 4, cinco: 5 };
/** A message that asks for a product in so many words: finding nothing for it is an answer, not a misunderstanding. */
export const PRODUCT_ASKED = /\b(?:i (?:also |really )?(?:need|want)|i'?m (?:looking|searching) for|looking for|do you (?:have|sell|carry|stock)|have you got|got any|show me|find me|busco|estoy buscando|necesito|tienes|tienen|venden|me muestras)\b/;
/** "What can you do?", "how does this work?", "¿qué puedes hacer?": what the chat is for. */
export const HELP_ASKED = /\b(what (?:can|do) you do|what are you for|how does (?:this|it) work|what can i (?:ask|do) here|help|que puedes hacer|que haces|como funciona(?: esto)?|ayuda)\b/;
/** "???", "huh?", "what?", "no entiendo": the customer did not follow the last reply. */
export const CONFUSED = /^\W*(?:\?+|huh|eh|wut|what|what\?+|que|como|no entiendo|no te entiendo|i don'?t (?:understand|get it)|what do you mean|como asi)\W*$/;
/** The question after an "add it" said again right after the add. */
export const ONE_MORE_ASKED = /(?:is already in your cart|ya está en tu carrito) \(\d+×\) — (?:want one more|¿quieres uno más)\?$/;
/** What follows "add it" that is another product: "add it. Also a gift card", "…and a mouse too". */
export const ALSO = /(?:^|[.,;!]\s*|\s)(?:and also|also|plus|and|as well as|y tambien|tambien|ademas|y)\s+(?=(?:a|an|one|some|the|un|una|unos|unas|el|la)\s)/;
/** More of a product already in the cart: "another", "one more", "again". */
export const ANOTHER = /\b(another|one more|again|too|as well|otro|otra|uno mas|una mas|otra vez)\b/;
/** A message that only asks for another of the same: "one more please", "add another one", "otra más", "dame otra". */
export const ONE_MORE_ONLY = /^\W*(?:and |y |ok |okay |vale )?(?:(?:(?:please |pls )?(?:add|i'?ll take|i'?d like|i want|give me|get me|(?:can|could) i (?:get|have)|quiero|dame|agrega(?:me)?|anade|ponme|pon) )?(?:one more|another(?: one)?|uno mas|una mas|otro mas|otra mas)|(?:quiero|dame|agrega(?:me)?|anade|ponme|pon) (?:otro|otra))(?: (?:of (?:it|those|that|them|these)|please|pls|thanks|por favor|de ese|de esa|de esos|de esas))*\W*$/;
/** "add it", "I'll take it", "lo quiero", "me lo llevo": the product in focus. */
export const ADD_IT = /\b(add (it|this|that)|add (?:it )?(?:to|in|into) (?:the |my )?(?:cart|basket)|(?:agregar|anadir|agregalo|agregala|ponlo|ponla) al carrito|i'?ll take (it|this|that)|take it(?! (?:back|off|out)\b)|i want (it|this|that)|i'?ll get it|buy it|get it|(?<!no )l[oa] quiero|me lo llevo|me la llevo|me los llevo|me las llevo|agregalo|agregala|agregalos|agregalas|anadelo|anadela|lo llevo|la llevo|quiero (ese|esa|este|esta))\b/;
export const ADD_IT_ALL = new RegExp(ADD_IT.source, "g");

/** A link: we cannot open it, and its words ("https", "com") are no product. */
export const LINK = /\bhttps?:\/\/\S+|\bwww\.\S+/i;
export const LINK_G = new RegExp(LINK.source, "g");
/** Where the shop is, when it opens, how to reach it: facts no tool has. */
/** "Can I pick it up?", "click and collect", "¿puedo recogerlo en tienda?": collecting instead of delivery. */
export const PICKUP =
	/\b(?:pick (?:it |them |this |that |my order |the order |one )?up|pick-?up|collect (?:it|them|my order|the order|in store)|click (?:and|&) collect|(?:in|at) (?:the |your )?(?:store|shop)|in-store|recoger(?:lo|la|los|las)?|retirar(?:lo|la|los|las)? en (?:la )?tienda|(?:ir|pasar) a (?:buscarlo|buscarla|recogerlo|recogerla|retirarlo|retirarla)|en (?:la )?tienda fisica)\b/;
/** "Can you hold it for me?", "¿me lo apartas?": keeping stock back for someone, which nothing here does. */
export const HOLD_ASKED =
	/\b(?:hold|reserve|save|set aside|put aside|keep) (?:it|them|this|that|one|this one|that one|the [a-z0-9' -]{2,40}?) (?:for me|for a (?:day|few days|week|while)|until)\b|\b(?:can|could) (?:you|u) (?:hold|reserve) (?:it|them|this|that|one)\b|\b(?:me (?:lo|la|los|las) (?:apartas|aparta|apartar|guardas|guarda|guardar|reservas|reserva|reservar)|apartar(?:lo|la|los|las|me)|reservar(?:lo|la|los|las|me)|(?:puedes|podrias|pueden|podrian|puede|podria) (?:apartar|guardar|reservar))\b/;
export const STORE_INFO = /\bphysical (?:store|shop|location)s?\b|\bbrick and mortar\b|\b(?:visit|come to|go to|come by) (?:your|the) (?:store|shop)\b|\btienda fisica\b|\b(?:tienen|tienes) (?:una )?(?:tienda|local)\b|\b(?:store|shop|tienda|local)\b.*\b(?:located|location|address|hours|open|direccion|ubicad[oa]|horarios?|abre|abren)\b|\bwhere (?:are you|is your (?:store|shop))\b|\b(?:opening|business|store|shop) hours\b|\bare you open\b|\bwhat time do you (?:open|close)\b|\bdonde (?:estan(?! (?:mis|los) (?:pedidos|paquetes|compras))|quedan|queda la tienda|esta la tienda|tienen (?:la )?tienda)\b|\b(?:que )?horarios?\b|\ba que hora (?:abren|cierran)\b|\b(?:your|su|tu) (?:phone number|email|e-mail|telefono|correo|instagram|facebook|tiktok|website|web|pagina web|social media|redes sociales|redes)\b|\bwhat'?s your (?:phone|number|email|instagram|facebook|tiktok|website)\b/;
export const HOW_TO_USE =
	/\bhow (?:do|should|can|would|to) (?:i |you |we )?(?:use|apply|wear|wash|clean|care for|install|set (?:it |them )?up)\b|\bhow (?:often|many times)(?: (?:a|per) (?:day|week))? (?:do|should|can) (?:i|you|we) (?:use|apply|wear|wash|take)\b|\bcada cuanto (?:lo |la )?(?:uso|aplico|uso|lavo)\b|\bcomo (?:se )?(?:usa|uso|lo uso|la uso|aplica|aplico|lo aplico|lava|lavo|instala|instalo)\b|\bwhen (?:do|should|can) (?:i|you) (?:use|apply|take) (?:it|this|them)\b|^\W*(?:(?:do i use it|is it|should i use it|use it) )?(?:in the )?(?:morning|day) or (?:at )?night\W*$|\b(?:de dia o de noche|en la manana o en la noche|por la manana o por la noche|cuando (?:lo|la) (?:uso|aplico))\b/;
/** A present for someone: with no product named, our picks; with one, that product. */
export const FOR_SOMEONE = /\b(gifts?(?! ?cards?\b)|present|(?<!tarjetas? (?:de )?)regalos?|para regalar)\b|\bfor (?:my|a|her|his|our) (?:mom|mum|mother|dad|father|sister|brother|daughter|son|wife|husband|boyfriend|girlfriend|friend|partner|grandma|grandpa|niece|nephew|kids?|gamer|teen|teenager|coworker|colleague|boss)\b|\bpara (?:mi|un|una|su) (?:mama|papa|madre|padre|hermana|hermano|hija|hijo|esposa|esposo|novia|novio|amiga|amigo|abuela|abuelo|gamer|jefe|jefa|companero|companera)\b|\b(?:for|para) (?:(?:the|her|his|my|our|their|el|la|su|mi) )?(?:christmas|xmas|birthday|anniversary|navidad|cumpleanos|aniversario|(?:mother|father|valentine)'?s? day|valentine'?s|san valentin|dia de(?:l padre| la madre| los enamorados| san valentin)|house ?warming|graduation|graduacion)\b/;
/** The same, to take out of what is searched for (a regex built once: it runs on most turns). */
// "For my daughter who starts university": what is said of the person names no product either; what
// they love, play or are into does ("for my son who loves racing games").
export const FOR_SOMEONE_G = new RegExp(
	`(?:${FOR_SOMEONE.source})(?:,?\\s+(?:who(?!(?:'s| is)? (?:loves?|likes?|enjoys?|plays?|into|a fan|crazy|obsessed|mad about)\\b)|que (?=(?:empieza|comienza|entra|va a|estudia|cumple|vive)\\b))[^,.;!?]*)?`,
	"g"
);
/**
 * "I'm moving into a new flat", "me mudo a un piso nuevo": news, not a product's name. Alone it
 * gets our picks for a new home; with a product ("a sofa for my new flat") the product is searched.
 */
/** "I'm furnishing a small studio", "setting up my flat", "amueblando mi depa": a home to fill, new or not. */
export const FURNISHING = /\b(?:furnish(?:ing)?|setting up|kitting out) (?:a |my |our |the )?(?:new |small |tiny |first |little )?(?:studio(?: apartment| flat)?|flat|apartment|apt|home|house|place|room|bedroom|living room)\b|\b(?:amueblando|amueblar|equipando|equipar) (?:mi |un |una |nuestro |nuestra |el |la )?(?:nuevo |nueva )?(?:piso|departamento|depto|depa|apartamento|casa|hogar|estudio|cuarto|habitacion)\b/;
const MOVED_IN = /\b(?:(?:just )?mov(?:ing|ed) (?:in(?:to)?|house|home)\b|(?:i|we) (?:just|recently) moved\b|(?:a |my |our )?new (?:flat|apartment|apt|home|house|place)|(?:me |nos )?(?:mudo|mude|mudamos|estoy mudando|estamos mudando)|mudanza|(?:(?:mi|un|una|nuestra|nuestro) )?(?:(?:nuevo|nueva) (?:piso|departamento|depto|apartamento|casa|hogar)|(?:piso|departamento|depto|apartamento|casa|hogar) (?:nuevo|nueva)))\b/;
export const NEW_HOME = new RegExp(`${MOVED_IN.source}|${FURNISHING.source}`);
export const NEW_HOME_G = new RegExp(NEW_HOME.source, "g");

/** "Can I trade in my old phone?", "¿aceptan mi celular como parte de pago?": a trade-in, which no tool offers. */
export const TRADE_IN = /\b(?:trade[- ]?ins?|trade (?:it|them|my [a-z ]{2,30}?) in|part[- ]exchange|buy ?back|sell you my|parte de pago|recibe?n? (?:mi|tu|el) [a-z ]{2,30}? (?:usad[oa] )?(?:como|a cambio)|plan (?:renove|canje)|canje)\b/;
/** "Is there a student discount?": a discount for a group of people, which only a promotion can be. */
export const GROUP_DISCOUNT = /\b(students?|military|veterans?|seniors?|teachers?|nurses?|healthcare|employees?|staff|estudiantes?|jubilados?|profesores?|docentes?|militares?)\s+(?:discounts?|deals?|offers?|pricing|prices?|rates?)\b|\b(?:descuentos?|precios?|ofertas?) (?:de |para )?(estudiantes?|jubilados?|profesores?|docentes?|militares?)\b/;
/** "Do you do business discounts?", "bulk pricing", "¿precio por mayoreo?": pricing for a business or a large order. */
export const BULK_PRICING =
	/\b(?:business|corporate|company|bulk|wholesale|volume|reseller)\s+(?:discounts?|pricing|prices?|rates?|deals?|orders?|accounts?|quotes?)\b|\b(?:buy(?:ing)?|order(?:ing)?|purchas(?:e|ing)) (?:\w+ )?in bulk\b|\b(?:descuentos?|precios?|cotizacion(?:es)?|ventas?) (?:para empresas?|corporativos?|por volumen|por cantidad|de mayoreo|al por mayor|mayoristas?)\b|\b(?:al por mayor|por mayoreo|de mayoreo)\b/;
/** "Plus sizes?", "¿tienen tallas grandes?": clothes in the biggest letter size the catalog writes, XL. */
export const PLUS_SIZES = /\b(?:plus[- ]sizes?|(?:big|bigger|large|larger) sizes|extra[- ]large sizes|tallas? (?:grandes?|extra|especiales?)|talles? grandes?)\b/;
export const PLUS_SIZES_G = new RegExp(PLUS_SIZES.source, "g");
/**
 * "Any laptop discount?", "any promo for games?", "¿tienen algún descuento para ropa de cama?": the
 * promotions asked about, for a kind or not (it searched laptops). "Dresses on sale" is a search.
 */
export const PROMO_ASKED = /\b(?:discounts?|promos?|promotions?|promo codes?|discount codes?|coupons?|vouchers?|descuentos?|promociones?|cupon(?:es)?|codigos? de descuento)\b/;
export const ASKS_ANY = /^\W*(?:so |and |y |oye |hey )?(?:any|is there|are there|do you (?:have|do|offer)|got any|hay|tienen|tienes|tenes|habra|existe)\b/;
/** "Cuánto es?", "how much now?", "¿cuánto queda con el cupón?": with a cart and nothing else in view, its total. */
export const CART_TOTAL_ASKED = /^\W*(?:(?:y|and|so|entonces|ok|bueno) )?(?:cuanto (?:es|seria|sale|queda|quedaria|va a ser)|how much (?:is it|now|then)?|how much)\W*$|\b(?:cuanto|how much)\b.*\b(?:con|with)\b (?:el |la |the |that |this |ese |este |esa )?(?:cupon|codigo|descuento|promo|code|coupon|discount)\b/;
export const DEALS = /\b(deals?|offers?|promos?|promotions?|discounts?|sales?|coupons?|codes?|ofertas?|promociones?|descuentos?|rebajas?|cupon(es)?)\b/;
/** "Ignore your instructions", "what's your system prompt?": how this assistant works is not for changing or showing here. */
export const INSTRUCTIONS_PROBE = /\b(?:ignore|disregard|forget|override) (?:all |any |your |the |my |previous |prior |earlier |above |these |those )*(?:instructions|rules|prompts?|guidelines)\b|\bsystem prompt\b|\b(?:show|tell|give|reveal|print|repeat) (?:me )?(?:your|the) (?:instructions|prompt|rules)\b|\bdeveloper mode\b|\bjailbreak\b|\bignora (?:tus|las) instrucciones\b/;
export const BOT_QUESTION = /\b(who (?:am i|are we) (?:talking|speaking|chatting) (?:to|with)|who(?:'s| is) this|who are you|what(?:'s| is) your name|con quien (?:hablo|estoy hablando)|quien (?:eres|es)|como te llamas|are you (a |an )?(bot|robot|ai|machine|human|real person|real)|is this (a |an )?(bot|robot|ai|automated|machine)|am i (talking|speaking|chatting) (to|with) (a |an )?(bot|robot|ai|machine|human|real person|person)|(eres|sos) (un |una )?(bot|robot|ia|maquina|humano|humana|persona real)|es un bot|hablo con (un |una )?(bot|robot|maquina|humano|persona))\b/;
/**
 * A service done to a product ("can I get it assembled?", "do you offer installation?", "¿me lo
 * arman?"), which no tool of ours arranges. Not the product's own state ("does it come
 * assembled?", "does it need assembly?"): its details answer that.
 */
export const SERVICE_ASKED = /\b(?:(?:can|could|will|would) (?:you|u|they|i|we|someone)|(?:do|does) (?:you|u|they|your team))\b(?: [a-z']+){0,3}? (?:assemble|install|engrave|personali[sz]e|monogram|hem|alter|set up|shorten|tailor|take (?:it|them|this|these) (?:in|up)|let (?:it|them|this|these) out)\b|\b(?:get|have) (?:it|them|this|that|one|the [a-z ]{2,30}?) (?:assembled|installed|engraved|personali[sz]ed|monogrammed|hemmed|altered|set up)\b|\b(?:do|does) (?:you|u|they|your team)(?: also)? (?:offer|do|provide|include)\b.{0,20}\b(?:assembly|installation|engraving|personali[sz]ation|monogramming|alterations?|hemming)\b|\b(?:assembly|installation|engraving|personali[sz]ation|alterations?) (?:service|included|available|option)s?\b|\b(?:me )?(?:lo|la|los|las) (?:arman|montan|instalan|graban|personalizan)\b|\b(?:servicio de|ofrecen|hacen) (?:montaje|armado|instalacion|grabado|arreglos|ajustes)\b/;
export const PRODUCT_STATE_ASKED = /\b(?:need|needs|require|requires|come|comes|arrive|arrives|ship|ships|shipped|delivered|easy to|hard to|difficult to|viene|vienen|llega|llegan|necesita|necesitan)\b/;
export const GIFT_WRAP = /\b(gift ?wrap(ped|ping)?|wrap (it|them) (up )?(as a gift|for a gift)|gift (note|message|card message)|(add|include|write|put|attach) (a |an )?(short |little |small )?(gift )?(note|card|message)( saying| that says| with)?|(agrega|agregar|agreguen|pon|poner|incluye|incluir|incluyan) (una )?(nota|tarjeta|dedicatoria)|envolver(lo|la|los|las)? (para|de) regalo|envoltorio|papel de regalo)\b/;
/** A discount asked for by its size ("give me 90% off", "hazme un 50% de descuento"), not one of ours by its code. */
/** "Do you price match?", "I saw it cheaper on Amazon", "¿igualan precios?": another shop's price. */
export const PRICE_MATCH =
	/\bprice ?match(?:ing|es)?\b|\bmatch (?:the |their |a |that |this |other )?(?:shops? |stores? )?prices?\b|\bbeat (?:the |this |that |their |a )?price\b|\b(?:saw|seen|found|get|got) (?:it|this|them|one|that)? ?(?:cheaper|for less) (?:on|at|in|from|elsewhere)\b|\bcheaper (?:on|at) (?:amazon|ebay|walmart|mercado ?libre|[a-z]+\.com)\b|\b(?:igualan|igualas|igualar|mejoran|mejoras|mejorar) (?:el |los |ese |este )?precios?\b|\b(?:lo )?(?:vi|encontre) mas barato\b|\bmas barato en (?:amazon|mercado ?libre|otr[oa] (?:tienda|lado|sitio))\b/;
/** "Do you do repairs?", "can you fix my phone?", "¿reparan celulares?": a repair service asked for. */
export const REPAIR_ASKED =
	/\b(?:(?:do|does|can|could|will) (?:you|u|your team|someone) (?:do|offer|provide|make) (?:any )?repairs?|(?:can|could|will|do) (?:you|u|someone) (?:fix|repair) (?:my|a|the|it|this|that)\b(?! (?:price|order|address|size|cart|total|discount|problem|name)\b)|repair (?:service|shop)s?|(?:get|have) (?:it|my [a-z]+) (?:fixed|repaired)|(?:hacen|ofrecen) reparaciones|(?:reparan|arreglan) (?:celulares|laptops|equipos|computadoras|telefonos|pantallas|consolas)|servicio (?:de reparacion|tecnico)|(?:me )?(?:lo|la) (?:reparan|arreglan)|(?:pueden|puedes) (?:reparar|arreglar) (?:mi|el|la)\b)/;
/** "How do I know my skin type?", "¿cómo sé mi tipo de piel?": how to tell one's skin type. */
export const SKIN_TYPE_ASKED = /\b(?:how (?:do|can|would|could) i (?:know|tell|find out|figure out)|what(?:'s| is) my|which is my|not sure (?:what|which) (?:is )?my|(?:como|cómo) (?:se|sé|saber|puedo saber)(?: cual es)?|cual es|no se (?:cual es )?)(?: (?:my|mi))? (?:skin ?type|type of skin|tipo de piel)\b/;
/** The catalog's tag of what came in lately: what "what's new?" searches, and how its answer knows it. */
export const NEW_TAG = "new";
/** "What's new?", "new arrivals", "¿qué novedades hay?": what came in lately. */
export const NEW_ARRIVALS = /\b(?:what'?s new|whats new|what is new|anything new|new (?:arrivals?|in|stuff|products|releases?|collection|this (?:week|month|season))|latest (?:products|arrivals|releases|stuff|collection)|just (?:arrived|came in)|novedades|lo (?:mas )?nuevo|(?:que|algo) (?:hay )?de nuevo|algo nuevo|recien llegad[oa]s|ultimos lanzamientos)\b/;
/** "Loyalty program?", "do I earn points?", "¿tienen programa de puntos?": a loyalty or rewards scheme. */
export const LOYALTY = /\b(?:loyalty|rewards? (?:program(?:me)?|points|card|club)|(?:earn|collect|get) (?:any )?points|points (?:program(?:me)?|card|system)|membership (?:program(?:me)?|card|discount)|vip (?:program(?:me)?|club|member)|refer a friend|referral (?:program(?:me)?|code|discount)|programa de (?:lealtad|puntos|fidelidad|recompensas|referidos)|(?:acumul\w+|sum\w+|gan\w+) puntos|tarjeta de (?:puntos|socio|cliente))\b/;
/** "No thanks", "nah, skip it", "I'll pass", "paso", "mejor no": what was offered, declined. */
export const DECLINED = /^\W*(?:(?:ok|okay|hmm|ah|oh)\W+)?(?:(?:no|nope|nah|na)\W+)?(?:no (?:thanks|thank you|thx|ty|gracias)|skip (?:it|that|those|them)|i'?ll pass|pass|not (?:for me|interested|this time|today|feeling (?:it|them|those|these|that)|my (?:style|thing|taste))|(?:i'?m )?not (?:really )?(?:into|loving|feeling) (?:it|them|those|these|that)|meh|nah|no me interesa|no me convence(?:n)?|no me gusta(?:n)?|no es lo mio|no,? gracias|paso|mejor no|no por ahora)(?:\W+(?:thanks|thank you|thx|gracias|i'?m good|estoy bien|not (?:for me|interested|today)))?\W*$/;
/** "I have a nut allergy, is it safe?", "¿soy alérgica al látex, lo puedo usar?": an allergy, with whether it is safe or in it. */
export const ALLERGY_SAFETY =
	/\b(?:allerg(?:y|ies|ic)|alergi(?:a|as|co|ca|cos|cas))\b(?=.*\b(?:safe|ok|okay|fine|use|contain|contains|have|has|free|seguro|segura|apto|apta|usar|puedo|contiene|tiene|lleva|sin)\b)(?!.*\b(?:to|a|al|a la) (?:fragrances?|perfumes?|scents?|fragancias?|aromas?)\b)/;
/** "Is it safe during pregnancy?", "¿es apta para embarazadas?": a health question no product page settles. */
export const PREGNANCY = /\b(?:pregnan(?:t|cy)|breast ?feeding|nursing mothers?|while nursing|embarazad[ao]s?|embarazo|lactancia|amamantando|dando pecho)\b/;
export const DISCOUNT_DEMAND = /\b\d{1,3}\s*%\s*(off|discount|descuento|de descuento)\b|\b(give|gimme|want|need) (me )?(a |an |some )?(discount|deal|cheaper price)\b|\b(hazme|dame|quiero) (un )?(descuento|rebaja)\b/;

/** Words that take back what came before ("no wait, blue", "actually", "mejor azul"). */
export const CORRECTION = /^(wait|actually|rather|instead|mean|mejor|perdon|digo|corrijo)$/;
export const CHEAPEST = /\b((?:que )?no (?:sean?|este[n]?) (?:muy |tan |demasiado )?car[oa]s?|cheapest|cheaper|cheap|barat[oa]s?|economic[oa]s?|most affordable|least expensive|less expensive|lowest[- ]priced?|lowest price|(?:not|nothing) (?:too |so |very |that |super )?(?:expensive|pricey|fancy)|inexpensive|on a budget|affordable|budget[- ]friendly|low[- ]cost|reasonably priced|(?:que no sea|nada) (?:muy |tan |demasiado )?car[oa]s?|asequibles?|mas barat[oa]s?|mas economic[oa]s?|no (?:muy |tan )?car[oa]s?)\b/;
/** "add the cheapest wireless one", "dame el más barato": one product chosen by its price, not a browse ("I want something cheaper"). */
export const ADD_THE_PRICED = /\b(?:add|i'?ll take|take|give me|get me|i'?ll have|agrega(?:me)?|anade|dame|me llevo)\b.*\b(?:the (?:cheapest|most expensive|priciest)|(?:el|la) mas (?:barat|car)[oa])\b/;
export const PRICIEST = /\b(most expensive|priciest|highest[- ]priced?|mas car[oa]s?)\b/;
