/**
 * The offline brain: a deterministic `Model` with no network, used when no OPENAI_API_KEY is set.
 * It reads the same request an LLM would (the persona prompt, the `[state]` system message, the
 * customer's words and the tool results) and answers the same way: first with tool calls, then,
 * once their results are in, with text in the persona's voice. Every figure it writes is copied
 * from a tool result, so its replies pass the guardrails by construction.
 *
 * English and Spanish. Same input, same output: tests can table utterances against tool calls.
 */
import { COLOUR_WORDS, colourCovers, colourNamed, lookupEs, ratingMinimumAge, readSpecBound, sameSize, sizesSmallestFirst, specFigures, suitsAge, writeSpecBounds } from "../contracts/catalog";
import { ChoiceIds, isMediaKind, type MediaKind } from "../contracts/conversation";
import { asksForHuman } from "./escalation";
import { detectLang, type Lang } from "./language";
import { type Persona, personaFor } from "./personas";
import type { ChatMessage, ChatToolCall, Model, ModelRequest, ModelResponse } from "./runner";
import { coloursOfProduct, type PolicyTopic, type ToolErrorFacts } from "./tools";

interface BrainState {
	brand: string;
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
	/** The last reply said whether the product in view comes in a colour: "and in black?" asks the same of it. */
	colourAnswered?: boolean;
	/** The cart lines (skus) the last reply said were just added, or already in the cart. */
	justAdded?: string[];
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
	/** The cart line whose size the last reply changed, and from which: "undo" changes it back. */
	resized?: { sku: string; from: string; to: string };
}

interface ProductOut {
	sku: string;
	name: string;
	priceText: string;
	stock: number;
	description?: string;
	sizes?: string[];
	/** The colours it comes in, as the catalog lists them ("white, brass"). */
	color?: string;
	category?: string;
	attributes?: Record<string, string>;
	promotion?: { code: string; percentOff: number; priceText: string };
}

type Decision =
	| { kind: "tool"; name: string; args: Record<string, unknown>; intent: string }
	| { kind: "tools"; calls: { name: string; args: Record<string, unknown> }[]; intent: string }
	| { kind: "text"; text: string; intent: string; understood: boolean };

/** "a, b and c", "a, b o c". */
const joinWith = (items: string[], word: string) => (items.length > 1 ? `${items.slice(0, -1).join(", ")} ${word} ${items.at(-1)}` : items[0]!);
const fold = (s: string) => s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
const t = (lang: Lang, en: string, es: string) => (lang === "es" ? es : en);
const countOf = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

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
	[/\b(?:xq|pq)\b/gi, "porque"],
	[/\b(?:tb|tmb)\b/gi, "también"],
	[/\bq\b/g, "que"]
];

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

const ORDINALS: Record<string, number> = {
	// "Dame las primeras": a pair of boots is plural in Spanish.
	first: 1, "1st": 1, primero: 1, primera: 1, primer: 1, primeros: 1, primeras: 1,
	second: 2, "2nd": 2, segundo: 2, segunda: 2, segundos: 2, segundas: 2,
	third: 3, "3rd": 3, tercero: 3, tercera: 3, tercer: 3, terceros: 3, terceras: 3,
	fourth: 4, "4th": 4, cuarto: 4, cuarta: 4,
	fifth: 5, "5th": 5, quinto: 5, quinta: 5,
	last: -1, ultimo: -1, ultima: -1, ultimos: -1, ultimas: -1,
	// Thumbs on a phone: the misspellings customers send.
	frist: 1, fisrt: 1, firts: 1, secnd: 2, seccond: 2, scond: 2, secod: 2, thrid: 3, thrd: 3, forth: 4, foruth: 4, fith: 5, fifht: 5, segudno: 2, tecera: 3
};
const ORDINAL_ALTERNATION = Object.keys(ORDINALS).join("|");
/** Every ordinal word, in the order written. */
const ORDINAL_WORD = new RegExp(`\\b(${ORDINAL_ALTERNATION})\\b`, "g");
const ORDINAL_PAIR = new RegExp(`\\b(${ORDINAL_ALTERNATION})(?: ones?)?\\s*(?:,|and|&|y)\\s*(?:the |el |la )?(${ORDINAL_ALTERNATION})\\b`);
/** Spanish product words, singular (plurals are folded before the lookup), onto the catalog's English. */
const NOUNS_ES: Record<string, string> = {
	chaqueta: "jacket", campera: "jacket", cazadora: "jacket", chamarra: "jacket", abrigo: "coat", zapato: "shoe",
	zapatilla: "sneaker", tenis: "sneaker", deportiva: "sneaker", bota: "boot", camisa: "shirt", camiseta: "t-shirt",
	remera: "t-shirt", playera: "t-shirt", vestido: "dress", pantalon: "pants", vaquero: "jeans", sudadera: "hoodie",
	bolso: "bag", bolsa: "bag", cartera: "bag", bufanda: "scarf",
	auricular: "headphones", audifono: "headphones", casco: "headphones", teclado: "keyboard", raton: "mouse",
	portatil: "laptop", computadora: "laptop", telefono: "phone", movil: "phone", celular: "phone", pantalla: "monitor",
	tableta: "tablet", reloj: "smartwatch", cargador: "charger", mochila: "backpack", funda: "case", estuche: "case", soporte: "stand", adaptador: "adapter",
	lampara: "lamp", silla: "chair", mesa: "table", cojin: "cushion", vela: "candle", alfombra: "rug", jarron: "vase",
	florero: "vase", manta: "blanket", sabana: "sheet", almohada: "pillow", sarten: "pan", cuchillo: "knife", taza: "cup",
	crema: "cream", hidratante: "moisturiser", limpiador: "cleanser", limpiadora: "cleanser",
	colonia: "perfume", champu: "shampoo", acondicionador: "conditioner", labial: "lipstick", pintalabios: "lipstick",
	maquillaje: "makeup", rimel: "mascara", suero: "serum", vitamina: "vitamin", cabello: "hair", pelo: "hair",
	rostro: "face", cuerpo: "body", aceite: "oil", colorete: "blush", rubor: "blush", brocha: "brush", pincel: "brush", peine: "comb",
	edredon: "duvet", nordico: "duvet", estanteria: "shelf", camara: "camera", volante: "wheel", gamer: "gaming",
	gorra: "cap", sombrero: "hat",
	juego: "game", videojuego: "game", consola: "console", mando: "controller", control: "controller", joystick: "controller",
	regalo: "gift", carrera: "racing", correr: "running", caminar: "walking", caminata: "walking", viaje: "travel", viajar: "travel", gimnasio: "gym", estrategia: "strategy", aventura: "adventure", simulacion: "simulation", simulador: "simulation",
	escritorio: "desk", fiesta: "party", boda: "wedding", madera: "wood", vidrio: "glass", cristal: "glass"
};
/**
 * Spanish words for what a product has, onto the catalog's English. Not product nouns: "¿tiene
 * micrófono?" asks about the product in view, where "¿tiene auriculares?" asks the shop.
 */
const FEATURES_ES: Record<string, string> = {
	vibracion: "vibration", recargable: "rechargeable", microfono: "microphone", luz: "light", bolsillo: "pocket", capucha: "hood", forro: "lining",
	// Materials and qualities: "¿es de cuero?", "¿es impermeable?" ask about the product in view.
	inalambrico: "wireless", impermeable: "waterproof", cuero: "leather", mezclilla: "denim", vaquera: "denim", lana: "wool", algodon: "cotton", lino: "linen", saten: "satin", elegante: "elegant", terciopelo: "velvet", laton: "brass", ceramica: "ceramic", mecanico: "mechanical", rizado: "curly",
	aromatica: "scented", aromatico: "scented",
	vegano: "vegan", vegana: "vegan", transpirable: "breathable", ajustable: "adjustable", desmontable: "detachable", lavable: "washable", plegable: "foldable", hipoalergenico: "hypoallergenic", hipoalergenica: "hypoallergenic",
	// "¿Tiene fragancia?" asks about the cream in view; "busco una fragancia" still finds perfumes (a synonym in the catalog).
	soja: "soy", cera: "wax", fragancia: "fragrance", perfumada: "scented", perfumado: "scented", noche: "night", nocturna: "night", nocturno: "night"
};
/** Spanish phrases whose words alone would say something else ("azul marino" is navy, not blue). */
const PHRASES_ES: [RegExp, string][] = [
	[/\bazul marino\b/g, "navy"],
	// "un sofá de 3 plazas" is what the catalog calls a 3-seater.
	[/\bde (\d) (?:plazas|puestos|asientos)\b/g, "$1-seater"],
	[/\bprotector(?:es)? solar(?:es)?\b/g, "sunscreen"],
	[/\bropa de cama\b/g, "bedding"],
	[/\btarjetas? (?:de )?regalo\b/g, "gift card"],
	[/\breloj(?:es)? inteligentes?\b/g, "smartwatch"],
	[/\blapiz (?:labial|de labios)\b/g, "lipstick"],
	[/\bfundas? nordicas?\b/g, "duvet cover"],
	[/\balfombrillas? (?:de |para )?(?:el )?raton\b/g, "mouse pad"],
	[/\bcancelacion (?:activa )?de(?:l)? ruido\b/g, "noise cancelling"],
	[/\bsombras? de ojos\b/g, "eyeshadow"],
	[/\bbrillos? (?:de |para )?labios\b/g, "lip gloss"],
	[/\bpiel grasa\b/g, "oily skin"],
	[/\bresistentes? al agua\b/g, "water resistant"],
	// "Sin sulfatos", "libre de crueldad": what a label says it is free of, as the catalog writes it.
	[/\b(?:sin|libres? de) sulfatos?\b/g, "sulphate free"],
	[/\b(?:sin|libres? de) (?:fragancias?|perfumes?)\b/g, "fragrance free"],
	[/\b(?:libres? de crueldad|no testad[oa]s? en animales|cruelty free)\b/g, "cruelty free"],
	[/\baptos? (?:para|de) (?:el )?lavavajillas\b/g, "dishwasher safe"],
	// "que no deje rastro blanco": sunscreen's "white cast", not the colour white.
	[/\b(?:rastro|residuo|capa|marca|efecto|velo) blanco\b/g, "white cast"],
	[/\bpiel seca\b/g, "dry skin"],
	[/\bpiel sensible\b/g, "sensitive skin"],
	[/\bpiel mixta\b/g, "combination skin"],
	// A product's name in several words, whose words alone name something else ("pie" is a foot).
	[/\blamparas? de pie\b/g, "floor lamp"],
	[/\blamparas? de (?:mesa|mesita)\b/g, "table lamp"],
	[/\blamparas? de escritorio\b/g, "desk lamp"],
	[/\blamparas? colgantes?\b/g, "pendant lamp"],
	[/\b(?:mesitas?|mesas?) de noche\b/g, "nightstand"],
	[/\bjuegos? de sabanas\b/g, "sheet set"],
	[/\b(?:gafas|lentes|anteojos) de sol\b/g, "sunglasses"],
	// "algo para el sol": what the sun calls for in a beauty store.
	[/\b(?:para|contra) el sol\b/g, "sunscreen"]
];
/** "hiii", "heyyy", "holaaa": a greeting typed with feeling. */
const STRETCHED_GREETING = /^(h+i+|he+y+|hel+o+|ho+la+|bue+nas+)$/;
const STOPWORDS = new Set(
	(
		"a an the i im i'm me my we you your do does have has any some show find looking look for want wanna need please " +
		"with and or but of in on to is are it this that these those can could would like get give buy something anything " +
		"hi hello hey there what which one ones got sell selling price cost about new good nice cheap well goes go " +
		"busco buscando quiero necesito tienes tiene tienen tenes hay un una unos unas el la los las lo le les de del con para por que y en o al pero " +
		"me mi algo muestrame mostrame ver hola algun alguna precio barato barata deje deja dejen dejar help ayuda ayudame ayudarme around approximately roughly aproximadamente alrededor if then entonces pues " +
		"sale sales discount discounts promo promos promotion offer offers deal deals oferta ofertas descuento descuentos rebaja rebajas " +
		"code codes coupon coupons voucher vouchers codigo codigos cupon cupones " +
		"va favor porfa porfis xfa pls plz thanks thank thx ty gracias muchas bye goodbye see ciao adios chau hasta luego vemos buenas buenos dias tardes morning afternoon evening yo " +
		"budget presupuesto today now right currently hoy ahora cheapest cheaper less affordable least lowest priced expensive priciest most mas economico economica caro cara " +
		"vale bueno buena bonito bonita lindo linda baratos baratas caros caras economicos economicas tambien otro otra otros otras " +
		"two three four five uno dos tres cuatro cinco tengo soy " +
		// What names no product: "show me all jackets", "the cheapest thing you have".
		"all every everything thing things stuff item items product products whatever todo todos todas cosa cosas producto productos " +
		"tell more details detail info information describe know sobre detalles informacion cuentame ok okay " +
		"cuanto cuanta cuantos cuantas cuesta cuestan valen how much many else esto eso esta esa este ese estos estas esos esas ella ellas ellos ello cool great awesome too also them they " +
		// Chat shorthand and filler: "hiii, what moisturizer do u recommend?", "ill go with…".
		"u ur really very so ill go goes going gonna recommend recommendation recommendations suggest suggestion recomiendas recomiendan recomendacion " +
		// Corrections: "no wait, blue".
		"no nope wait actually rather instead mean mejor perdon digo corrijo son not pricey inexpensive tan muy " +
		// Hesitation: "hmm that's a bit pricey".
		"hmm hm mmm bit little kinda lot pues bueno eh matching doesn't doesnt don't dont won't wont leave leaves without " +
		// What is left of a figure that was a spec, not a price: "at least 16gb".
		// A past purchase told about: "I bought a jacket last week".
		"bought buy purchased ordered last week weeks month months yesterday ago compre semana semanas mes meses ayer pasado pasada " +
		"at least over under above below size sizes talla tallas talle available availability disponible disponibles stock when will be cuando " +
		// Which colours a product comes in is asked of it: "what colours does the linen shirt come in?".
		"colour colours color colors colores " +
		"compare comparison difference differences versus vs comparar compara diferencia diferencias es sea fue " +
		// Who it is for says nothing about the product: "headphones for my daughter", "for a 10 year old".
		"mom mum mother dad father sister brother daughter wife husband boyfriend girlfriend friend partner grandma grandpa " +
		"she he her him his hers loves likes enjoys adores come comes came vienen viene " +
		// How the customer feels is no product: "this is way too expensive, I'm not happy".
		"way happy unhappy upset disappointed annoyed frustrated angry sad feliz contento contenta molesto molesta enojado enojada " +
		// What wearing or using it is called: "something to wear to a wedding", "algo para ponerme".
		"wear wearing worn put ponerme ponerse usar llevar " +
		"niece nephew year years old mama papa madre padre hermana hermano hija hijo esposa esposo novia novio amiga amigo abuela abuelo ano anos"
	).split(" ")
);

const YES = /^(yes|yep|yeah|yup|sure|ok|okay|confirm|confirmed|do it|go ahead|place it|si|sí|dale|claro|confirmo|confirmar|listo)\b/;
/** "Confirm", "confirm my order", "confirmar el pedido": a confirmation on its own, of an order. */
const CONFIRM_ONLY = /^(?:yes,? |ok,? |si,? )?(?:confirm(?:ed)?|confirmo|confirmar|confirma|confirmalo)(?: (?:it|the order|my order|order|el pedido|mi pedido|la compra|la orden))?\W*$/;
const NO = /^(no|nope|cancel|not now|wait|stop|cancelar|cancela|todavia no|aun no)\b/;
const ORDER_STATUS =
	/\b(where is my (order|package|parcel)|track(ing)?|order status|status of my order|my order|estado de mi pedido|mi pedido|donde esta mi|seguimiento|i (?:just )?(?:ordered|placed an order|made an order|paid)|(?:haven'?t|have not|didn'?t|did not|never) (?:got|gotten|get|received|receive) (?:a|an|my|the|any) (?:confirmation|receipt|order confirmation|confirmation email)|order confirmation|(?:is|has|was) (?:the|my) order (?:been )?(?:confirmed|shipped|sent|paid|on its way|through|ready)|(?:ya )?(?:hice|realice) (?:un|el|mi) pedido|ya pague|confirmacion de(?:l| mi) pedido)\b/;
const CHECKOUT =
	/\b(checkout|check out|pay|place (the |my )?order|buy (it|them|now|this)|that'?s all|finalize|comprar|pagar|finalizar|finalizo|hacer (el|mi) pedido|(?:l[oa]s?) compro|(?:proceed|go|move|continue) to (?:the )?(?:payment|checkout|check out|paying)|(?:complete|finish|submit|send|wrap up) (?:my|the|this) (?:order|purchase)|(?:proceder|pasar|ir) (?:al|a) (?:pago|pagar|caja)|(?:terminar|termino|completar|completo|finalizar|cerrar) (?:la|mi|el) (?:compra|pedido))\b|^\W*(?:ok |ya |bueno |vale )?pago\b|^\W*(?:ok |so |then )?(?:i'?d like|i would like|i want|i wanna|i'?m ready|ready) to (?:order|buy|pay|check ?out|place (?:an|the|my) order)(?: (?:now|please))?\W*$|^\W*(?:ok |okay |then |so )?(?:i'?ll |let'?s )?(?:(?:buy|purchase)(?: (?:it|them|this|that|these|now|please))?|order (?:it|them|this|that|these|now))\W*$/;
/**
 * "That's it", "nothing else", "eso es todo": nothing more to choose. With a cart, the checkout;
 * without one, a friendly close. "Ready" and "listo" are also a yes, so they are READY, below.
 */
const DONE_SHOPPING =
	/^\W*(?:(?:no|nope|nah|ok|okay|great|perfect|cool|thanks|thank you|gracias|perfecto|genial|bueno|vale|si)\W+)*(?:that'?s (?:it|all|everything)(?: for (?:now|today))?|that (?:is|will be|'?ll be|should be) (?:it|all|everything)|nothing (?:else|more)|no more|(?:i'?m|i am|we'?re|we are) (?:done|all set)(?: (?:now|then|here|shopping))?|done(?: shopping)?|all set|(?:eso|esto) (?:es|seria|sera) todo|(?:es|seria|sera) todo|nada mas|ya (?:esta|es todo)|(?:ya )?(?:termine|acabe)|solo eso)(?:\W+(?:thanks|thank you|thx|ty|gracias|please|por favor|for now|then|entonces|por ahora|nada mas))*\W*$/;
