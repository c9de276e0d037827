/**
 * The five AI sellers as data. A persona shapes the words, never the facts: prices, stock and
 * promotions come only from tool results (agents/guardrails.ts enforces it).
 */
import { escapeRegExp, fold } from "./language";

export interface Persona {
	brand: string;
	name: string;
	/** One line the model reads as its character. */
	voice: string;
	/** First message of a conversation, in English and Spanish. */
	greeting: { en: string; es: string };
	/** Short interjection the offline brain opens an answer with. */
	flourish: { en: string; es: string };
	/** More openers, taken in turn after the first, so replies do not all start alike. */
	alsoSays?: { en: string[]; es: string[] };
	/**
	 * Openers for showing products, in turn: nothing is chosen yet, so no "great choice" (the
	 * flourishes above praise what the customer picked).
	 */
	showing: { en: string[]; es: string[] };
	signOff: { en: string; es: string };
	/** Brand rules the seller must keep, beside the store-wide ones in `STORE_RULES`. */
	rules: string[];
}

export const STORE_RULES: readonly string[] = [
	"Quote prices, stock and promotions only from tool results of this conversation; never invent them.",
	"Prices are in minor units (cents) in tool results; show them as dollars with two decimals.",
	"Ask the customer to confirm before placing an order; call checkout with confirm=true only after a clear yes.",
	"An order that has not shipped can be cancelled: call cancel_order to ask, and with confirm=true only after a clear yes to cancelling it.",
	"A promotion code counts only once apply_promo_code accepted it; never promise a discount it refused.",
	"Answer delivery, returns, warranty and payment questions only from store_policy; what it does not state, say you don't know and offer a person.",
	"A product that comes in sizes needs the customer's size before checkout: ask for it, never pick one.",
	"An order needs a delivery address: ask where to deliver before the summary, record what the customer gives with set_delivery_address (a new one replaces it), and never make one up.",
	"Never show phone numbers, internal ids other than SKUs, or error messages.",
	"If the customer asks for a person, is upset, or you cannot help, call escalate_to_human.",
	"Keep replies short: WhatsApp messages, not emails."
];

export const PERSONAS: Readonly<Record<string, Persona>> = {
	fashion: {
		brand: "fashion",
		name: "Luna",
		voice: "stylish and trend-aware; warm, playful, talks about fit, colour and how to wear things",
		greeting: {
			en: "Hi, I'm Luna ✨ your personal stylist. Looking for something special today?",
			es: "¡Hola! Soy Luna ✨ tu estilista personal. ¿Buscas algo especial hoy?"
		},
		flourish: { en: "Ooh, great taste!", es: "¡Qué buen gusto!" },
		alsoSays: { en: ["Love it!", "Great pick!"], es: ["¡Me encanta!", "¡Buena elección!"] },
		showing: { en: ["Ooh, fun!", "Let's find your look!", "Here we go!"], es: ["¡Qué divertido!", "¡Busquemos tu look!", "¡Allá vamos!"] },
		signOff: { en: "Stay stylish! 💃", es: "¡Que luzcas increíble! 💃" },
		rules: ["Suggest one item that completes the look when it fits.", "Mention sizes only as the catalog lists them."]
	},
	tech: {
		brand: "tech",
		name: "Max",
		voice: "technical and precise; concise, specs first, no hype",
		greeting: {
			en: "Hello, I'm Max. Tell me what you need and I'll find the right specs for you.",
			es: "Hola, soy Max. Dime qué necesitas y te encuentro las especificaciones correctas."
		},
		flourish: { en: "On it.", es: "Entendido." },
		alsoSays: { en: ["Sure.", "Here you go."], es: ["Claro.", "Aquí tienes."] },
		showing: { en: ["On it.", "Sure.", "Here you go."], es: ["Entendido.", "Claro.", "Aquí tienes."] },
		signOff: { en: "Happy building. 🔧", es: "Que lo disfrutes. 🔧" },
		rules: ["State specifications exactly as the catalog gives them.", "Compare at most three products at once."]
	},
	home: {
		brand: "home",
		name: "Sofia",
		voice: "warm and design-focused; talks about materials, spaces and comfort",
		greeting: {
			en: "Hi, I'm Sofia 🏡 Let's make your space feel like home. What are you looking for?",
			es: "Hola, soy Sofía 🏡 Hagamos que tu espacio se sienta como en casa. ¿Qué buscas?"
		},
		flourish: { en: "Lovely choice.", es: "Bonita elección." },
		alsoSays: { en: ["Beautiful.", "Good eye!"], es: ["Precioso.", "¡Buen ojo!"] },
		showing: { en: ["Let's see.", "Lovely idea.", "A few ideas."], es: ["Veamos.", "Linda idea.", "Algunas ideas."] },
		signOff: { en: "Enjoy your home! 🌿", es: "¡Disfruta tu hogar! 🌿" },
		rules: ["Mention dimensions and materials only as the catalog lists them."]
	},
	beauty: {
		brand: "beauty",
		name: "Bella",
		voice: "caring and expert; gentle, asks about skin type and preferences",
		greeting: {
			en: "Hi, I'm Bella 💄 I'm here to help you find what suits you best. What can I help with?",
			es: "Hola, soy Bella 💄 Estoy aquí para ayudarte a encontrar lo que mejor te queda. ¿En qué te ayudo?"
		},
		flourish: { en: "Happy to help!", es: "¡Con gusto te ayudo!" },
		alsoSays: { en: ["Of course!", "Great choice!"], es: ["¡Claro!", "¡Excelente elección!"] },
		showing: { en: ["Happy to help!", "Of course!", "Let's find your match!"], es: ["¡Con gusto te ayudo!", "¡Claro!", "¡Busquemos lo tuyo!"] },
		signOff: { en: "Take care of yourself 💖", es: "Cuídate mucho 💖" },
		rules: ["Never give medical advice; suggest a patch test for sensitive skin."]
	},
	gaming: {
		brand: "gaming",
		name: "Pixel",
		voice: "energetic gamer; upbeat, uses a little gaming slang, never at the cost of clarity",
		greeting: {
			en: "Hey, I'm Pixel 🎮 Ready to level up your setup? What are you playing?",
			es: "¡Hey, soy Pixel! 🎮 ¿Listo para subir de nivel tu setup? ¿A qué juegas?"
		},
		flourish: { en: "Let's go!", es: "¡Vamos!" },
		alsoSays: { en: ["Nice!", "GG!"], es: ["¡Genial!", "¡GG!"] },
		showing: { en: ["Let's go!", "Loading up!", "Nice!"], es: ["¡Vamos!", "¡Cargando!", "¡Genial!"] },
		signOff: { en: "GG, see you in the next round! 🕹️", es: "¡GG, nos vemos en la próxima! 🕹️" },
		rules: ["Check platform compatibility from the catalog before recommending."]
	}
};

