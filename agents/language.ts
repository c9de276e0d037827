/** Just enough language detection to answer in English or Spanish, deterministically. */
export type Lang = "en" | "es";

/** Lower case without accents: how words are compared. */
export const fold = (s: string) => s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
/** `s` as a literal inside a regular expression. */
export const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * Everyday words of each language, function words first: a customer's "y si no me queda bien puedo
 * devolverlo?" names no product word at all. Words both languages use ("me", "no") count for
 * neither; a tie falls back to the conversation's language.
 */
const SPANISH =
	/(?<!\p{L})(hola|ropa|hacer|deportiva|deportivo|buenas|buenos|gracias|quiero|busco|tienes|tienen|tengo|tiene|necesito|menos|precio|cuanto|cuánto|cuanta|cuánta|carrito|pedido|comprar|compra|compro|pagar|pago|finalizar|finalizo|confirmo|listo|todo|quitar|segundo|segunda|primero|primera|tercero|tercera|por favor|adiós|adios|chau|hablar|persona|humano|mi|mis|el|la|los|las|una|uno|unos|unas|de|del|al|con|para|por|que|qué|y|si|pero|porque|también|tambien|ya|muy|más|mas|bien|puedo|puedes|puede|pueden|es|son|está|esta|están|estan|hay|cómo|como|cuándo|cuando|dónde|donde|cuál|cual|lo|le|les|se|su|sus|te|este|ese|esa|eso|algo|nada|ahora|hoy|mañana|envío|envio|envíalo|envialo|quítalo|quitalo|quítala|quitala|sácalo|sacalo|bórralo|borralo|envíamelo|envíamelos|envialos|envíalos|mándalo|mandalo|mándamelo|mandamelo|entrégalo|entregalo|llega|queda|talla|barato|barata|caro|cara|ver|cambia|cambiar|cantidad|muestra|muéstrame|muestrame|enseña|ayuda|otro|otra|aceptan|ponme|dame|vale|dale|claro|bueno|ja(?:ja)+|devolver|devolverlo|devolverla|garantía|garantia|un|hazme|descuento|descuentos|oferta|ofertas|eres|soy|estoy|quisiera|hablo|máquina|maquina|venden|vendes|sí|tú|tu|elige|escoge|quieres|necesitas|huele|huela|hacen|hace|haces|envíos|envios|envían|envian|mandan|entiendo|entendí|entendi|ola|gusta|gustaría|gustaria|cuesta|cuestan|sirve|funciona|tallas|regalo|zapatos|zapatillas|vestido|camisa|pedidos|tienda|ustedes|usted|gracias|perdón|perdon|disculpa|negro|negra|negros|negras|blanco|blanca|blancos|blancas|rojo|roja|azul|azules|verde|verdes|chico|chica|grande|pequeño|pequeña)(?!\p{L})/giu;
const ENGLISH =
	/(?<!\p{L})(hi|hello|hey|thanks|thank|want|looking|need|under|less|price|cart|order|buy|remove|second|first|third|please|yes|bye|talk|the|a|an|my|for|both|with|of|what|do|does|you|your|have|has|i|is|are|it|this|that|and|or|but|if|can|could|would|how|when|where|which|there|any|some|show|tell|much|many|more|cheap|cheaper|return|delivery|shipping|size|take|get|just|only|also|too|now|today|cool|nice|great|awesome|ha(?:ha)+|lol)(?!\p{L})/giu;

/** English words Spanish-speaking customers use as their own. */
const LOANWORDS = new Set(["thanks", "thank", "you", "thx", "ok", "okay", "cart", "sorry", "bye", "cool", "nice", "please", "plis", "yes", "hi", "hello", "checkout", "link", "online", "delivery", "shopping", "sale"]);

const QUANTITY_SHORTHAND = /^\W*(?:(?:ok|okay)\W+)?(?:(?:make|change) (?:it|that|them)(?: to)?|x)\s*\d{1,2}(?:\s*(?:x|more|please|pls|plz|thanks|thx))*\W*$/i;
/**
 * The language of `text`; `fallback` when it does not tell ("ok", "2"), which callers set to the
 * language of the customer's earlier messages, so a short "sí" does not switch to English.
 */
export function detectLang(text: string | undefined, fallback: Lang = "en"): Lang {
	// A tap's or a catalog order's marker carries ids, not words: "[tap product:TE-001]" is no Spanish "te".
	text = text?.replace(/\[(?:tap|order) [^\]]*\]/g, " ");
	if (!text) return fallback;
	const es = text.match(SPANISH)?.length ?? 0;
	const en = text.match(ENGLISH)?.length ?? 0;
	if (/[¿¡ñ]/.test(text)) return "es";
	// "thanks!", "cart", "sorry" in a Spanish chat are loanwords, not a switch to English.
	const words = text.toLowerCase().match(/\p{L}+/gu) ?? [];
	if (fallback === "es" && words.length && words.every(w => LOANWORDS.has(w))) return fallback;
	// "Make it 2 please", "x3": a count in the shop's shorthand says nothing of the customer's language
	// (it flipped a Spanish chat's replies to English).
	if (QUANTITY_SHORTHAND.test(text)) return fallback;
	return es > en ? "es" : en > es ? "en" : fallback;
}

/** The message without the words of `address` in it: "envíalo a" of "envíalo a Calle Mayor 5". */
export function wordsBeside(message: string, address: string): string {
	const words = (s: string) => fold(s).split(/[^\p{L}\p{N}]+/u).filter(Boolean);
	const of = new Set(words(address));
	// Written as they were: "¿" and "ñ" tell Spanish too.
	return message
		.split(/\s+/)
		.filter(w => !words(w).every(part => of.has(part)))
		.join(" ");
}