/** "Ready", "listo", "confirm" with nothing offered to add: the cart's checkout. */
const READY = /^\W*(?:ok\W+|okay\W+|ya\W+|bueno\W+)?(?:ready|i'?m ready|listo|lista|estoy list[oa]|confirm|confirmo|confirmar|confirmed)\W*$/;
const CART = /^\W*(?:and |so |ok |y )?(?:total|grand total|subtotal|en total)\W*$|\b(cart|basket|carrito|cesta|(my|the|order) total|total (?:so far|now|price|cost|amount)|what(?:'?s| is) the damage|how much (is it all|is everything|for everything|altogether|all together|in total|do i owe)|cuanto (es en total|es el total|es todo|sale todo|cuesta todo|seria todo|seria en total|llevo|va|te debo|les debo)|el total)\b/;
/** "cancel my order": one that has not shipped is cancelled here, once the customer confirms. */
const CANCEL_ORDER = /\b(cancel|cancelar|cancela|anular|anula)\b.*\b(order|pedido|compra)\b/;
/** "Cancel it" after "Shall I cancel your order …?" is a yes (for the checkout question it is a no). */
const CANCEL_YES = /^(cancel|cancel it|cancelar|cancela|cancelalo|anular|anulalo)\b/;
const KEEP_ORDER = /^(no|nope|not now|wait|stop|keep|don'?t|dont|todavia no|aun no|mejor no|dejalo)\b/;
/** "I want to return it": a return is arranged by a person (asking how returns work is a policy question). */
const RETURN_REQUEST = /\b(i (want|would like|'?d like|need) to (return|send back|exchange)|quiero (devolver|cambiar|hacer una devolucion)|necesito (devolver|hacer una devolucion))\b/;
/** A question about the sizes a product comes in. */
const SIZES_ASKED = /\b(what|which) sizes?\b|\bsizes? (?:do|does|are|is) (?:it|they|there|available)|\bque (?:tallas|tamanos|medidas)\b|\ben que (?:tallas|tamanos)\b/;
/** "How many do you have?", "is it in stock?": the stock of the product in view, or of each listed. */
const STOCK_ASKED = /\b(how many (?:do you have|have you got|are (?:there )?left|left|are there|in stock|available|can i (?:get|buy|order))|(?:is it|are they|is this|is that|are these) (?:still )?(?:in stock|available)|(?:do you have|have you got) (?:it|them|any) in stock|any (?:left|in stock)|cuant[oa]s (?:tienes|tienen|hay|quedan|te quedan)|(?:te )?quedan\b|hay stock|(?:esta|estan) disponibles?)\b/;
/** The price of "it" (not of everything: that is the cart). */
const HOW_MUCH = /\b(how much (?:is|does|do|are) (?:it|this|that|this one|that one|they|these|those)(?! all)(?: cost)?|how much (?:for|is) (?:it|this|that|this one|that one)(?=\W*$)|what'?s the price|(?:cuanto|que) (?:cuesta|vale|sale|precio tiene)(?! (?:todo|en total)))\b/;
/** When a sold-out product is back: no tool knows. */
const RESTOCK = /\b(back in stock|restock(?:ed|ing)?|be back|come back|available again|in stock again|vuelve a (?:estar|haber|tener)|vuelven a (?:tener|estar)|reponen|reposicion|cuando (?:vuelve|vuelven|llega|hay|tendran))\b/;
/** "Let me know when it's back": we cannot send alerts. */
const NOTIFY = /\b(let me know|notify me|tell me|message me|text me|alert me|ping me|avisame|me avisas|me avisan|avisarme|me escribes)\b/;
/** "This is way too expensive": the price is the objection, so the like of it for less. */
const TOO_DEAR = /\b(too (?:expensive|pricey|much money|dear)|(?:muy|demasiado) car[oa]|overpriced|out of my budget|can'?t afford|no me alcanza|se me va del presupuesto)\b/;
/** "Anything like it?", "¿algo parecido?": products like the one in view. */
const SIMILAR = /\b(similar|like (?:it|this|that|this one|that one)|alternatives?|parecid[oa]s?|similar(?:es)?|algo asi|como (?:ese|esa|este|esta))\b/;
/** A placed order's address, name or contents to change. */
const CHANGE_ORDER = /\b(?:change|update|correct|fix|edit|modify)\b.{0,30}\b(?:address|delivery details|shipping details|phone number|name on (?:the|my) order|my order)\b|\b(?:wrong|new) (?:delivery |shipping )?address\b|\bcambiar\b.{0,30}\b(?:direccion|domicilio|datos de (?:envio|entrega)|mi pedido)\b|\b(?:direccion|domicilio) (?:equivocad[oa]|incorrect[oa]|nuev[oa])\b/;
const ORDER_ID = /\b(ord[-_][a-z0-9-]+)\b/i;
/** Something wrong with what they bought: broken, faulty, wrong, late or missing. */
const PURCHASE_PROBLEM = /\b(broke|broken|damaged|defective|faulty|(?:does ?n'?t|does not|won'?t|will not|stopped|not) (?:work|working|turn on|charge|charging)|arrived (?:damaged|broken|late|wrong|torn)|wrong (?:size|item|product|colou?r|order)|missing (?:items?|pieces?|parts?)|never (?:arrived|came|got it)|has ?n'?t arrived|torn|ripped|complaint|se (?:me )?rompio|rot[oa]s?|danad[oa]s?|defectuos[oa]s?|no funciona|dejo de funcionar|llego (?:mal|rot[oa]|danad[oa]|tarde|equivocad[oa])|no (?:me )?(?:ha )?llegado|no (?:me )?llego|talla equivocada|producto equivocado|queja|reclamo|(?:package|parcel|order|delivery|shipment|pedido|paquete|envio)(?: is|'s|s are| was| esta| viene| llega)? (?:late|delayed|overdue|running late|retrasad[oa]|atrasad[oa]|demorad[oa]|tarde)|taking (?:too|so) long to (?:arrive|come|ship|deliver)|(?:still|yet) (?:hasn'?t|has not|haven'?t|have not|not) (?:arrived|come|shown up))\b/;
const REMOVE = /\b(remove|delete|take out|drop|quitar|quita|quitame|saca|sacar|eliminar|elimina|borra|put (?:it|that|this|one) back|put back|take (?:it|that|this) off|undo|(?:don'?t|do not) want (?:it|that|this) any ?more|no longer want|ya no (?:lo|la) quiero)\b/;
/** "Empty my cart", "remove everything", "vacía el carrito": every line out. */
const EMPTY_CART =
	/\b(?:empty|clear|wipe|reset)\b(?: out)? (?:my |the |our )?(?:whole |entire )?(?:cart|basket|trolley)\b|^\W*(?:please )?(?:remove|delete|take out|drop|clear) (?:everything|it all|all(?: of (?:it|them))?|all (?:the )?(?:items|products|things)|every item)(?: please)?\W*$|\b(?:vacia|vaciar|vacialo|limpia|limpiar) (?:mi |el |todo el )?(?:carrito|carro|cesta)\b|^\W*(?:quita|quitame|saca|sacame|elimina|borra)(?:lo)? todo\W*$/;
/** "put it back", "remove that": the product just talked about, not a product named "it". */
const REMOVE_IT = /\b(it|that|this|one|lo|la)\b/;
const DETAILS = /\b(more about|details?|tell me about|info|describe|more info|mas sobre|detalles?|informacion)\b/;
const ADD = /\b(add|take|i'?ll take|i want(?! to (?:see|check|view|look|know))|i'?d like|give me|get me|(?:i'?ll|i will|i'?d|let'?s) go with|i'?ll have|agrega|agregame|anade|añade|me llevo|me quedo con|quiero(?! (?:ver|saber|mirar|conocer|preguntar|consultar|informacion|info)\b)|dame)\b/;
/** "What do you sell?", "show me everything", "what's new?": nothing named to look for, so our picks. */
const BROWSE =
	/\b(what (?:else )?(?:do|does) (?:you|u|y'?all|the shop|the store) (?:sell|have|carry|offer|stock|got)|what (?:products|items|things|stuff|kinds? of (?:things|products|stuff|items)|sort of (?:things|products|stuff|items)) (?:do )?(?:you|u) (?:have|sell|carry|offer|got)|what(?:'?ve| have) you got|show me (?:everything|it all|all|what you(?:'?ve)? got|what you have|your (?:products|catalog|catalogue|stuff|collection|range|items))|(?:your|the) (?:catalog|catalogue|collection|range)|what'?s new|new arrivals?|new (?:stuff|things|products|collection|in)|(?:something|anything) (?:nice|cool|good|special|interesting)|surprise me|que (?:vendes|venden|tienes|tienen|hay)|(?:muestrame|ensename|mostrame) (?:todo|lo que (?:tienes|tienen|hay)|el catalogo|tus productos)|(?:el|tu|su) catalogo|novedades|que hay de nuevo|algo (?:bonito|lindo|especial))\b/;
const RECOMMEND = /\b(recommend|suggest|suggestion|popular|best ?sellers?|what'?s hot|trending|recomienda|recomiendas|recomendacion|sugerencia|sugieres)\b/;
/** "What goes well with it?": products to pair with the one in view or the last in the cart. */
const COMPLEMENT = /\b(what else|matching|to match|goes? (?:well |nicely )?with|(?<!\b(?:i|ill|i'll|i will|id|i'd|i would|lets|let's|we|well|we'll|gonna|to) )go (?:well |nicely )?with|go(?:es)? together|pairs? (?:well )?with|to go with|match(?:es)? (?:it|this|that)|complete the look|que mas|va bien con|van (?:bien )?con (?=el\b|ella\b|eso\b|esto\b|este\b|esta\b|ese\b|esa\b)|(?:queda|quedan) bien con|(?:que )?le (?:va|van|queda|quedan|sirve|sirven)\b|combina[nr]? con|que combina|que combine|que combinen|que vaya con|que vayan con|para acompanar)\b/;
const COMPLEMENT_G = new RegExp(COMPLEMENT.source, "g");
const THANKS = /\b(thanks|thank you|thx|ty|gracias|muchas gracias)\b/;
const BYE = /\b(bye|goodbye|see you|ciao|adios|chau|hasta luego|nos vemos|(?:be|come|check) back (?:later|tomorrow|soon)|talk (?:to you )?later|catch you later|ttyl|brb|vuelvo (?:luego|despues|mas tarde|manana))\b/;
const GREETING = /^(h+i+|hel+o+|he+y+|ho+la+|buenas|buenos dias|buenas tardes|good (morning|afternoon|evening)|yo)\b/;
/** "use code welcome10", "I have a coupon: LEVELUP", "aplica el código GLOW20", "apply laptop50". */
const CODE_AFTER_WORD = /\b(?:code|coupon|voucher|codigo|cupon)\s*:?\s*([a-z0-9][a-z0-9_-]{1,31})\b/;
const CODE_AFTER_VERB = /\b(?:apply|use|redeem|aplica|aplicar|usa|usar)\s+([a-z]+\d[a-z0-9_-]*|\d+[a-z][a-z0-9_-]*)\b/;
/** A message that is only a code-like word ("WELCOME10", "glow20"), read as one when a code was asked for. */
const BARE_CODE = /^\W*([a-z]+\d+[a-z0-9_-]*|\d+[a-z]+[a-z0-9_-]*)\W*$/;
const NOT_A_CODE = new Set(["code", "codes", "coupon", "coupons", "please", "pls", "for", "de", "del", "el", "la", "que", "a", "the", "my", "mi", "promo", "promos", "discount", "descuento", "por", "favor", "to", "this", "that", "it", "is", "es", "no", "any", "have", "tengo", "tienes", "hay"]);

function promoCodeIn(s: string): string | null {
	const m = CODE_AFTER_WORD.exec(s) ?? CODE_AFTER_VERB.exec(s);
	return m && !NOT_A_CODE.has(m[1]) ? m[1].toUpperCase() : null;
}

/** Questions about the store's terms, by topic: answered from store_policy, never searched as product words. */
const PAYMENT_ASKED = /\b(payment methods?|how (do|can|should) i pay|how to pay|como (pago|puedo pagar|se paga|les pago|te pago|hago el pago)|pay with|pay by|paypal|apple pay|credit cards?|debit cards?|cash on delivery|bank transfer|formas? de pago|metodos? de pago|pagar con|tarjetas?(?! (de )?regalo)|efectivo|transferencia)\b/;
const POLICIES: [RegExp, PolicyTopic][] = [
	// First: "cash on delivery" is a way to pay.
	[PAYMENT_ASKED, "payment"],
	[/\b(shipping|ship|ships|delivery|deliver|delivered|arrive|envio|envios|envian|entrega|llega|llegar)\b|\b(get|have|receive) (it|them|this|that|my order) (by|before|in time|for) |\b(lo|la|los|las) (tendre|tengo|recibo|recibire) (para|antes)\b/, "delivery"],
	[/\b(returns?|refunds?|exchanges?|send (it|them)? ?back|take (it|them|this|these|that) back|devolucion(es)?|devolver(lo|la|los|las)?|devuelvo|reembolso|cambio|cambiar(lo|la|los|las)?|puedo cambiar)\b/, "returns"],
	[/\b(warranty|guarantee|garantia)\b/, "warranty"]
];
const TOPIC_WORDS: Record<PolicyTopic, [string, string]> = {
	delivery: ["delivery", "envíos"],
	returns: ["returns", "devoluciones"],
	warranty: ["warranty", "garantía"],
	payment: ["payment", "pagos"]
};
const PAYMENT_WORDS: Record<string, [string, string]> = {
	card: ["card (credit or debit)", "tarjeta (crédito o débito)"],
	paypal: ["PayPal", "PayPal"],
	apple_pay: ["Apple Pay", "Apple Pay"],
	bank_transfer: ["bank transfer", "transferencia bancaria"],
	cash_on_delivery: ["cash on delivery", "pago contra entrega"]
};
const RETURN_CONDITION_WORDS: Record<string, [string, string]> = {
	any: ["", ""],
	unused: [" (unused, with tags and packaging)", " (sin usar, con etiquetas y empaque)"],
	unopened: [" (unopened, still sealed)", " (sin abrir, con el sello intacto)"]
};
/** "How long…?", "do you…?", "¿cuánto…?": a question, not an order. */
const QUESTION = /\?|^(how|what|when|where|which|do|does|can|could|is|are|will|would|cuanto|cuantos|como|cuando|donde|hacen|aceptan|puedo|tienen|es|son)\b/;
/** "make it 2", "change it to 3", "ponme 2": a new quantity for the item last added. */
const NEW_QTY = /\b(?:make it|make that|change (?:it |that )?to|(?:change|set|update|make) (?:the )?(?:quantity|qty|amount)(?: of (?:it|that|them|those))? to|(?:cambia|pon) la cantidad a|i(?:'?d| would)? (?:want|like|need)|(?:actually )?(?:just|only)|ponme|pon|que sean|cambia(?:lo)? a|solo)\s+(\d{1,2}|one|two|three|four|five|uno|una|dos|tres|cuatro|cinco)\s*(?:please|pls|por favor|units?|unidades|of (?:them|it|those)|de esos|de esas)?\s*[.!?]*$/;
/** "and 2 velvet cushions", "2 usb-c cables": a count before the product it names is how many to add. */
const LEADING_COUNT = /^\W*(?:(?:and|y|plus|also|tambien|add|take|i'?ll take|i want|quiero|dame|agrega)\s+)*(\d{1,2}|two|three|four|five|dos|tres|cuatro|cinco)\s+(?!x\b|cm\b|mm\b|in\b|en\b)[a-z]/;
const NUMBER_WORDS: Record<string, number> = { one: 1, two: 2, three: 3, four: 4, five: 5, uno: 1, una: 1, dos: 2, tres: 3, cuatro: 4, cinco: 5 };

/** Sizes no other word looks like; "s", "m", "l" and two-digit numbers are sizes only where a size is expected. */
const SIZE_WORD = String.raw`xxs|xs|xl|xxl|xxxl|small|medium|large|pequena|pequeno|mediana|mediano|grande|king|queen|single|double|twin|\d{2,3}\s?x\s?\d{2,3}(?:\s?cm)?`;
const SIZE_TOKEN = String.raw`(${SIZE_WORD}|s|m|l|\d{2}(?:[.,]5)?)`;
/**
 * A size said of a product as a reference to it, "the 200x300 one", "el de 42", or asked of it,
 * "in XXL", "en talla S", "in a 42" (not "in 10 days", "in 15 colours").
 */
const SIZE_REFERENCE = new RegExp(String.raw`\b(?:the|el|la|lo) (?:de )?${SIZE_TOKEN}(?: ?cm)?(?: one| uno| una| size)?\b(?! ?x)`);
const SIZE_ASKED_IN = new RegExp(String.raw`\b(?:in|en) (?:(?:a|an|una?) )?(?:(?:size|talla|talle) )?${SIZE_TOKEN}\b(?! ?x)(?! ?(?:colou?rs?|colores|pieces?|units?|days?|dias|weeks?|semanas|minutes?|minutos|hours?|horas|%|percent))`);
/**
 * The size a message names of the product it is about, as written, and the message without it:
 * "is the 200x300 one soft?" reads "is it soft?", "does it come in XXL?" reads "does it come?".
 */
function sizeReferenced(s: string): { size: string; definite: boolean; rest: string } | null {
	const definite = SIZE_REFERENCE.exec(s);
	const m = definite ?? SIZE_ASKED_IN.exec(s);
	return m ? { size: m[1]!, definite: definite !== null, rest: `${s.slice(0, m.index)}${definite ? "it" : ""}${s.slice(m.index + m[0].length)}` } : null;
}
/** The product in view as the words say it: "does it come in M?", "is this available in size S?", "¿lo tienes en 42?". */
const IT_WORD = /\b(?:it|this|that|lo)\b/;
/** "Can I have the M one?", "¿me das la M?": a question that asks for it, not about it. */
const CAN_HAVE = /\b(?:can|could|may) (?:i|we) (?:get|have|order|buy|take)\b|\b(?:me (?:das|da|pones|pone|puedes dar)|puedo (?:pedir|comprar|llevar))\b/;
/** A message that is only a size: "M", "size 42", "talla M", "la M", "in medium". */
const BARE_SIZE = new RegExp(String.raw`^\W*(?:ok |okay |alright |and |then |y |vale |bueno |pues |entonces )?(?:(?:in |en |size |talla |talle |la |el |una |un )*)${SIZE_TOKEN}\W*(?:then|instead|please|pls|por favor|entonces)?\W*$`);
/** A size named beside an add: "the first one in size M", "la segunda en talla 40", "in king", and a letter or a shoe size last ("… in M", "… in 42"). */
const SIZE_IN = new RegExp(String.raw`\b(?:size|talla|talle)\b\s*:?\s*${SIZE_TOKEN}\b|\b(?:in|en)\s+(${SIZE_WORD})\b|\b(?:in|en)\s+([sml]|\d{2}(?:[.,]5)?)\b(?=\s*(?:please|pls|por favor)?\s*[.!?]*$)`);
const ADD_ALL = new RegExp(ADD.source, "g");
const SIZE_IN_ALL = new RegExp(SIZE_IN.source, "g");
/** A message's product words alone: "ok add the linen shirt in M" → "ok the linen shirt". */
const productWords = (s: string) => s.replace(ADD_ALL, " ").replace(SIZE_IN_ALL, " ");
/**
 * What `find` reads in the customer's recent messages (newest first, folded); looking back stops
 * at an earlier choice, whose size or colour was that product's.
 */
function lookBack<T>(said: string[], find: (f: string) => T | undefined): T | undefined {
	for (const text of said.slice(0, 4)) {
		const found = find(fold(text));
		if (found !== undefined) return found;
		if (endsLookBack(text, said)) return undefined;
	}
	return undefined;
}
/** "size 42", a bare "42" sent on its own, "do they come in 42?", "I'm usually a medium": the size, canonical. */
function sizeSaidIn(f: string): string | undefined {
	const named = sizeArg(f).size ?? BARE_SIZE.exec(f)?.[1] ?? sizeReferenced(f)?.size ?? USUAL_SIZE.exec(f)?.[1];
	return named ? canonicalSize(fold(named)) : undefined;
}
/** A size the customer gave while looking ("I need running shoes, size 42"), if the product comes in it. */
function rememberedSize(said: string[], sizes: string[]): string | null {
	const found = lookBack(said, f => {
		const named = sizeSaidIn(f);
		if (named) return sizeNamed(named, sizes);
		// "for a queen bed": a size that is a word is named without "size".
		return sizes.find(z => /^[a-z]{4,}$/i.test(z) && new RegExp(`\\b${fold(z)}\\b`).test(f));
	});
	return found ?? null;
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
function rememberedColour(said: string[], colours: string[]): string | null {
	const found = lookBack(said, f => {
		const named = parseProductQuery(f).color;
		return named ? (colourNamed(named, colours) ?? null) : undefined;
	});
	return found ?? null;
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
function coloursStillAsked(history: ChatMessage[]): BrainState["coloursAsked"] {
	const replies = history.filter(m => m.role === "assistant" && m.content).slice(-3).reverse();
	for (const [i, m] of replies.entries()) {
		const asked = askedColours(m.content ?? "");
		if (asked) return i === 0 ? asked : { ...asked, earlier: true };
	}
	return null;
}
/** A catalog colour as the customer may write it: its own name, or ours for it in Spanish ("verde oliva"). */
const colourSaid = (c: string): RegExp => new RegExp(`\\b(?:${[c, COLOURS_ES[fold(c)] ?? c].map(w => fold(w).replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("|")})\\b`, "g");
/** The one asked colour a message names: its own word ("plum"), or a colour that covers just one ("the grey one" for "charcoal"). */
function colourChosen(s: string, colours: string[]): string | undefined {
	const said = colours.filter(c => colourSaid(c).test(s));
	if (said.length === 1) return said[0];
	const named = parseProductQuery(s).color;
	return named ? colourNamed(named, colours) : undefined;
}
/** The shop's last words in the conversation (the AI's or a person's): what the customer answers. */
function lastReplyOf(history: ChatMessage[]): string {
	return [...history].reverse().find(m => m.role === "assistant" && m.content)?.content ?? "";
}
/** The quantity of a bare "add 2 of those" that the last reply asked to pin to a product. */
function askedQty(lastReply: string): number | undefined {
	const m = /^(?:Which one would you like (\d{1,2}) of\?|¿De cuál quieres (\d{1,2})\?)/.exec(lastReply);
	return m ? Number(m[1] ?? m[2]) : undefined;
}
/** The sizes the last reply asked the customer to choose from ("Which size would you like? S, M, L"). */
function askedSizes(lastReply: string): { sizes: string[]; of: string | null } | null {
	// The seller's console suggests "Which size would you like in the X? …" and "¿En qué talla quieres X? …".
	const m = /(?:Which size would you like(?: in (?:the )?([^?\n]+))?\?|which size of ([^?\n]+)\?|¿Qué talla quieres\?|¿qué talla de ([^?\n]+)\?|¿En qué (?:talla|tamaño) quieres ([^?\n]+)\?)\s*([^\n]+)$/m.exec(lastReply);
	return m ? { sizes: m[5]!.split(/,\s*/).map(x => x.trim()), of: m[1] ?? m[2] ?? m[3] ?? m[4] ?? null } : null;
}
/** The sizes a product's details in the last reply listed (" Sizes: S, M, L." ends their first line). */
function shownSizes(lastReply: string): string[] | null {
	const m = / (?:Sizes|Tallas): ([^\n]+)\.$/m.exec(lastReply.split("\n", 1)[0]!);
	return m ? m[1]!.split(/,\s*/).map(x => x.trim()) : null;
}
/** "The biggest one", "la más chica", "the bigger size": a size chosen by rank. */
const EXTREME_SIZE =
	/^\W*(?:(?:ok|okay|yes|sure|great|si|vale|bueno)\W+)?(?:(?:i'?ll take|i'?ll get|i want|i'?d like|give me|add|quiero|dame|me llevo|agrega|agregalo|ponlo) )?(?:(?:it|one|lo|la|uno|una) )?(?:in |en )?(?:the |el |la )?(?:talla |tamano |size )?(?:(biggest|largest|bigger|larger|mas grande)|(smallest|smaller|mas pequen[oa]|mas chic[oa]))(?: one| size| uno| una| talla| tamano)?(?: please| por favor)?\W*$/;
/**
 * "The biggest one", "la más chica": the largest or smallest of these sizes (listed smallest first);
 * "the bigger size" only of two.
 */
function extremeSize(s: string, sizes: string[]): string | null {
	const m = EXTREME_SIZE.exec(s);
	if (!m || !sizes.length || (/er$/.test(m[1] ?? m[2]!) && sizes.length > 2)) return null;
	const ordered = sizesSmallestFirst(sizes);
	return (m[1] ? ordered.at(-1) : ordered[0]) ?? null;
}
/** The one asked size a message names, whatever its words around it ("the 200x300 one", "king please"). */
function sizeNamed(s: string, sizes: string[]): string | null {
	const squash = (x: string) => fold(x).replace(/\s+|cm\b/g, "");
	// "I'm" and "it's" are one word each: their "m" and "s" are no sizes.
	const tokens = ` ${fold(s).replace(/([a-z])['’]([a-z])/g, "$1$2").replace(/[^a-z0-9.]+/g, " ")} `;
	// A word size must stand alone ("s" is not in "shoes"); one with figures may be written any way ("200 x 300").
	const hits = sizes.filter(z => tokens.includes(` ${fold(z).replace(/[^a-z0-9.]+/g, " ").trim()} `) || (/\d/.test(z) && squash(s).includes(squash(z))));
	return hits.length === 1 ? hits[0]! : null;
}
const SIZE_WORDS: Record<string, string> = { small: "S", pequena: "S", pequeno: "S", medium: "M", mediana: "M", mediano: "M", large: "L", grande: "L" };
/** As the catalog writes it: letter sizes in capitals, words as their letter, "42,5" as "42.5"; "king" and "200x300" as they are. */
const canonicalSize = (raw: string) => SIZE_WORDS[raw] ?? (/^x{0,3}[sml]$/.test(raw) ? raw.toUpperCase() : raw.replace(",", "."));
/**
 * Colour and shade names of the catalog that are no search colour: as filters they would catch
 * "face cream", "self tan" or a rose perfume, but "in tan", "the nude one" choose a variant.
 */
const VARIANT_COLOURS = "tan|cream|cognac|midnight|oatmeal|terracotta|brass|natural|ivory|rust|mustard|blush|graphite|stone|nude|plum|coral|berry|rose|light|medium";
/** "In tan", "the nude one": not "add the cream", which names a product. */
const VARIANT_COLOUR = new RegExp(String.raw`\b(?:in|en) (${VARIANT_COLOURS})\b|\b(?:the|el|la) (${VARIANT_COLOURS}) (?:one|shade)\b`);
/** A colour named beside an add ("add it in black", "the first one in pink", "in tan"): the colour it comes in is the tool's to check. */
function colourArg(s: string): { color?: string } {
	const variant = VARIANT_COLOUR.exec(s);
	const color = parseProductQuery(s).color ?? variant?.[1] ?? variant?.[2];
	return color ? { color } : {};
}
/** The size and colour an add names. */
const variantArgs = (s: string) => ({ ...sizeArg(s), ...colourArg(s) });
function sizeArg(s: string): { size?: string } {
	const m = SIZE_IN.exec(s);
	const raw = m?.[1] ?? m?.[2] ?? m?.[3];
	return raw ? { size: canonicalSize(raw) } : {};
}
/** A size named as one in a search ("size M", "talla 40"): other forms ("in large") may be no size. */
const SIZE_NAMED = new RegExp(String.raw`\b(?:size|talla|talle)\b\s*:?\s*${SIZE_TOKEN}\b`);
function searchSize(s: string): { size?: string } {
	const raw = SIZE_NAMED.exec(s)?.[1];
	return raw ? { size: canonicalSize(raw) } : {};
}
/** A cart line as the customer reads it: "Shirt Dress (M)". */
const lastLineOf = (state: BrainState) => state.cart.items.at(-1);

/** "Make it a 43", "change it to size M", "in L instead", "mejor en talla 40": another size for a line that has one. */
const SIZE_CHANGE = /\b(?:make (?:it|that|them|those)|change (?:it|that|them|the size)|switch|swap|exchange|instead|rather|actually|cambia\w*|mejor)\b/;
/** The size such a message names without "size" or "in": "make it 43", "change it to a M", "mejor la 40". */
const SIZE_AFTER_CHANGE = new RegExp(
	String.raw`\b(?:make (?:it|that|them|those)|change (?:it|that|them|the size)(?: to)?|switch(?: it| that)? to|swap(?: it| that)? for|actually|rather|mejor|cambia\w*(?: a| por)?|in|en)\s+(?:(?:a|an|the|la|el|una|un)\s+)?${SIZE_TOKEN}\b(?!\s*(?:pieces?|units?|of|x\b))`
);
/** How the reply to a size change says it: "undo" after it reads the line and both sizes back. */
const RESIZED_SAID = /^(?:Changed (.+) from size (.+?) to (.+?)|Cambié (.+) de talla (.+?) a (.+?)) 👌$/m;
/** A size or colour set on a line: "Linen Shirt in size M 👌", "Brass Desk Lamp in black 👌", "… in size 42, pink 👌". */
function sizedText(lang: Lang, name: string, size: string | undefined, color: string | undefined): string {
	const en = [size ? `size ${size}` : "", color ?? ""].filter(Boolean).join(", ");
	const es = [size ? `talla ${size}` : "", color ? colourIn("es", color) : ""].filter(Boolean).join(", ");
	return t(lang, `${name} in ${en} 👌`, `${name} en ${es} 👌`);
}
/** What an add asks next: the size still to choose, else the colour, else whether to go on. */
function choiceAsked(output: { sizeNeeded?: string[]; colourNeeded?: string[] }, lang: Lang): string {
	if (output.sizeNeeded?.length) return t(lang, `Which size would you like? ${sizesSmallestFirst(output.sizeNeeded).join(", ")}`, `¿Qué talla quieres? ${sizesSmallestFirst(output.sizeNeeded).join(", ")}`);
	if (output.colourNeeded?.length) return t(lang, `Which colour would you like? ${output.colourNeeded.join(", ")}`, `¿Qué color quieres? ${colourIn(lang, output.colourNeeded.join(", "))}`);
	return t(lang, "Keep shopping or check out?", "¿Seguimos mirando o finalizas la compra?");
}
/** Spelled out for `RESIZED_SAID` to read back. */
const resizedText = (lang: Lang, name: string, from: string, to: string) => t(lang, `Changed ${name} from size ${from} to ${to} 👌`, `Cambié ${name} de talla ${from} a ${to} 👌`);

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
function sizeChange(s: string, state: BrainState): Decision | null {
	// "Change the second one to M" names which; a bare "40" is no position here.
	if (state.awaitingConfirmation || (parsePosition(s) !== null && !BARE_SIZE.test(s))) return null;
	const sized = state.cart.items.filter(i => i.size !== undefined);
	const skus = new Set(sized.map(i => i.sku));
	const last = (keep: (i: (typeof sized)[number]) => boolean) => sized.filter(keep).at(-1);
	const line = state.focus ? last(i => i.sku === state.focus) : (last(i => state.justAdded?.includes(i.sku) ?? false) ?? (skus.size === 1 ? sized.at(-1) : undefined));
	if (!line?.size) return null;
	const explicit = SIZE_CHANGE.test(s) && !ADD.test(s);
	const named = explicit ? (sizeArg(s).size ?? SIZE_AFTER_CHANGE.exec(s)?.[1]) : state.justAdded?.includes(line.sku) ? BARE_SIZE.exec(s)?.[1] : undefined;
	if (!named) return null;
	const size = canonicalSize(named);
	if (/^\d+$/.test(size) && !SIZE_NAMED.test(s) && !numberIsSize(Number(size), line.size)) return null;
	if (sameSize(size, line.size)) return null;
	return { kind: "tool", name: "add_to_cart", args: { sku: line.sku, size, replacesSize: line.size }, intent: "add_to_cart" };
}

/** A cart line's own size and colour, to name that line again in a tool call. */
const variantOf = (i: { size?: string; color?: string }) => ({ ...(i.size ? { size: i.size } : {}), ...(i.color ? { color: i.color } : {}) });
const lineName = (i: { name: string; size?: string; color?: string }) => {
	const chosen = [i.size, i.color].filter(Boolean);
	return chosen.length ? `${i.name} (${chosen.join(", ")})` : i.name;
};

/** A question about a product's own traits: its colours, sizes, fabric. */
const ATTRIBUTE_QUESTION = /\b(colou?rs?|shades?|sizes?|size chart|fit|fits|material|fabric|made of|battery|battery life|compatible|compatibility|work with|works with|bateria|compatible con|funciona con|specs?|specifications?|refresh rate|resolution|hz|ram|memory|storage|processor|cpu|screen size|waterproof|impermeables?|resolucion|memoria|almacenamiento|procesador|dimensions?|measurements?|how (big|tall|wide|long|heavy)|how much (?:does|do) (?:it|they) (?:hold|contain)|weigh|weight|tallas?|colores?|tela|talle|de que (esta )?hecho|mide|miden|medidas?|tamano|pesa|cuanto pesa)\b/;
/** Words of an attribute question that name no product ("what colours does it come in?"). */
const ATTRIBUTE_WORDS = new Set(["colour", "color", "colore", "colores", "shade", "size", "chart", "fit", "material", "fabric", "made", "come", "battery", "last", "life", "compatible", "compatibility", "work", "bateria", "dura", "funciona", "spec", "specification", "refresh", "rate", "resolution", "hz", "ram", "memory", "storage", "processor", "cpu", "screen", "waterproof", "resolucion", "memoria", "almacenamiento", "procesador", "dimension", "measurement", "big", "tall", "wide", "long", "heavy", "weigh", "weight", "mide", "miden", "medida", "tamano", "pesa", "available", "option", "other", "another", "different", "bigger", "larger", "smaller", "longer", "shorter", "wider", "talla", "tela", "talle", "hecho", "viene", "vienen", "tiene", "tienen", "mas", "otra", "otro", "otras", "otros", "grande", "chica", "chico", "hold", "contain"]);
/** "What sizes do the jeans come in?" asks about jeans, not about the product in focus. */
function namesOtherProduct(s: string): boolean {
	return (parseProductQuery(s).query?.split(" ") ?? []).some(w => !ATTRIBUTE_WORDS.has(w));
}
/**
 * "What goes well with a white dress?": the product that something is to go with, when the
 * customer names it rather than pointing at the one in view ("with it"). Its words, or null.
 */
const GOES_WITH_NAMED = /\b(?:goes?|go|pairs?|wear|combina[rn]?|va[n]? bien|vaya[n]?) (?:well |nicely |best )?(?:with|con) (?:a |an |the |my |some |un |una |el |la |los |las |mi |mis |unos |unas )?((?!(?:it|them|this|that|these|those|this one|that one|eso|esto|esta|este|ese|esa|estos|estas|esos|esas|ello|ella|el|ellos|ellas)\b)[^?.!,]+)/;
const goesWithNamed = (s: string): ProductQuery | null => {
	const words = COMPLEMENT.test(s) ? GOES_WITH_NAMED.exec(s)?.[1] : undefined;
	const named = words ? parseProductQuery(words) : null;
	return named?.query ? named : null;
};
/**
 * "What shoes would go with it?", "¿qué bolso combina con esto?": the kind wanted to go with the
 * product in view (one named instead, "with a white dress", is `goesWithNamed`'s). Null for others.
 */
function wantedToGoWith(s: string): ProductQuery | null {
	if (!COMPLEMENT.test(s) || goesWithNamed(s)) return null;
	const wanted = parseProductQuery(productWords(s.replace(COMPLEMENT_G, " ")));
	return wanted.query ? wanted : null;
}
/** "How much is the linen shirt?" names a product beside the words `re` matches; "how much is it?" does not. */
const namesOtherThan = (s: string, re: RegExp) => namesOtherProduct(s.replace(new RegExp(re.source, "g"), " "));
/** A question whose subject is "it": the product in focus. */
const IT_QUESTION = /^[¿¡\s]*(?:and |so |but |ok )?(?:is|does|can|will|would|has|did) (?:it|this|that one|this one)\b|^[¿¡\s]*(?:y |pero )?(?:es para|es de(?! que)|es buen[oa] (?:para|con|en)|sirve (?:para|en|con)|funciona (?:en|con|para)|viene con|trae|incluye|de que (?:se )?trata|de que va)\b/;
/**
 * "¿Tiene luz cálida?" asks about the product too, but "¿tiene chaquetas negras?" asks the shop
 * (usted): a product noun makes it a search.
 */
const IT_HAS_ES = /^[¿¡\s]*(?:y |pero )?(?:tiene|lleva|es|esta)\b(?! (?:un|una|el|la|que|para|demasiado|muy|mucho|caro|cara|barato|barata)\b)/;
/** "Are they waterproof?", "¿son impermeables?": about the products listed, all of them. */
const THEY_QUESTION = /^[¿¡\s]*(?:and |so |but |ok )?(?:are|do|will|can|would|did) (?:they|these|those|all of them)\b|^[¿¡\s]*(?:y |pero )?(?:(?:son|sirven|vienen|traen|incluyen) |(?:cuanto )?duran\b|(?:los|las) (?:tienes|tienen|tiene|manejas|manejan)\b)/;
/**
 * "What thread count is it?", "which brand are they?", "¿qué marca es?": an attribute of the product
 * in view, asked by a name we may have no field for. The words between say which.
 */
const WHAT_OF_IT = /^[¿¡\s]*(?:and |so |but |ok )?(?:what|which) ([a-z][a-z -]*?) (?:is|are|does|do|has|have) (?:it|they|this|that|these|those)(?: ones?)?(?: (?:have|has|use|come with|got))?\b[\s?.!]*$|^[¿¡\s]*(?:y )?(?:de )?(?:que|cual(?:es)?) ([a-z][a-z ]*?) (?:es|son|tiene|tienen|usa|usan)[\s?.!]*$|^[¿¡\s]*(?:and |so |ok )?(?:what|which) (?!about\b)([a-z]+(?: [a-z]+)?)[\s?.!]*$/;
const NOT_AN_ATTRIBUTE = new Set(["else", "tal", "one", "ones", "size"]);
/**
 * "Does the ProBook 16 have a backlit keyboard?", "how much RAM does the AirBook 13 have?", "¿la
 * chaqueta de cuero tiene bolsillos?": a product named, then asked about. The name is what to look
 * up; `itForm` is the same question about "it", which the product's details then answer.
 */
const NAMED_HAS = /^[¿¡\s]*(?:and |so |but |ok )?(does|do|will|would|did) (?:the|your|this|that|these|those) ([a-z0-9][a-z0-9 '&-]*?) (have|has|come with|include|got)\b/;
const NAMED_HOW = /^[¿¡\s]*(?:and |so |but |ok )?(how much|how many|what|which) ([a-z][a-z ]*?) (does|do) (?:the|your|this|that|these|those) ([a-z0-9][a-z0-9 '&-]*?) (have|come with|include|use|got)\b/;
const NAMED_HAS_ES = /^[¿¡\s]*(?:y |pero )?(?:el|la|los|las|tu|su) ([a-z0-9][a-z0-9 -]*?) (tiene|tienen|viene con|vienen con|trae|traen|incluye|incluyen)\b/;
const NAMED_HOW_ES = /^[¿¡\s]*(?:y )?((?:cuant[oa]s?|que|cual(?:es)?) [a-z][a-z ]*?) (tiene|tienen|trae|traen|usa|usan) (?:el|la|los|las|tu|su) ([a-z0-9][a-z0-9 -]*?)\W*$/;
/**
 * "Is the denim jacket warm?", "are the hiking boots good for snow?": the name, then one property
 * word (or "good for …"). Not availability, price or a place ("is the jacket in stock?", "on sale?"):
 * those are other questions, whose words must not be taken for a name and a property.
 */
const NAMED_IS = /^[¿¡\s]*(?:and |so |but |ok )?(?:is|are) (?:the|your|this|that|these|those) ([a-z0-9][a-z0-9 '&-]*?) ((?:really |very |actually )?(?:(?:good|suitable|ok|okay|safe|comfortable|warm enough) for [a-z0-9 ]+|[a-z]+))[\s?.!]*$/;
const NOT_A_PROPERTY = /^(?:available|true|final|stock|sale|discounted|cheap|cheaper|expensive|free|new|there|here|back|sold|out|ready|shipped|delivered|coming|arriving|returnable|refundable|mine|it|them|one|ones|too|yet|now|left)$/;
const NAME_ENDS_BADLY = /\b(?:in|on|for|with|at|to|of|by|from|still|also|available|a|an|the|it|any|more|much|many)$/;
/** "The first one", "the denim one": a product on the list pointed at, not named. */
const POINTS_AT_LIST = /^(?:first|second|third|fourth|fifth|last|other|next|previous)\b|\bones?\b/;
function namedIs(s: string): { name: string; itForm: string } | null {
	const m = NAMED_IS.exec(s);
	if (!m || NAME_ENDS_BADLY.test(m[1]!) || POINTS_AT_LIST.test(m[1]!) || NOT_A_PROPERTY.test(m[2]!)) return null;
	return { name: m[1]!, itForm: `is it ${m[2]}?` };
}
/** "Is the linen shirt true to size?", "how does the denim jacket fit?", "¿la chaqueta de cuero talla grande?". */
const NAMED_FIT = /^[¿¡\s]*(?:and |so |but |ok )?(is|are|does|do|how does|how do|will|would|el|la|los|las)\s+(?:(?:the|your|this|that|these|those)\s+)?([a-z0-9][a-z0-9 '&-]*?)\s+(?=true to size|run|runs|fit|fits|talla|queda|quedan|calza|calzan|viene|vienen)/;
function namedFit(s: string): { name: string; itForm: string } | null {
	const m = NAMED_FIT.exec(s);
	if (!m || !FIT_ASKED.test(s) || NAME_ENDS_BADLY.test(m[2]!) || POINTS_AT_LIST.test(m[2]!) || /^(?:it|they|this|that|these|those|this one|that one)$/.test(m[2]!)) return null;
	const it = /^(?:are|do|how do|los|las)$/.test(m[1]!) ? "they" : "it";
	return { name: m[2]!, itForm: `${/^(?:el|la|los|las)$/.test(m[1]!) ? "" : `${m[1]} ${it} `}${s.slice(m[0].length)}` };
}
function namedQuestion(s: string): { query: ProductQuery; itForm: string } | null {
	let m: RegExpExecArray | null;
	let name: string;
	let itForm: string;
	let is: ReturnType<typeof namedIs>;
	let fit: ReturnType<typeof namedFit>;
	if ((fit = namedFit(s))) ({ name, itForm } = fit);
	else if ((m = NAMED_HAS.exec(s))) [name, itForm] = [m[2]!, `${m[1]} it ${m[3]}${s.slice(m[0].length)}`];
	else if ((is = namedIs(s))) ({ name, itForm } = is);
	else if ((m = NAMED_HOW.exec(s))) [name, itForm] = [m[4]!, `${m[1]} ${m[2]} ${m[3]} it ${m[5]}${s.slice(m[0].length)}`];
	else if ((m = NAMED_HAS_ES.exec(s))) [name, itForm] = [m[1]!, `${m[2]}${s.slice(m[0].length)}`];
	else if ((m = NAMED_HOW_ES.exec(s))) [name, itForm] = [m[3]!, `${m[1]} ${m[2]}?`];
	else return null;
	const query = parseProductQuery(productWords(name));
	return query.query ? { query, itForm } : null;
}
/** The start of a question about "it" ("does it", "¿tiene") or, after a list, about "them"; null for others. */
function itQuestion(s: string): RegExpExecArray | null {
	return IT_QUESTION.exec(s) ?? THEY_QUESTION.exec(s) ?? (s.split(/[^a-z0-9]+/).some(w => lookupEs(NOUNS_ES, w)) ? null : IT_HAS_ES.exec(s) ?? whatOfIt(s));
}
/** The attribute words of a `WHAT_OF_IT` question ("thread count"), as the match's last group; null for other messages. */
function whatOfIt(s: string): RegExpExecArray | null {
	const m = WHAT_OF_IT.exec(s);
	const words = attributeWords(m);
	return m && words && !words.split(" ").some(w => NOT_AN_ATTRIBUTE.has(w)) ? m : null;
}
const attributeWords = (m: RegExpExecArray | null): string | undefined => m?.[1] ?? m?.[2] ?? m?.[3];

/**
 * A game's age rating or platforms, asked in the customer's words ("how old do you have to be?",
 * "is it for ps5?"), as the answer's first line; null when the question or the product has neither.
 */
function gameAnswer(p: ProductOut, asked: string, lang: Lang, age?: number): string | null {
	const rating = p.attributes?.rating;
	// "Is it ok for my 10-year-old?" of a controller: gaming gear carries no rating, so no age bars it.
	if (!rating && isGamingGear(p) && AGE_ASKED.test(asked))
		return age === undefined
			? t(lang, "It has no age rating — only games carry one.", "No tiene clasificación por edad — solo los juegos la llevan.")
			: t(lang, `It has no age rating — only games carry one — so it suits a ${age}-year-old.`, `No tiene clasificación por edad (solo los juegos la llevan), así que es apto para ${age} años.`);
	if (rating && AGE_ASKED.test(asked)) {
		const meaning = RATINGS[rating.toUpperCase()];
		const said = t(lang, `It's rated ${rating}${meaning ? ` — ${meaning[0]}` : ""}`, `Tiene clasificación ${rating}${meaning ? ` — ${meaning[1]}` : ""}`);
		// "Is it ok for my 10-year-old?": the rating said against that age.
		if (age === undefined || ratingMinimumAge(rating) === undefined) return `${said}.`;
		return suitsAge(p.attributes, age)
			? t(lang, `${said}, so it suits a ${age}-year-old.`, `${said}, así que es apto para ${age} años.`)
			: t(lang, `${said}, so it's for players older than ${age}.`, `${said}, así que no es apto para ${age} años.`);
	}
	const platforms = p.attributes?.platform?.split(/\s*,\s*/);
	const wanted = platforms ? PLATFORM_ASKED.exec(asked)?.[1]?.trim() : undefined;
	if (!platforms || !wanted) return null;
	const key = (x: string) => fold(x).replace(/[^a-z0-9]/g, "");
	const match = platforms.find(pl => key(pl) === key(wanted));
	// "Is it good for beginners?" names no platform: not this answer.
	if (!match && !KNOWN_PLATFORMS.test(key(wanted))) return null;
	const list = joinWith(platforms, t(lang, "and", "y"));
	return match ? t(lang, `Yes, it's for ${match}.`, `Sí, es para ${match}.`) : t(lang, `It's for ${list} — not ${wanted}, I'm afraid.`, `Es para ${list} — no para ${wanted}, lo siento.`);
}

/**
 * The attribute a `WHAT_OF_IT` question names, as the product states it: "what layout is it?" →
 * ["layout", "US"], "which switches do they have?" → ["switches", "blue clicky"]; null when the
 * product has no attribute of that name.
 */
function attributeOf(p: ProductOut, asked: string): [label: string, value: string] | null {
	// The colours are the product's own field, not one of its attributes.
	if (COLOURS_ASKED.test(asked) && !parseProductQuery(asked).color) return p.color ? ["colours", p.color] : null;
	const ranked = rankedAttribute(asked);
	// "¿Cuál es el más grande?" reads as "what's its 'más grande'" too: the size wins.
	if (ranked?.bySize || HOW_BIG.test(asked)) {
		const name = SIZE_ATTRIBUTES.find(a => typeof p.attributes?.[a] === "string" && specFigures(p.attributes[a]!).length > 0);
		return name ? [name, p.attributes![name]!] : null;
	}
	const words = attributeWords(whatOfIt(asked)) ?? attributeAsked(asked) ?? ranked?.words;
	if (!words) return null;
	const wanted = attributeKey(words);
	const named = Object.hasOwn(ATTRIBUTE_NAMES, wanted) ? ATTRIBUTE_NAMES[wanted] : undefined;
	for (const [name, value] of Object.entries(p.attributes ?? {})) {
		const label = name.replace(/([a-z])([A-Z])/g, "$1 $2").toLowerCase();
		if (attributeKey(label) === wanted || attributeKey(label) === named) return [ACRONYMS.has(label) ? label.toUpperCase() : label, value];
	}
	return null;
}

/**
 * "What's the refresh rate?", "how much storage does it have?", "how heavy is it?", "¿cuánta
 * memoria tiene?", "¿cuál es la resolución?": the attribute words of a question about the product
 * in view that the `WHAT_OF_IT` forms do not cover; undefined for other messages. Only a product
 * that has an attribute of that name answers from it, so "how much is it?" stays a price question.
 */
function attributeAsked(s: string): string | undefined {
	const m = ATTRIBUTE_ASKED.exec(s.trim());
	if (!m) return undefined;
	const words = m[1] ?? m[2] ?? m[3] ?? m[4] ?? m[5] ?? m[6];
	if (words && !/^(?:it|they|this|that|this one|that one)$/.test(words)) return words;
	return m[7] ? DIMENSION_OF[m[7]] : undefined;
}
const ATTRIBUTE_ASKED = new RegExp(
	[
		/^[¿¡\s]*(?:and |so |ok )?(?:what'?s|what is|whats) (?:the |its |it's )([a-z][a-z ]*?)(?: (?:of|on|in) (?:it|this|that|them|(?:the |this |that )?[a-z]+ one))?[\s?.!]*$/.source,
		/^[¿¡\s]*(?:and |so |ok )?how (?:much|many) ([a-z][a-z ]*?) (?:does|do) (?:it|they|this|that|the [a-z]+)(?: one)? (?:have|has|got|come with)[\s?.!]*$/.source,
		/^[¿¡\s]*(?:y )?(?:cuanta|cuanto|cuantas|cuantos) ([a-z]+(?: [a-z]+)?) (?:tiene|tienen|trae|traen)(?: (?:el|la) [a-z]+)?[\s?.!]*$/.source,
		/^[¿¡\s]*(?:y )?(?:cual|como) es (?:la |el |su )([a-z]+(?: [a-z]+)?)[\s?.!]*$/.source,
		// "How long does the battery last?", "¿cuánto dura la batería?": the battery, however it is put.
		/^[¿¡\s]*(?:and |so |ok )?how long (?:does|do|will|would) (?:the |its |their |it'?s )?(battery)(?: life)? last(?: (?:on|in|of) (?:it|them|this|that|these|those|each))?[\s?.!]*$/.source,
		/^[¿¡\s]*(?:y )?(?:cuanto|que tanto) (?:dura|duran|le dura|les dura) (?:la |su )?(bateria)[\s?.!]*$/.source,
		/^[¿¡\s]*(?:and |so |ok )?how (heavy|wide|tall|high|deep) (?:is|are) (?:it|they|this|that)(?: one)?[\s?.!]*$/.source
	].join("|")
);
/**
 * An `attributeAsked` question whose words name an attribute products have: before the product
 * is fetched, only these are sure not to be something else ("what's the cheapest?").
 */
function knownAttributeAsked(s: string): boolean {
	const words = attributeAsked(s);
	if (!words) return false;
	const key = attributeKey(words);
	return Object.hasOwn(ATTRIBUTE_NAMES, key) || isKnownAttribute(key);
}
/** An attribute's name or the customer's words for it, compared word by word in the singular. */
const attributeKey = (text: string) => text.split(/[^a-z0-9]+/).filter(Boolean).map(singular).join(" ");
/** Attribute names the catalog's products carry (data/catalog.json). */
const KNOWN_ATTRIBUTES = [
	"material", "storage", "screen", "platform", "skin type", "connection", "compatibility", "shades", "battery", "resolution", "layout", "switches", "dpi",
	"cpu", "ram", "genre", "rating", "capacity", "camera", "width", "height", "depth", "weight", "bulb", "burn time", "wax", "hair type", "finish", "notes",
	"refresh rate", "panel", "water resistance", "spf", "scent", "max weight"
];
let knownAttributeKeys: Set<string> | undefined;
/** Keyed on first use: `singular` needs tables defined further down. */
const isKnownAttribute = (key: string) => (knownAttributeKeys ??= new Set(KNOWN_ATTRIBUTES.map(attributeKey))).has(key);
/** A message that asks for a product in so many words: finding nothing for it is an answer, not a misunderstanding. */
const PRODUCT_ASKED = /\b(?:i (?:also |really )?(?:need|want)|i'?m (?:looking|searching) for|looking for|do you (?:have|sell|carry|stock)|have you got|got any|show me|find me|busco|estoy buscando|necesito|tienes|tienen|venden|me muestras)\b/;

/** "What colours does it come in?", "¿en qué colores viene?": the list of them, no colour named. */
const COLOURS_ASKED = /\b(?:what|which|other|more|any) (?:colou?rs?|shades?)\b|\b(?:colou?rs?|shades?) (?:does|do|is|are|can|it|they|available|options?|choices?)\b|\b(?:colou?r|shade) options?\b|\bin (?:other|different|more) (?:colou?rs|shades)\b|\b(?:que|cuales|en que) tonos\b|\b(?:que|cuales|en que|otros|mas) colores\b|\bcolores (?:tiene|hay|viene|vienen|disponibles)\b/;

/** An attribute's name in the customer's language (the catalog names them in English). */
const labelIn = (lang: Lang, label: string): string => (lang === "es" ? (LABELS_ES[label] ?? label) : label);
const LABELS_ES: Record<string, string> = {
	screen: "pantalla",
	storage: "almacenamiento",
	battery: "batería",
	weight: "peso",
	width: "ancho",
	height: "alto",
	capacity: "capacidad",
	size: "tamaño",
	colours: "colores",
	resolution: "resolución",
	camera: "cámara",
	platform: "plataforma",
	genre: "género",
	rating: "clasificación",
	layout: "distribución",
	connection: "conexión",
	compatibility: "compatibilidad",
	"refresh rate": "frecuencia",
	"skin type": "tipo de piel",
	"hair type": "tipo de cabello",
	finish: "acabado",
	scent: "aroma",
	"burn time": "duración",
	wax: "cera",
	"water resistance": "resistencia al agua",
	shades: "tonos",
	notes: "notas",
	CPU: "procesador"
};
/** Attribute names said in capitals: "RAM: 16 GB", not "Ram". */
const ACRONYMS = new Set(["ram", "cpu", "dpi", "spf", "ssd", "hdd", "gpu"]);
/** "How heavy is it?": the attribute a dimension's adjective asks for. */
const DIMENSION_OF: Record<string, string> = { heavy: "weight", wide: "width", tall: "height", high: "height", deep: "depth" };
/** The customer's word for an attribute → the catalog's name for it (as `attributeOf` keys it). */
const ATTRIBUTE_NAMES: Record<string, string> = {
	memory: "ram",
	memoria: "ram",
	plataforma: "platform",
	processor: "cpu",
	procesador: "cpu",
	chip: "cpu",
	space: "storage",
	ssd: "storage",
	disk: "storage",
	"hard drive": "storage",
	almacenamiento: "storage",
	"screen size": "screen",
	display: "screen",
	pantalla: "screen",
	"battery life": "battery",
	bateria: "battery",
	autonomia: "battery",
	peso: "weight",
	ancho: "width",
	alto: "height",
	capacidad: "capacity",
	resolucion: "resolution",
	camara: "camera",
	"polling rate": "refresh rate",
	fabric: "material",
	tela: "material"
};
/** "What can you do?", "how does this work?", "¿qué puedes hacer?": what the chat is for. */
const HELP_ASKED = /\b(what (?:can|do) you do|what are you for|how does (?:this|it) work|what can i (?:ask|do) here|help|que puedes hacer|que haces|como funciona(?: esto)?|ayuda)\b/;
/** "???", "huh?", "what?", "no entiendo": the customer did not follow the last reply. */
const CONFUSED = /^\W*(?:\?+|huh|eh|wut|what|what\?+|que|como|no entiendo|no te entiendo|i don'?t (?:understand|get it)|what do you mean|como asi)\W*$/;
/**
 * "Something with a good camera", "which has the best screen?", "which one has the most RAM?",
 * "con buena cámara", "¿cuál tiene más memoria?": an attribute to compare the listed by, the biggest first.
 */
const GOOD_ATTRIBUTE = /\b(?:with|has|have|that has|con|que tenga|(?:cual|que) tienen?) (?:a |an |the |el |la )?(?:good|great|better|best|nice|big|bigger|biggest|large|larger|largest|long|longer|longest|lots of|more|most|highest|buena|buen|mejor|gran|mas|mayor) ([a-z]+(?: (?:rate|life|size|count))?)\b/;
/** "Which has the smallest screen?", "¿cuál tiene menos peso?": the same, the smallest first. */
const SMALL_ATTRIBUTE = /\b(?:with|has|have|that has|con|que tenga|(?:cual|que) tienen?) (?:a |an |the |el |la )?(?:small|smaller|smallest|least|lowest|shortest|fewest|menos|menor) ([a-z]+(?: (?:rate|life|size|count))?)\b/;
/** "Which one is the smallest?", "¿cuál es el más grande?": a size, with no attribute named. */
const SIZE_RANKED = /\bwhich(?: one)?(?: is|'s| are) (?:the )?(smallest|biggest|largest|widest|narrowest|most compact)\b|\bcual (?:es )?(?:el|la) mas (grande|pequen[oa]|chic[oa]|compact[oa]|anch[oa])\b/;
/** What a product's size is measured by, first found first: a screen's diagonal, a piece's width, a bottle's size. */
const SIZE_ATTRIBUTES = ["screen", "width", "size", "capacity"];
/** The attribute words of a GOOD_ATTRIBUTE, SMALL_ATTRIBUTE or SIZE_RANKED question, and which end of it is wanted. */
function rankedAttribute(s: string): { words: string; smallest: boolean; bySize?: true } | undefined {
	const big = GOOD_ATTRIBUTE.exec(s);
	if (big) return { words: big[1]!, smallest: false };
	const small = SMALL_ATTRIBUTE.exec(s);
	if (small) return { words: small[1]!, smallest: true };
	const sized = SIZE_RANKED.exec(s);
	return sized ? { words: "size", smallest: /smallest|narrowest|compact|pequen|chic/.test(sized[0]), bySize: true } : undefined;
}
/** The question after an "add it" said again right after the add. */
const ONE_MORE_ASKED = /(?:is already in your cart|ya está en tu carrito) \(\d+×\) — (?:want one more|¿quieres uno más)\?$/;
/** What follows "add it" that is another product: "add it. Also a gift card", "…and a mouse too". */
const ALSO = /(?:^|[.,;!]\s*|\s)(?:and also|also|plus|and|as well as|y tambien|tambien|ademas|y)\s+(?=(?:a|an|one|some|the|un|una|unos|unas|el|la)\s)/;
/** More of a product already in the cart: "another", "one more", "again". */
const ANOTHER = /\b(another|one more|again|too|as well|otro|otra|uno mas|una mas|otra vez)\b/;
/** A message that only asks for another of the same: "one more please", "another one", "otra más". */
const ONE_MORE_ONLY = /^\W*(?:and |y |ok |okay |vale )?(?:one more|another(?: one)?|uno mas|una mas|otro mas|otra mas)(?: (?:of (?:it|those|that|them|these)|please|pls|thanks|por favor|de ese|de esa|de esos|de esas))*\W*$/;
/** "add it", "I'll take it", "lo quiero", "me lo llevo": the product in focus. */
const ADD_IT = /\b(add (it|this|that)|i'?ll take (it|this|that)|take it(?! (?:back|off|out)\b)|i want (it|this|that)|i'?ll get it|buy it|get it|(?<!no )l[oa] quiero|me lo llevo|me la llevo|agregalo|agregala|anadelo|anadela|lo llevo|la llevo|quiero (ese|esa|este|esta))\b/;
const ADD_IT_ALL = new RegExp(ADD_IT.source, "g");

/** A link: we cannot open it, and its words ("https", "com") are no product. */
const LINK = /\bhttps?:\/\/\S+|\bwww\.\S+/i;
const LINK_G = new RegExp(LINK.source, "g");
/** Where the shop is, when it opens, how to reach it: facts no tool has. */
const STORE_INFO = /\bphysical (?:store|shop|location)s?\b|\bbrick and mortar\b|\b(?:visit|come to|go to|come by) (?:your|the) (?:store|shop)\b|\btienda fisica\b|\b(?:tienen|tienes) (?:una )?(?:tienda|local)\b|\b(?:store|shop|tienda|local)\b.*\b(?:located|location|address|hours|open|direccion|ubicad[oa]|horarios?|abre|abren)\b|\bwhere (?:are you|is your (?:store|shop))\b|\b(?:opening|business|store|shop) hours\b|\bare you open\b|\bwhat time do you (?:open|close)\b|\bdonde (?:estan|quedan|queda la tienda|esta la tienda|tienen (?:la )?tienda)\b|\b(?:que )?horarios?\b|\ba que hora (?:abren|cierran)\b|\b(?:your|su|tu) (?:phone number|email|e-mail|telefono|correo)\b|\bwhat'?s your (?:phone|number|email)\b/;
/** "How old do you have to be to play it?", "is it ok for kids?", "¿para qué edad es?": its age rating. */
const AGE_ASKED = /\bhow old(?: (?:do|does|must|should) (?:you|i|one|they|he|she|my (?:son|daughter|kid)) (?:have to |need to )?be(?: to (?:play|use|watch) (?:it|this|that|them))?)?\b|\b(?:what|which) age\b|\bage (?:rating|limit|range)\b|\b(?:pegi|esrb)\b|\b(?:ok|okay|good|suitable|safe|fine|appropriate|alright|right) for (?:kids|children|a child|my (?:son|daughter|kid|kids)|(?:his|her|their|your) age|(?:a|an|my|his|her) \d{1,2}[ -]?(?:(?:years?|yrs?)[ -]?olds?|y\/?o)(?: (?:son|daughter|kid|boy|girl|child))?)\b|\bque edad\b|\bpara (?:que|cual) edad\b|\bapt[oa]s? para (?:ninos|menores|su edad|(?:un nino|una nina|alguien|mi hij[oa]) de \d{1,2} anos)\b|\b(?:apropiad|adecuad)[oa]s? para (?:su edad|(?:un nino|una nina|alguien|mi hij[oa]) de \d{1,2} anos)\b/;
/** What the ratings a game's `rating` attribute holds mean (ESRB's letters). */
const RATINGS: Record<string, [string, string]> = {
	E: ["Everyone", "para todos"],
	E10: ["Everyone 10 and up", "de 10 años en adelante"],
	"E10+": ["Everyone 10 and up", "de 10 años en adelante"],
	T: ["Teen, 13 and up", "adolescentes, de 13 años en adelante"],
	M: ["Mature, 17 and up", "adultos, de 17 años en adelante"],
	AO: ["Adults only, 18 and up", "solo adultos, de 18 años en adelante"]
};
/** Platforms a customer may name that the shop may not sell for, as `gameAnswer` compares them (letters and figures only). */
const KNOWN_PLATFORMS = /^(?:ps\d|playstation\d?|xbox(?:one|seriesx|seriess|series)?|x?box|switch|nintendoswitch|switch2|nintendo|pc|mac|steam|steamdeck|windows|ios|android|iphone|ipad|wii|3ds)$/;
/** "Is it available for ps5?", "does it run on the Switchblade?", "¿es para Nexus?": the platform asked about. */
const PLATFORM_ASKED = /\b(?:available (?:for|on)|out (?:for|on)|play(?:able)? (?:it )?on|runs? on|works? (?:on|with)|compatible with|for|on|para|en)\s+(?:the\s+|el\s+|la\s+)?([a-z0-9][a-z0-9 ]{0,20}?)\s*[?.!]*$/;

/** Directions for use, which no product's details carry. */
/**
 * "Is it true to size?", "do they run small?", "what size should I get?", "¿qué talla me
 * recomiendas?": how a garment or shoe fits, which its details may say ("relaxed fit") and its
 * sizes answer the rest of.
 */
const FIT_ASKED = /\b(?:true to size|(?:run|runs|running|fit|fits) (?:a (?:bit|little|size) |too )?(?:small|large|big|narrow|wide|tight|loose|true)|size (?:up|down)|(?:what|which) size (?:should|do|would|shall|will|must) (?:i|we)|(?:what|which) size (?:would|do) you (?:recommend|suggest)|how (?:does|do|will|would) (?:it|they|this|that|this one|that one|these|those|the [a-z0-9' -]{2,40}?) fit(?=[\s?.!]*$)|how (?:is|are) the (?:fit|sizing)|what(?:'?s| is) the (?:fit|sizing) like|sizing|size (?:guide|chart)|(?:talla|talle|horma) (?:normal|real|grande|pequena|chica)|(?:queda|quedan|calza|calzan|viene|vienen) (?:grande|pequen[oa]s?|chic[oa]s?|justo|justa|holgad[oa]s?|ajustad[oa]s?)|que talla (?:me )?(?:recomiendas|recomiendan|pido|elijo|compro|tomo|uso|llevo)|como (?:me |te |le )?(?:queda|quedan|calza|calzan)(?=[\s?.!]*$)|horma)\b/;
/** The size a customer says they wear: "I'm usually a medium", "I wear M", "normalmente uso la L". */
const USUAL_SIZE = new RegExp(String.raw`\b(?:i'?m|i am|i wear|i take|i get|i'?m usually|usually|normally|soy|uso|llevo|calzo)\s+(?:(?:usually|normally|always|generally|normalmente|siempre)\s+)?(?:(?:wear|take|get|uso|llevo|calzo)\s+)?(?:(?:a|an|un|una|la|el)\s+)?(?:(?:size|talla|talle)\s+)?${SIZE_TOKEN}\b(?! ?x)(?!\s*(?:years?|yrs?|anos|kg|kilos?|lbs?|pounds|cm|inch))`);
const USUAL_SIZE_ALL = new RegExp(USUAL_SIZE.source, "g");
/** How a garment is cut, as its details may say it. */
const FIT_STATED = /\b(?:(?:relaxed|slim|regular|tailored|boxy|loose|skinny|straight|athletic|classic|comfort|easy|wide|cropped|oversized)[- ](?:fit|cut|leg)|oversized|fitted|cropped|true to size|runs? (?:small|large|big|true)|pre-?shrunk|stretchy|stretch)\b/i;
const HOW_TO_USE = /\bhow (?:do|should|can|would|to) (?:i |you |we )?(?:use|apply|wear|wash|clean|care for|install|set (?:it |them )?up)\b|\bcomo (?:se )?(?:usa|uso|lo uso|la uso|aplica|aplico|lo aplico|lava|lavo|instala|instalo)\b/;
/** A present for someone: with no product named, our picks; with one, that product. */
const FOR_SOMEONE = /\b(gifts?(?! ?cards?\b)|present|regalos?|para regalar)\b|\bfor (?:my|a|her|his|our) (?:mom|mum|mother|dad|father|sister|brother|daughter|son|wife|husband|boyfriend|girlfriend|friend|partner|grandma|grandpa|niece|nephew|kids?)\b|\bpara (?:mi|un|una|su) (?:mama|papa|madre|padre|hermana|hermano|hija|hijo|esposa|esposo|novia|novio|amiga|amigo|abuela|abuelo)\b/;
/** The same, to take out of what is searched for (a regex built once: it runs on most turns). */
const FOR_SOMEONE_G = new RegExp(FOR_SOMEONE.source, "g");
/**
 * "I'm moving into a new flat", "me mudo a un piso nuevo": news, not a product's name. Alone it
 * gets our picks for a new home; with a product ("a sofa for my new flat") the product is searched.
 */
const NEW_HOME = /\b(?:(?:just )?mov(?:ing|ed) (?:in(?:to)?|house|home)\b|(?:a |my |our )?new (?:flat|apartment|apt|home|house|place)|(?:me |nos )?(?:mudo|mude|mudamos|estoy mudando|estamos mudando)|mudanza|(?:(?:mi|un|una|nuestra|nuestro) )?(?:(?:nuevo|nueva) (?:piso|departamento|depto|apartamento|casa|hogar)|(?:piso|departamento|depto|apartamento|casa|hogar) (?:nuevo|nueva)))\b/;
const NEW_HOME_G = new RegExp(NEW_HOME.source, "g");

const DEALS = /\b(deals?|offers?|promos?|promotions?|discounts?|sales?|coupons?|codes?|ofertas?|promociones?|descuentos?|rebajas?|cupon(es)?)\b/;
const BOT_QUESTION = /\b(are you (a |an )?(bot|robot|ai|machine|human|real person|real)|is this (a |an )?(bot|robot|ai|automated|machine)|am i (talking|speaking|chatting) (to|with) (a |an )?(bot|robot|ai|machine|human|real person|person)|(eres|sos) (un |una )?(bot|robot|ia|maquina|humano|humana|persona real)|es un bot|hablo con (un |una )?(bot|robot|maquina|humano|persona))\b/;
/**
 * A service done to a product ("can I get it assembled?", "do you offer installation?", "¿me lo
 * arman?"), which no tool of ours arranges. Not the product's own state ("does it come
 * assembled?", "does it need assembly?"): its details answer that.
 */
const SERVICE_ASKED = /\b(?:can|could|will|would) (?:you|u|they|i|we|someone)\b(?: [a-z']+){0,3}? (?:assemble|install|engrave|personali[sz]e|monogram|hem|alter|set up|shorten|tailor|take (?:it|them|this|these) (?:in|up)|let (?:it|them|this|these) out)\b|\b(?:get|have) (?:it|them|this|that|one|the [a-z ]{2,30}?) (?:assembled|installed|engraved|personali[sz]ed|monogrammed|hemmed|altered|set up)\b|\b(?:do|does) (?:you|u|they|your team)(?: also)? (?:offer|do|provide|include)\b.{0,20}\b(?:assembly|installation|engraving|personali[sz]ation|monogramming|alterations?|hemming)\b|\b(?:assembly|installation|engraving|personali[sz]ation|alterations?) (?:service|included|available|option)s?\b|\b(?:me )?(?:lo|la|los|las) (?:arman|montan|instalan|graban|personalizan)\b|\b(?:servicio de|ofrecen|hacen) (?:montaje|armado|instalacion|grabado|arreglos|ajustes)\b/;
const PRODUCT_STATE_ASKED = /\b(?:need|needs|require|requires|come|comes|arrive|arrives|ship|ships|shipped|delivered|easy to|hard to|difficult to|viene|vienen|llega|llegan|necesita|necesitan)\b/;
const GIFT_WRAP = /\b(gift ?wrap(ped|ping)?|wrap (it|them) (up )?(as a gift|for a gift)|gift (note|message|card message)|envolver(lo|la|los|las)? (para|de) regalo|envoltorio|papel de regalo)\b/;
/** A discount asked for by its size ("give me 90% off", "hazme un 50% de descuento"), not one of ours by its code. */
const DISCOUNT_DEMAND = /\b\d{1,3}\s*%\s*(off|discount|descuento|de descuento)\b|\b(give|gimme|want|need) (me )?(a |an |some )?(discount|deal|cheaper price)\b|\b(hazme|dame|quiero) (un )?(descuento|rebaja)\b/;
/** What a customer of each shop might ask for, for the examples in our replies (no figures: the guardrails accept only prices seen this turn). */
const EXAMPLES: Record<string, [string, string]> = {
	fashion: ["black jackets", "chaquetas negras"],
	tech: ["wireless headphones", "auriculares inalámbricos"],
	home: ["a desk lamp", "una lámpara de escritorio"],
	beauty: ["a vitamin C serum", "un sérum de vitamina C"],
	gaming: ["racing games", "juegos de carreras"]
};
const example = (persona: Persona, lang: Lang) => {
	const [en, es] = EXAMPLES[persona.brand] ?? EXAMPLES.fashion!;
	return `"${t(lang, en, es)}"`;
};

/** Words that take back what came before ("no wait, blue", "actually", "mejor azul"). */
const CORRECTION = /^(wait|actually|rather|instead|mean|mejor|perdon|digo|corrijo)$/;
const CHEAPEST = /\b(cheapest|cheaper|cheap|barat[oa]s?|economic[oa]s?|most affordable|least expensive|less expensive|lowest[- ]priced?|lowest price|not (?:too |so |very |that )?(?:expensive|pricey)|inexpensive|on a budget|mas barat[oa]s?|mas economic[oa]s?|no (?:muy |tan )?car[oa]s?)\b/;
/** "add the cheapest wireless one", "dame el más barato": one product chosen by its price, not a browse ("I want something cheaper"). */
const ADD_THE_PRICED = /\b(?:add|i'?ll take|take|give me|get me|i'?ll have|agrega(?:me)?|anade|dame|me llevo)\b.*\b(?:the (?:cheapest|most expensive|priciest)|(?:el|la) mas (?:barat|car)[oa])\b/;
const PRICIEST = /\b(most expensive|priciest|highest[- ]priced?|mas car[oa]s?)\b/;

const NO_STATE: BrainState = { brand: "fashion", greet: false, awaitingConfirmation: false, cart: { items: [], totalText: "$0.00" }, shown: [], lastOrderId: null };

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

function amount(raw: string): number {
	return Math.round(Number(raw.replace(",", ".")) * 100);
}

/** "dresses" → "dress", "jackets" → "jacket", "glass" stays. */
function singular(word: string): string {
	// The catalog keeps these as they are ("jeans"): the query must name them the same way.
	if (word.length <= 3 || word.endsWith("ss") || KEEP_PLURAL.has(word) || /(us|is)$/.test(word)) return word;
	if (/(ss|x|ch|sh)es$/.test(word)) return word.slice(0, -2);
	if (F_PLURALS[word]) return F_PLURALS[word]!;
	return word.endsWith("s") ? word.slice(0, -1) : word;
}
/** Plurals in "-ves" whose singular ends in "f" ("gloves" is not one of them). */
const F_PLURALS: Record<string, string> = { scarves: "scarf", shelves: "shelf", knives: "knife", halves: "half", leaves: "leaf" };

const KEEP_PLURAL = new Set(["jeans", "lens", "news", "series", "canvas", "atlas", "leggings", "glasses", "sunglasses"]);

type ProductQuery = { query?: string; color?: string; minPrice?: number; maxPrice?: number; sort?: "price_asc" | "price_desc"; forAge?: number };
/**
 * "He's 12 and has a Switchblade", "tengo una Nexus": a device the customer (or who it is for)
 * already owns, which what they buy must work with, not a product to show them. Only a name (a
 * capital, a figure, or a platform everyone knows): "I have a small room" owns no platform.
 */
const OWNED = /\b(?:(?:he|she|they|i|we|my (?:son|daughter|nephew|niece|kid|brother|sister|boyfriend|girlfriend|husband|wife|friend|partner))(?: already| also)? (?:has|have|owns?|got|has got|plays? on)|(?:he|she|they|i|we)'(?:s|ve) got|\band (?:already |also )?(?:has|owns|plays on)|tengo|tenemos|juego en|(?:mi|su) (?:hijo|hija|sobrin[oa]|herman[oa]|novi[oa]|espos[oa]|amig[oa]|pareja) (?:ya )?(?:tiene|juega en|juega con))\s+(?:a |an |the |his |her |their |my |un |una |el |la |su |mi )?([A-Za-z0-9][\w-]*(?: [A-Z0-9][\w-]*)?)/i;
function ownedPlatform(text: string): string | null {
	const name = OWNED.exec(text)?.[1];
	return name && (/^[A-Z0-9]/.test(name) || /\d/.test(name) || KNOWN_PLATFORMS.test(fold(name).replace(/[^a-z0-9]/g, ""))) ? name : null;
}
/** A search for what works with the device owned: its platforms, without its name as a word to look for. */
function ownedSearch(args: Record<string, unknown>, platform: string): Record<string, unknown> {
	const device = new Set(fold(platform).split(/[^a-z0-9]+/));
	const { query, ...rest } = args;
	const words = String(query ?? "").split(/\s+/).filter(w => w && !device.has(w));
	return { ...rest, ...(words.length ? { query: words.join(" ") } : {}), platforms: [platform] };
}

const PERSON_EN = "son|daughter|kids?|child|boy|girl|nephew|niece|grandson|granddaughter|brother|sister|cousin|friend|teen|teenager|player|gamer";
const PERSON_ES = "hij[oa]|nin[oa]|nene|nena|chic[oa]|sobrin[oa]|niet[oa]|herman[oa]|prim[oa]|amig[oa]|alguien|adolescente";
/**
 * The age of who a product is for, as a customer gives it: "for my 10 year old (son)", "a
 * 12-year-old", "my son is 10", "she's 8", "aged 9", "mi hijo de 10 años", "mi sobrina tiene 7".
 * Only of a person: "my laptop is 5 years old" says nothing of who plays.
 */
const AGE_OF = new RegExp(
	[
		`\\b(?:a|an|my|our|his|her|their|for) (\\d{1,2})[ -]?(?:(?:years?|yrs?)[ -]?olds?|y\\/?o)\\b(?! (?:laptop|phone|computer|pc|console|tv|car)\\b)(?: (?:${PERSON_EN})s?\\b)?`,
		`\\b(\\d{1,2})[ -]?(?:years?|yrs?)[ -]?old (?:${PERSON_EN})s?\\b`,
		`\\bmy (?:${PERSON_EN}) (?:is|turns|is turning|will be) (\\d{1,2})\\b(?![.,]\\d| ?(?:\\$|%|cm|in\\b|kg))`,
		`\\b(?:he|she)(?:'|’)?s (\\d{1,2})\\b(?![.,]\\d| ?(?:\\$|%|cm|in\\b|kg))|\\b(?:he|she) (?:is|turns|is turning|will be) (\\d{1,2})\\b(?![.,]\\d| ?(?:\\$|%|cm|in\\b|kg))`,
		`\\baged? (\\d{1,2})\\b`,
		`\\b(?:un |una |mi |su |tu )?(?:${PERSON_ES})s? de (\\d{1,2}) anos\\b`,
		`\\b(?:${PERSON_ES}) (?:tiene|cumple|va a cumplir|cumplira) (\\d{1,2})(?: anos)?\\b`,
		`\\b(?:el|ella) tiene (\\d{1,2}) anos\\b`
	].join("|")
);
const PERSON_WORDS = new RegExp(`\\b(?:${PERSON_EN}|${PERSON_ES})s?\\b`, "g");
/** The age of who it is for, said in the customer's recent messages (newest first): who they shop for outlasts a choice. */
function ageOf(said: string[]): { age?: number } {
	const found = said.slice(0, 6).map(m => ageIn(fold(m))).find(Boolean);
	return found ? { age: found.age } : {};
}
/** A query read from words with who it is for taken out ("para mi hijo"), with the age those words gave ("de 14 años"). */
function withAge(q: ProductQuery, s: string): ProductQuery {
	const age = q.forAge === undefined ? ageIn(s) : undefined;
	return age ? { ...q, forAge: age.age } : q;
}
/** The age `AGE_OF` reads in a folded text, and the words that said it; none outside 1–99. */
function ageIn(s: string): { age: number; said: string } | undefined {
	const m = AGE_OF.exec(s);
	const age = m ? Number(m.slice(1).find(g => g !== undefined)) : NaN;
	return m && age >= 1 && age <= 99 ? { age, said: m[0] } : undefined;
}

/** A figure followed by a unit is a spec, not a price: "at least 16gb", "under 15 inches", "over 120 hz". */
const UNIT_AFTER = /^\s*(?:x\s?\d|gb|tb|mb|ghz|mhz|hz|inch(?:es)?|in\b|"|cm|mm|m\b|ml|l\b|kg|g\b|oz|w\b|watts?|mah|mp|k\b|hours?|hrs?|h\b|%|players?|jugadores|pulgadas|horas)/;
/** Units a figure in a product query may carry, spelled apart ("120 hz"). */
const SPEC_UNIT = /^(gb|tb|mb|ghz|mhz|hz|mm|cm|ml|kg|w|mah|mp|oz)$/;
/** Digits grouped by thousands ("1,300", "12.500"): no price has three decimals. */
const THOUSANDS = /\b(\d{1,3})((?:[.,]\d{3})+)(?!\d)/g;

/** The match of a price pattern, unless its figure is a spec's. */
function priced(re: RegExp, s: string): RegExpExecArray | null {
	const m = re.exec(s);
	return m && !UNIT_AFTER.test(s.slice(m.index + m[0].length)) ? m : null;
}

/**
 * What a computer is wanted for, when that asks for a spec: a seller steers "a laptop for video
 * editing" to one with enough memory, where a search for the words finds nothing that says
 * "video". Written into the query as the bound the search reads (`writeSpecBounds`).
 */
const DEMANDING_USE = /\b(?:for|para) ((?:video|photo|4k) editing|editing (?:videos?|photos?)|gaming|games|programming|coding|software development|3d(?: modell?ing| rendering| work)?|music production|graphic design|design work|editar (?:videos?|fotos?)|edicion de (?:videos?|fotos?)|jugar|juegos|programar|programacion|diseno grafico|producir musica|produccion musical)\b/;
const COMPUTER = /\b(?:laptops?|notebooks?|computers?|pcs?|macbooks?|computadoras?|portatil(?:es)?|ordenador(?:es)?)\b/;
/** At least 16 GB of RAM: what editing, compiling and games want of a computer today. */
const DEMANDING_BOUND = "min16gbram";
/**
 * The demanding use a query names with a computer ("video editing"), and whether the bound is ours
 * to add: a RAM figure of the customer's own ("at least 8 GB") is what they asked for.
 */
function demandingUse(query: string): { words: string; bounded: boolean } | undefined {
	const m = COMPUTER.test(query) ? DEMANDING_USE.exec(query) : null;
	return m ? { words: m[1]!, bounded: !/\b(?:min|over)\d+(?:p\d+)?gbram\b/.test(query) } : undefined;
}

/** "a black jacket under $100" → { query: "jacket", color: "black", maxPrice: 10000 }; "the cheapest laptop" sorts by price. */
export function parseProductQuery(text: string): ProductQuery {
	// "at least 16 GB of RAM" goes to the search as one word, before "at least 16" reads as a price;
	// "$1,300" (or "1.300") is a thousand three hundred, not $1.30 and a stray "0".
	let s = writeSpecBounds(
		fold(text)
			.replace(LINK_G, " ")
			.replace(THOUSANDS, (_m, head: string, groups: string) => head + groups.replace(/[.,]/g, ""))
			// "200 x 300 cm" is one size, as the catalog writes it ("200x300 cm").
			.replace(/\b(\d{2,4})\s?[x×]\s?(\d{2,4})\b/g, "$1x$2")
	);
	// Either way the use's words are not product words: nothing in the catalog says "editing".
	const use = demandingUse(s);
	if (use) s = s.replace(DEMANDING_USE, use.bounded ? ` ${DEMANDING_BOUND} ` : " ");
	const out: ProductQuery = {};
	// "Games for my 10-year-old": an age, not a figure to search for or a price.
	const age = ageIn(s);
	if (age) {
		out.forAge = age.age;
		// "For kids aged 9": who it is for is no product word either.
		s = s.replace(age.said, " ").replace(PERSON_WORDS, " ");
	}
	if (CHEAPEST.test(s)) out.sort = "price_asc";
	else if (PRICIEST.test(s)) out.sort = "price_desc";
	const between = priced(/\bbetween\s*\$?\s*(\d+(?:[.,]\d{1,2})?)\s*(?:and|-)\s*\$?\s*(\d+(?:[.,]\d{1,2})?)|\bentre\s*\$?\s*(\d+(?:[.,]\d{1,2})?)\s*y\s*\$?\s*(\d+(?:[.,]\d{1,2})?)/, s);
	if (between) {
		out.minPrice = amount(between[1] ?? between[3]);
		out.maxPrice = amount(between[2] ?? between[4]);
		s = s.replace(between[0], " ");
	}
	// "budget around 1500", "about $80": a budget with some give either way, so a tenth over it.
	const budget = priced(/\b(?:budget|presupuesto)\b[^\d$]{0,24}\$?\s*(\d+(?:[.,]\d{1,2})?)|\b(?:around|about|approximately|roughly|alrededor de|cerca de|aproximadamente)\s*\$?\s*(\d+(?:[.,]\d{1,2})?)\s*(?:usd|dollars?|dolares|bucks)?/, s);
	if (budget && amount(budget[1] ?? budget[2]!) >= 1000) {
		const loose = budget[2] !== undefined || /\b(around|about|approx|roughly|alrededor|cerca|aproximadamente|unos)/.test(budget[0]);
		const cents = amount(budget[1] ?? budget[2]!);
		out.maxPrice = loose ? Math.round((cents * 1.1) / 100) * 100 : cents;
		s = s.replace(budget[0], " ");
	}
	const max = priced(/\b(?:under|below|less than|cheaper than|max(?:imum)?|up to|at most|no more than|menos de|hasta|por debajo de|maximo)\s*(?:usd\s*)?\$?\s*(\d+(?:[.,]\d{1,2})?)\s*(?:usd|dollars?|dolares|bucks)?|<\s*\$?\s*(\d+)/, s);
	if (max) {
		out.maxPrice = amount(max[1] ?? max[2]);
		s = s.replace(max[0], " ");
	}
	const min = priced(/\b(?:over|above|more than|at least|from|mas de|desde|minimo)\s*\$?\s*(\d+(?:[.,]\d{1,2})?)\s*(?:usd|dollars?|dolares)?/, s);
	if (min) {
		out.minPrice = amount(min[1]);
		s = s.replace(min[0], " ");
	}
	for (const [phrase, term] of PHRASES_ES) s = s.replace(phrase, term);
	// "a 3 seater", "a three-seat sofa": the catalog's "3-Seater".
	s = s.replace(/\b(\d|two|three|four|five) ?-?seat(?:er|s)?\b/g, (_m, n: string) => `${NUMBER_WORDS[n] ?? n}-seater`);
	// "No white cast", "blue light": a colour word that is no colour of the product, kept as one word.
	s = s.replace(/\b(white) (cast)\b|\b(blue) (light)\b|\b(black) (friday)\b/g, (m: string) => m.replace(" ", "-"));
	const promos = DEALS.test(s);
	const words = s.match(/[a-z0-9'-]+/g) ?? [];
	// "a red dress, no wait, blue": a colour after a correction replaces the one before it.
	const correctedAt = words.map(w => CORRECTION.test(w)).lastIndexOf(true);
	let corrected = false;
	const rest: string[] = [];
	let kept = false;
	for (const [i, word] of words.entries()) {
		// "what's", "you're", "I'll": the word without its contraction.
		const w = word.replace(/'(s|re|ll|ve|d|m)?$/, "");
		const after = kept;
		kept = false;
		const color = lookupEs(COLOUR_WORDS, w);
		if (color) {
			if (out.color === undefined || (correctedAt >= 0 && i > correctedAt && !corrected)) {
				corrected = correctedAt >= 0 && i > correctedAt;
				out.color = color;
			}
			continue;
		}
		// A figure right after a product word is part of its model name ("probook 14", "pulse watch 2");
		// elsewhere it is a count, a price or a size.
		if (/^\d{1,3}$/.test(w) && after && !/^(x|cm|mm|units?|pieces?|of|unidades)$/.test(words[i + 1] ?? "") && !/^(size|talla|talle)$/.test(words[i - 1] ?? "")) {
			rest.push(w);
			continue;
		}
		// "120 hz", "16 gb": a figure with its unit is a spec to look for.
		if (/^\d+$/.test(w) && SPEC_UNIT.test(words[i + 1] ?? "")) {
			rest.push(w);
			continue;
		}
		// "Soy" is "I am" in Spanish, but "soy wax" is a candle's.
		const soyWax = w === "soy" && /^(wax|candles?)$/.test(words[i + 1] ?? "");
		if ((STOPWORDS.has(w) && !soyWax) || /^\d+$/.test(w) || STRETCHED_GREETING.test(w)) continue;
		kept = true;
		// "any promos running?" asks what runs now; "running shoes" are shoes.
		if (w === "running" && promos) continue;
		const noun = lookupEs(NOUNS_ES, w) ?? lookupEs(FEATURES_ES, w) ?? w;
		rest.push(singular(noun));
	}
	if (rest.length) out.query = rest.join(" ");
	return out;
}

/** Words said around a choice by number ("ok 2 then", "2 please", "dale, el 2"), which choose nothing themselves. */
const AROUND_A_CHOICE = "(?:ok|okay|alright|yes|yeah|yep|sure|so|then|please|pls|thanks|the|vale|bueno|dale|si|pues|entonces|el|la|por favor|gracias)";
/** "the second one", "#2", "number 2", "el segundo", "the last one" → a 1-based position (or -1). */
export function parsePosition(text: string): number | null {
	const s = fold(text);
	// With several ordinals, the one the customer chooses: the first after "take/want/add…"
	// ("the first is nice but I'll take the second"), else the first one written.
	const found = [...s.matchAll(ORDINAL_WORD)]
		// "the last one", but not "how long does the battery last?" nor "last week".
		.filter(m => m[1] !== "last" || /\b(the|el|la)\s+$/.test(s.slice(0, m.index!)) || /^last\s+(ones?|item|option)\b/.test(s.slice(m.index!)))
		.map(m => ({ at: m.index!, n: ORDINALS[m[1]!]! }));
	if (found.length) {
		const verb = ADD.exec(s);
		const afterVerb = verb ? found.find(f => f.at > verb.index) : undefined;
		return (afterVerb ?? found[0]!).n;
	}
	const m =
		/(?:#|\bnumber\s*|\bno\.?\s*|\bnumero\s*|\boption\s*|\bopcion\s*)(\d{1,2})\b/.exec(s) ??
		// "I'll go with 2", "me quedo con el 2" choose; "go with 2 of them" counts.
		/\b(?:go with|going with|me quedo con(?: el| la)?|elijo(?: el| la)?)\s+(\d{1,2})\b(?!\s*(?:of|de)\b)/.exec(s) ??
		// "2", or "ok 2 then", "2 please": the number alone but for a word or two around it.
		new RegExp(`^\\W*(?:${AROUND_A_CHOICE}\\W+)*(\\d{1,2})(?:\\W+${AROUND_A_CHOICE})*\\W*$`).exec(s);
	return m ? Number(m[1]) : null;
}

const pick = <T>(items: T[], position: number): T | undefined => (position === -1 ? items[items.length - 1] : items[position - 1]);

/**
 * Several listed products at once: "both" (of two), "all of them", "the first two", "the first and
 * the third". Null when the message picks one or none.
 */
const COMPARE = /\b(difference|differences|compare|comparison|versus|vs|diferencia|diferencias|comparar|compara)\b/;
const BOTH = /\b(both|los dos|las dos|ambos|ambas)\b/;
/** A message of emoji alone, as WhatsApp customers send them: a wave, a thumbs-up, a thank-you. */
const EMOJI_MEANINGS: [RegExp, string][] = [
	[/^(?:👋|🙋|✋|🤚)+$/u, "hi"],
	[/^(?:👍|👌|✅|🆗|💯)+$/u, "yes"],
	[/^(?:👎|❌|🙅)+$/u, "no"],
	[/^(?:🙏|❤|😍|🥰|😊|☺|💖|💕|🤗|😘)+$/u, "thanks"]
];
function emojiMeaning(s: string): string {
	// Skin tones, gender signs, joiners and presentation selectors change no meaning.
	const bare = s.replace(/[\s\u{1F3FB}-\u{1F3FF}\u200D\uFE0F♀♂]/gu, "");
	return EMOJI_MEANINGS.find(([re]) => re.test(bare))?.[1] ?? s;
}
/** "Which one is lighter?", "¿cuál tiene más batería?": a question about the whole list. */
const WHICH_ONE = /\b(which (one|of (them|these|those))|which is (the )?(best|better|lightest|cheapest|fastest|biggest|smallest)|cual (de (ellos|ellas|estos|estas|esos|esas) )?(tiene|es|me recomiendas|conviene))\b/;
/** At most this many products side by side: a WhatsApp message, not a spec sheet. */
const COMPARE_MAX = 5;
/** The products listed side by side: those the last reply compared, when it compared some of the list, else the list. */
const sideBySide = (state: BrainState): Decision => {
	const some = state.compared ? state.shown.filter(c => state.compared!.includes(c.position)) : [];
	const which = some.length >= 2 ? some : state.shown;
	return { kind: "tools", calls: which.slice(0, COMPARE_MAX).map(c => ({ name: "get_product", args: { sku: c.sku } })), intent: "product" };
};

export function parsePositions(text: string, listed: number): number[] | null {
	const s = fold(text);
	if (/\b(all of them|all (three|four|five)|todos|todas)\b/.test(s)) return Array.from({ length: listed }, (_, i) => i + 1);
	if (BOTH.test(s)) return listed === 2 ? [1, 2] : null;
	const firstN = /\b(?:first|primeros|primeras)\s+(two|three|2|3|dos|tres)\b/.exec(s);
	if (firstN) return Array.from({ length: NUMBER_WORDS[firstN[1]!] ?? Number(firstN[1]) }, (_, i) => i + 1);
	// Two ordinals joined ("the first and the third"), not merely both mentioned ("the first is nice, but…").
	const pair = ORDINAL_PAIR.exec(s);
	return pair && ORDINALS[pair[1]!] !== ORDINALS[pair[2]!] ? [ORDINALS[pair[1]!]!, ORDINALS[pair[2]!]!] : null;
}

/**
 * The customer's last search that named a product, from `earlier` (their earlier messages, most
 * recent first): its message, and its filters merged with those of the refinements made since
 * ("something in blue?" then "under 80": refinements add up, back to the search that named a product).
 */
function lastSearch(earlier: string[], lang: Lang, persona: Persona): { text: string; query: ProductQuery & { query: string } } | null {
	const merged: ProductQuery = {};
	for (const [k, text] of earlier.entries()) {
		// Only a message that was itself a search counts: not "add the second one" or "thanks". Without
		// that turn's state a choice or a cart request can look like one, so those words rule it out.
		const f = fold(text);
		if (CART.test(f) || REMOVE.test(f) || DETAILS.test(f) || parsePosition(f) !== null) continue;
		// "Is it washable?", "are they waterproof?" asked about what was shown: no search of their own.
		if (IT_QUESTION.test(f) || THEY_QUESTION.test(f)) continue;
		// Read with the messages before it, so a follow-up ("what about for oily skin?") is the search it made.
		const before = decide(f.replace(ADD_ALL, " "), NO_STATE, lang, persona, earlier.slice(k + 1));
		if (before.kind !== "tool" || before.name !== "search_products") continue;
		const args = before.args as ProductQuery;
		// "Do you have it in a bigger size?" asked about a product; it named none to search again.
		if (typeof args.query === "string" && args.query.split(" ").every(w => ATTRIBUTE_WORDS.has(w))) continue;
		for (const key of ["color", "minPrice", "maxPrice", "sort", "forAge"] as const) if (merged[key] === undefined && args[key] !== undefined) (merged as Record<string, unknown>)[key] = args[key];
		if (typeof args.query === "string") return { text: f, query: { ...merged, query: args.query } };
	}
	return null;
}

/**
 * "Any black ones?", "the cheapest?": a refinement names no product, so it refines the customer's
 * last search. "Something floral?" after perfumes: floral perfumes (`addWords`).
 */
function refine(query: ProductQuery, earlier: string[], lang: Lang, persona: Persona, addWords = false): ProductQuery {
	if (query.query !== undefined && !addWords) return query;
	const last = lastSearch(earlier, lang, persona);
	if (!last) return query;
	const { query: words, ...filters } = last.query;
	return { ...filters, ...query, query: addWords && query.query ? `${words} ${query.query}` : words };
}

/**
 * "A controller that works with it", "¿un mando que funcione con ese?": another product, for the one
 * in view. Its details say what it runs on, and the search looks for that too.
 */
const WITH_IT = /\b(?:that |which |to )?(?:works?|goes|plays?|fits?|is compatible|are compatible|compatible) (?:with|on|for) (?:it|this|that|them|this one|that one|this game|that game)\b|\bfor (?:it|this game|that game)(?=\W*$)|\b(?:que )?(?:funcione|funcionen|sirva|sirvan|compatibles?) (?:con|para) (?:el|la|eso|ese|esa|este|esta|ello)\b/;
const WITH_IT_G = new RegExp(WITH_IT.source, "g");
/** What is asked for with `WITH_IT` ("a controller"), without the words about "it"; null for other messages. */
const wantedForIt = (s: string): ProductQuery | null => (WITH_IT.test(s) ? parseProductQuery(s.replace(WITH_IT_G, " ")) : null);

/** The platforms a product's details name ("Nexus, Switchblade"), folded; none for most products. */
function platformsOf(p: ProductOut): string[] {
	return platformNames(p).map(fold);
}
/** Its platforms as the catalog writes them ("Nexus"), for the search to match. */
function platformNames(p: ProductOut): string[] {
	return String(p.attributes?.platform ?? "").split(/\s*,\s*/).filter(Boolean);
}

/** "What about for oily skin?", "and for running?", "¿y para piel grasa?": the last search, for another need. */
const ANOTHER_NEED = /^[¿¡\s]*(?:but |ok |okay )?(?:and what about|what about|how about|and|y que tal|que tal|y)\s+(?:(for|para)\s+)?([^?!]{2,60}?)[\s?!.]*$/;

/**
 * The last search again with the need swapped: after "I have dry skin, what moisturiser?", "what
 * about for oily skin?" looks for moisturisers for oily skin, not for everything for oily skin.
 * The new words replace their counterparts: the word beside one both searches share ("dry" beside
 * "skin"), or the earlier "for …" when the new need shares nothing. Without "for" a follow-up that
 * shares no word with the search is a search of its own ("what about jackets?").
 */
function anotherNeed(s: string, earlier: string[], lang: Lang, persona: Persona): ProductQuery | null {
	const m = ANOTHER_NEED.exec(s);
	if (!m || FOR_SOMEONE.test(s)) return null;
	const last = lastSearch(earlier, lang, persona);
	if (!last) return null;
	// "What about for gaming?" after laptops: a use the search reads as a spec, as in "a laptop for gaming".
	const use = m[1] && demandingUse(fold(`${last.query.query} ${m[1]} ${m[2]}`)) ? `${last.query.query} ${m[1]} ` : "";
	const asked = parseProductQuery(use + m[2]!);
	if (!asked.query || Object.keys(asked).length > 1) return null;
	const before = last.query.query.split(" ");
	const now = asked.query.split(" ");
	const shared = now.filter(w => before.includes(w));
	// "And a laptop for video editing?" after laptops names the whole product again: a search of its own.
	if ((!m[1] && !shared.length) || shared.length === now.length || (!use && before.every(w => now.includes(w)))) return null;
	const dropped = new Set<string>();
	if (!shared.length) {
		const need = /\b(?:for|para)\s+([^,.;!?]+)/.exec(last.text);
		for (const w of (need && parseProductQuery(need[1]!).query?.split(" ")) || []) dropped.add(w);
	}
	for (const w of shared) {
		const i = now.indexOf(w);
		const j = before.indexOf(w);
		// English puts the new word before the shared one ("oily skin"); a translation may put it after.
		if (i > 0 && !shared.includes(now[i - 1]!) && j > 0 && !now.includes(before[j - 1]!)) dropped.add(before[j - 1]!);
		if (i < now.length - 1 && !shared.includes(now[i + 1]!) && j < before.length - 1 && !now.includes(before[j + 1]!)) dropped.add(before[j + 1]!);
	}
	// In place of what they replace, so a third need finds its counterpart where the second one was.
	const fresh = now.filter(w => !before.includes(w));
	const at = before.findIndex(w => dropped.has(w));
	const words = before.flatMap((w, k) => (k === at ? fresh : dropped.has(w) ? [] : [w]));
	if (at < 0) words.push(...fresh);
	return { ...last.query, query: words.join(" ") };
}

/** The head of a reply that said whether the product in view, or the list, mentions a feature. */
const FEATURE_ANSWERED = /^(?:All \d+ of these mention|Both of these mention|Only the .+ mentions|The .+ mention|None of these mention|Yes — its details mention|Its details don't say anything about|Los \d+ mencionan|Solo .+ menciona|Ninguno de estos menciona|Sí — su ficha menciona|Su ficha no dice nada de)/m;
/** "And sleep?", "what about GPS?", "¿y bluetooth?": the same question, of another feature. */
const AND_ALSO = /^[¿¡\s]*(?:(and|also|what about|how about)|(y|y que tal|que tal))\s+(?:the\s+|el\s+|la\s+)?([^?!.]{2,40}?)[\s?!.]*$/i;

const REMOVAL_ASKED = /^(?:Which item should I remove\?|¿Qué producto quito\?)/m;
/** A short answer to "Which item should I remove?" ("the second", "the denim one"): that removal. */
function removalChosen(text: string, lastReply: string): string {
	const s = fold(text);
	if (!REMOVAL_ASKED.test(lastReply) || REMOVE.test(s) || QUESTION.test(s) || ADD.test(s) || CART.test(s)) return text;
	return parsePosition(s) !== null || s.split(/\s+/).length <= 4 ? `remove ${text}` : text;
}

/**
 * "Does it track heart rate?" answered, then "and sleep?": read as "does it have sleep?" (of the
 * list: "do they have …"), so the feature is looked for as the one before was.
 */
function followUpAsked(text: string, lastReply: string, state: BrainState): string {
	const m = FEATURE_ANSWERED.test(lastReply) ? AND_ALSO.exec(text) : null;
	if (!m) return text;
	const list = state.shown.length > 1 && !state.focus;
	return m[1] ? `${list ? "do they have" : "does it have"} ${m[3]}?` : `¿${list ? "traen" : "tiene"} ${m[3]}?`;
}

/**
 * "How big is the bottle?" with a serum in view: the bottle is the serum, not a product to search
 * for. Only in a size question, and only with a product (or a list) in view.
 */
function containerIsIt(text: string, state: BrainState): string {
	if (!state.focus && !state.shown.length) return text;
	const it = state.focus || state.shown.length === 1 ? "it" : "they";
	const asIt = fold(text)
		.replace(/\b(?:the|this|that|its|their) (?:bottles?|jars?|tubes?|tubs?|pots?|flasks?|containers?|packs?|packaging)\b/g, m => (/s$/.test(m) ? "they" : it))
		.replace(/\b(?:el|la|los|las|este|esta|ese|esa|su|sus) (?:botellas?|frascos?|tubos?|botes?|envases?|potes?)\b/g, "")
		.replace(/\s+([?!.])/g, "$1")
		.trim();
	return asIt !== fold(text).trim() && HOW_BIG.test(asIt) ? asIt : text;
}
/** "How big is it?", "¿de qué tamaño es?", "¿cuánto mide?": its size, by whatever it is measured in. */
const HOW_BIG = /\bhow (?:big|large|small)\b|\b(?:what|which) size (?:is|are) (?:it|they|this|that)(?: one)?[\s?.!]*$|\bhow much (?:does|do) (?:it|they) (?:hold|contain)\b|\b(?:de )?que tamano\b|\bque tan grande\b|\bcuanto (?:mide|miden|trae|traen|contiene|contienen)\b/;

/** "Remove one", "take 2 off", "quita una": how many to take off a line. */
const REMOVE_COUNT = /\b(?:remove|take(?: off| out| away)?|delete|drop|quita(?:me)?|saca(?:me)?|elimina|borra)\s+(?:just\s+|only\s+|solo\s+)?(\d{1,2}|one|two|three|four|five|uno|una|dos|tres|cuatro|cinco)\b(?!\s+(?:of the|de la|de los|de las)?\s*(?:first|second|third|last|primer|segund|tercer|ultim))/;
/** "Something floral?", "one with a hood?", "¿algo más ligero?": more words for the last search, not a new one. */
const SOMETHING_LIKE = /^\W*(?:and |ok |maybe |what about |how about |y )?(?:something|anything|one|ones|algo|alguno|alguna)\b/;

/** A photo's caption about the photo itself ("do you have this in black?"), naming no product. */
function aboutThePhoto(message: string): boolean {
	const m = /^\[(image|video)\]\s*([\s\S]*)$/.exec(message);
	return !!m && /\b(this|these|it|that|those|esto|este|esta|estos|estas|eso|esa|ese)\b/.test(fold(m[2]!)) && !parseProductQuery(m[2]!).query;
}

/** What the brain says to a message it cannot read; a caption, when there is one, is read instead. */
const MEDIA_REPLIES: Record<MediaKind, [string, string]> = {
	audio: ["I can't listen to voice notes here, sorry — could you type it for me?", "No puedo escuchar audios aquí, perdón — ¿me lo escribes?"],
	image: ["Thanks! I can't open photos in this chat — tell me what you're looking for and I'll find it.", "¡Gracias! No puedo abrir fotos en este chat — dime qué buscas y te lo encuentro."],
	video: ["Thanks! I can't play videos in this chat — tell me what you're looking for and I'll find it.", "¡Gracias! No puedo ver videos en este chat — dime qué buscas y te lo encuentro."],
	document: ["Thanks! I can't open files in this chat — tell me what you need and I'll help.", "¡Gracias! No puedo abrir archivos en este chat — dime qué necesitas y te ayudo."],
	sticker: ["😄 What can I find for you?", "😄 ¿Qué te busco?"],
	location: ["Thanks for the location! I don't need it to help you shop — tell me what you're looking for.", "¡Gracias por la ubicación! No la necesito para ayudarte a comprar — dime qué buscas."],
	contacts: ["Thanks! I can't use contact cards here — tell me what you're looking for.", "¡Gracias! No puedo usar contactos aquí — dime qué buscas."],
	unsupported: ["I can't open that kind of message here — could you type it?", "No puedo abrir ese tipo de mensaje aquí — ¿me lo escribes?"]
};

function decide(
	message: string,
	state: BrainState,
	lang: Lang,
	persona: Persona,
	earlier: string[] = [],
	listed: ListedLine[] | null = null,
	asked: { sizes: string[]; of: string | null } | null = null,
	priced: PricedLine[] = []
): Decision {
	// A cart sent from the WhatsApp catalog: every line goes into ours, in one turn.
	const order = /^\[order ([^\]]+)\]/.exec(message);
	if (order) {
		const calls = order[1]!
			.split(" ")
			.map(token => /^(\S+)x(\d+)$/.exec(token))
			.filter((m): m is RegExpExecArray => m !== null)
			.map(m => ({ name: "add_to_cart", args: { sku: m[1]!, ...(Number(m[2]) > 1 ? { qty: Math.min(20, Number(m[2])) } : {}) } }));
		if (calls.length) return { kind: "tools", calls, intent: "add_to_cart" };
	}
	const media = /^\[([a-z]+)\]\s*([\s\S]*)$/.exec(message);
	const kind = media && isMediaKind(media[1]!) ? media[1] : null;
	// A location's text is its address, not words to search; a photo's caption is.
	const text = kind ? (kind === "location" ? "" : media![2]!) : message;
	if (kind && !text.trim()) {
		const [en, es] = MEDIA_REPLIES[kind];
		return { kind: "text", text: t(lang, en, es), intent: "media", understood: true };
	}
	// "How much is this?" under a photo: "this" is in the photo, which we cannot see. With a colour
	// ("do you have this in black?") the search by colour runs, and the reply says why it is broad.
	if (aboutThePhoto(message) && !parseProductQuery(text).color) return askWhatItIs(["photos", "fotos"], lang, persona);
	// "https://…/dress.jpg is this available?": the link cannot be opened here; what it is, in words.
	if (LINK.test(text) && !parseProductQuery(text).query) return askWhatItIs(["links", "enlaces"], lang, persona);
	const tap = /\[tap ([^\]]+)\]/.exec(text)?.[1];
	if (tap === ChoiceIds.ConfirmCheckout) return { kind: "tool", name: "checkout", args: { confirm: true }, intent: "confirm_checkout" };
	if (tap === ChoiceIds.CancelCheckout) return cancelCheckout(lang);
	if (tap === ChoiceIds.CancelOrder && state.cancelling) return { kind: "tool", name: "cancel_order", args: { orderId: state.cancelling, confirm: true }, intent: "cancel_order" };
	if (tap === ChoiceIds.KeepOrder) return keepOrder(lang);
	if (tap?.startsWith("product:")) return { kind: "tool", name: "add_to_cart", args: { sku: tap.slice(8), ...(state.pendingQty ? { qty: state.pendingQty } : {}) }, intent: "add_to_cart" };
	const s = emojiMeaning(fold(text.replace(/\[tap [^\]]+\]/g, " ")).trim());
	if (!s && tap) return greetingOnly(state, lang, persona);

	if (state.awaitingConfirmation && YES.test(s)) return { kind: "tool", name: "checkout", args: { confirm: true }, intent: "confirm_checkout" };
	if (state.awaitingConfirmation && NO.test(s)) return cancelCheckout(lang);
	if (state.cancelling && (YES.test(s) || CANCEL_YES.test(s))) return { kind: "tool", name: "cancel_order", args: { orderId: state.cancelling, confirm: true }, intent: "cancel_order" };
	if (state.cancelling && KEEP_ORDER.test(s)) return keepOrder(lang);
	// "Confirm" with no order waiting for it: the checkout, which shows the order to confirm (or that the cart is empty).
	if (CONFIRM_ONLY.test(s) && !state.awaitingConfirmation && !state.cancelling) return { kind: "tool", name: "checkout", args: {}, intent: "checkout" };
	// "That's it", "nada más": nothing more to choose. With a cart, the checkout; without one, a friendly close.
	if (DONE_SHOPPING.test(s) && !state.awaitingConfirmation) {
		if (state.cart.items.length) return { kind: "tool", name: "checkout", args: {}, intent: "checkout" };
		return { kind: "text", text: `${t(lang, "Alright! I'm here whenever you need anything.", "¡Perfecto! Aquí estoy cuando necesites algo.")} ${persona.signOff[lang]}`, intent: "goodbye", understood: true };
	}
	// "Can I get it assembled?": a service no tool knows of is not promised, nor read as an add ("get it").
	if (SERVICE_ASKED.test(s) && !PRODUCT_STATE_ASKED.test(s))
		return {
			kind: "text",
			text: t(
				lang,
				`I can't arrange assembly, installation, engraving or alterations from this chat, I'm afraid — what a product comes with is in its details. Someone from our team can tell you what's possible: just say "talk to a person".`,
				`No puedo gestionar montaje, instalación, grabado ni arreglos desde este chat, perdón — lo que incluye cada producto está en su ficha. Alguien de nuestro equipo te dice qué se puede hacer: solo escribe "hablar con una persona".`
			),
			intent: "policy",
			understood: true
		};
	// "Undo" right after a size change: the size it had.
	if (state.resized && /^\W*(?:undo|deshacer|deshazlo)\b/.test(s)) {
		const { sku, from, to } = state.resized;
		return { kind: "tool", name: "add_to_cart", args: { sku, size: from, replacesSize: to }, intent: "add_to_cart" };
	}
	const resize = sizeChange(s, state);
	if (resize) return resize;
	// "Pink" after "Which colour would you like? pink, white, green": on the line waiting for one.
	const colourAsked = state.coloursAsked;
	if (colourAsked && !state.awaitingConfirmation) {
		const uncoloured = state.cart.items.filter(i => i.color === undefined);
		const line = (colourAsked.of ? uncoloured.find(i => fold(i.name) === fold(colourAsked.of!)) : undefined) ?? uncoloured.find(i => i.sku === state.focus) ?? (uncoloured.length === 1 ? uncoloured[0] : undefined);
		// An earlier question is answered only by a colour alone: "black jackets" is a search again.
		// "2", "the second" right after the question: the second colour it listed. Not "I'll take the
		// first one x2", which chooses from the list before.
		const position = line && !colourAsked.earlier && !ADD.test(s) && s.trim().split(/\s+/).length <= 4 ? parsePosition(s) : null;
		const byPosition = position !== null && position <= colourAsked.colours.length ? pick(colourAsked.colours, position) : undefined;
		const chosen = line ? (colourChosen(s, colourAsked.colours) ?? byPosition) : undefined;
		const colour = chosen && !(colourAsked.earlier && parseProductQuery(productWords(s.replace(colourSaid(chosen), " "))).query) ? chosen : undefined;
		if (line && colour) return { kind: "tool", name: "add_to_cart", args: { sku: line.sku, ...(line.size ? { size: line.size } : {}), color: colour }, intent: "add_to_cart" };
		// "Yes" to the question is no colour, and no second one of the product either.
		if (line && !colourAsked.earlier && (YES.test(s) || ADD_IT.test(s)) && !parseProductQuery(productWords(s.replace(YES, " "))).query)
			return {
				kind: "text",
				text: t(lang, `Which colour would you like? ${colourAsked.colours.join(", ")}`, `¿Qué color quieres? ${colourIn(lang, colourAsked.colours.join(", "))}`),
				intent: "choose",
				understood: true
			};
	}
	// "M", "size 42", "la M", "the 200x300": the size of the product in focus, or of the one cart line
	// waiting for one; after "Which size would you like? …", any of the sizes it listed.
	const waitingLines = state.cart.items.filter(i => i.size === undefined);
	// The product the question named ("Which size would you like in the Metro Low-Top?"), else the one in view.
	const askedLine = asked?.of ? waitingLines.find(i => fold(i.name) === fold(asked.of!))?.sku : undefined;
	const sizing = askedLine ?? state.focus ?? (waitingLines.length === 1 ? waitingLines[0]!.sku : undefined);
	// "Is the 200x300 one soft?", "does it come in XXL?" about the product in view, or the line waiting
	// for its size: a question about it, whose answer says whether it comes in that size; asking
	// chooses nothing. "Can I have the M one?" asks for it in M. "Do you have jeans in 32?" names
	// another product: a search, below.
	const referenced = sizing && !state.awaitingConfirmation && QUESTION.test(s) ? sizeReferenced(s) : null;
	if (referenced && (referenced.definite || IT_WORD.test(referenced.rest) || !namesOtherProduct(referenced.rest))) {
		if (!ADD.test(s) && !CAN_HAVE.test(s)) return { kind: "tool", name: "get_product", args: { sku: sizing }, intent: "product" };
		const size = (asked && sizeNamed(referenced.size, asked.sizes)) ?? canonicalSize(referenced.size);
		return { kind: "tool", name: "add_to_cart", args: { sku: sizing, size }, intent: "add_to_cart" };
	}
	const sizeChosen = asked && sizing && !state.awaitingConfirmation ? (sizeNamed(s, asked.sizes) ?? extremeSize(s, asked.sizes)) : null;
	if (sizeChosen) return { kind: "tool", name: "add_to_cart", args: { sku: sizing, size: sizeChosen }, intent: "add_to_cart" };
	// After the details of the product in view listed its sizes: "the 200x300 one", "the biggest"
	// adds it in that size (a question naming one, "is the 200x300 washable?", is not a choice).
	const detailSizes = !asked && state.focus && state.sizesShown && !state.awaitingConfirmation && !QUESTION.test(s) ? state.sizesShown : null;
	const shownChosen = detailSizes ? (sizeNamed(s, detailSizes) ?? extremeSize(s, detailSizes)) : null;
	if (shownChosen) return { kind: "tool", name: "add_to_cart", args: { sku: state.focus!, size: shownChosen }, intent: "add_to_cart" };
	// "The bigger one" of more than two sizes: which of them.
	const ranked = (asked && sizing ? asked.sizes : null) ?? (state.focus && !state.awaitingConfirmation ? state.sizesShown : null);
	if (ranked && EXTREME_SIZE.test(s) && !state.awaitingConfirmation)
		return { kind: "text", text: t(lang, `Which size would you like? ${sizesSmallestFirst(ranked).join(", ")}`, `¿Qué talla quieres? ${sizesSmallestFirst(ranked).join(", ")}`), intent: "choose", understood: true };
	const bareSize = BARE_SIZE.exec(s)?.[1];
	if (bareSize && sizing && !state.awaitingConfirmation) return { kind: "tool", name: "add_to_cart", args: { sku: sizing, size: canonicalSize(bareSize) }, intent: "add_to_cart" };
	// "I want it in size M", "lo quiero en talla M", "I need a size M" with nothing else named: the
	// size of the one being sized, also once a list came in between (the list's "it" would be a pick).
	const sizeStated = sizing && !state.awaitingConfirmation && !QUESTION.test(s) ? sizeArg(s).size : undefined;
	if (sizeStated && !Object.keys(parseProductQuery(productWords(s.replace(ADD_IT_ALL, " ")))).length)
		return { kind: "tool", name: "add_to_cart", args: { sku: sizing!, size: sizeStated }, intent: "add_to_cart" };
	// "42" after a list, nothing in view: a size (no list is that long), for the one they choose next.
	const bareNumber = parsePosition(s);
	if (bareSize && !sizing && !state.awaitingConfirmation && state.shown.length > 1 && (bareNumber === null || bareNumber > state.shown.length))
		return {
			kind: "text",
			text: t(lang, `Which one would you like in ${canonicalSize(bareSize)}? Tap it in the list, or say e.g. "the first one".`, `¿Cuál quieres en ${canonicalSize(bareSize)}? Tócalo en la lista, o dime p. ej. "el primero".`),
			intent: "choose",
			understood: true
		};
	// "Compare it with the ProBook 16", "is it better than…?": the one in view as it is, the other
	// looked up; then the two side by side. Not a question about the one in view alone.
	const viewed = state.focus ?? (state.shown.length === 1 ? state.shown[0]!.sku : undefined);
	const against = viewed && !state.awaitingConfirmation ? comparedWithIt(s) : null;
	if (against) return { kind: "tools", calls: [{ name: "get_product", args: { sku: viewed } }, { name: "search_products", args: against }], intent: "product" };
	// "Which is cheapest?" after a list: that one's details, not the list side by side ("the
	// cheapest one" on its own, or with an add, is a pick, below).
	if (!state.awaitingConfirmation && QUESTION.test(s) && !ADD.test(s)) {
		const n = chooseByPrice(s, priced);
		const byPrice = n !== null ? pick(state.shown, n) : undefined;
		if (byPrice) return { kind: "tool", name: "get_product", args: { sku: byPrice.sku }, intent: "product" };
	}
	// "¿De qué trata el primero?" names which: the position decides, below.
	const aboutIt = !state.awaitingConfirmation && itQuestion(s) !== null && parsePosition(s) === null && !POLICIES.some(([re]) => re.test(s));
	// "Is it true to size?": the one in view (or just added); after a list, which one; with
	// nothing to look at, which product. A product named goes to its search below.
	if (FIT_ASKED.test(s) && !state.awaitingConfirmation && parsePosition(s) === null && !namesOtherThan(s.replace(USUAL_SIZE_ALL, " ").replace(/\b(?:get|buy|order|pick|choose)\b/g, " "), FIT_ASKED) && !namedQuestion(s)) {
		const fitted = state.focus ?? (state.shown.length === 1 ? state.shown[0]!.sku : state.cart.items[state.cart.items.length - 1]?.sku);
		if (fitted) return { kind: "tool", name: "get_product", args: { sku: fitted }, intent: "product" };
		if (state.shown.length > 1) return whichMeant(lang);
		return {
			kind: "text",
			text: t(lang, `Which piece is it? Tell me (e.g. ${example(persona, lang)}) and I'll check how it fits.`, `¿De qué prenda hablamos? Dime cuál (p. ej. ${example(persona, lang)}) y te digo cómo queda.`),
			intent: "product",
			understood: true
		};
	}
	// "Are they waterproof?" after a list: which of the listed ones say so, whatever is in view.
	if (aboutIt && state.shown.length > 1 && THEY_QUESTION.test(s)) return sideBySide(state);
	// "What colours does it come in?", "¿qué tallas tiene?": about the product in focus, not a search.
	if (state.focus && !state.awaitingConfirmation && QUESTION.test(s) && ATTRIBUTE_QUESTION.test(s) && !WHICH_ONE.test(s) && parsePosition(s) === null && !namesOtherProduct(s))
		return { kind: "tool", name: "get_product", args: { sku: state.focus }, intent: "product" };
	// "What's the polling rate of it?", "¿cuál es la plataforma?": an attribute of what is in view.
	if (!state.awaitingConfirmation && knownAttributeAsked(s) && parsePosition(s) === null) {
		if (state.focus) return { kind: "tool", name: "get_product", args: { sku: state.focus }, intent: "product" };
		if (state.shown.length > 1) return sideBySide(state);
	}
	// "Is it for Switch?", "does it have a warranty card?": about the product in focus, whatever it asks.
	// After an add, "is it long lasting?" is about what was just added.
	const subject = state.focus ?? state.cart.items[state.cart.items.length - 1]?.sku;
	if (aboutIt && subject) return { kind: "tool", name: "get_product", args: { sku: subject }, intent: "product" };
	// "How much is it?": the product in view; after a list, which one.
	if (STOCK_ASKED.test(s) && !namesOtherThan(s, STOCK_ASKED)) {
		if (state.focus) return { kind: "tool", name: "get_product", args: { sku: state.focus }, intent: "product" };
		if (state.shown.length > 1) return sideBySide(state);
		if (subject) return { kind: "tool", name: "get_product", args: { sku: subject }, intent: "product" };
	}
	if (HOW_MUCH.test(s) && !namesOtherThan(s, HOW_MUCH)) {
		if (subject) return { kind: "tool", name: "get_product", args: { sku: subject }, intent: "product" };
		if (state.shown.length > 1) return whichMeant(lang);
	}
	// "How do I use it?", "when will it be back?": what its details say, and what we cannot say.
	// "¿Cuándo llega?" with something in the cart asks when the order arrives, not when a product is back.
	const arrival = /\bcuando (?:me )?llega\b/.test(s) && (state.cart.items.length > 0 || state.lastOrderId !== null);
	const aboutSubject = [HOW_TO_USE, RESTOCK, AGE_ASKED].find(re => re.test(s) && !namesOtherThan(s, re) && !(re === RESTOCK && arrival));
	if (aboutSubject && subject && !NOTIFY.test(s)) return { kind: "tool", name: "get_product", args: { sku: subject }, intent: "product" };
	// "Are they ok for his age?" right after a list: each one's rating, side by side.
	if (aboutSubject === AGE_ASKED && !subject && state.shown.length > 1) return sideBySide(state);
	// "How do I use it?" right after a list, nothing in view: which one.
	if (aboutSubject && !subject && state.shown.length > 1 && !NOTIFY.test(s)) return whichMeant(lang);
	// "Does it have a mic?" right after a list, nothing in view: which of the listed ones do.
	if (aboutIt && state.shown.length > 1) return sideBySide(state);
	// "Do you have it in a bigger size?" right after a list: the listed products' sizes, side by side.
	if (!state.focus && state.shown.length && !state.awaitingConfirmation && QUESTION.test(s) && ATTRIBUTE_QUESTION.test(s) && parsePosition(s) === null && !namesOtherProduct(s))
		return sideBySide(state);
	// "Let me know when it's back": no alert can be set from here; said plainly, with what can be done now.
	if (NOTIFY.test(s) && (RESTOCK.test(s) || /\b(it'?s|its|is) back\b|\b(vuelva|llegue|haya)\b/.test(s)))
		return {
			kind: "text",
			text: t(
				lang,
				"I can't set up back-in-stock alerts from this chat, I'm afraid — ask me again any time and I'll check. Want me to show you something similar?",
				"No puedo activar avisos de reposición desde este chat, perdón — pregúntame cuando quieras y lo reviso. ¿Te muestro algo parecido?"
			),
			intent: "policy",
			understood: true
		};
	// "Too expensive" about the product in view, or the one in the cart: the like of it for less.
	if (TOO_DEAR.test(s) && subject && !state.awaitingConfirmation && !namesOtherThan(s, TOO_DEAR))
		return { kind: "tool", name: "recommend", args: { sku: subject, kind: "similar", cheaper: true }, intent: "recommend" };
	// "Want me to show you something similar?" after a sold-out one: a yes, or "anything like it?", shows that.
	const similar = (state.similarOffered && (YES.test(s) || ADD_IT.test(s))) || (SIMILAR.test(s) && !namesOtherThan(s, SIMILAR));
	if (subject && !state.awaitingConfirmation && similar) return { kind: "tool", name: "recommend", args: { sku: subject, kind: "similar" }, intent: "recommend" };
	// "add it" right after it went in: said twice, or meant once? Asked, not doubled; a yes adds another.
	const justLine = state.justAdded?.length === 1 && !asked ? state.cart.items.find(i => i.sku === state.justAdded![0] && (!state.focus || i.sku === state.focus)) : undefined;
	// "Add it in L" when it went in in M, "add it in pink too" when it went in white: one of those as well.
	const otherSize = justLine?.size !== undefined ? sizeArg(s).size : undefined;
	const otherColour = justLine?.color !== undefined ? colourArg(s).color : undefined;
	const other = { ...(otherSize && otherSize !== justLine?.size ? { size: otherSize } : {}), ...(otherColour && otherColour !== justLine?.color ? { color: otherColour } : {}) };
	if (justLine && Object.keys(other).length && ADD_IT.test(s))
		return { kind: "tool", name: "add_to_cart", args: { sku: justLine.sku, ...variantOf(justLine), ...other }, intent: "add_to_cart" };
	if (justLine && ADD_IT.test(s) && !ANOTHER.test(s) && !/\d/.test(s))
		return {
			kind: "text",
			text: t(lang, `${justLine.name} is already in your cart (${justLine.qty}×) — want one more?`, `${justLine.name} ya está en tu carrito (${justLine.qty}×) — ¿quieres uno más?`),
			intent: "add_to_cart",
			understood: true
		};
	// "One more please", "otra más": another of the product in view, or of the one last put in the cart, in its size.
	const again = ONE_MORE_ONLY.test(s) && !state.awaitingConfirmation ? (state.cart.items.find(i => i.sku === state.focus) ?? state.cart.items[state.cart.items.length - 1]) : undefined;
	if (again) return { kind: "tool", name: "add_to_cart", args: { sku: again.sku, ...variantOf(again) }, intent: "add_to_cart" };
	// A yes to "… is already in your cart (1×) — want one more?": one more, in the same size.
	const oneMore = state.oneMoreOffered ? state.cart.items.find(i => i.sku === state.oneMoreOffered) : undefined;
	if (oneMore && (YES.test(s) || ADD_IT.test(s)))
		return { kind: "tool", name: "add_to_cart", args: { sku: oneMore.sku, ...variantOf(oneMore) }, intent: "add_to_cart" };
	// "Which size?" is pending for the product in focus (it is in the cart without one): a yes is no
	// size. Only when the last reply asked: a product without sizes is in the cart without one too.
	if (asked && state.focus && state.cart.items.some(i => i.sku === state.focus && i.size === undefined) && (YES.test(s) || ADD_IT.test(s)))
		return { kind: "text", text: t(lang, "Which size would you like? Tell me and I'll set it.", "¿Qué talla quieres? Dímela y la anoto."), intent: "choose", understood: true };
	// "Ready to check out?" — "sí": the checkout, not another of the product last looked at.
	if (state.checkoutOffered && state.cart.items.length && YES.test(s) && !ADD_IT.test(s) && parsePosition(s) === null && !parseProductQuery(s.replace(YES, " ")).query)
		return { kind: "tool", name: "checkout", args: {}, intent: "checkout" };
	// After a product's details ("Shall I add it?"): a yes or "add it" adds that product.
	// A yes to "Keep shopping or check out?" right after the add is no second one, nor is "ok, I'll pay".
	const yesToAdd = YES.test(s) && parsePosition(s) === null && !state.justAdded?.includes(state.focus ?? "") && !CHECKOUT.test(s) && !DONE_SHOPPING.test(s);
	if (state.focus && !state.awaitingConfirmation && (ADD_IT.test(s) || yesToAdd)) {
		// "Add it. Also a gift card of 50": that one in the cart, and the other looked for (its colour is its own).
		const also = ALSO.exec(s);
		const add = { name: "add_to_cart", args: { sku: state.focus, ...variantArgs(also ? s.slice(0, also.index) : s) } };
		const more = also ? parseProductQuery(productWords(s.slice(also.index + also[0].length))) : {};
		if (more.query !== undefined) return { kind: "tools", calls: [add, { name: "search_products", args: more }], intent: "add_to_cart" };
		return { kind: "tool", ...add, intent: "add_to_cart" };
	}
	// "Ready", "listo", "confirmo" with the cart filled and nothing offered to add: the checkout, not another of it.
	if (READY.test(s) && state.cart.items.length && !state.awaitingConfirmation) return { kind: "tool", name: "checkout", args: {}, intent: "checkout" };
	// A bare yes or no, a laugh or an "ok cool" with nothing pending is not a product search for "yes".
	if (/^\W*((yes|yep|yeah|yup|sure|ok|okay|k|si|claro|dale|vale|no|nope|nah|cool|nice|great|awesome|perfect|genial|perfecto|bueno|bien|todo|ha(ha)+|ja(ja)+|lol|xd|hmm+|mm+)\W*)+$/.test(s))
		return { kind: "text", text: t(lang, "Sure! What can I find for you?", "¡Claro! ¿Qué te busco?"), intent: "chitchat", understood: true };
	if (asksForHuman(text)) return { kind: "tool", name: "escalate_to_human", args: { reason: "human_requested", summary: text.slice(0, 500) }, intent: "human" };
	// "Are you a bot?": yes, said plainly, with the way to a person.
	if (BOT_QUESTION.test(s))
		return {
			kind: "text",
			text: t(
				lang,
				`I'm ${persona.name}, this shop's AI assistant 🤖 I can find products, answer questions and place your order. If you'd rather talk to a person from our team, just say so.`,
				`Soy ${persona.name}, asistente virtual de esta tienda 🤖 Puedo buscarte productos, responder tus dudas y hacer tu pedido. Si prefieres hablar con una persona de nuestro equipo, solo dímelo.`
			),
			intent: "chitchat",
			understood: true
		};
	// "Where is your store?", "are you open on Sundays?": facts no tool has, so not made up.
	if (STORE_INFO.test(s) && !POLICIES.some(([re]) => re.test(s)))
		return {
			kind: "text",
			text: t(
				lang,
				`I don't have store addresses, opening hours or contact details in this chat, I'm afraid. Someone from our team can tell you: just say "talk to a person". I can help with products, your cart and your orders.`,
				`No tengo direcciones de tiendas, horarios ni datos de contacto en este chat, perdón. Alguien de nuestro equipo te los da: solo escribe "hablar con una persona". Yo te ayudo con productos, tu carrito y tus pedidos.`
			),
			intent: "policy",
			understood: true
		};
	// "Can you gift wrap it?": a service no tool knows of is not promised, nor searched for as a product.
	if (GIFT_WRAP.test(s))
		return {
			kind: "text",
			text: t(
				lang,
				`I can't arrange gift wrapping or a gift note from this chat, I'm afraid. Someone from our team can tell you what's possible: just say "talk to a person".`,
				`No puedo gestionar envoltorio de regalo ni una nota desde este chat, perdón. Alguien de nuestro equipo te dice qué se puede hacer: solo escribe "hablar con una persona".`
			),
			intent: "policy",
			understood: true
		};
	// "Give me 90% off": no discount is made up; the ones that exist are shown.
	if (DISCOUNT_DEMAND.test(s)) return { kind: "tool", name: "list_promotions", args: {}, intent: "promotions" };
	if (CANCEL_ORDER.test(s) || (state.lastOrderId && /\b(cancel (it|that)|cancelarlo|cancelala|cancelalo|anularlo)\b/.test(s))) {
		const id = ORDER_ID.exec(text)?.[1];
		return { kind: "tool", name: "cancel_order", args: id ? { orderId: id } : {}, intent: "cancel_order" };
	}
	if (RETURN_REQUEST.test(s) && !QUESTION.test(s))
		return { kind: "tool", name: "escalate_to_human", args: { reason: "other", summary: `The customer wants to return an item: ${text.slice(0, 400)}` }, intent: "return_request" };
	// "Can I change the delivery address?": an order's details are changed by a person; no tool can.
	if (CHANGE_ORDER.test(s))
		return { kind: "tool", name: "escalate_to_human", args: { reason: "other", summary: `The customer wants to change an order's details: ${text.slice(0, 400)}` }, intent: "change_order" };
	// "The zipper broke", "it never arrived": after-sales care is a person's job, not a search.
	if (PURCHASE_PROBLEM.test(s))
		return { kind: "tool", name: "escalate_to_human", args: { reason: "other", summary: `The customer reports a problem with a purchase: ${text.slice(0, 400)}` }, intent: "complaint" };
	// "where is my order?", or just its id ("order ord_e91f…").
	// "Complete my order" names an order, but the one in the cart: the checkout, below.
	if ((ORDER_STATUS.test(s) && !CHECKOUT.test(s)) || ORDER_ID.test(text)) {
		const id = ORDER_ID.exec(text)?.[1];
		return { kind: "tool", name: "order_status", args: id ? { orderId: id } : {}, intent: "order_status" };
	}
	const policy = QUESTION.test(s) ? POLICIES.find(([re]) => re.test(s)) : undefined;
	// "When will it arrive?" after an order: where that order is, and how long delivery takes.
	if (policy?.[1] === "delivery" && state.lastOrderId)
		return {
			kind: "tools",
			calls: [
				{ name: "order_status", args: { orderId: state.lastOrderId } },
				{ name: "store_policy", args: { topic: "delivery" } }
			],
			intent: "order_status"
		};
	if (policy) return { kind: "tool", name: "store_policy", args: { topic: policy[1] }, intent: "policy" };
	const offered = state.codesOffered ?? [];
	const applyIt = offered.length > 0 && /\b(apply (it|that|this|one)|use (it|that|this|one)|aplicalo|aplicala|usalo|usala)\b/.test(s);
	const code = promoCodeIn(s) ?? (state.codeAsked ? BARE_CODE.exec(s)?.[1]?.toUpperCase() : undefined) ?? (applyIt && offered.length === 1 ? offered[0] : undefined);
	if (!code && applyIt)
		return {
			kind: "text",
			text: t(lang, `Which code — ${joinWith(offered, "or")}?`, `¿Qué código — ${joinWith(offered, "o")}?`),
			intent: "promo_code",
			understood: true
		};
	if (code) return { kind: "tool", name: "apply_promo_code", args: { code }, intent: "promo_code" };
	// "I'll pay with PayPal", or "con tarjeta" with a cart to pay: whether we take it, then the order to confirm.
	if ((CHECKOUT.test(s) || (state.cart.items.length > 0 && !QUESTION.test(s))) && PAYMENT_ASKED.test(s))
		return {
			kind: "tools",
			calls: [
				{ name: "store_policy", args: { topic: "payment" } },
				{ name: "checkout", args: {} }
			],
			intent: "checkout"
		};
	// "Buy it" with an empty cart and a list shown, nothing in view: which one, not "your cart is empty".
	if (CHECKOUT.test(s) && !state.cart.items.length && !state.focus && state.shown.length > 1 && /\bbuy (it|this)\b/.test(s) && parsePosition(s) === null) return whichOfList(1, lang);
	if (CHECKOUT.test(s)) return { kind: "tool", name: "checkout", args: {}, intent: "checkout" };
	const position = parsePosition(s);
	if (EMPTY_CART.test(s)) {
		const items = state.cart.items;
		if (!items.length) return alreadyEmpty(lang);
		return { kind: "tools", calls: items.map(i => ({ name: "remove_from_cart", args: { sku: i.sku, ...variantOf(i) } })), intent: "remove_from_cart" };
	}
	if (REMOVE.test(s)) {
		const items = state.cart.items;
		const byPosition = position !== null ? pick(items, position) : undefined;
		// The product words of "remove the sofa": a cart line must have one of them, or it is not the one meant.
		const named = position === null ? (parseProductQuery(s.replace(new RegExp(REMOVE.source, "g"), " ")).query?.split(" ") ?? []) : [];
		// The line with the most of the words said: "the denim jacket" is not the leather jacket before it.
		const nameScore = (i: (typeof items)[number]) => fold(i.name).split(/\s+/).filter(w => (w.length > 3 && s.includes(w)) || named.includes(singular(w))).length;
		const scores = items.map(nameScore);
		const top = Math.max(0, ...scores);
		// "Remove the jacket" with two jackets in the cart: which one is asked, not guessed, unless a
		// size said tells them apart ("the linen shirt in XL").
		const best = items.filter((_, n) => scores[n] === top);
		const sizeSaid = top > 0 && best.length > 1 ? sizeNamed(s, best.flatMap(i => (i.size ? [i.size] : []))) : null;
		const sized = sizeSaid ? best.filter(i => i.size === sizeSaid) : [];
		const tied = top > 0 && best.length > 1 && sized.length !== 1;
		const byName = top > 0 && !tied ? (sized[0] ?? best[0]) : undefined;
		// "undo" takes back the add just made; "put it back" the product talked about, else that add.
		const justAdded = items.find(i => state.justAdded?.includes(i.sku));
		const inFocus = items.find(i => i.sku === state.focus);
		const byReference = named.length ? undefined : /\bundo\b/.test(s) ? (justAdded ?? inFocus) : REMOVE_IT.test(s) ? (inFocus ?? justAdded) : undefined;
		// "Remove the grey one": the line in that colour, when only one is.
		const colour = parseProductQuery(s).color;
		const inColour = colour ? items.filter(i => i.color !== undefined && colourNamed(colour, [i.color]) !== undefined) : [];
		const byColour = inColour.length === 1 ? inColour[0] : undefined;
		const target = byPosition ?? byColour ?? byName ?? byReference ?? (items.length === 1 && !named.length ? items[0] : undefined);
		// "Remove one" of a line of two takes one off, not the line.
		const count = REMOVE_COUNT.exec(s)?.[1];
		const qty = count ? (NUMBER_WORDS[count] ?? Number(count)) : undefined;
		if (target)
			return {
				kind: "tool",
				name: "remove_from_cart",
				args: { sku: target.sku, ...variantOf(target), ...(qty && qty < target.qty ? { qty } : {}) },
				intent: "remove_from_cart"
			};
		if (named.length && items.length && !tied)
			return {
				kind: "text",
				text: t(lang, `I don't see a ${named.join(" ")} in your cart — it has: ${listCart(state)}`, `No veo eso en tu carrito — tiene: ${listCart(state)}`),
				intent: "remove_from_cart",
				understood: true
			};
		if (!items.length) return alreadyEmpty(lang);
		return { kind: "text", text: t(lang, "Which item should I remove? " + listCart(state), "¿Qué producto quito? " + listCart(state)), intent: "remove_from_cart", understood: tied };
	}
	if (CART.test(s) && !ADD.test(s)) return { kind: "tool", name: "view_cart", args: {}, intent: "view_cart" };
	// "x2" alone, right after an add: that many of it.
	const newQty = NEW_QTY.exec(s) ?? (state.cart.items.length ? /^\W*(?:x\s*(\d{1,2})|(\d{1,2})\s*x)\W*$/.exec(s)?.filter(Boolean).slice(0, 2) ?? null : null);
	// "Make it 43": no count goes that high (the tool takes 20 at most); a size of the line or product in view.
	const sizeNotCount = newQty && Number(newQty[1]) > 20 && !state.awaitingConfirmation ? (state.focus ?? lastLineOf(state)?.sku) : undefined;
	if (sizeNotCount) return { kind: "tool", name: "add_to_cart", args: { sku: sizeNotCount, size: newQty![1]! }, intent: "add_to_cart" };
	const lastLine = lastLineOf(state);
	if (newQty && lastLine) {
		const wanted = NUMBER_WORDS[newQty[1]] ?? Number(newQty[1]);
		const sized = variantOf(lastLine);
		if (wanted > lastLine.qty) return { kind: "tool", name: "add_to_cart", args: { sku: lastLine.sku, qty: wanted - lastLine.qty, ...sized }, intent: "add_to_cart" };
		if (wanted < lastLine.qty) return { kind: "tool", name: "remove_from_cart", args: { sku: lastLine.sku, qty: lastLine.qty - wanted, ...sized }, intent: "remove_from_cart" };
		return { kind: "text", text: t(lang, `You already have ${wanted} × ${lastLine.name} in your cart.`, `Ya tienes ${wanted} × ${lastLine.name} en tu carrito.`), intent: "add_to_cart", understood: true };
	}
	// "make it 3" before anything is in the cart: that many of the product in view, or of the one
	// still to be chosen from the list ("Which one would you like 2 of?").
	const wanted = newQty ? (NUMBER_WORDS[newQty[1]] ?? Number(newQty[1])) : 0;
	if (wanted >= 1 && !state.awaitingConfirmation) {
		const target = state.focus ?? (state.shown.length === 1 ? state.shown[0]!.sku : undefined);
		if (target) return { kind: "tool", name: "add_to_cart", args: { sku: target, ...(wanted > 1 ? { qty: wanted } : {}), ...variantArgs(s) }, intent: "add_to_cart" };
		if (state.shown.length) return whichOfList(wanted, lang);
	}
	if (newQty && wanted === 0 && !state.cart.items.length) return alreadyEmpty(lang);
	const several = state.shown.length ? (parsePositions(s, state.shown.length) ?? (listed ? namedSeveral(s, listed) : null)) : null;
	if (several) {
		const chosen = several.map(p => pick(state.shown, p)).filter((x): x is { position: number; sku: string } => x !== undefined);
		// "What's the difference between the first and the second?": both, side by side.
		const asks = DETAILS.test(s) || COMPARE.test(s) || (QUESTION.test(s) && !ADD.test(s));
		if (chosen.length === several.length)
			return asks
				? { kind: "tools", calls: chosen.map(c => ({ name: "get_product", args: { sku: c.sku } })), intent: "product" }
				: { kind: "tools", calls: chosen.map(c => ({ name: "add_to_cart", args: { sku: c.sku } })), intent: "add_to_cart" };
	}
	if (!several && BOTH.test(s) && state.shown.length > 2)
		return {
			kind: "text",
			text: t(lang, `Which two? I showed ${state.shown.length} — say e.g. "the first and the third".`, `¿Cuáles dos? Te mostré ${state.shown.length} — dime p. ej. "la primera y la tercera".`),
			intent: "choose",
			understood: true
		};
	if (position !== null && state.shown.length) {
		const chosen = pick(state.shown, position);
		if (!chosen)
			return {
				kind: "text",
				text: t(lang, `I only showed ${countOf(state.shown.length, "option", "options")} — which one do you mean?`, `Solo te mostré ${countOf(state.shown.length, "opción", "opciones")} — ¿cuál quieres?`),
				intent: "choose",
				understood: false
			};
		// "Compare it with the second": the one in view and that one, side by side.
		if (COMPARE.test(s)) {
			const skus = state.focus && state.focus !== chosen.sku ? [state.focus, chosen.sku] : [chosen.sku];
			return { kind: "tools", calls: skus.map(sku => ({ name: "get_product", args: { sku } })), intent: "product" };
		}
		// "Is the first one good for dry skin?" asks about it; it does not buy it.
		if (DETAILS.test(s) || (QUESTION.test(s) && !ADD.test(s))) return { kind: "tool", name: "get_product", args: { sku: chosen.sku }, intent: "product" };
		// "3 units", "x3", and "3 of the first", "ponme tres de la primera".
		const qty = /\b(\d{1,2})\s*(?:x|units?|pieces?|of them|unidades)\b|\bx\s*(\d{1,2})\b|\b(\d{1,2}|two|three|four|five|dos|tres|cuatro|cinco) (?:of|de) (?:the|la|el|los|las)\b/.exec(s);
		const count = qty?.[1] ?? qty?.[2] ?? qty?.[3];
		const n = count ? (NUMBER_WORDS[count] ?? Number(count)) : (state.pendingQty ?? 1);
		return { kind: "tool", name: "add_to_cart", args: { sku: chosen.sku, ...(n > 1 ? { qty: n } : {}), ...variantArgs(s) }, intent: "add_to_cart" };
	}
	// "Which one is wireless?" asks which of them are, and their names may not tell (every headset may be
	// wireless, one named so): side by side, what each one's details say. "Which one is the leather
	// one?" names one.
	if (state.shown.length > 1 && WHICH_FEATURE.test(s) && !/\b(?:the|el|la) [a-z0-9 -]+ (?:one|uno|una)\b/.test(s) && featureAsked(s).length && !RANKING.test(s.replace(WHICH_FEATURE, " ")))
		return sideBySide(state);
	// "la de 50", "the leather one": a product of the list named by its price or its own words.
	const named = (listed ? chooseListed(s, listed) : null) ?? chooseByPrice(s, priced);
	const chosen = named !== null ? pick(state.shown, named) : undefined;
	if (chosen) {
		const choosing = ADD.test(s) || /\b(one|ones|la de|el de|las de|los de|esa|ese|esta|este)\b/.test(s);
		return choosing && !(DETAILS.test(s) || (QUESTION.test(s) && !ADD.test(s)))
			? { kind: "tool", name: "add_to_cart", args: { sku: chosen.sku, ...variantArgs(s) }, intent: "add_to_cart" }
			: { kind: "tool", name: "get_product", args: { sku: chosen.sku }, intent: "product" };
	}
	// "Which one is 4K?" named it: the named one (above). "Which one has the most RAM?", "compare them": side by side.
	if (state.shown.length > 1 && (WHICH_ONE.test(s) || COMPARE.test(s) || PICK_ASKED.test(s)))
		return sideBySide(state);
	// "Something with a good camera" after a list of phones: theirs, side by side, the biggest named.
	if (state.shown.length > 1 && [GOOD_ATTRIBUTE, SMALL_ATTRIBUTE].some(r => r.test(s) && !namesOtherThan(s, r))) return sideBySide(state);
	// With one product shown there is nothing to rank: "which one has the longest battery?" is about it.
	const only = state.shown.length === 1 ? state.shown[0]!.sku : undefined;
	if (only && (state.focus ?? only) === only && WHICH_ONE.test(s) && RANKING.test(s))
		return { kind: "tool", name: "get_product", args: { sku: only }, intent: "product" };
	// "What do you sell?", "I want something nice": with nothing else said, our picks (a budget kept).
	if (BROWSE.test(s)) {
		const asked = parseProductQuery(productWords(s.replace(new RegExp(BROWSE.source, "g"), " ")));
		if (asked.query === undefined && asked.color === undefined) return { kind: "tool", name: "recommend", args: recommendFilters(asked), intent: "recommend" };
	}
	// "add 2 of those", "I'll take one": an add that names no product adds the one in view, or asks which.
	if ((ADD.test(s) || ADD_IT.test(s)) && !Object.keys(parseProductQuery(s.replace(ADD_IT_ALL, " ").replace(ADD_ALL, " "))).length) {
		const target = state.focus ?? (state.shown.length === 1 ? state.shown[0]!.sku : undefined);
		const count = /\b(\d{1,2}|one|two|three|four|five|uno|una|dos|tres|cuatro|cinco)\b/.exec(s)?.[1];
		const qty = count ? (NUMBER_WORDS[count] ?? Number(count)) : 1;
		if (target) return { kind: "tool", name: "add_to_cart", args: { sku: target, ...(qty > 1 ? { qty } : {}), ...variantArgs(s) }, intent: "add_to_cart" };
		if (state.shown.length) return whichOfList(qty, lang);
		return { kind: "text", text: t(lang, `What shall I add? Tell me the product, e.g. ${example(persona, lang)}.`, `¿Qué agrego? Dime el producto, p. ej. ${example(persona, lang)}.`), intent: "choose", understood: true };
	}
	const anchor = state.focus ?? state.cart.items[state.cart.items.length - 1]?.sku;
	if (COMPLEMENT.test(s) && anchor && !namesOtherThan(s, COMPLEMENT))
		return { kind: "tool", name: "recommend", args: { sku: anchor, kind: "complementary" }, intent: "recommend" };
	// "What shoes would go with it?": the product in view looked up first (the reply names it), then those shoes (below).
	if (anchor && wantedToGoWith(s)) return { kind: "tool", name: "get_product", args: { sku: anchor }, intent: "recommend" };
	// "What goes well with a white dress?": that dress looked up first, then what goes with it (below).
	const base = goesWithNamed(s);
	if (base) return { kind: "tool", name: "search_products", args: base, intent: "recommend" };
	// "What goes well with them?" right after a list, nothing in view: which one.
	if (COMPLEMENT.test(s) && !anchor && state.shown.length > 1 && !namesOtherThan(s, COMPLEMENT)) return whichMeant(lang);
	if (RECOMMEND.test(s)) {
		// "What moisturiser do you recommend for dry skin?" names what to look for: a search for it.
		const asked = withAge(parseProductQuery(s.replace(new RegExp(RECOMMEND.source, "g"), " ").replace(FOR_SOMEONE_G, " ")), s);
		if (asked.query) return { kind: "tool", name: "search_products", args: asked, intent: "recommend" };
		return { kind: "tool", name: "recommend", args: recommendFilters(asked), intent: "recommend" };
	}
	// "Compare the AirBook 13 and the WorkMate 15": each looked up on its own, then side by side.
	const compared = comparedNames(s);
	if (compared) return { kind: "tools", calls: compared.map(query => ({ name: "search_products", args: query })), intent: "product" };
	// "the biker jacket in M and the chelsea boots in 42": each product looked up on its own.
	const parts = compoundAdd(s);
	if (parts) return { kind: "tools", calls: parts.map(p => ({ name: "search_products", args: p.query })), intent: "add_to_cart" };
	// "I need a sofa, a rug and a floor lamp": one at a time, the first first; the reply names the others.
	const kinds = kindsAsked(s);
	if (kinds && !state.awaitingConfirmation) return { kind: "tool", name: "search_products", args: kinds[0]!.query, intent: "search" };
	const forIt = wantedForIt(s);
	if (forIt?.query) {
		const anchor = state.focus ?? state.cart.items[state.cart.items.length - 1]?.sku;
		return anchor ? { kind: "tool", name: "get_product", args: { sku: anchor }, intent: "recommend" } : { kind: "tool", name: "search_products", args: forIt, intent: "search" };
	}
	const swapped = anotherNeed(s, earlier, lang, persona);
	if (swapped) return { kind: "tool", name: "search_products", args: swapped, intent: "search" };
	// "ok add the linen shirt in M": the product's words are what to search; the add and the size come after.
	// "a scarf for my mom": the scarf is what to search; "for my mom" and "gift" name no product.
	const own = withAge(parseProductQuery(productWords(s.replace(FOR_SOMEONE_G, " ").replace(NEW_HOME_G, " "))), s);
	const refines = own.color !== undefined || own.maxPrice !== undefined || own.minPrice !== undefined || own.sort !== undefined;
	const addsWords = own.query !== undefined && SOMETHING_LIKE.test(s) && !FOR_SOMEONE.test(s);
	const query = refines || addsWords ? refine(own, earlier, lang, persona, addsWords) : own;
	const hasProductWords = query.query !== undefined || refines;
	// "any deals today?" asks for the promotions; "dresses on sale" is a search (its results show them).
	if (DEALS.test(s) && !hasProductWords) return { kind: "tool", name: "list_promotions", args: {}, intent: "promotions" };
	if (THANKS.test(s) && !hasProductWords)
		return { kind: "text", text: `${t(lang, "You're welcome!", "¡De nada!")} ${persona.signOff[lang]}`, intent: "thanks", understood: true };
	// "I'll be back later": the farewell's own words ("back", "later") are no product.
	if (BYE.test(s) && !refines && parseProductQuery(productWords(s.replace(new RegExp(BYE.source, "g"), " "))).query === undefined)
		return { kind: "text", text: `${t(lang, "Bye for now!", "¡Hasta pronto!")} ${persona.signOff[lang]}`, intent: "goodbye", understood: true };
	// "Hi! I'm moving into a new flat": the news gets an answer (our picks), after the greeting.
	if (GREETING.test(s) && !hasProductWords && !NEW_HOME.test(s)) return greetingOnly(state, lang, persona);
	// "What can you do?", "huh?", "no entiendo": what this chat is for, said plainly (understood: it
	// answers the question, so a confused customer is not counted as misunderstood twice and handed over).
	if ((HELP_ASKED.test(s) && !hasProductWords) || CONFUSED.test(s))
		return {
			kind: "text",
			text: t(
				lang,
				`I can find products for you (e.g. ${example(persona, lang)}), tell you about them, put them in your cart and place your order, and check on an order. Just tell me what you're after — or say "talk to a person" for someone from our team.`,
				`Puedo buscarte productos (p. ej. ${example(persona, lang)}), contarte sobre ellos, ponerlos en tu carrito y hacer tu pedido, y ver cómo va un pedido. Dime qué buscas — o escribe "hablar con una persona" para alguien de nuestro equipo.`
			),
			intent: "help",
			understood: true
		};
	// "Do you have it in white?" with a product in view: its colours, not the last search again in white.
	const inView = subject ?? (state.shown.length === 1 ? state.shown[0]!.sku : undefined);
	if (own.query === undefined && own.color !== undefined && inView && !aboutThePhoto(message) && (state.colourAnswered || /\b(this|it|that|esto|eso|este|esta|ese|esa|lo|la)\b/.test(s)))
		return { kind: "tool", name: "get_product", args: { sku: inView }, intent: "product" };
	// "Do you have this in blue?" with nothing in view and nothing searched before: what "this" is, asked.
	if (own.query === undefined && own.color !== undefined && query.query === undefined && !subject && !state.shown.length && !aboutThePhoto(message) && /\b(this|it|that|these|those|esto|eso|este|esta|ese|esa)\b/.test(s))
		return {
			kind: "text",
			text: t(lang, `Which product would you like in ${own.color}? Tell me what it is, e.g. ${example(persona, lang)}.`, `¿Qué producto quieres en ese color? Dime cuál, p. ej. ${example(persona, lang)}.`),
			intent: "search",
			understood: true
		};
	// "Something nice for my mom", "a gift under $50": nothing named to search for, so our picks (within the budget).
	if ((FOR_SOMEONE.test(s) || NEW_HOME.test(s) || own.forAge !== undefined) && own.query === undefined) return { kind: "tool", name: "recommend", args: recommendFilters(own), intent: "recommend" };
	// "Does the ProBook 16 have a backlit keyboard?": the ProBook 16 looked up; its details answer the rest.
	const productNamed = namedQuestion(s);
	if (productNamed) return { kind: "tool", name: "search_products", args: productNamed.query, intent: "product" };
	// "A dress for a wedding, size M": only what comes in M (tried again without it when nothing does).
	// Not for one product asked for ("add the satin slip dress in XS", "the linen shirt in size S"):
	// the add says it does not come in that size, and which sizes it does.
	const browsing = !ADD.test(s) && !/^\W*(?:and |y )?(?:the|el|la) /.test(s);
	if (hasProductWords) return { kind: "tool", name: "search_products", args: { ...query, ...(browsing ? searchSize(s) : {}) }, intent: "search" };
	return {
		kind: "text",
		text: t(
			lang,
			`Sorry, I didn't catch that. You can ask me for a product (e.g. ${example(persona, lang)}), your cart, or your order.`,
			`Perdón, no te entendí. Puedes pedirme un producto (p. ej. ${example(persona, lang)}), tu carrito o tu pedido.`
		),
		intent: "unknown",
		understood: false
	};
}

/** What we cannot open (photos, links) is asked about in words. */
function askWhatItIs([en, es]: [string, string], lang: Lang, persona: Persona): Decision {
	return {
		kind: "text",
		text: t(
			lang,
			`I can't open ${en} in this chat, sorry — what is it? Tell me in words (e.g. ${example(persona, lang)}) and I'll find it.`,
			`No puedo abrir ${es} en este chat, perdón — ¿qué es? Dímelo con palabras (p. ej. ${example(persona, lang)}) y te lo busco.`
		),
		intent: "media",
		understood: true
	};
}

/**
 * Which listed product a question about "it" is about. Asked in words of its own (`WHICH_MEANT`), so
 * that the pick answers the question (`questionPicked`) and does not add the product.
 */
function whichMeant(lang: Lang): Decision {
	return {
		kind: "text",
		text: t(lang, `Which one do you mean? Tap it in the list, or say e.g. "the first one".`, `¿Cuál dices? Tócalo en la lista, o dime p. ej. "el primero".`),
		intent: "choose",
		understood: true
	};
}
const WHICH_MEANT = /^(?:Which one do you mean\? Tap it in the list|¿Cuál dices\? Tócalo en la lista)/;

/**
 * The product a pick names ("the second one", "the oversized one", a tap on the list) when the last
 * reply asked which one a question was about: the question is then answered about it.
 */
function questionPicked(text: string, lastReply: string, state: BrainState, listed: ListedLine[] | null, priced: PricedLine[]): string | undefined {
	if (!WHICH_MEANT.test(lastReply) || state.shown.length < 2) return undefined;
	const tap = /\[tap product:([^\]]+)\]/.exec(text)?.[1];
	if (tap) return tap;
	const s = emojiMeaning(fold(text).trim());
	// "Add the second one" chooses to buy; "and the sofa?" or a longer message says something new.
	if (ADD.test(s) || REMOVE.test(s) || CART.test(s) || s.split(/\s+/).length > 6) return undefined;
	const position = parsePosition(s) ?? (listed ? chooseListed(s, listed) : null) ?? chooseByPrice(s, priced);
	return position === null ? undefined : pick(state.shown, position)?.sku;
}

/** Which listed product an add without one is for; the quantity asked is kept for the answer (`askedQty`). */
function whichOfList(qty: number, lang: Lang): Decision {
	return {
		kind: "text",
		text:
			qty > 1
				? t(lang, `Which one would you like ${qty} of? Tap it in the list, or say e.g. "the first one".`, `¿De cuál quieres ${qty}? Tócalo en la lista, o dime p. ej. "el primero".`)
				: t(lang, `Which one? Tap it in the list, or say e.g. "the first one".`, `¿Cuál? Tócalo en la lista, o dime p. ej. "el primero".`),
		intent: "choose",
		understood: true
	};
}

function greetingOnly(state: BrainState, lang: Lang, persona: Persona): Decision {
	const text = state.greet
		? persona.greeting[lang]
		: t(lang, `Hi again! ${persona.name} here — what can I find for you?`, `¡Hola de nuevo! Soy ${persona.name} — ¿qué te busco?`);
	return { kind: "text", text, intent: "greeting", understood: true };
}

/** A "no" to a question the seller asked: nothing changes, and the customer hears so. */
const declined = (text: string, intent: string): Decision => ({ kind: "text", text, intent, understood: true });

const cancelCheckout = (lang: Lang): Decision =>
	declined(t(lang, "No problem — your cart is saved. Anything else you'd like to look at?", "Sin problema — tu carrito queda guardado. ¿Quieres ver algo más?"), "cancel_checkout");

const alreadyEmpty = (lang: Lang): Decision => ({ kind: "text", text: t(lang, "Your cart is already empty.", "Tu carrito ya está vacío."), intent: "remove_from_cart", understood: true });
const keepOrder = (lang: Lang): Decision =>
	declined(t(lang, "OK — your order stays as it is. Anything else I can help with?", "Perfecto — tu pedido sigue en pie. ¿Te ayudo con algo más?"), "keep_order");

function listCart(state: BrainState): string {
	return state.cart.items.map((i, n) => `${n + 1}. ${lineName(i)} ×${i.qty}`).join(", ");
}

function productLines(products: ProductOut[], lang: Lang): string {
	return products
		.map((p, i) => {
			const promo = p.promotion ? ` → ${p.promotion.priceText} (${p.promotion.percentOff}% off, code ${p.promotion.code})` : "";
			const soldOut = p.stock > 0 ? "" : ` (${t(lang, "sold out", "agotado")})`;
			return `${i + 1}. ${p.name} — ${p.priceText}${promo}${soldOut}`;
		})
		.join("\n");
}

/** A line of the product list in the brain's last reply, as `productLines` wrote it. */
interface ListedLine {
	name: string;
	/** Minor units; the promotion's price too, when it had one. */
	prices: number[];
}

/** "2. Black Denim Jacket — $65.00" or "… — $50.00 → $40.00": a product line our replies number. */
const NUMBERED_LINE = /^(\d+)\. (.+?) — (\$[\d,]+\.\d{2})(?: → (\$[\d,]+\.\d{2}))?( \((?:sold out|agotado)\))?/gm;
const centsOf = (text: string) => Math.round(Number(text.replace(/[$,]/g, "")) * 100);

/**
 * The numbered list of the last reply ("2. Gaming Gift Card $50 — $50.00"), when it is the list the
 * conversation holds as `shown` (same length): the names and prices "la de 50" or "the leather
 * one" choose from. The conversation keeps only the SKUs, so the words come from what was said.
 */
function listedLines(lastReply: string, shown: number): ListedLine[] | null {
	const lines = [...lastReply.matchAll(NUMBERED_LINE)];
	if (!shown || lines.length !== shown || lines.some((m, i) => Number(m[1]) !== i + 1)) return null;
	return lines.map(m => ({ name: m[2]!, prices: [m[3], m[4]].filter((x): x is string => !!x).map(centsOf) }));
}

/**
 * The reply whose numbered products are in view: the last one when it numbered any (a list, or two
 * of it side by side), else the latest earlier one that numbered as many as are shown ("¿y la más
 * cara?", "the arc or the brass?" after the details of one of them are still about that list).
 */
function replyInView(history: ChatMessage[], shown: number): string {
	const replies = history.filter(m => m.role === "assistant" && m.content).map(m => m.content ?? "").reverse();
	const numbered = (r: string) => [...r.matchAll(NUMBERED_LINE)].length;
	if (!replies.length || numbered(replies[0]!)) return replies[0] ?? "";
	const earlier = replies.find(r => numbered(r) > 0);
	return earlier && numbered(earlier) === shown ? earlier : "";
}

/** "The arc or the brass?", "compare the leather and the denim": listed products named by their own words. */
function namedSeveral(s: string, lines: ListedLine[]): number[] | null {
	const parts = s.split(/\s*,\s*|\s+(?:or|and|vs|versus|o|y)\s+/);
	if (parts.length < 2) return null;
	const picks = [...new Set(parts.map(part => chooseListed(part, lines)).filter((n): n is number => n !== null))];
	return picks.length >= 2 ? picks.slice(0, COMPARE_MAX) : null;
}

/** A numbered product line of the last reply (a list, or two of it side by side): its number there and price. */
interface PricedLine {
	n: number;
	/** Minor units, the promotion's price when it had one. */
	price: number;
	soldOut: boolean;
}

function pricedLines(lastReply: string): PricedLine[] {
	return [...lastReply.matchAll(NUMBERED_LINE)].map(m => ({ n: Number(m[1]), price: centsOf((m[4] ?? m[3])!), soldOut: m[5] !== undefined }));
}


/** A price rank that wants the dearer end; any other price rank wants the cheaper. */
const DEARER = /\b(more expensive|pricier|priciest|most expensive|mas car[oa]s?)\b/;
const PRICE_RANKS = "cheaper|cheapest|less expensive|least expensive|most affordable|more expensive|most expensive|pricier|priciest";
/**
 * A product of a list picked by its price: "I'll go with the cheaper one", "la más barata", and
 * the questions "which is cheapest?", "which of them is the most expensive?" (nothing after the
 * rank: "what's the cheapest laptop?" after a list of phones is a new search).
 */
const PRICE_RANKED = new RegExp(
	`\\b(?:(?:the|that)\\s+(${PRICE_RANKS})\\s+(?:one|option)\\b|(?:which|what)(?:\\s+one|\\s+of (?:them|these|those))?(?:\\s+is|'s|s)?\\s+(?:the\\s+)?(${PRICE_RANKS})(?:\\s+(?:one|option|of (?:them|these|those)))?[\\s?.!]*$|(?:la|el)\\s+(?:opcion\\s+)?(mas\\s+(?:barat|econom|car)[a-z]*)\\b)`
);

/** "low" for the cheapest, "high" for the priciest a message picks by price; null when it does not. */
function priceRank(s: string): "low" | "high" | null {
	const m = PRICE_RANKED.exec(s);
	const by = m?.[1] ?? m?.[2] ?? m?.[3];
	return by ? (DEARER.test(by) ? "high" : "low") : null;
}

/**
 * The cheapest (or priciest) of the products the last reply numbered, by its number there; null
 * when the message does not choose by price or two tie.
 */
function chooseByPrice(s: string, lines: PricedLine[]): number | null {
	const rank = priceRank(s);
	if (!rank || lines.length < 2) return null;
	// The cheapest one that can be bought: a sold-out one is not a choice while another is in stock.
	const buyable = lines.some(l => !l.soldOut) ? lines.filter(l => !l.soldOut) : lines;
	const target = rank === "low" ? Math.min(...buyable.map(l => l.price)) : Math.max(...buyable.map(l => l.price));
	const hits = buyable.filter(l => l.price === target);
	return hits.length === 1 ? hits[0]!.n : null;
}

/**
 * The one listed product a message names by its price ("la de 50", "the $25 one") or by words only
 * its name has ("the leather one"); null when none or several fit. A word no listed name has
 * ("wireless headphones" beside a wireless controller) makes it a new search, not a choice.
 */
export function chooseListed(text: string, lines: ListedLine[]): number | null {
	const s = fold(text);
	const unique = (fits: (l: ListedLine) => boolean) => {
		const hits = lines.flatMap((l, i) => (fits(l) ? [i + 1] : []));
		return hits.length === 1 ? hits[0]! : null;
	};
	// "the denim one", "la de 50": the words between name the product, whatever else is asked.
	const marked =
		/\b(?:the|that|this)\s+((?:[a-z0-9$.,'-]+\s+){0,2}?[a-z0-9$.,'-]+)\s+ones?\b/.exec(s)?.[1] ?? /\b(?:la|el|las|los|esa|ese)\s+del?\s+(\$?[a-z0-9.,-]+)/.exec(s)?.[1];
	const query = parseProductQuery(marked ?? s);
	if (!marked && (query.color || query.minPrice !== undefined || query.maxPrice !== undefined || query.sort)) return null;
	for (const m of (marked ?? s).matchAll(/(?<![\w.])\$?\s?(\d{1,6})(?:[.,](\d{2}))?(?![\w.%])/g)) {
		const whole = Number(m[1]);
		const exact = whole * 100 + Number(m[2] ?? 0);
		const byPrice = unique(l => l.prices.some(p => (m[2] ? p === exact : Math.floor(p / 100) === whole)) || new RegExp(`\\$${whole}(?!\\d)`).test(l.name));
		if (byPrice) return byPrice;
		// "the 14" after the ProBook 14 and the ProBook 16: the model number in one name only.
		const byModel = m[2] ? null : unique(l => fold(l.name).split(/[^a-z0-9]+/).includes(m[1]!));
		if (byModel) return byModel;
	}
	const words = marked ? marked.split(/\s+/).filter(w => !STOPWORDS.has(w) && !/\d/.test(w)).map(w => singular(lookupEs(NOUNS_ES, w) ?? lookupEs(FEATURES_ES, w) ?? w)) : (query.query?.split(" ") ?? []);
	if (!words.length) return null;
	const nameWords = (l: ListedLine) => fold(l.name).split(/[^a-z0-9]+/).map(singular);
	return unique(l => words.every(w => nameWords(l).includes(w)));
}

function itemLines(cart: { items: { name: string; size?: string; qty: number; lineTotalText: string }[] }): string {
	return cart.items.map(i => `• ${lineName(i)} ×${i.qty} — ${i.lineTotalText}`).join("\n");
}

function cartLines(cart: { items: { name: string; qty: number; lineTotalText: string }[]; totalText: string }, lang: Lang): string {
	return `${itemLines(cart)}\n${t(lang, "Total", "Total")}: ${cart.totalText}`;
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
		case "unknown_size":
			return {
				text: output.sizes.length
					? t(
							lang,
							`Sorry, ${output.name} doesn't come in ${output.size}. Sizes: ${sizesSmallestFirst(output.sizes).join(", ")}.`,
							`Perdón, ${output.name} no viene en ${output.size}. Tallas: ${sizesSmallestFirst(output.sizes).join(", ")}.`
						)
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
		case "promo_needs_cart":
			return { text: t(lang, "Add something to your cart first, and I'll apply the code to it.", "Agrega algo a tu carrito primero y le aplico el código."), understood: true };
		case "promo_refused": {
			const c = output.promoCode;
			const why: Record<string, [string, string]> = {
				unknown: [`I don't know the code ${c} — could you check it?`, `No conozco el código ${c} — ¿puedes revisarlo?`],
				expired: [`Sorry, ${c} has expired.`, `Perdón, ${c} ya venció.`],
				not_started: [`${c} isn't active yet.`, `${c} todavía no está activo.`],
				out_of_scope: [`${c} doesn't apply to what's in your cart.`, `${c} no aplica a lo que tienes en el carrito.`],
				below_minimum: [`${c} needs a bigger order — add a bit more and I'll apply it.`, `${c} necesita un pedido mayor — agrega algo más y lo aplico.`]
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
		case "no_order":
			return { text: t(lang, "I can't find an order of yours yet. Want to place one?", "Todavía no encuentro un pedido tuyo. ¿Hacemos uno?"), understood: true };
		case "unknown_product":
			return { text: t(lang, "Sorry, I can't find that product anymore. Want to search again?", "Perdón, ya no encuentro ese producto. ¿Buscamos de nuevo?"), understood: false };
	}
	if (tool === "checkout" && /empty/i.test(output.error))
		return { text: t(lang, "Your cart is empty — want me to show you a few things?", "Tu carrito está vacío — ¿te muestro algunas cosas?"), understood: true };
	return { text: t(lang, "Sorry, I couldn't do that just now.", "Perdón, no pude hacerlo ahora mismo."), understood: false };
}

/** What joins the items of a list ("a, b and c", "a y b"). */
const LIST_SEPARATOR = /\s*(?:,|;|&|\band\b|\by\b|\bplus\b|\balso\b|\btambien\b)\s*/;

/**
 * "I want the biker leather jacket in M and the chelsea boots in 42": an add of two to four
 * products, each named with its own words and size. Null unless every part names a product
 * ("black and white sneakers" is one search).
 */
function compoundAdd(s: string): { query: ProductQuery; size?: string }[] | null {
	if (!ADD.test(s)) return null;
	const parts = s
		.replace(ADD_ALL, " ")
		.split(LIST_SEPARATOR)
		.map(p => p.trim())
		.filter(Boolean);
	if (parts.length < 2 || parts.length > 4) return null;
	const out = parts.map(p => ({ query: parseProductQuery(p.replace(SIZE_IN_ALL, " ")), ...sizeArg(p) }));
	return out.every(o => o.query.query) ? out : null;
}

/** "Compare the AirBook 13 and the WorkMate 15", "airbook vs workmate": the products named, two to five; null otherwise. */
function comparedNames(s: string): ProductQuery[] | null {
	if (!COMPARE.test(s)) return null;
	// "vs" both compares and separates: split first, then drop the comparing words.
	const parts = s
		.split(/\s*(?:,|;|&|\band\b|\by\b|\bor\b|\bo\b|\bvs\b\.?|\bversus\b|\bwith\b|\bcon\b)\s*/)
		.map(p => parseProductQuery(p.replace(new RegExp(COMPARE.source, "g"), " ").replace(/\b(?:between|entre|what'?s|what is|the|cual es|la|el)\b/g, " ")))
		.filter(q => q.query);
	return parts.length >= 2 && parts.length <= COMPARE_MAX ? parts : null;
}

/** "Compare it with the ProBook 14", "how does it compare to…", "is it better than…": the one in view against another. */
const COMPARED_WITH_IT =
	/\b(?:compare (?:it|this|that)(?: one)?|how does (?:it|this|that)(?: one)? (?:compare|stack up)|(?:it|this|that)(?: one)? (?:vs\.?|versus)|is (?:it|this|that)(?: one)? (?:any )?(?:better|worse|cheaper|lighter|faster|bigger|smaller) than|difference between (?:it|this|that)(?: one)? and|comparal[oa]|como se compara|(?:es )?(?:mejor|peor) que)\b\s*(?:with|to|against|and|con|a)?\s+(.+)$/;
function comparedWithIt(s: string): ProductQuery | null {
	const other = COMPARED_WITH_IT.exec(s)?.[1];
	// "Compare it with the second" points into the list shown: a pick, not a search.
	if (!other || parsePosition(other) !== null) return null;
	const query = parseProductQuery(other.replace(/\b(?:the|el|la|los|las)\b/g, " "));
	return query.query ? query : null;
}

/** What a product is called at the end of its words ("floor lamp"), in every shop: what makes a part of a list a kind. */
const KIND_NOUNS = new Set(
	(
		"sneaker shoe trainer runner boot jacket coat blazer jeans pants trouser dress skirt shirt t-shirt tshirt tee top hoodie sweater sweatshirt bag backpack scarf hat cap belt sock sandal " +
		"laptop phone smartphone tablet headphone headphones earbud earbuds monitor keyboard mouse watch smartwatch band charger hub cable speaker camera dock stand " +
		"sofa couch loveseat bed lamp rug carpet cover cushion pan pot casserole board blanket throw pillow duvet sheet candle vase basket shelf organiser hamper mirror chair table desk " +
		"cream moisturiser moisturizer serum cleanser balm toner sunscreen shampoo conditioner oil scrub lipstick gloss perfume cologne fragrance mascara foundation eyeshadow blush brush " +
		"console controller gamepad game headset pad wheel microphone mic card"
	).split(" ")
);

/**
 * Kinds a shop may not sell, and the kinds a seller would offer instead ("no coats — our jackets are
 * the nearest"). Only the near kinds the shop does sell are offered (`nearestKind`).
 */
const NEAR_KINDS: Record<string, string[]> = {
	coat: ["jacket"], raincoat: ["jacket"], parka: ["jacket"], anorak: ["jacket"], trench: ["jacket"], blazer: ["jacket"], windbreaker: ["jacket"], gilet: ["jacket"], poncho: ["jacket"],
	sweater: ["hoodie", "sweatshirt"], jumper: ["hoodie", "sweatshirt"], cardigan: ["hoodie", "sweatshirt"], pullover: ["hoodie", "sweatshirt"], sweatshirt: ["hoodie"], fleece: ["hoodie", "jacket"],
	trouser: ["jeans", "pants"], pants: ["jeans"], chino: ["jeans", "pants"], skirt: ["dress"], gown: ["dress"],
	shoe: ["sneaker", "boot"], trainer: ["sneaker"], loafer: ["sneaker"], purse: ["bag"], handbag: ["bag"], tote: ["bag"], clutch: ["bag"], backpack: ["bag"], shawl: ["scarf"],
	earphone: ["headphone", "headset"], computer: ["laptop"], notebook: ["laptop"], pc: ["laptop"], watch: ["smartwatch"], display: ["monitor"], screen: ["monitor"],
	couch: ["sofa"], settee: ["sofa"], pillow: ["cushion"], blanket: ["bedding"], throw: ["bedding"], duvet: ["bedding"], sheet: ["bedding"],
	perfume: ["fragrance"], cologne: ["fragrance"], lotion: ["bodycare", "moisturiser"], cream: ["moisturiser"],
	gamepad: ["controller"], joystick: ["controller"], headphone: ["headset"],
	// What goes with a device: a case, a charger, a stand.
	case: ["accessory"], cover: ["accessory"], sleeve: ["accessory"], charger: ["accessory"], cable: ["accessory"], adapter: ["accessory"], dongle: ["accessory"],
	stand: ["accessory"], mount: ["accessory"], dock: ["accessory"], microphone: ["accessory"], mic: ["accessory"], powerbank: ["accessory"], mousepad: ["accessory"]
};

/** The catalog's categories (English) as a Spanish speaker would name them; others are said as they are. */
const CATEGORIES_ES: Record<string, string> = {
	sneakers: "zapatillas", jackets: "chaquetas", dresses: "vestidos", "t-shirts": "camisetas", hoodies: "sudaderas", boots: "botas", bags: "bolsos", scarves: "bufandas",
	laptops: "portátiles", smartphones: "móviles", headphones: "auriculares", monitors: "monitores", keyboards: "teclados", mice: "ratones", tablets: "tabletas", smartwatches: "relojes inteligentes", accessories: "accesorios",
	sofas: "sofás", lamps: "lámparas", rugs: "alfombras", cushions: "cojines", kitchen: "cocina", bedding: "ropa de cama", candles: "velas", vases: "jarrones", storage: "organizadores",
	moisturisers: "hidratantes", serums: "sérums", cleansers: "limpiadores", sunscreens: "protectores solares", haircare: "cuidado del cabello", lipsticks: "labiales", fragrances: "fragancias", makeup: "maquillaje", bodycare: "cuidado corporal",
	consoles: "consolas", controllers: "mandos", games: "juegos", headsets: "cascos", chairs: "sillas", "gaming mice": "ratones gaming", "gaming keyboards": "teclados gaming", "gaming accessories": "accesorios gaming", "gift cards": "tarjetas regalo"
};

/** The catalog's colour names (English) as a Spanish speaker would say them; others are said as they are. */
const COLOURS_ES: Record<string, string> = {
	black: "negro", white: "blanco", red: "rojo", blue: "azul", green: "verde", pink: "rosa", grey: "gris", gray: "gris", brown: "marrón", beige: "beige",
	yellow: "amarillo", purple: "morado", orange: "naranja", silver: "plateado", gold: "dorado", navy: "azul marino", olive: "verde oliva", burgundy: "granate",
	camel: "camel", "light blue": "azul claro", indigo: "índigo", tan: "tostado", cream: "crema", cognac: "coñac", "space grey": "gris espacial", midnight: "azul medianoche",
	charcoal: "gris marengo", sage: "verde salvia", oatmeal: "avena", terracotta: "terracota", brass: "latón", natural: "natural", ivory: "marfil", rust: "óxido",
	mustard: "mostaza", blush: "rosa palo", graphite: "grafito", stone: "piedra", "dusty pink": "rosa empolvado", neon: "neón"
};
/** A colour, or a list of them ("grey, black"), in the customer's language. */
const colourIn = (lang: Lang, colours: string): string => (lang === "es" ? colours.split(/\s*,\s*/).map(c => COLOURS_ES[fold(c)] ?? c).join(", ") : colours);
/** Spanish colour names as `colourIn` writes them, back to the catalog's (the first English name of each: "gris" is "grey"). */
const COLOURS_FROM_ES: Record<string, string> = {};
for (const [en, es] of Object.entries(COLOURS_ES)) COLOURS_FROM_ES[fold(es)] ??= en;
/** A colour our reply named, in the catalog's words: a Spanish question's answer chooses the catalog's colour. */
const colourInCatalog = (said: string): string => COLOURS_FROM_ES[fold(said)] ?? said;

/**
 * "Laptop case" when only laptops were found: the kind asked for is the case, so its nearest kind
 * ("accessory"), searched on its own (what it is for may be in no accessory's words), and the words
 * to quote as what the shop lacks ("laptop case"; "case" of "a case for my phone"). Undefined when
 * no unfound word is such a kind.
 */
function nearerKind(query: string, unmatched: string[]): { query: string; lacking: string } | undefined {
	const kind = unmatched.map(w => singular(fold(w))).find(w => NEAR_KINDS[w]);
	if (!kind) return undefined;
	const words = query.split(/\s+/);
	return { query: NEAR_KINDS[kind]![0]!, lacking: singular(words[words.length - 1]!) === kind ? query : kind };
}
/** What a search found no product for (its `unmatched` words), as the catalog says them. */
const unmatchedOf = (output: any): string[] => (Array.isArray(output?.unmatched) ? (output.unmatched as string[]) : []);

/** The shop's category nearest to a kind it does not sell ("raincoat" → "jackets"), if it has one. */
function nearestKind(query: string, categories: string[]): string | undefined {
	// The last word is the kind ("a laptop case" is a case), the others what it is for.
	const words = query.split(/[^a-z-]+/).filter(Boolean).map(singular).reverse();
	const kindOf = (category: string) => fold(category).split(/\s+/).map(w => (w === "mice" ? "mouse" : w.endsWith("ies") ? `${w.slice(0, -3)}y` : singular(w)));
	// Word by word, the kind itself first: "laptop accessory" is an accessory, "laptop case" the case's nearest.
	for (const kind of words.flatMap(w => [w, ...(NEAR_KINDS[w] ?? [])])) {
		const hit = categories.find(c => kindOf(c).includes(kind));
		if (hit) return hit;
	}
	return undefined;
}

/** Kinds that end compound names of other kinds ("raincoat", "sweatshirt", "hairbrush"). */
const COMPOUND_KINDS = ["coat", "shirt", "shoe", "boot", "jacket", "dress", "lamp", "phone", "watch", "brush"];
/**
 * Whether searched words name a kind of product ("trench coat", "raincoat"): the shop having none
 * is then an answer, not a misunderstanding. Only a few kinds count at the end of a word, so
 * "understand" and "comfortable" are no stand and no table.
 */
function namesAKind(words: string): boolean {
	return words.split(/[^a-z-]+/).some(w => KIND_NOUNS.has(singular(w)) || COMPOUND_KINDS.some(k => w.length > k.length && singular(w).endsWith(k)));
}

/** The words of a query that say what it is for, not what it is: "dry skin moisturiser" → "dry skin"; none when it names only a kind, or no kind. */
function needWords(query: unknown): string | undefined {
	const words = typeof query === "string" ? query.split(" ").filter(Boolean) : [];
	const need = words.filter(w => !namesAKind(w));
	return need.length && need.length < words.length ? need.join(" ") : undefined;
}

/**
 * "I need a sofa, a rug and a floor lamp": the kinds of product one message asks for, in its
 * words ("floor lamp"), from the sentence that lists them; null for one kind. Searched together
 * they would bring whatever matches most words (a lamp, then rugs), and no sofa.
 */
function kindsAsked(s: string): { query: ProductQuery; words: string }[] | null {
	const sentences = s.split(/[.!?¿¡]+/).map(x => x.trim()).filter(Boolean);
	const items = (x: string) => x.split(LIST_SEPARATOR).length;
	const sentence = sentences.sort((a, b) => items(b) - items(a))[0] ?? "";
	const parts = productWords(sentence)
		.split(LIST_SEPARATOR)
		.map(p => ({ query: parseProductQuery(p) }))
		.filter(p => p.query.query);
	// "I bought a jacket and the zipper broke" is no list: every part must end in what a product is.
	if (parts.length < 2 || parts.length > 4 || !parts.every(p => KIND_NOUNS.has(singular(p.query.query!.split(" ").at(-1)!)))) return null;
	return parts.map(p => ({ ...p, words: p.query.query! }));
}

/** The kinds asked after the one a search looked for, to offer next; none when it was not one of several. */
function kindsLater(asked: string, query: unknown): string[] {
	const kinds = kindsAsked(asked);
	const at = kinds?.findIndex(k => k.query.query === query) ?? -1;
	return kinds && at >= 0 ? kinds.filter((_, i) => i !== at).map(k => k.words) : [];
}

/** The product "what goes well with a white dress?" named: the one the search names, else its first hit. */
const goesWithBase = (call: ChatToolCall, output: any): string | undefined => namedHit(call, output) ?? ((output?.products ?? []) as ProductOut[])[0]?.sku;

/**
 * The one product a search for a name found: the only hit, or the one whose name has clearly the
 * most of the words searched, two at least ("is the vitamin c serum good for sensitive skin?"
 * names the Vitamin C Brightening Serum, not the other serums; "black jacket" names neither of two
 * black jackets; one word names a kind of product, not one of them).
 */
function namedHit(call: ChatToolCall, output: any, addFor?: string): string | undefined {
	const products = (output?.products ?? []) as ProductOut[];
	// To show it, the only hit will do; to put it in the cart, the customer must have named it ("I want
	// a red lipstick" found one lipstick, but the customer has not chosen it yet).
	if (products.length === 1 && addFor === undefined) return products[0]!.sku;
	// "usb-c hub" is the words of "USB-C Hub 7-in-1".
	const words = String(argsOf(call).query ?? "").split(/[\s-]+/).filter(Boolean);
	// "boot" is in "Chelsea Boots"; a lone "c" is only the word "c".
	const names = (w: string, n: string) => n === w || (w.length > 2 && n.startsWith(w));
	const said = (n: string) => words.some(w => names(w, n));
	const inName = (p: ProductOut) => words.filter(w => fold(p.name).split(/[^a-z0-9]+/).some(n => names(w, n))).length;
	const ranked = products.map(p => ({ p, n: inName(p) })).sort((a, b) => b.n - a.n);
	const [first, second] = ranked;
	if (!first || first.n < 2 || first.n <= (second?.n ?? 0)) return undefined;
	if (addFor !== undefined) {
		// Into the cart only what the customer named, not what their words describe: "headphones with
		// noise cancelling" fits the Noise Cancelling Travel Headphones but chose nothing. Every word of
		// the name said, or all but one after "the" ("I'll take the waxed jacket").
		const missing = fold(first.p.name).split(/[^a-z0-9]+/).filter(n => n.length > 2 && !/\d/.test(n) && !NAME_FILLER.has(n) && !said(n)).length;
		if (missing > (DEFINITE.test(addFor) ? 1 : 0)) return undefined;
	}
	return first.p.sku;
}
/** The hit the customer named, when every word searched is a word of its name ("probook 14"). */
function namedInFull(call: ChatToolCall, output: any, asked: string): string | undefined {
	const sku = namedHit(call, output, asked);
	const hit = ((output?.products ?? []) as ProductOut[]).find(p => p.sku === sku);
	if (!hit) return undefined;
	const name = fold(hit.name).split(/[^a-z0-9]+/);
	const words = String(argsOf(call).query ?? "").split(/[\s-]+/).filter(Boolean);
	return words.every(w => name.some(n => n === w || (w.length > 2 && n.startsWith(w)))) ? sku : undefined;
}
/**
 * "What colours does the dress come in?" with a dress in the cart: of the hits, the one the cart
 * holds, when "the" points at one and the cart holds just one of them.
 */
function theOneInCart(output: any, words: string, state: BrainState): string | undefined {
	if (!DEFINITE.test(words)) return undefined;
	const inCart = ((output?.products ?? []) as ProductOut[]).filter(p => state.cart.items.some(i => i.sku === p.sku));
	return inCart.length === 1 ? inCart[0]!.sku : undefined;
}
/** Words of a product's name that name nothing ("Tee with Pocket", "Salt and Pepper Set"). */
const NAME_FILLER = new Set(["and", "with", "for", "the", "con", "para", "los", "las", "del"]);
/** A product pointed at: "the waxed jacket", "that lamp", "la chaqueta". */
const DEFINITE = /\b(the|that|this|el|la|ese|esa|este|esta)\b/;

/** The budget of a query, and the age of who it is for, as the recommend tool takes them. */
function recommendFilters(q: { maxPrice?: unknown; forAge?: unknown }): { maxPrice?: number; forAge?: number } {
	return { ...(typeof q.maxPrice === "number" ? { maxPrice: q.maxPrice } : {}), ...(typeof q.forAge === "number" ? { forAge: q.forAge } : {}) };
}

/** A tool call's arguments as an object; none when they are not one. */
function argsOf(call: ChatToolCall): Record<string, unknown> {
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
function relax(call: ChatToolCall, output: any): { args: Record<string, unknown>; dropped: Relaxed } | null {
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

/** The filter a search was retried without. */
type Relaxed = "price" | "color" | "size" | "platforms";

/** What an answer may depend on beyond its tool's output: a cart waiting, and the customer's words (folded). */
interface ComposeContext {
	hasCart: boolean;
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
	/** The age of who it is for, as the customer said it in this message or lately. */
	age?: number;
}
const NO_CONTEXT: ComposeContext = { hasCart: false, asked: "" };

/** What a list for someone of `age` opens with, and how many games it left out as rated for older players. */
function ageIntro(age: number, left: number, lang: Lang): string {
	if (!left) return t(lang, `For a ${age}-year-old:`, `Aptos para ${age} años:`);
	return t(
		lang,
		`For a ${age}-year-old (I've left out ${left === 1 ? "a game" : `${left} games`} rated for older players):`,
		`Aptos para ${age} años (dejé fuera ${left === 1 ? "un juego" : `${left} juegos`} para mayores):`
	);
}

/** Several different tools' answers, one after the other (an order's status, then delivery times). */
function composeEach(calls: ChatToolCall[], outputs: any[], lang: Lang, persona: Persona, ctx: ComposeContext = NO_CONTEXT): { text: string; understood: boolean } {
	const parts = calls.map((c, i) => {
		const output = outputs[i];
		// An order that left or arrived has its own news; the store's delivery times add nothing then.
		if (c.name === "store_policy" && outputs.some(o => o?.status === "shipped" || o?.status === "delivered")) return null;
		return typeof output?.error === "string" ? refusal(c.name, output, lang) : compose(c, output, lang, persona, undefined, ctx);
	});
	const shown = parts.filter((p): p is { text: string; understood: boolean } => p !== null);
	return { text: shown.map(p => p.text).join("\n"), understood: shown.some(p => p.understood) };
}

/** What a description says for a feature asked by another name: "water resistant" boots, asked "waterproof?". */
const NEAR_FEATURES: Record<string, string[]> = {
	waterproof: ["water resistant", "water-resistant", "splash"],
	wireless: ["bluetooth", "2.4 ghz"],
	// "Are they warm?": what makes clothes warm, as descriptions say it.
	warm: ["winter", "shearling", "fleece", "insulated", "thermal", "down", "wool", "cashmere", "padded", "lined"]
};

/** "Which one is multiplayer?", "¿cuál tiene micrófono?": a feature, asked of the listed ones. */
const WHICH_FEATURE = /^[¿¡\s]*(?:and |so |ok |y )?(?:which(?: one| ones| of (?:them|these|those))? (?:is|are|has|have|comes with|come with|supports|support|works with|does|do)|cual(?:es)?(?: de (?:ellos|ellas|estos|estas))? (?:es|son|tiene|tienen|viene con|trae))\b/;
/** "Which one is the best?", "which one is lighter?" ranks; "which one is the leather one?" names one. Neither is a feature to look for. */
const RANKING = /\b(best|better|worse|worst|more|most|less|least|mejor|mejores|peor|mas|menos|[a-z]+est|lighter|heavier|cheaper|pricier|bigger|smaller|larger|faster|slower|warmer|cooler|longer|shorter|newer|older|one|ones)\b/;

/** "(Which one is) better for sensitive skin", "(¿cuál es) mejor para piel grasa": what it is for. */
const FOR_USE = /^\s*(?:the )?(?:better|best|ideal|good|mejor|ideal|buen[oa])(?: one| option| opcion)? (?:for|para) (.+?)\W*$/;

/** "Is the first one fragrance free?", "does the second have pockets?": a feature of a listed product named by its place. */
const POSITION_FEATURE = new RegExp(`^[¿¡\\s]*(?:and |so |ok )?(?:is|does|has|can|will|would|are|do) (?:the )?(?:${ORDINAL_ALTERNATION})(?: ones?)?\\b`);

/** Words that say a thing copes with what comes before them ("dishwasher safe", "water resistant"). */
const QUALIFIERS = new Set(["safe", "friendly", "proof", "resistant", "compatible", "ready"]);

/** Words of a question that are not the feature asked about ("does it come in black?" asks about black). */
const NOT_A_FEATURE = new Set(["come", "comes", "have", "has", "got", "work", "works", "support", "supports", "include", "includes", "any", "also", "really", "actually", "compatible", "compatibility", "tiene", "tienen", "viene", "vienen", "con"]);

/** "Does it have a mic?", "is it wireless?", "¿viene con funda?": the feature's words, e.g. ["mic"]; none for other messages. */
function featureAsked(s: string): string[] {
	const ordinal = POSITION_FEATURE.exec(s);
	const which = ordinal ? null : WHICH_FEATURE.exec(s);
	const m = ordinal ?? which ?? itQuestion(s);
	// "¿De qué trata (el segundo)?" asks what it is, not whether it has something.
	if (!m || /de que (?:se )?(?:trata|va)/.test(m[0]) || (!ordinal && parsePosition(s) !== null)) return [];
	// "Which one is better for sensitive skin?" ranks by what it is for: that is the feature to look for.
	const forUse = which ? FOR_USE.exec(s.slice(which[0].length)) : null;
	if (forUse) return (parseProductQuery(forUse[1]!).query?.split(/\s+/) ?? []).filter(w => w.length >= 2 && !NOT_A_FEATURE.has(w));
	if (which && RANKING.test(s.slice(which[0].length))) return [];
	const what = m[0] === whatOfIt(s)?.[0] ? attributeWords(m) : undefined;
	// "What colour is it?": the details answer that themselves; no "mention" to look for.
	if (what && (ATTRIBUTE_QUESTION.test(what) || /\b(brand|marca|price|precio|model|modelo)\b/.test(what))) return [];
	const q = parseProductQuery(what ?? s.slice(m.index + m[0].length));
	return [...(q.query?.split(/\s+/) ?? []), ...(q.color ? [q.color] : [])].filter(w => w.length >= 2 && !NOT_A_FEATURE.has(w));
}

/**
 * Which of the products say they have the feature, and the word they say it with ("mic" is
 * "microphone"): a feature word is the start of a word of the name, the colour or the description.
 */
function featureSaid(p: ProductOut, feature: string[]): string | null {
	const raw = `${p.name} ${(p as { color?: string }).color ?? ""} ${p.description ?? ""}`;
	const text = fold(raw);
	// "usb-c" is "USB-C", "usb c" or "usbc" in the details.
	const pattern = (w: string) => w.split(/[^a-z0-9]+/).filter(Boolean).join("[- ]?");
	// A colour is said by a shade of it too: "green" by a sage sofa's colours.
	const shades = coloursOfProduct(p).map(fold);
	const found = feature.map(
		w =>
			(pattern(w) ? new RegExp(`\\b${pattern(w)}[a-z0-9-]*`).exec(text)?.[0] : undefined) ??
			(NEAR_FEATURES[w] ?? []).find(near => new RegExp(`\\b${near.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\b`).test(text)) ??
			shades.find(c => c && colourCovers(w, c))
	);
	// "Dishwasher safe?" of "Dishwasher-friendly": the compound says the qualifier in its own word.
	feature.forEach((w, i) => {
		if (!found[i] && QUALIFIERS.has(w)) found[i] = found.find(f => f && QUALIFIERS.has(f.slice(f.lastIndexOf("-") + 1)));
	});
	if (!found.every((w): w is string => Boolean(w))) return null;
	// "long-lasting" once, not "long-lasting, lasting".
	const words = [...new Set(found)].filter((w, _, all) => !all.some(o => o !== w && o.includes(w)));
	// "slim fit" as the description says it; "microphone, bluetooth" when they are apart.
	// "sensitive, normal skin" when a word or two come between them (in the details' order).
	const inOrder = [...words].sort((a, b) => text.indexOf(a) - text.indexOf(b));
	const near = words.length > 1 ? new RegExp(inOrder.map(w => w.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("(?:\\W+[a-z0-9-]+){0,2}?\\W+")).exec(text)?.[0] : undefined;
	const said = text.includes(words.join(" ")) ? words.join(" ") : (near ?? words.join(", "));
	// "5G" and "USB-C" as the details write them, not "5g"; a name's capitals ("Wool") stay out of the sentence.
	const original = new RegExp(said.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"), "i").exec(raw)?.[0];
	return original && original.split(/\s+/).some(w => /[A-Z]/.test(w.slice(1))) ? original : said;
}

/**
 * Whether the details not mentioning the feature says anything. They are in the catalog's English:
 * a Spanish word we do not translate ("¿tiene cremallera?") is never found in them, so its absence
 * means nothing; one we translated ("impermeable" → "waterproof", "vegano" → "vegan") does.
 */
function absenceTells(feature: string[], asked: string, lang: Lang): boolean {
	if (lang !== "es") return true;
	const words = asked.split(/[^a-z0-9]+/);
	const translated = (en: string) => words.some(w => (lookupEs(FEATURES_ES, w) ?? lookupEs(NOUNS_ES, w)) === en);
	return !feature.some(w => !translated(w) && new RegExp(`\\b${w.replace(/[^a-z0-9]/g, "")}`).test(asked));
}

/**
 * The feature as the customer said it, for quoting back: in Spanish their word ("capucha"), not
 * the catalog's English one it was searched as ("hood").
 */
function inTheirWords(feature: string[], asked: string, lang: Lang): string {
	if (lang !== "es") return feature.join(" ");
	// "cancelación de ruido" was searched as one phrase ("noise cancelling").
	const phrase = PHRASES_ES.find(([, en]) => en === feature.join(" "))?.[0];
	const said = phrase ? new RegExp(phrase.source).exec(asked)?.[0] : undefined;
	if (said) return said;
	const words = asked.split(/[^a-z0-9]+/);
	return feature.map(en => words.find(w => (lookupEs(FEATURES_ES, w) ?? lookupEs(NOUNS_ES, w)) === en) ?? en).join(" ");
}

/**
 * The line a product's details open with when the question asks something of them: how to use it
 * (a person tells), a game's rating or platforms, a named attribute ("Layout: US."), a feature
 * ("Yes — its details mention …"), or whether it comes in a colour. Null for a plain look.
 */
function detailsHead(p: ProductOut, feature: string[], answered: boolean, lang: Lang, asked: string, age?: number): string | null {
	if (HOW_TO_USE.test(asked))
		return t(lang, `Here's what its details say — for how to use it, say "talk to a person" and our team will help.`, `Esto dice su ficha — para saber cómo usarlo, escribe "hablar con una persona" y nuestro equipo te ayuda.`);
	const fit = fitAnswer(p, asked, lang);
	if (fit) return fit;
	const game = gameAnswer(p, asked, lang, age);
	if (game) return game;
	const attribute = attributeOf(p, asked);
	if (attribute?.[0] === "colours") {
		const colours = coloursOfProduct(p);
		return t(lang, `It comes in ${joinWith(colours, "and")}.`, `Viene en ${joinWith(colours.map(c => colourIn(lang, c)), "y")}.`);
	}
	if (attribute) return `${capitalise(labelIn(lang, attribute[0]))}: ${attribute[1]}.`;
	if (COLOURS_ASKED.test(asked) && !p.color && !parseProductQuery(asked).color) return t(lang, "Its details don't list its colours, I'm afraid.", "Su ficha no indica sus colores, lo siento.");
	if (WEIGHT_ASKED.test(asked) && !WEIGHT_STATED.test(`${p.description ?? ""} ${Object.keys(p.attributes ?? {}).join(" ")}`))
		return t(lang, "Its details don't give its weight, I'm afraid.", "Su ficha no indica el peso, lo siento.");
	if (answered) return featureLine(p, feature, lang, asked);
	// "Does it come in XXL?" asks the size; "is the M one slim?" only names it.
	const referenced = sizeReferenced(asked);
	const size = referenced && !referenced.definite ? referenced.size : undefined;
	if (size) {
		if (!p.sizes?.length) return t(lang, "Its details don't list sizes, I'm afraid.", "Su ficha no indica tallas, lo siento.");
		const hit = sizeNamed(size, p.sizes);
		const all = sizesSmallestFirst(p.sizes).join(", ");
		return hit ? t(lang, `Yes, it comes in ${hit}.`, `Sí, viene en ${hit}.`) : t(lang, `Not in ${canonicalSize(size)}, I'm afraid — it comes in ${all}.`, `No en ${canonicalSize(size)}, lo siento — viene en ${all}.`);
	}
	// "Do you have it in white?": whether it comes in that colour, from the colours it lists. Not
	// under a photo: what the photo shows is not known to be this product.
	const colour = p.color && !/^\[(image|video)\]/.test(asked) ? parseProductQuery(asked).color : undefined;
	if (!colour) return null;
	const colours = coloursOfProduct(p);
	if (colours.some(c => fold(c) === colour)) return t(lang, `Yes, it comes in ${colour}.`, "Sí, viene en ese color.");
	// "In grey?" of a charcoal sofa: yes, in the catalog's name for it.
	const shade = colours.find(c => colourCovers(colour, fold(c)));
	return shade
		? t(lang, `Yes, it comes in ${shade} (a ${colour}).`, `Sí, viene en ${colourIn(lang, shade)}.`)
		: t(lang, `Not in ${colour}, I'm afraid — it comes in ${p.color}.`, `No en ese color, lo siento — viene en ${colourIn(lang, p.color ?? "")}.`);
}

/**
 * How a garment or shoe fits, from what its details say and nothing else: we know no fit beyond
 * them, so without a word on it the answer says so and points to the customer's usual size. A
 * size they say they wear is checked against its sizes. Null for a product without clothing or
 * shoe sizes (a watch's 41 mm, a rug's 200x300 cm): its details answer as they are.
 */
function fitAnswer(p: ProductOut, asked: string, lang: Lang): string | null {
	if (!FIT_ASKED.test(asked) || !p.sizes?.length || !p.sizes.every(z => /^(?:x{0,3}[sml]|x{1,3}l|\d{2}(?:[.,]5)?|one size)$/i.test(z.trim()))) return null;
	const said = FIT_STATED.exec(p.description ?? "")?.[0];
	const small = said && /runs? small/i.test(said);
	const large = said && /runs? (?:large|big)/i.test(said);
	const head = said
		? small
			? t(lang, `Its details say it ${said.toLowerCase()}, so one size up is the safer pick.`, `Su ficha dice “${said.toLowerCase()}”: talla pequeño, así que una talla más es lo más seguro.`)
			: large
				? t(lang, `Its details say it ${said.toLowerCase()}, so one size down may fit you better.`, `Su ficha dice “${said.toLowerCase()}”: talla grande, así que una talla menos puede quedarte mejor.`)
				: t(lang, `Its details say “${said.toLowerCase()}” and nothing about it running small or large, so your usual size is the one to pick.`, `Su ficha dice “${said.toLowerCase()}” y nada de que talle pequeño o grande, así que tu talla de siempre es la indicada.`)
		: t(lang, "Its details don't say it runs small or large, so your usual size is the one to pick.", "Su ficha no dice que talle pequeño o grande, así que tu talla de siempre es la indicada.");
	const usual = USUAL_SIZE.exec(asked)?.[1];
	if (!usual) return head;
	const wanted = canonicalSize(usual);
	const hit = sizeNamed(wanted, p.sizes);
	if (hit) return `${head} ${t(lang, `It comes in ${hit}.`, `Viene en ${hit}.`)}`;
	const all = sizesSmallestFirst(p.sizes).join(", ");
	return `${head} ${t(lang, `It doesn't come in ${wanted}, I'm afraid — it comes in ${all}.`, `No viene en ${wanted}, lo siento — viene en ${all}.`)}`;
}

/** "Does it have a mic?" about the one product in view: whether its details say so, before them. */
function featureLine(p: ProductOut, feature: string[], lang: Lang, asked: string): string | null {
	const words = featureSaid(p, feature);
	const colours = new Set(Object.values(COLOUR_WORDS));
	// "Is it available in green?" of a sage sofa: yes, in the catalog's name for that green.
	const colour = feature.length === 1 && colours.has(feature[0]!) ? feature[0]! : undefined;
	if (words && colour && fold(words) === colour) return t(lang, `Yes, it comes in ${colour}.`, "Sí, viene en ese color.");
	if (words && colour && words !== colour && colourCovers(colour, words)) return t(lang, `Yes, it comes in ${words} (a ${colour}).`, `Sí, viene en ${colourIn(lang, words)}.`);
	if (words) return t(lang, `Yes — its details mention “${words}”.`, `Sí — su ficha menciona “${words}”.`);
	// A colour is not a maybe when the details list the ones it comes in,
	const listsColours = fold(p.description ?? "").split(/[^a-z]+/).some(w => colours.has(w));
	if (feature.length === 1 && colours.has(feature[0]!) && listsColours) return t(lang, `Not in ${feature[0]}, I'm afraid — here are the colours it comes in:`, "No en ese color, lo siento — estos son los colores en que viene:");
	// nor when the catalog lists them.
	if (colour && p.color) return t(lang, `Not in ${colour}, I'm afraid — it comes in ${p.color}.`, `No en ese color, lo siento — viene en ${colourIn(lang, p.color)}.`);
	const spec = specStated(p, feature, lang);
	if (spec) return spec;
	// "Is it soft and waterproof?" of "Soft lambskin": the part it says, and the part it does not.
	const partly = feature.length > 1 ? feature.filter(w => featureSaid(p, [w])) : [];
	if (partly.length) {
		const unsaid = inTheirWords(feature.filter(w => !partly.includes(w)), asked, lang);
		const said = featureSaid(p, partly);
		return t(
			lang,
			`Its details mention “${said}”, but nothing about “${unsaid}”, so I can't confirm that part — if it matters, say "talk to a person" and our team will check.`,
			`Su ficha menciona “${said}”, pero nada sobre “${unsaid}”, así que eso no puedo confirmarlo — si es importante, escribe "hablar con una persona" y nuestro equipo lo revisa.`
		);
	}
	if (!absenceTells(feature, asked, lang)) return null;
	const what = inTheirWords(feature, asked, lang);
	return t(
		lang,
		`Its details don't say anything about “${what}”, so I can't confirm it — if it matters, say "talk to a person" and our team will check.`,
		`Su ficha no dice nada de “${what}”, así que no puedo confirmarlo — si es importante, escribe "hablar con una persona" y nuestro equipo lo revisa.`
	);
}

/**
 * "Does it have 16 GB of RAM?" of a product whose RAM is an attribute, not in its description: that
 * attribute, with a yes when its figure is the one asked.
 */
function specStated(p: ProductOut, feature: string[], lang: Lang): string | null {
	const keys = new Set(feature.flatMap(w => [attributeKey(w), ATTRIBUTE_NAMES[attributeKey(w)]]).filter(Boolean));
	for (const [name, value] of Object.entries(p.attributes ?? {})) {
		const label = name.replace(/([a-z])([A-Z])/g, "$1 $2").toLowerCase();
		if (!keys.has(attributeKey(label))) continue;
		const askedFigure = specFigures(feature.join(" "))[0];
		const has = specFigures(value)[0];
		const yes = askedFigure && has && askedFigure.family === has.family && askedFigure.value === has.value;
		const shown = labelIn(lang, ACRONYMS.has(label) ? label.toUpperCase() : label);
		return yes ? `${t(lang, "Yes — ", "Sí — ")}${shown}: ${value}.` : `${capitalise(shown)}: ${value}.`;
	}
	return null;
}

/** Ranked words the price, promotion and stock answers own, not the products' details. */
const PRICE_WORD = /^(?:price|prices|precio|precios|cost|costo|value|valor|discount|discounts|descuento|descuentos|deal|deals|offer|offers|oferta|ofertas|stock)$/;
/**
 * "Which one has the most battery?" when none of them states it as an attribute: no ranking made
 * up, but what their details say of it. Null for a single product (nothing to rank).
 */
function unrankedHead(products: ProductOut[], words: string, lang: Lang): string | null {
	if (products.length < 2) return null;
	const key = attributeKey(words);
	const name = Object.hasOwn(ATTRIBUTE_NAMES, key) ? ATTRIBUTE_NAMES[key]! : key;
	// The catalog's name in the customer's language when it has one; otherwise their own words.
	const shown = ACRONYMS.has(name) ? name.toUpperCase() : Object.hasOwn(LABELS_ES, name) ? labelIn(lang, name) : words;
	const said = products.map(p => {
		const mention = featureSaid(p, [name]);
		return mention ? (clauseWith(p.description ?? "", name) ?? mention) : null;
	});
	if (said.every(w => !w)) return t(lang, `Their details don't say how they compare on ${shown}, I'm afraid — side by side:`, `Sus fichas no dicen cómo se comparan en ${shown}, lo siento — lado a lado:`);
	if (said.every(w => w && fold(w) === fold(said[0]!)))
		return t(
			lang,
			`${products.length === 2 ? "Both" : `All ${products.length}`} say “${said[0]}” — nothing in their details puts one above the ${products.length === 2 ? "other" : "others"} on ${shown}:`,
			`${products.length === 2 ? "Los dos dicen" : `Los ${products.length} dicen`} “${said[0]}” — nada en sus fichas pone a uno por encima de los demás en ${shown}:`
		);
	return featureHead(products, [name], lang, words);
}

/** The part of a description that says a word: "all-day battery" of "…, 14 in display and all-day battery." */
function clauseWith(description: string, word: string): string | null {
	const said = new RegExp(`\\b${word.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`);
	const clause = description.split(/[,;:]|\.(?!\d)|\s(?:and|with|y|con)\s/).find(c => said.test(fold(c)));
	return clause ? clause.trim().replace(/^(?:a|an|the|un|una|el|la)\s+/i, "") : null;
}

function featureHead(products: ProductOut[], feature: string[], lang: Lang, question: string): string {
	const saying = products.map(p => ({ p, words: featureSaid(p, feature) })).filter(x => x.words);
	const asked = inTheirWords(feature, question, lang);
	// "Comfortable for walking?" when they say "for all-day walking": what they do say, and what not.
	const partly = saying.length || feature.length < 2 ? [] : feature.filter(w => products.some(p => featureSaid(p, [w])));
	if (partly.length) {
		const unsaid = inTheirWords(feature.filter(w => !partly.includes(w)), question, lang);
		const head = featureHead(products, partly, lang, question);
		const rest = head.charAt(0).toLowerCase() + head.slice(1);
		return t(lang, `None of them says “${unsaid}” in so many words, but ${rest}`, `Sus fichas no lo dicen tal cual, pero ${rest}`);
	}
	if (!saying.length) return absenceTells(feature, question, lang) ? t(lang, `None of these mention “${asked}”:`, `Ninguno de estos menciona “${asked}”:`) : t(lang, "Side by side:", "Lado a lado:");
	const words = saying[0]!.words!;
	if (saying.length === products.length) return t(lang, products.length === 2 ? `Both of these mention “${words}”:` : `All ${products.length} of these mention “${words}”:`, `Los ${products.length} mencionan “${words}”:`);
	const names = joinWith(saying.map(x => x.p.name), t(lang, "and", "y"));
	return saying.length === 1
		? t(lang, `Only the ${names} mentions “${words}”:`, `Solo ${names} menciona “${words}”:`)
		: t(lang, `The ${names} mention “${words}”; the others don't:`, `${names} mencionan “${words}”; los demás no:`);
}

/**
 * Two or more products side by side, from their details; the catalog's words, not the brain's.
 * Numbered as the list they came from, so "the third" after "compare the first and the third" is the third.
 */
function composeComparison(outputs: any[], lang: Lang, shown: BrainState["shown"], asked: string, earlier: string[] = []): { text: string; understood: boolean } {
	// "Do they come in XXL?": the size is answered from their sizes (`sizeHead`), not looked for in their details.
	const feature = featureAsked(sizeReferenced(asked)?.rest ?? asked);
	const products = outputs.filter(o => o && typeof o.error !== "string" && typeof o.name === "string") as ProductOut[];
	if (!products.length) return { text: t(lang, "Sorry, I couldn't open those just now.", "Perdón, no pude abrirlos ahora."), understood: false };
	// "How many do you have?" after a list: each one's stock, in its line.
	const stockAsked = STOCK_ASKED.test(asked);
	const stockOf = (p: ProductOut) => (p.stock > 0 ? (stockAsked ? ` — ${t(lang, `${p.stock} in stock`, `${p.stock} disponibles`)}` : "") : ` (${t(lang, "sold out", "agotado")})`);
	// "Which switches do they have?": each one's, by the attribute's name, when any of them states it
	// (their descriptions then stay out: the answer is the point, in a message that fits a phone).
	const attributes = products.map(p => attributeOf(p, asked));
	const label = attributes.find(a => a)?.[0];
	// "Something with a good camera", "the smallest screen": which one's figure is the biggest (or
	// smallest), said first. The list keeps its order, so "the first one" still means the first of
	// the list the customer was shown. A product that states no figure is in neither end.
	const ranked = rankedAttribute(asked);
	const figures = attributes.map(a => specFigures(a?.[1] ?? "")[0]?.value ?? -1);
	const stated = figures.filter(f => f >= 0);
	const end = stated.length ? (ranked?.smallest ? Math.min(...stated) : Math.max(...stated)) : -1;
	const leader = ranked && end >= 0 && figures.filter(f => f === end).length === 1 ? figures.indexOf(end) : -1;
	const pair = products.length === 2;
	// Hours last: "the ProBook 16's is the longer (18 h)", not "the bigger".
	const hours = leader >= 0 && specFigures(attributes[leader]?.[1] ?? "")[0]?.family === "h";
	const superlative = ranked?.smallest
		? t(lang, hours ? (pair ? "the shorter" : "the shortest") : pair ? "the smaller" : "the smallest", "el menor")
		: t(lang, hours ? (pair ? "the longer" : "the longest") : pair ? "the bigger" : "the biggest", "el mayor");
	const attributeLine = (i: number) => (label ? `\n   ${capitalise(labelIn(lang, label))}: ${attributes[i]?.[1] ?? t(lang, "not stated", "no indicado")}` : "");
	const lines = products.map(
		(p, i) =>
			`${shown.find(x => x.sku === p.sku)?.position ?? i + 1}. ${p.name} — ${p.priceText}${stockOf(p)}${attributeLine(i)}${p.description && !label ? `\n   ${p.description}` : ""}${p.sizes?.length ? `\n   ${t(lang, "Sizes", "Tallas")}: ${sizesSmallestFirst(p.sizes).join(", ")}` : ""}`
	);
	// "Which one is cheaper, the arc or the rattan?": the answer first, among those that can be bought.
	const byPrice = DEARER.test(asked) ? "high" : CHEAPEST.test(asked) ? "low" : null;
	const buyable = products.some(p => p.stock > 0) ? products.filter(p => p.stock > 0) : products;
	const prices = buyable.map(p => centsOf(p.priceText));
	const target = byPrice === "high" ? Math.max(...prices) : Math.min(...prices);
	const priceLeader = byPrice && products.length > 1 && prices.filter(x => x === target).length === 1 ? buyable[prices.indexOf(target)]! : null;
	const priceHead = priceLeader
		? byPrice === "low"
			? t(lang, `The ${priceLeader.name} is the ${products.length === 2 ? "cheaper" : "cheapest"} one you can have now (${priceLeader.priceText}) — side by side:`, `La opción más económica disponible es ${priceLeader.name} (${priceLeader.priceText}) — lado a lado:`)
			: t(lang, `The ${priceLeader.name} is the ${products.length === 2 ? "pricier" : "priciest"} one you can have now (${priceLeader.priceText}) — side by side:`, `La opción más cara disponible es ${priceLeader.name} (${priceLeader.priceText}) — lado a lado:`)
		: null;
	const head = label
		? leader >= 0
			? t(lang, `The ${label} of each — the ${products[leader]!.name}'s is ${superlative} (${attributes[leader]![1]}):`, `${capitalise(labelIn(lang, label))} de cada uno — ${superlative} es el de ${products[leader]!.name} (${attributes[leader]![1]}):`)
			: t(lang, `The ${label} of each:`, `${capitalise(labelIn(lang, label))} de cada uno:`)
		: (ageHead(products, asked, lang, earlier) ??
			(feature.length
			? featureHead(products, feature, lang, asked)
			: stockAsked
				? t(lang, "What I have of each right now:", "Lo que tengo de cada uno ahora:")
				: WEIGHT_ASKED.test(asked) && !products.some(p => WEIGHT_STATED.test(`${p.description ?? ""} ${Object.keys(p.attributes ?? {}).join(" ")}`))
					? t(lang, "Their details don't give their weight, I'm afraid — side by side:", "Sus fichas no indican el peso, lo siento — lado a lado:")
					: (priceHead ??
						sizeHead(products, asked, lang) ??
						(ranked && !ranked.bySize && !PRICE_WORD.test(ranked.words) ? unrankedHead(products, ranked.words, lang) : null) ??
						pickHead(products, asked, lang, earlier) ??
						t(lang, "Side by side:", "Lado a lado:"))));
	return { text: `${head}\n${lines.join("\n")}\n${t(lang, "Which one shall I add?", "¿Cuál agrego?")}`, understood: true };
}

/** "Do they come in 43?" after a list: which of them do, and whether those can be had now. */
function sizeHead(products: ProductOut[], asked: string, lang: Lang): string | null {
	const referenced = sizeReferenced(asked);
	if (!referenced || referenced.definite || !products.some(p => p.sizes?.length)) return null;
	const size = canonicalSize(referenced.size);
	const fits = products.filter(p => p.sizes?.length && sizeNamed(size, p.sizes));
	const buyable = fits.filter(p => p.stock > 0);
	if (!fits.length) return t(lang, `None of these comes in ${size}, I'm afraid — side by side:`, `Ninguno de estos viene en ${size}, lo siento — lado a lado:`);
	const names = (list: ProductOut[]) => joinWith(list.map(p => p.name), t(lang, "and", "y"));
	if (!buyable.length)
		return t(lang, `In ${size}: the ${names(fits)}, sold out right now — side by side:`, `En ${size}: ${names(fits)}, agotado por ahora — lado a lado:`);
	return t(lang, `In ${size}: the ${names(buyable)} — side by side:`, `En ${size}: ${names(buyable)} — lado a lado:`);
}

/** "Which one do you recommend?", "¿cuál me recomiendas?": the seller's pick, not only the facts. */
const PICK_ASKED =
	/\b(?:which|what) (?:one |ones |of (?:these|them|those) )?(?:do|would|should|can|will) (?:you|u) (?:recommend|suggest|pick|choose|go for|get)\b|\bwhich (?:one )?(?:is|'s) (?:the )?(?:best|your (?:favou?rite|pick))\b|\bwhat(?:'s| is) your (?:pick|favou?rite|recommendation)\b|\bwhich (?:one )?should i (?:get|buy|choose|pick|go for)\b|\bcual (?:me |nos )?(?:recomiendas|recomiendan|sugieres|elegirias|escogerias|conviene)\b|\bcual es (?:el |la )?mejor\b|\bcual (?:me )?(?:llevo|compro)\b/;
/**
 * The seller's pick among products side by side: the first that can be bought, in the order of the
 * list, which the search ranked by what the customer asked for, and that comes in the size and
 * colour they said while looking ("do they come in 45?", then "which would you pick?"). Nothing
 * more is claimed for it.
 */
/** Gear for games (a wheel, a console, a gift card): what it runs on, or its kind, says so; no age rating applies to it. */
const isGamingGear = (p: ProductOut) =>
	!p.attributes?.rating && Boolean(p.attributes?.platform ?? p.attributes?.compatibility ?? /\b(?:gaming|games?|consoles?|controllers?|headsets?|gift cards?)\b/.exec(fold(p.category ?? "")));

/**
 * "Are they ok for his age?" of a list of games or gaming gear: which suit the age the customer
 * gave (in this message or lately), by their ratings; without an age, that the ratings are below.
 */
function ageHead(products: ProductOut[], asked: string, lang: Lang, earlier: string[]): string | null {
	if (!AGE_ASKED.test(asked)) return null;
	const age = ageOf([asked, ...earlier]).age;
	if (products.every(isGamingGear))
		return age === undefined
			? t(lang, "None of these has an age rating — only games carry one:", "Ninguno tiene clasificación por edad — solo los juegos la llevan:")
			: t(lang, `None of these has an age rating — only games carry one — so any of them suits a ${age}-year-old:`, `Ninguno tiene clasificación por edad (solo los juegos la llevan), así que cualquiera es apto para ${age} años:`);
	if (!products.some(p => ratingMinimumAge(p.attributes?.rating) !== undefined)) return null;
	if (age === undefined) return t(lang, "Their age ratings are in their details:", "Su clasificación por edad está en su ficha:");
	const fit = products.filter(p => suitsAge(p.attributes, age));
	if (fit.length === products.length) return t(lang, `All of these suit a ${age}-year-old:`, `Todos son aptos para ${age} años:`);
	if (!fit.length) return t(lang, `None of these is rated for a ${age}-year-old:`, `Ninguno de estos es apto para ${age} años:`);
	const names = (ps: ProductOut[]) => joinWith(ps.map(p => p.name), t(lang, "and", "y"));
	const older = products.filter(p => !fit.includes(p));
	return t(
		lang,
		`For a ${age}-year-old, the ${names(fit)}; ${names(older)} ${older.length === 1 ? "is" : "are"} rated for older players:`,
		`Para ${age} años, ${names(fit)}; ${names(older)} ${older.length === 1 ? "es" : "son"} para mayores:`
	);
}

function pickHead(products: ProductOut[], asked: string, lang: Lang, earlier: string[]): string | null {
	if (!PICK_ASKED.test(asked) || products.length < 2) return null;
	const buyable = products.filter(p => p.stock > 0);
	if (!buyable.length) return t(lang, "All of these are sold out right now, I'm afraid — side by side:", "Todos estos están agotados ahora, lo siento — lado a lado:");
	const said = [asked, ...earlier];
	const size = lookBack(said, sizeSaidIn);
	const colour = lookBack(said, f => parseProductQuery(f).color);
	const sized = (p: ProductOut) => !size || !p.sizes?.length || sizeNamed(size, p.sizes) !== null;
	const coloured = (p: ProductOut) => !colour || !p.color || colourNamed(colour, coloursOfProduct(p)) !== undefined;
	const pick = buyable.find(p => sized(p) && coloured(p));
	// The need said, as the customer said it; only what tells these products apart.
	const need = [size && products.some(p => !sized(p)) ? size : undefined, colour && products.some(p => !coloured(p)) ? colour : undefined].filter((x): x is string => !!x);
	const inNeed = joinWith(need.map(x => colourIn(lang, x)), t(lang, "and", "y"));
	if (!pick) return t(lang, `None of these that you can have now comes in ${inNeed}, I'm afraid — side by side:`, `Ninguno de estos que tengo ahora viene en ${inNeed}, lo siento — lado a lado:`);
	return need.length
		? t(
				lang,
				`I'd go for the ${pick.name} (${pick.priceText}) — it comes in ${inNeed}, and it's the best match for what you asked that you can have now. Side by side:`,
				`Yo elegiría ${pick.name} (${pick.priceText}) — viene en ${inNeed} y es lo que mejor encaja con lo que pediste y está disponible. Lado a lado:`
			)
		: t(
				lang,
				`I'd go for the ${pick.name} (${pick.priceText}) — it's the best match for what you asked that you can have now. Side by side:`,
				`Yo elegiría ${pick.name} (${pick.priceText}) — es lo que mejor encaja con lo que pediste y está disponible. Lado a lado:`
			);
}

/** A reply that put one of those side by side first: "the X's is the biggest", "the X is the cheapest one…", "only the X mentions…". */
const RANKED_FIRST =
	/^(?:The .+? of each — the (.+?)'s is the (?:bigger|biggest|smaller|smallest) \(|.+? de cada uno — el (?:mayor|menor) es el de (.+?) \(|The (.+?) is the (?:cheaper|cheapest|pricier|priciest) one you can have now \(|La opción más (?:económica|cara) disponible es (.+?) \(|Only the (.+?) mentions “|Solo (.+?) menciona “|I'd go for the (.+?) \(|Yo elegiría (.+?) \(|In [^:\n]+: the (.+?)(?:, sold out right now)? — side by side:|En [^:\n]+: (.+?)(?:, agotado por ahora)? — lado a lado:)/m;
/** The product such a reply put first, among those shown: what "it" means in the next message. */
function rankedFirst(lastReply: string, state: BrainState): string | undefined {
	const name = RANKED_FIRST.exec(lastReply)?.slice(1).find(Boolean);
	if (!name) return undefined;
	const line = [...lastReply.matchAll(NUMBERED_LINE)].find(m => m[2] === name);
	return line ? state.shown.find(x => x.position === Number(line[1]))?.sku : undefined;
}

/** "Which is lighter?", "¿cuál pesa menos?": a weight to compare. */
const WEIGHT_ASKED = /\b(lighter|lightest|heavier|heaviest|heavy(?! duty)|weighs?|weight|liviano|livianos|ligero|ligeros|pesa|pesado|pesados|peso)\b/;
/** A weight in a product's details: a figure in kg, g or lb, or an attribute named for it. */
const WEIGHT_STATED = /\b\d+(?:\.\d+)?\s?(?:kg|g|lbs?|grams?)\b|\bweight\b/i;

/** The store's payment link of an order waiting for payment, on a line of its own. */
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
function withOpener(persona: Persona, n: number): Persona {
	const en = [persona.flourish.en, ...(persona.alsoSays?.en ?? [])];
	const es = [persona.flourish.es, ...(persona.alsoSays?.es ?? [])];
	const turn = (xs: string[]) => [...xs.slice(n % xs.length), ...xs.slice(0, n % xs.length)];
	return { ...persona, flourish: { en: en[n % en.length]!, es: es[n % es.length]! }, showing: { en: turn(persona.showing.en), es: turn(persona.showing.es) } };
}

/** The answer to several products added at once (a WhatsApp catalog cart, or "both"): what went in, what could not, and the cart. */
function composeAdds(outputs: any[], lang: Lang, persona: Persona, fromCatalog: boolean): { text: string; understood: boolean } {
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
function composeRemovals(outputs: any[], lang: Lang): { text: string; understood: boolean } {
	const removed = outputs.filter(o => o?.removed).map(o => lineName(o.removed));
	const refused = outputs.filter(o => typeof o?.error === "string").map(o => refusal("remove_from_cart", o, lang).text);
	const cart = [...outputs].reverse().find(o => o?.cart)?.cart;
	const head = removed.length ? t(lang, `Removed ${joinWith(removed, "and")}.`, `Quité ${joinWith(removed, "y")}.`) : null;
	const rest = cart?.items.length ? cartLines(cart, lang) : t(lang, "Your cart is empty now — tell me what you're looking for!", "Tu carrito quedó vacío — ¡dime qué buscas!");
	return { text: [head, ...refused, rest].filter(Boolean).join("\n"), understood: removed.length > 0 };
}

/** The text answer once the tool results are in; `relaxed` names the filter a retried search left out. */
function compose(call: ChatToolCall, output: any, lang: Lang, persona: Persona, relaxed?: Relaxed | "photo", ctx: ComposeContext = NO_CONTEXT): { text: string; understood: boolean } {
	if (output && typeof output.error === "string") return refusal(call.name, output, lang);
	switch (call.name) {
		case "search_products":
		case "recommend": {
			const products = (output.products ?? []) as ProductOut[];
			if (!products.length && call.name === "recommend")
				return {
					text: ctx.soldOutBest
						? t(lang, `The ${ctx.soldOutBest} fits best, but it's sold out right now, and I have nothing like it in stock. Tell me what you're after and I'll look.`, `${ctx.soldOutBest} es lo que mejor encaja, pero está agotado ahora, y no tengo nada parecido disponible. Dime qué buscas y lo busco.`)
						: ctx.soldOutAsked
						? t(lang, `Sorry, ${ctx.soldOutAsked} is sold out right now, and I have nothing like it in stock. Tell me what you're after and I'll look.`, `Perdón, ${ctx.soldOutAsked} está agotado por ahora, y no tengo nada parecido disponible. Dime qué buscas y lo busco.`)
						: argsOf(call).kind === "similar"
							? t(lang, "I don't have anything like it in stock right now, I'm afraid. Tell me what you're after and I'll look.", "No tengo nada parecido disponible ahora, perdón. Dime qué buscas y lo busco.")
							: t(lang, "I have nothing to suggest right now. Tell me what you're after and I'll look.", "No tengo sugerencias ahora mismo. Dime qué buscas y lo busco."),
					understood: true
				};
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
			// Words the shop has nothing for ("horror" games): what follows answers the other words only.
			const unmatched = unmatchedOf(output).slice(0, 3);
			// Words other products have but none of these ("linen" when no shirt is): not a match either.
			// Quoted in English only: the search's words are the catalog's (English) ones.
			const searched = String(argsOf(call).query ?? "");
			const partial = !unmatched.length && Array.isArray(output.missing) && output.missing.length > 0 && searched.length > 0;
			// Misspelt words searched as the shop's closest ones: said, so a wrong guess is seen.
			const readAs = typeof output.searchedFor === "string" ? `${t(lang, `(I searched for “${output.searchedFor}”.)`, `(Busqué “${output.searchedFor}”.)`)}\n` : "";
			// "A laptop for video editing" (or "what about for gaming?" after laptops) was searched as one
			// with enough memory: said, with why.
			const use = call.name === "search_products" && searched.split(/\s+/).includes(DEMANDING_BOUND) ? DEMANDING_USE.exec(writeSpecBounds(fold(ctx.asked)))?.[1] : undefined;
			// "Something cheaper?" may list the same products again: the order is what changed, said so.
			const sortedBy = call.name === "search_products" ? argsOf(call).sort : undefined;
			// No figure in the relaxed intros: the guardrails accept only prices seen in this turn.
			const intro = ctx.goesWith
				? t(lang, `To go with the ${ctx.goesWith}:`, `Para combinar con ${ctx.goesWith}:`)
				: call.name === "recommend"
					? argsOf(call).kind === "complementary"
						? ctx.lacking
							? t(lang, `Nothing for “${ctx.lacking}” in our shop, I'm afraid — these go well with it:`, "No tengo eso, lo siento — esto combina bien:")
							: t(lang, "These go well with it:", "Combinan bien con eso:")
						: argsOf(call).kind === "similar"
							? argsOf(call).cheaper === true
								? t(lang, "Similar ones for less:", "Parecidos por menos:")
								: ctx.soldOutBest
								? t(lang, `The ${ctx.soldOutBest} fits best, but it's sold out right now — similar ones you can have now:`, `${ctx.soldOutBest} es lo que mejor encaja, pero está agotado ahora — parecidos que sí tenemos:`)
								: ctx.soldOutAsked
								? t(lang, `Sorry, ${ctx.soldOutAsked} is sold out right now — similar ones you can have now:`, `Perdón, ${ctx.soldOutAsked} está agotado por ahora — parecidos que sí tenemos:`)
								: t(lang, "Similar ones you can have now:", "Parecidos que sí tenemos:")
							: NEW_HOME.test(fold(ctx.asked)) && !FOR_SOMEONE.test(fold(ctx.asked))
								? t(lang, "Congratulations on the new place! A few favourites to start with:", "¡Felicidades por la casa nueva! Algunos favoritos para empezar:")
								: ctx.ratedOlder !== undefined
								? t(lang, `Every game I have that fits is rated for players older than ${ctx.ratedOlder}, I'm afraid — these suit a ${ctx.ratedOlder}-year-old:`, `Todos los juegos que tengo de eso son para mayores de ${ctx.ratedOlder} años, lo siento — esto sí es apto para ${ctx.ratedOlder} años:`)
								: typeof argsOf(call).forAge === "number"
								? t(lang, `My picks for a ${argsOf(call).forAge}-year-old:`, `Mis recomendaciones para ${argsOf(call).forAge} años:`)
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
						: relaxed === "size"
							? t(lang, `Nothing in size ${ctx.missingSize ?? "that size"} right now, I'm afraid — here's what I have in other sizes:`, `No tengo nada en talla ${ctx.missingSize ?? "esa"} ahora, lo siento — esto hay en otras tallas:`)
						: relaxed === "color"
							? products.every(p => !p.color)
								? t(lang, `I can't tell which of these come in ${ctx.missingColor ?? "that colour"} — their details don't list colours:`, "No sé cuáles de estos vienen en ese color — sus fichas no indican colores:")
								: products.length === 1
								? t(lang, `Not in ${ctx.missingColor ?? "that colour"} right now — here it is in other colours:`, "No lo tengo en ese color ahora — aquí está en otros:")
								: t(lang, `Nothing in ${ctx.missingColor ?? "that colour"} right now — here's what I have in other colours:`, "No tengo nada en ese color ahora — esto hay en otros colores:")
							: relaxed === "photo"
								? t(lang, "I can't open photos in this chat, sorry — here's what I have in that colour (tell me what it is and I'll narrow it down):", "No puedo abrir fotos en este chat, perdón — esto tengo en ese color (dime qué es y lo afino):")
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
									: sortedBy === "price_asc" && products.length > 1
									? t(lang, "From the most affordable:", "Del más económico al más caro:")
									: sortedBy === "price_desc" && products.length > 1
									? t(lang, "From the priciest:", "Del más caro al más económico:")
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
			return {
				// Not what was asked for exactly: no cheer before saying so.
				text: `${readAs}${relaxed || unmatched.length || partial || ctx.nearestFor || ctx.soldOutBest || ctx.ratedOlder !== undefined ? "" : `${persona.showing[lang][0]} `}${intro}\n${productLines(products, lang)}\n${next}${then}`,
				understood: true
			};
		}
		case "get_product": {
			const p = output as ProductOut;
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
			const line = detailsHead(p, feature, answered, lang, ctx.asked, ctx.age) ?? ranked;
			const head = line ? `${line}\n` : "";
			return { text: `${head}${p.name} — ${p.priceText}.${promo}${p.description ? ` ${p.description}` : ""}${sizes}\n${next}`, understood: true };
		}
		case "add_to_cart": {
			if (output.resized) {
				const { name, from, size } = output.resized as { name: string; from: string; size: string };
				return {
					text: `${resizedText(lang, name, from, size)}\n${cartLines(output.cart, lang)}\n${t(lang, "Keep shopping or check out?", "¿Seguimos mirando o finalizas la compra?")}`,
					understood: true
				};
			}
			if (output.sized) {
				const { size, color, name } = output.sized as { size?: string; color?: string; name: string };
				return { text: `${sizedText(lang, name, size, color)}\n${cartLines(output.cart, lang)}\n${choiceAsked(output, lang)}`, understood: true };
			}
			const { qty, name: plainName, sku, size, color } = output.added as { qty: number; name: string; sku: string; size?: string; color?: string };
			const name = lineName({ name: plainName, ...variantOf({ size, color }) });
			// "make it 2" or a second add of one product: the new count, not a bare "Added 1×".
			const now = (output.cart.items as { sku: string; size?: string; color?: string; qty: number }[]).find(i => i.sku === sku && i.size === size && i.color === color)?.qty ?? qty;
			const head =
				now > qty
					? t(lang, `Added ${qty} more: ${now}× ${name} in your cart now 🛒`, `Agregué ${qty} más: ahora ${now}× ${name} en tu carrito 🛒`)
					: t(lang, `Added ${qty}× ${name} to your cart 🛒`, `Agregué ${qty}× ${name} a tu carrito 🛒`);
			return { text: `${persona.flourish[lang]} ${head}\n${cartLines(output.cart, lang)}\n${choiceAsked(output, lang)}`, understood: true };
		}
		case "remove_from_cart": {
			// A line of one size and colour, not the product's others: "Removed Cloudstep Runner (42)".
			const removed = output.removed as { sku: string; name: string; size?: string; color?: string };
			const left = (output.cart.items as { sku: string; name: string; size?: string; color?: string; qty: number }[]).find(i => i.sku === removed.sku && i.size === removed.size && i.color === removed.color);
			const head = left
				? t(lang, `Done: ${left.qty}× ${lineName(left)} now.`, `Listo: ahora ${left.qty}× ${lineName(left)}.`)
				: t(lang, `Removed ${lineName(removed)}.`, `Quité ${lineName(removed)}.`);
			return {
				text: `${head}\n${output.cart.items.length ? cartLines(output.cart, lang) : t(lang, "Your cart is now empty.", "Tu carrito quedó vacío.")}`,
				understood: true
			};
		}
		case "view_cart":
			return {
				text: output.items.length
					? `${t(lang, "Your cart:", "Tu carrito:")}\n${cartLines(output, lang)}\n${t(lang, "Ready to check out?", "¿Listo para finalizar?")}`
					: t(lang, "Your cart is empty — tell me what you're looking for!", "Tu carrito está vacío — ¡dime qué buscas!"),
				understood: true
			};
		case "checkout": {
			const promo = output.promotion as { code: string; discountText: string; totalText?: string } | undefined;
			const lost = output.promotionNotApplied as { code: string } | undefined;
			const lostLine = lost ? `\n${t(lang, `(Code ${lost.code} doesn't apply to this order any more.)`, `(El código ${lost.code} ya no aplica a este pedido.)`)}` : "";
			if (output.awaitingConfirmation) {
				const lines = promo
					? `${itemLines(output.summary)}\nSubtotal: ${output.summary.totalText}\n${t(lang, "Discount", "Descuento")} ${promo.code}: −${promo.discountText}\nTotal: ${promo.totalText}`
					: cartLines(output.summary, lang);
				return { text: `${t(lang, "Here's your order:", "Este es tu pedido:")}\n${lines}${lostLine}\n${t(lang, "Shall I place it?", "¿Lo confirmo?")}`, understood: true };
			}
			const saved = promo ? t(lang, ` (you saved ${promo.discountText} with ${promo.code})`, ` (ahorraste ${promo.discountText} con ${promo.code})`) : "";
			return {
				text: `${t(lang, `Done! Your order ${output.orderId} is placed — total ${output.totalText}${saved}. I'll keep you posted here.`, `¡Listo! Tu pedido ${output.orderId} está hecho — total ${output.totalText}${saved}. Te aviso por aquí.`)}${lostLine} ${persona.signOff[lang]}${payHere(output, lang)}`,
				understood: true
			};
		}
		case "apply_promo_code":
			return {
				text: t(
					lang,
					`Code ${output.code} applied ✅ You save ${output.discountText}: your total is now ${output.totalText}. Ready to check out?`,
					`Código ${output.code} aplicado ✅ Ahorras ${output.discountText}: tu total queda en ${output.totalText}. ¿Finalizamos la compra?`
				),
				understood: true
			};
		case "list_promotions": {
			const promotions = (output.promotions ?? []) as { code: string; description: string }[];
			if (!promotions.length)
				return { text: t(lang, "No promotions are running right now — but I can help you find something within your budget.", "No hay promociones activas ahora mismo — pero te ayudo a encontrar algo a tu medida."), understood: true };
			const lines = promotions.map(p => `• ${p.code} — ${p.description}`).join("\n");
			return {
				text: `${t(lang, "Running now:", "Promociones activas:")}\n${lines}\n${t(lang, "Tell me a code and I'll apply it to your order.", "Dime un código y lo aplico a tu pedido.")}`,
				understood: true
			};
		}
		case "store_policy":
			return { text: policyText(output, lang, ctx), understood: true };
		case "cancel_order": {
			const id = output.orderId as string;
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
			return { text: `${t(lang, `Your order ${output.orderId} is ${en}.`, `Tu pedido ${output.orderId} está ${es}.`)}${shipped}${payHere(output, lang)}`, understood: true };
		}
		default:
			return { text: t(lang, "Done.", "Listo."), understood: true };
	}
}

/** A place named in a delivery question ("ship to canada", "¿envían a México?"), or abroad in general. */
const DELIVER_TO = /\b(?:ship|ships|shipping|deliver|delivery|send|envian|envias|envio|envios|mandan|llega|llegan)\b[^?]*?\b(?:to|a|hasta|en)\s+(?!(?:my|mi|your|tu|the|la|el|casa|home|house|door|puerta|domicilio|you|usted|ti)\b)([a-z]{3,}(?: [a-z]{3,})?)\s*\??$|\b(?:international(?:ly)?|abroad|overseas|al extranjero|internacional(?:es)?|fuera del pais)()\b/;
/** A payment method as a customer names it. */
const PAYMENT_NAMED: Record<string, RegExp> = {
	card: /\b(card|credit|debit|tarjeta|visa|mastercard)\b/,
	paypal: /\bpaypal\b/,
	apple_pay: /\bapple pay\b/,
	bank_transfer: /\b(bank transfer|transfer|transferencia)\b/,
	cash_on_delivery: /\b(cash|efectivo|contra entrega|contrareembolso)\b/
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
			const where = place[1] ? capitalise(place[1]) : t(lang, "other countries", "otros países");
			return t(
				lang,
				`Orders arrive in ${span} business days, and delivery is included in the price 🚚 Whether we deliver to ${where} I can't confirm from here — say "talk to a person" and our team will check.`,
				`Los pedidos llegan en ${span} días hábiles, y el envío está incluido en el precio 🚚 Si enviamos a ${where} no lo puedo confirmar desde aquí — escribe "hablar con una persona" y nuestro equipo lo revisa.`
			);
		}
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
function outputOf(after: ChatMessage[], callId: string): any {
	const result = after.find(m => m.role === "tool" && m.toolCallId === callId);
	try {
		return result && result.role === "tool" ? JSON.parse(result.content) : {};
	} catch {
		return { error: "unexpected tool output" };
	}
}

export function createOfflineBrain(): Model {
	let callCounter = 0;
	return {
		name: "offline",
		async complete(request: ModelRequest): Promise<ModelResponse> {
			const said = parseState(request.messages);
			const userIndex = request.messages.map(m => m.role).lastIndexOf("user");
			const history = request.messages.slice(0, userIndex);
			// The opener changes with each reply of the conversation; the same request still gets the same one.
			const persona = withOpener(personaFor(said.brand), history.filter(m => m.role === "assistant").length);
			const user = request.messages[userIndex];
			const lastReply = lastReplyOf(history);
			const typed = user && user.role === "user" ? containerIsIt(followUpAsked(removalChosen(cartRequest(chatShorthand(user.content)), lastReply), lastReply, said), said) : "";
			/** The customer's earlier messages, most recent first. */
			const earlier = history.flatMap(m => (m.role === "user" ? [cartRequest(chatShorthand(m.content))] : [])).reverse();
			const inView = replyInView(history, said.shown.length);
			// "Which one do you mean?" answered: the question asked before it, about the one picked.
			const picked = earlier[0] ? questionPicked(typed, lastReply, said, listedLines(inView, said.shown.length), pricedLines(inView)) : undefined;
			const text = picked ? earlier[0]! : typed;
			// "Does it come in grey?" after "the Haven Corner Sofa's is the biggest": "it" is that one.
			const first = said.focus || picked ? undefined : rankedFirst(lastReply, said);
			const state = picked ? { ...said, focus: picked } : first ? { ...said, focus: first } : said;
			// As said, not as spelt out above ("agrégalo al carrito" is Spanish in the words the add drops);
			// an address says nothing of the customer's language.
			const lang = detectLang(/^\[location\]/.test(text) || !user || user.role !== "user" ? "" : chatShorthand(user.content), detectLang(earlier.join(" ")));
			const after = request.messages.slice(userIndex + 1);
			const lastCall = [...after].reverse().find((m): m is Extract<ChatMessage, { role: "assistant" }> => m.role === "assistant" && !!m.toolCalls?.length);
			const greeting = () => (state.greet ? `${persona.greeting[lang].split(/(?<=[.!?✨🏡💄🎮])\s/)[0]} ` : "");
			const offered = (name: string) => request.tools.some(tool => tool.name === name);
			/** Another round of tool calls, numbered on from the last. */
			const callTools = (calls: { name: string; args: object }[], intent: string): ModelResponse => ({
				message: { content: null, toolCalls: calls.map(c => ({ id: `offline_${++callCounter}`, name: c.name, arguments: JSON.stringify(c.args) })) },
				model: "offline",
				intent
			});

			if (lastCall?.toolCalls && lastCall.toolCalls.length > 1) {
				const outputs = lastCall.toolCalls.map(c => outputOf(after, c.id));
				const names = lastCall.toolCalls.map(c => c.name);
				// Each product a comparison named, found alone: side by side. Not all found: one search of all the words.
				const compared = names.every(n => n === "search_products") ? comparedNames(fold(text)) : null;
				if (compared && compared.length === outputs.length && offered("get_product")) {
					const skus = lastCall.toolCalls.map((c, i) => namedHit(c, outputs[i]));
					const calls = skus.every(Boolean)
						? [...new Set(skus as string[])].map(sku => ({ name: "get_product", args: { sku } }))
						: [{ name: "search_products", args: parseProductQuery(productWords(fold(text)).replace(new RegExp(COMPARE.source, "g"), " ")) }];
					return callTools(calls, calls[0]!.name === "get_product" ? "product" : "search");
				}
				// "Compare it with the ProBook 14": found by name, the two side by side; not found, each as it is.
				const inView = names.length === 2 && names[0] === "get_product" && names[1] === "search_products" && typeof outputs[0]?.sku === "string" ? (outputs[0] as ProductOut) : undefined;
				const other = inView ? namedHit(lastCall.toolCalls[1]!, outputs[1]) : undefined;
				if (inView && other && other !== inView.sku && offered("get_product"))
					return callTools([inView.sku, other].map(sku => ({ name: "get_product", args: { sku } })), "product");
				const parts = names.every(n => n === "search_products") ? compoundAdd(fold(text)) : null;
				if (parts && parts.length === outputs.length && offered("add_to_cart")) {
					const skus = lastCall.toolCalls.map((c, i) => namedHit(c, outputs[i], fold(text)));
					// Each part found its product: all of them go in. Otherwise the first one not named is
					// shown to choose from, and the reply names the others to ask for next.
					const unnamed = skus.findIndex(sku => !sku);
					const calls = unnamed < 0
						? skus.map((sku, i) => ({ name: "add_to_cart", args: { sku, ...(parts[i]!.size ? { size: parts[i]!.size } : {}) } }))
						: [{ name: "search_products", args: parts[unnamed]!.query }];
					return callTools(calls, calls[0]!.name === "add_to_cart" ? "add_to_cart" : "search");
				}
				const answer = names.every(n => n === "get_product")
					? composeComparison(outputs, lang, state.shown, comparedWithIt(fold(text)) ? "" : (namedQuestion(fold(text))?.itForm ?? fold(text)), earlier)
					: names.every(n => n === "add_to_cart")
						? composeAdds(outputs, lang, persona, /^\[order /.test(text))
						: names.every(n => n === "remove_from_cart")
							? composeRemovals(outputs, lang)
							: composeEach(lastCall.toolCalls, outputs, lang, persona, { hasCart: state.cart.items.length > 0, asked: fold(text) });
				return { message: { content: greeting() + answer.text, toolCalls: [] }, model: "offline", understood: answer.understood };
			}

			if (lastCall?.toolCalls) {
				// Tool results are in: answer from them (the first call carries the intent).
				const call = lastCall.toolCalls[0];
				const output = outputOf(after, call.id);
				const toolRounds = after.filter((m): m is Extract<ChatMessage, { role: "assistant" }> => m.role === "assistant" && !!m.toolCalls?.length);
				const rounds = toolRounds.length;
				// "Does the ProBook 16 have a backlit keyboard?" is answered as "does it have a backlit keyboard?".
				const productNamed = namedQuestion(fold(text));
				const asked = productNamed?.itForm ?? fold(text);
				// "running shoes, size 42" then "the first": the size said while looking goes on the line.
				// "pink sneakers" then "the first": the colour too.
				const justIn = rounds === 1 && call.name === "add_to_cart" && output?.added;
				const rememberedSz = justIn && Array.isArray(output.sizeNeeded) ? rememberedSize([text, ...earlier], output.sizeNeeded) : null;
				const rememberedCl = justIn && Array.isArray(output.colourNeeded) ? rememberedColour([text, ...earlier], output.colourNeeded) : null;
				if (rememberedSz || rememberedCl)
					return callTools([{ name: "add_to_cart", args: { sku: output.added.sku, ...variantOf(output.added), ...(rememberedSz ? { size: rememberedSz } : {}), ...(rememberedCl ? { color: rememberedCl } : {}) } }], "add_to_cart");
				// "add the biker leather jacket in M", "and the chelsea boots in 42": the product it names goes in the cart.
				const count = LEADING_COUNT.exec(asked)?.[1];
				const qty = count ? (NUMBER_WORDS[count] ?? Number(count)) : 1;
				const named = rounds === 1 && call.name === "search_products" && (ADD.test(asked) || sizeArg(asked).size || count) && !QUESTION.test(asked) ? namedHit(call, output, asked) : undefined;
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
				const gone = call.name === "add_to_cart" && output?.code === "insufficient_stock" && output.inStock === 0 && !/^\[order /.test(text);
				if (gone && offered("recommend")) return callTools([{ name: "recommend", args: { sku: output.sku, kind: "similar" } }], "recommend");
				// "A controller that works with it": the product in view's details are in; now the search, for its platforms.
				const forIt = rounds === 1 && call.name === "get_product" ? wantedForIt(asked) : null;
				if (forIt?.query && output && offered("search_products"))
					return callTools([{ name: "search_products", args: { ...forIt, ...(platformNames(output as ProductOut).length ? { platforms: platformNames(output as ProductOut) } : {}) } }], "recommend");
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
				const about = rounds === 1 && call.name === "search_products" && (QUESTION.test(asked) || DETAILS.test(asked)) ? (sole ? namedHit(call, output) : (namedHit(call, output, namedIn) ?? theOneInCart(output, namedIn, state))) : undefined;
				if (about && offered("get_product")) return callTools([{ name: "get_product", args: { sku: about } }], "product");
				// "Quiero ver el ProBook 14", "ProBook 14": a product named, every word of it, is shown in
				// detail, not as a list of one; words that only describe ("black jacket") still list.
				const shownNamed = rounds === 1 && call.name === "search_products" && !output?.unmatched && !output?.missing ? namedInFull(call, output, asked) : undefined;
				if (shownNamed && offered("get_product")) return callTools([{ name: "get_product", args: { sku: shownNamed } }], "product");
				// "The duvet" (or "add the duvet") when two duvets are on the list: which one, not the same list again.
				const found = (output?.products ?? []) as ProductOut[];
				// "What sizes does the duvet come in?", "does the leather jacket have pockets?" when two or three
				// are duvets or leather jackets: each one's answer, side by side.
				if (rounds === 1 && call.name === "search_products" && (SIZES_ASKED.test(asked) || productNamed) && found.length >= 2 && found.length <= 3 && offered("get_product"))
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
				const lacking = before?.name === "search_products" && call.name === "recommend" && argsOf(call).kind === "complementary" ? argsOf(before).query : undefined;
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
					...(before?.name === "search_products" && call.name === "recommend" && Number(outputOf(after, before.id)?.ratedOlder ?? 0) > 0 && typeof argsOf(before).forAge === "number" ? { ratedOlder: argsOf(before).forAge as number } : {}),
					...ageOf([text, ...earlier])
				});
				return { message: { content: greeting() + answer.text, toolCalls: [] }, model: "offline", understood: answer.understood };
			}

			const codeAsked = /Tell me a code|Dime un código|^Which code — |^¿Qué código — /.test(lastReply);
			const codesOffered = codeAsked ? [...lastReply.matchAll(/^• ([A-Z0-9][A-Z0-9_-]{2,31}) — /gm)].map(m => m[1]!) : [];
			const similarOffered = /(?:Want me to show you something similar|¿Te muestro algo parecido)\?$/.test(lastReply);
			const checkoutOffered = /(?:Ready to check out|¿Finalizamos la compra|¿Listo para finalizar)\?$/.test(lastReply);
			const colourAnswered = /^(?:Yes, it comes in |Not in [^\n]*, I'm afraid — it comes in |Sí, viene en ese color\.|No en ese color, lo siento — viene en )/.test(lastReply);
			// A size just set ("Linen Shirt in size M 👌") is the line just put in the cart as much as an add.
			const resizedSaid = RESIZED_SAID.exec(lastReply);
			const resizedLine = resizedSaid ? state.cart.items.find(i => i.name === (resizedSaid[1] ?? resizedSaid[4])) : undefined;
			const resized = resizedSaid && resizedLine ? { sku: resizedLine.sku, from: (resizedSaid[2] ?? resizedSaid[5])!, to: (resizedSaid[3] ?? resizedSaid[6])! } : undefined;
			const justAdded = /\b(?:Added\b|Agregué)|\b(?:You have \d+ in your cart|Tienes \d+ en tu carrito)\b|\b(?:in|en) [^\n]+ 👌/.test(lastReply) || resized ? state.cart.items.filter(i => lastReply.includes(i.name)).map(i => i.sku) : [];
			const oneMoreOffered = ONE_MORE_ASKED.exec(lastReply) ? state.cart.items.find(i => lastReply.startsWith(`${i.name} `))?.sku : undefined;
			const sideBySideLines = pricedLines(lastReply).map(l => l.n);
			const compared = sideBySideLines.length >= 2 && sideBySideLines.length < state.shown.length && sideBySideLines.every(n => n <= state.shown.length) ? sideBySideLines : undefined;
			const decision = decide(text, { ...state, pendingQty: askedQty(lastReply), codeAsked, codesOffered, similarOffered, checkoutOffered, colourAnswered, justAdded, oneMoreOffered, resized, compared, coloursAsked: coloursStillAsked(history), sizesShown: shownSizes(lastReply) }, lang, persona, earlier, listedLines(inView, state.shown.length), askedSizes(lastReply), pricedLines(inView));
			const decided = decision.kind === "tools" ? decision.calls : decision.kind === "tool" ? [{ name: decision.name, args: decision.args }] : [];
			// "He's 12 and has a Switchblade": what is looked for must work with it, and is not the device itself.
			const owned = user && user.role === "user" ? ownedPlatform(user.content) : null;
			const calls = owned ? decided.map(c => (c.name === "search_products" && !("platforms" in c.args) ? { ...c, args: ownedSearch(c.args as Record<string, unknown>, owned) } : c)) : decided;
			// Tools the runner no longer offers (its last round) are not called.
			if (decision.kind === "text" || !calls.every(c => offered(c.name))) {
				const d = decision.kind === "text" ? decision : { text: t(lang, "Let me check that for you.", "Déjame revisarlo."), intent: decision.intent, understood: true };
				return { message: { content: d.text, toolCalls: [] }, model: "offline", intent: d.intent, understood: d.understood };
			}
			return callTools(calls, decision.intent);
		}
	};
}