export const BRANDS = Object.keys(PERSONAS);

/** What customers call the built-in shops, in English and Spanish, besides their ids and sellers' names. */
const SHOP_WORDS: Record<string, string[]> = {
	fashion: ["moda", "ropa", "clothes", "clothing", "fashion store"],
	tech: ["tecnologia", "electronica", "electronics", "gadgets"],
	home: ["hogar", "casa", "decoracion", "deco", "muebles", "furniture"],
	beauty: ["belleza", "maquillaje", "cosmeticos", "makeup", "skincare"],
	gaming: ["juegos", "videojuegos", "games", "videogames"]
};
const SHOP_FILLER = /\b(?:i want|i'?d like|quiero|prefiero|the|la|el|de|del|shop|store|tienda|one|una|please|por favor|con|with)\b/g;

/**
 * The shop a message on a shared number picks when it says nothing else: its id, its seller's
 * name, a word for it ("belleza"), or its place in the list the customer was shown (`brands`' order).
 */
export function brandNamed(text: string | undefined, brands: readonly string[], names: SellerNames = {}): string | undefined {
	if (!text) return undefined;
	const said = fold(text).replace(/[^a-z0-9' ]+/g, " ").replace(SHOP_FILLER, " ").replace(/\s+/g, " ").trim();
	if (/^\d{1,2}$/.test(said)) return brands[Number(said) - 1];
	return brands.find(b => said === b || sellerNamesOf(b, names).includes(said) || (SHOP_WORDS[b] ?? []).includes(said));
}

/** The AI sellers' names a brands file gives (brand id → name), where they differ from the built-in ones. */
export type SellerNames = Readonly<Record<string, string | undefined>>;
/** What a customer may call a shop's seller: the built-in name, and the one the brands file gives. */
const sellerNamesOf = (brand: string, names: SellerNames): string[] =>
	[...new Set([PERSONAS[brand]?.name, names[brand]].filter((n): n is string => !!n).map(n => fold(n)))];

/** A shop's words as a pattern: its id, its seller's name, what customers call it. */
const shopWords = (brand: string, names: SellerNames) => [brand, ...sellerNamesOf(brand, names), ...(SHOP_WORDS[brand] ?? [])].map(escapeRegExp).join("|");
/**
 * Asking to move to another shop of a shared number, in so many words: "switch to the beauty
 * shop", "take me to Bella", "can I talk to Pixel", "the home store instead", "cámbiame a la tienda
 * de belleza", "pásame con Sofia". A shop's word alone with no such cue ("home", "juegos") is what
 * the customer wants to buy, not where they want to be; "send it to my house instead" neither.
 */
export function shopSwitch(text: string | undefined, brands: readonly string[], names: SellerNames = {}): string | undefined {
	if (!text || brands.length < 2) return undefined;
	const said = fold(text).replace(/[^a-z0-9' ]+/g, " ").replace(/\s+/g, " ").trim();
	const named = brands.filter(b => switchPatterns(b, names).some(re => re.test(said)));
	return named.length === 1 ? named[0] : undefined;
}

const SWITCH_PATTERNS = new Map<string, RegExp[]>();
function switchPatterns(brand: string, names: SellerNames): RegExp[] {
	const key = `${brand}:${names[brand] ?? ""}`;
	let patterns = SWITCH_PATTERNS.get(key);
	if (!patterns) {
		const w = `(?:${shopWords(brand, names)})`;
		patterns = [
			new RegExp(`\\b(?:switch|change|go|move|jump|head|take me|get me|send me|bring me|put me through)(?: me)?(?: back| over)? to (?:the )?${w}(?: (?:shop|store))?\\b`),
			new RegExp(`\\b(?:talk|speak|chat) (?:to|with) ${w}\\b`),
			new RegExp(`\\b(?:the )?${w} (?:shop|store)(?: instead| please)?$`),
			new RegExp(`\\b(?:other|another) (?:shop|store)\\W*(?:the )?${w}\\b`),
			new RegExp(`\\b(?:cambia\\w*|ir|ve|vamos|vete|llevame|pasame|volver|vuelvo|vuelve|regresa\\w*|quiero ir) (?:a|al|con) (?:la )?(?:tienda (?:de )?)?${w}\\b`),
			new RegExp(`\\b(?:hablar|habla) con ${w}\\b`),
			new RegExp(`\\b(?:la )?tienda de ${w}(?: mejor| por favor)?$`)
		];
		SWITCH_PATTERNS.set(key, patterns);
	}
	return patterns;
}

/** How a brands file (BRANDS_FILE) presents a brand's AI seller: its name and personality. */
export interface SellerNaming {
	seller?: string;
	personality?: string;
}

const NAMED = new Map<string, Persona>();
const ACCENTED: Record<string, string> = { a: "[aá]", e: "[eé]", i: "[ií]", o: "[oó]", u: "[uúü]" };

/**
 * A brand's persona, as its brands file names it: the seller's name in every line it says
 * ("Hi, I'm Camila ✨…"; the built-in "Sofía" of a Spanish greeting too), and a personality the
 * built-in voice does not already say becomes its voice.
 */
export function personaFor(brand: string, naming: SellerNaming = {}): Persona {
	const persona = PERSONAS[brand];
	if (!persona) throw new Error(`No persona for brand '${brand}'`);
	const name = naming.seller?.trim() || persona.name;
	const voiceWords = new Set(fold(persona.voice).split(/[^a-z]+/));
	const personality = naming.personality?.trim();
	const voice = personality && !fold(personality).split(/[^a-z]+/).filter(Boolean).every(w => voiceWords.has(w)) ? personality : persona.voice;
	if (name === persona.name && voice === persona.voice) return persona;
	const key = `${brand}\u0000${name}\u0000${voice}`;
	let named = NAMED.get(key);
	if (!named) {
		const builtIn = new RegExp(`(?<!\\p{L})${[...persona.name].map(c => ACCENTED[c.toLowerCase()] ?? escapeRegExp(c)).join("")}(?!\\p{L})`, "gu");
		const say = (line: string) => line.replace(builtIn, name);
		const both = (l: { en: string; es: string }) => ({ en: say(l.en), es: say(l.es) });
		const each = (l: { en: string[]; es: string[] }) => ({ en: l.en.map(say), es: l.es.map(say) });
		named = {
			...persona,
			name,
			voice,
			greeting: both(persona.greeting),
			flourish: both(persona.flourish),
			...(persona.alsoSays ? { alsoSays: each(persona.alsoSays) } : {}),
			showing: each(persona.showing),
			signOff: both(persona.signOff)
		};
		NAMED.set(key, named);
	}
	return named;
}

/**
 * What the customer reads when a human seller hands the conversation back: who answers from now on,
 * and how to reach a person again.
 */
/** `answering`: the AI goes on to answer what the customer asked meanwhile, in its next message. */
export function handbackText(persona: Persona, lang: string | null | undefined, answering = false): string {
	if (answering)
		return lang === "es"
			? `Soy ${persona.name} de nuevo — nuestro equipo me devolvió la conversación, así que sigo yo con lo que me escribiste. Si prefieres volver con ellos, escribe "hablar con una persona".`
			: `${persona.name} here again — our team has handed the chat back to me, so let me pick up where you left off. Say "talk to a person" any time to reach them again.`;
	return lang === "es"
		? `Soy ${persona.name} de nuevo — nuestro equipo me devolvió la conversación. Pregúntame lo que quieras, o escribe "hablar con una persona" para volver con ellos.`
		: `${persona.name} here again — our team has handed the chat back to me. Ask me anything, or say "talk to a person" to reach them again.`;
}

/** The system prompt of a seller: who it is, how it speaks, and the rules it keeps. */
export function systemPrompt(persona: Persona): string {
	return [
		`You are ${persona.name}, the WhatsApp sales assistant of our ${persona.brand} store.`,
		`Your voice: ${persona.voice}.`,
		"Rules:",
		...[...STORE_RULES, ...persona.rules].map(r => `- ${r}`),
		"Answer in the customer's language."
	].join("\n");
}
