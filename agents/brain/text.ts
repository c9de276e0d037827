/** Text helpers every part of the offline brain writes with, and the Spanish words it reads and writes. */
import type { Lang } from "../language";
import type { Persona } from "../personas";
import type { ChatMessage } from "../runner";
import { COLOURS_ES } from "../../contracts/catalog";

/** A product's description in the customer's language, where the catalog has it in theirs. */
export const descriptionIn = (lang: Lang, p: { description?: string; descriptionEs?: string }): string | undefined => (lang === "es" && p.descriptionEs) || p.description;

/** "a, b and c", "a, b o c". */
export const joinWith = (items: string[], word: string) => (items.length > 1 ? `${items.slice(0, -1).join(", ")} ${word} ${items.at(-1)}` : items[0]!);
import { escapeRegExp, fold } from "../language";
export { escapeRegExp, fold };

/** `[tap product:FJ-001]`, `[order FJ-001x2]`: the ids a message came with, not words. */
const MARKER = /\[(?:tap|order) [^\]]+\]/gi;
/**
 * `rewrite` of what the customer said, its markers' ids as they were sent: rewrites fold case
 * ("[tap product:HO-0009] Add to cart" is an add that names the cart), and a SKU is not found folded.
 */
export function keepingMarkers(content: string, rewrite: (said: string) => string): string {
	const sent = content.match(MARKER);
	const out = rewrite(content);
	return sent ? out.replace(MARKER, found => sent.find(s => s.toLowerCase() === found.toLowerCase()) ?? found) : out;
}
/**
 * Each “quoted” phrase of `reply` that the customer wrote, with their accents back: the brain
 * matches folded words ("pantalla tactil"), the customer reads "pantalla táctil".
 */
export function asWritten(reply: string, said: string): string {
	if (!reply.includes("“") || said.normalize("NFD") === said) return reply;
	// Where each folded character came from in what they wrote.
	let folded = "";
	const from: number[] = [];
	for (let i = 0; i < said.length; ) {
		const ch = String.fromCodePoint(said.codePointAt(i)!);
		for (const f of fold(ch)) {
			folded += f;
			from.push(i);
		}
		i += ch.length;
	}
	from.push(said.length);
	return reply.replace(/“([^”\n]{1,80})”/g, (whole, quoted: string) => {
		const at = new RegExp(`(?<![\\p{L}\\d])${escapeRegExp(quoted)}(?![\\p{L}\\d])`, "u").exec(folded)?.index;
		return at === undefined ? whole : `“${said.slice(from[at], from[at + quoted.length]).toLowerCase()}”`;
	});
}
export const t = (lang: Lang, en: string, es: string) => (lang === "es" ? es : en);
export const countOf = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
export const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
/** "a 10-year-old", "an 8-year-old", "an 11-year-old": the article as the number is said. */
export const aYearOld = (age: number | string) => `${/^(?:8\d?|11|18)$/.test(String(age)) ? "an" : "a"} ${age}-year-old`;
/** Spanish product words, singular (plurals are folded before the lookup), onto the catalog's English. */
export const NOUNS_ES: Record<string, string> = {
	chaqueta: "jacket", campera: "jacket", cazadora: "jacket", chamarra: "jacket", abrigo: "coat", zapato: "shoe",
	zapatilla: "sneaker", tenis: "sneaker", deportiva: "sneaker", bota: "boot", camisa: "shirt", camiseta: "t-shirt",
	remera: "t-shirt", playera: "t-shirt", vestido: "dress", pantalon: "pants", vaquero: "jeans", sudadera: "hoodie",
	bolso: "bag", bolsa: "bag", cartera: "bag", bufanda: "scarf",
	auricular: "headphones", audifono: "headphones", casco: "headphones", teclado: "keyboard", raton: "mouse",
	portatil: "laptop", computadora: "laptop", telefono: "phone", movil: "phone", celular: "phone", pantalla: "monitor",
	tableta: "tablet", reloj: "smartwatch", cargador: "charger", mochila: "backpack", funda: "case", estuche: "case", soporte: "stand", adaptador: "adapter",
	lampara: "lamp", silla: "chair", mesa: "table", cojin: "cushion", vela: "candle", alfombra: "rug", tapete: "rug", jarron: "vase",
	florero: "vase", manta: "blanket", sabana: "sheet", almohada: "pillow", sarten: "pan", cuchillo: "knife", taza: "cup",
	crema: "cream", hidratante: "moisturiser", limpiador: "cleanser", limpiadora: "cleanser",
	colonia: "perfume", champu: "shampoo", acondicionador: "conditioner", labial: "lipstick", pintalabios: "lipstick",
	maquillaje: "makeup", rimel: "mascara", suero: "serum", vitamina: "vitamin", cabello: "hair", pelo: "hair",
	rostro: "face", cuerpo: "body", ojo: "eye", labio: "lip", mano: "hand", aceite: "oil", colorete: "blush", rubor: "blush", brocha: "brush", pincel: "brush", peine: "comb",
	edredon: "duvet", nordico: "duvet", estanteria: "shelf", camara: "camera", volante: "wheel", gamer: "gaming",
	gorra: "cap", sombrero: "hat",
	// Kinds we may not sell, in English so the nearest we have can be named ("No “skirt” in our shop…").
	falda: "skirt", cinturon: "belt", calcetin: "sock", chancla: "sandal", sandalia: "sandal", lentes: "glasses",
	bocina: "speaker", cobija: "blanket", sillon: "armchair", colchon: "mattress", toalla: "towel", olla: "pot", cortina: "curtain", espejo: "mirror", maceta: "planter",
	bloqueador: "sunscreen", locion: "lotion", desodorante: "deodorant",
	juego: "game", videojuego: "game", consola: "console", mando: "controller", control: "controller", joystick: "controller",
	regalo: "gift", carrera: "racing", correr: "running", caminar: "walking", caminata: "walking", viaje: "travel", viajar: "travel", gimnasio: "gym", deporte: "sport", deportivo: "sport", ejercicio: "workout", entrenar: "training", entrenamiento: "training", estrategia: "strategy", aventura: "adventure", simulacion: "simulation", simulador: "simulation",
	escritorio: "desk", fiesta: "party", boda: "wedding", madera: "wood", vidrio: "glass", cristal: "glass", dibujar: "drawing", dibujo: "drawing", ilustracion: "drawing",
	// Rooms and decorating, as the home catalog tags them ("decor", "living room", "bedroom").
	leer: "reading", lectura: "reading", foto: "photo", fotografia: "photo", selfi: "selfie", arruga: "wrinkle", antiedad: "anti-ageing", envejecimiento: "ageing",
	decoracion: "decor", decorar: "decor", adorno: "decor", dormitorio: "bedroom", recamara: "bedroom"
};
/**
 * Spanish words for what a product has, onto the catalog's English. Not product nouns: "¿tiene
 * micrófono?" asks about the product in view, where "¿tiene auriculares?" asks the shop.
 */
export const FEATURES_ES: Record<string, string> = {
	vibracion: "vibration", recargable: "rechargeable", retroiluminado: "backlit", retroiluminada: "backlit", tactil: "touchscreen", microfono: "microphone", luz: "light", bolsillo: "pocket", capucha: "hood", forro: "lining", cierre: "zip", cremallera: "zip", ziper: "zip",
	// Materials and qualities: "¿es de cuero?", "¿es impermeable?" ask about the product in view.
	inalambrico: "wireless", impermeable: "waterproof", cuero: "leather", mezclilla: "denim", vaquera: "denim", lana: "wool", algodon: "cotton", lino: "linen", saten: "satin", elegante: "elegant", terciopelo: "velvet", laton: "brass", ceramica: "ceramic", mecanico: "mechanical", rizado: "curly",
	aromatica: "scented", aromatico: "scented", vainilla: "vanilla", lavanda: "lavender", canela: "cinnamon",
	// Hair and skin as beauty products name them: "champú para cabello graso", "¿sirve para pelo teñido?".
	graso: "oily", seco: "dry", teñido: "coloured", tenido: "coloured", tenida: "coloured", fino: "fine", grueso: "thick", liso: "straight", ondulado: "wavy", sensible: "sensitive", mixta: "combination", madura: "mature",
	foco: "bulb", bombilla: "bulb", bombillo: "bulb", redondo: "round", redonda: "round", cuadrado: "square", cuadrada: "square", ovalado: "oval", ovalada: "oval", multijugador: "multiplayer", cooperativo: "co-op", vegano: "vegan", vegana: "vegan", transpirable: "breathable", ajustable: "adjustable", desmontable: "detachable", lavable: "washable", plegable: "foldable", hipoalergenico: "hypoallergenic", hipoalergenica: "hypoallergenic",
	// "¿Tiene fragancia?" asks about the cream in view; "busco una fragancia" still finds perfumes (a synonym in the catalog).
	soja: "soy", cera: "wax", fragancia: "fragrance", perfumada: "scented", perfumado: "scented", noche: "night", nocturna: "night", nocturno: "night",
	// How it feels: "¿son suaves?", "¿es abrigada?" ask what the details say, in the catalog's words.
	// Care and assembly: "¿lo puedo lavar en lavadora?", "¿viene armado?", "¿se puede desarmar?".
	lavar: "wash", lavadora: "machine", lavavajillas: "dishwasher", armado: "assembled", armada: "assembled", armar: "assemble", montado: "assembled", montada: "assembled", montar: "assemble",
	desarmar: "disassemble", desmontar: "disassemble", plegar: "fold", doblar: "fold",
	suave: "soft", abrigado: "warm", abrigada: "warm", calido: "warm", calida: "warm", comodo: "comfortable", comoda: "comfortable", silencioso: "quiet", silenciosa: "quiet"
};
/** Spanish phrases whose words alone would say something else ("azul marino" is navy, not blue). */
export const PHRASES_ES: [RegExp, string][] = [
	// "I'm allergic to fragrance", "sin perfume": what has none, as the catalog says it.
	[/\b(?:(?:i'?m |i am )?allergic to|no|without|sin|alergi[ac]o?a? a(?:l| la)?) (?:fragrances?|perfumes?|scents?|fragancias?|perfume|aromas?)\b/g, "unscented"],
	[/\bmanchas?(?: oscuras?)?\b/g, "dark spots"],
	// "Something that smells nice", "algo que huela rico": a fragrance, as the catalog tags its perfumes and candles.
	[/\b(?:(?:that |which )?smells? (?:nice|good|great|amazing|lovely|so good)|(?:nice|good|lovely|great) (?:smell|scent)|(?:que )?huel[ae]n? (?:rico|bien|delicioso)|(?:buen|rico) (?:olor|aroma))\b/g, "fragrance"],
	// "Dry and flaky", "piel tirante": how dry skin feels, as the catalog names it.
	[/\b(?:flaky|flaking|peeling|reseca|descamada)\b/g, "dry"],
	[/\b(?:tight|tirante) (?:skin|piel)\b|\b(?:skin|piel) (?:feels |se siente |esta |gets )?(?:tight|tirante)\b/g, "dry skin"],
	// "Earbuds for running", "para correr": made for sport, as the catalog tags it ("running shoes" stay runners).
	[/\b(?:for|para) (?:running|jogging|correr|trotar)\b/g, "sport"],
	// "For long gaming sessions", "para jugar horas": comfort is what that asks of a chair or a headset.
	[/\b(?:for )?long (?:gaming |work(?:ing)? |study )?sessions?\b|\b(?:para )?(?:sesiones largas|jugar (?:por |muchas )?horas)\b/g, "comfortable"],
	// "Fácil de limpiar": as the catalog says it.
	[/\bfacil(?:es)? de (?:limpiar|lavar)\b/g, "easy to clean"],
	// "Something for acne", "tengo granos": the catalog names no condition, only the skin its products are for.
	[/\b(?:acne(?:[- ]prone)?|breakouts?|blemish(?:es)?|blemish[- ]prone|pimples?|granos|espinillas|barros)(?: (?:skin|piel))?\b/g, "oily skin"],
	// "Earbuds that don't fall out", "que no se caigan": made for moving in, as the catalog names it (SportFit).
	[/\b(?:that |which )?(?:don'?t|do not|won'?t|will not|never) fall(?:s|ing)? out\b|\b(?:that )?stays? (?:put|in(?: (?:my|your|the) ears?)?)\b|\bque no se (?:caigan?|salgan?)\b/g, "sport fit"],
	[/\bcuidado (?:de |para )?(?:la )?piel\b/g, "skincare"],
	// "Una chamarra de piel" is leather; "piel grasa", "cuidado de la piel" are skin.
	[/(?<!cuidado )\bde piel\b(?! (?:grasa|grasosa|seca|sensible|mixta|madura|normal|atopica))/g, "leather"],
	// "Trying to set up the living room": what they are doing, not what to find.
	[/\b(?:set|setting|fix|fixing|do|doing|done) up\b/g, " "],
	// "Algo casual para el fin de semana": when, not what.
	[/\b(?:para |este |el )*fin de semana\b/g, " "],
	// "Any discount for my first order?": who is buying, not what.
	[/\b(?:(?:my|our|mi|nuestra?) )?(?:(?:first|1st) (?:order|purchase|time)|primera compra|primer pedido)\b|\bnew customers?\b|\bclientes? nuev[oa]s?\b/g, " "],
	[/\bazul marino\b/g, "navy"],
	// "un sofá de 3 plazas" is what the catalog calls a 3-seater.
	[/\bde (\d) (?:plazas|puestos|asientos)\b/g, "$1-seater"],
	[/\bprotector(?:es)? solar(?:es)?\b/g, "sunscreen"],
	[/\bropa de cama\b/g, "bedding"],
	// "Deportiva" alone is a trainer ("zapatillas deportivas"); sportswear is sport gear.
	[/\bropa (?:deportiva|de deporte|para (?:hacer )?deporte)\b/g, "sport"],
	[/\b(?:sala(?: de estar)?|salon|living(?! room))\b/g, "living room"],
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
	[/\b(?:libres? de crueldad|no testad[oa]s? en animales|cruelty free|(?:do|does) (?:you|they|it) test (?:it |them )?on animals|tested on animals|animal testing|prueban en animales)\b/g, "cruelty free"],
	[/\baptos? (?:para|de) (?:el )?lavavajillas\b/g, "dishwasher safe"],
	// "que no deje rastro blanco": sunscreen's "white cast", not the colour white.
	[/\b(?:rastro|residuo|capa|marca|efecto|velo) blanco\b/g, "white cast"],
	[/\bpiel seca\b/g, "dry skin"],
	// "Algo para el frío", "for the cold": something warm, as the details say it ("warm lining").
	[/\b(?:para (?:el|los dias de) frio|for (?:the )?cold(?: weather| days)?)\b/g, "warm"],
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
	// The occasion of a gift in several words, whose words alone name a product ("day cream", "baby oil"):
	// "for mother's day", "a housewarming gift", "para el día de la madre".
	[/\b(?:(?:mother|father|valentine|teacher)'?s? day|valentines?|house ?warming|graduation|graduacion|baby shower|bridal shower|dia de(?: la madre| el padre| los enamorados| san valentin| la mujer)|san valentin)\b/g, " "],
	// "Controllers that work with PC", "compatible con PS5": the platform is what to find, not the words around it.
	[/\b(?:(?:is|are) )?(?:compatible|compatibles|works?|working|runs?|funcion(?:a|an|e|en)|sirv(?:e|en|a|an)|anda|andan) (?:with|on|in|con|en|para)\b/g, " "],
	// "algo para el sol": what the sun calls for in a beauty store.
	[/\b(?:para|contra) el sol\b/g, "sunscreen"]
];
export const STOPWORDS = new Set(
	(
		"a an the i im i'm am me my we you your who who's whos do does have has any some show find looking look for want wanna need please into onto estoy estamos " +
		"with and or but of in on to is are it this that these those can could would like get give buy something anything " +
		"hi hello hey there what which one ones got sell selling price cost about new good nice cheap well goes go cual cuales " +
		"busco buscando quiero necesito comprar compro nuevo nueva again volvi regrese vez back was were here yesterday earlier asking asked ayer estuve aqui pregunte preguntando preguntaba onda noches tienes tiene tienen tenes hay un una unos unas el la los las lo le les de del con para por que y en o al pero " +
		"me mi algo muestrame mostrame ver hola ola algun alguna alguno algunos algunas precio barato barata deje deja dejen dejar help ayuda ayudame ayudarme around approximately roughly aproximadamente alrededor if then entonces pues " +
		"sale sales discount discounts promo promos promotion offer offers deal deals oferta ofertas descuento descuentos rebaja rebajas " +
		"code codes coupon coupons voucher vouchers codigo codigos cupon cupones " +
		"va favor porfa porfis xfa pls plz thanks thank thx ty gracias muchas bye goodbye see ciao adios chau hasta luego vemos buenas buenos dias tardes morning afternoon evening yo " +
		"budget presupuesto today now right currently hoy ahora cheapest cheaper less affordable least lowest highest priced expensive priciest most mas economico economica caro cara " +
		"vale bueno buena bonito bonita lindo linda baratos baratas caros caras economicos economicas tambien otro otra otros otras " +
		"two three four five uno dos tres cuatro cinco tengo soy " +
		// What names no product: "show me all jackets", "the cheapest thing you have".
		"all every everything thing things stuff item items product products whatever todo todos todas cosa cosas producto productos " +
		"tell more details detail info information describe know sobre detalles informacion cuentame hablame ok okay " +
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
		// What happened to the old one: "my charger broke, do you sell USB-C chargers?", "se me rompió, ¿venden?".
		"broke broken died dead se rompio rompi roto rota rotos rotas venden vendes manejan replacement reemplazo " +
		// Which colours a product comes in is asked of it: "what colours does the linen shirt come in?".
		"colour colours color colors colores " +
		"compare comparison difference differences versus vs comparar compara diferencia diferencias es sea sean fue " +
		// Who it is for says nothing about the product: "headphones for my daughter", "for a 10 year old".
		"mom mum mother dad father sister brother daughter wife husband boyfriend girlfriend friend partner grandma grandpa " +
		"she he her him his hers loves likes enjoys adores come comes came vienen viene " +
		// How the customer feels is no product: "this is way too expensive, I'm not happy".
		"way happy unhappy upset disappointed annoyed frustrated angry sad feliz contento contenta molesto molesta enojado enojada " +
		// What wearing or using it is called: "something to wear to a wedding", "algo para ponerme".
		"wear wearing worn put ponerme ponerse usar llevar meter meterlo ponerlo taking take tomar puedo puedes podria podrias " +
		// How a need is told: "my skin gets really oily by midday, what should I use?".
		"suitable apto apta aptos aptas adecuado adecuada been should shall use using gets getting become becomes becoming turns by midday empty bare debo deberia uso next proximo proxima usually normally generally always normalmente generalmente siempre " +
		// Clothes in general are no kind of clothes: "do you sell kids clothes?", "ropa de niños".
		"clothes clothing garments outfit outfits ropa prendas " +
		// Praise that no product states: "your best selling sofa", "any eco friendly options?".
		"best popular selling seller sellers bestseller bestsellers bestselling option options opcion opciones just " +
		// The occasion of a gift: "a game for christmas", "para su cumpleaños".
		"christmas christma xmas birthday birthdays navidad cumpleanos anniversary aniversario holidays wants needs quiere quieren necesita pidio " +
		// How it smells or what it is prone to is said around the words to find: "que huela a vainilla", "acne prone".
		"huela huele huelan smell smells smelling prone propensa propenso between entre " +
		// What one does with it is said around it: "algo para hacer ejercicio".
		"hacer " +
		// How a list is asked for: "me puedes mandar el catálogo?", "can you send me your catalog?".
		// A screen's unit, said after its figure (kept): "a 27 inch monitor".
		"inch inches pulgada pulgadas pulg " +
		"send mandar manda mandas mandame mandeme enviar enviame pasar pasas pasame " +
		// What comes in the box is asked around it: "¿trae juegos incluidos?", "does it include a case?".
		"incluido incluida incluidos incluidas incluye include includes included including " +
		// What someone likes is said around what to find: "le gusta el maquillaje", "she loves candles".
		"gusta gustan encanta encantan fascina loves likes adores " +
		// How they put what they want around it: "I'm trying to set up…, ideally…", "about 1200 dollars".
		"trying try ideally preferably hopefully dollars dollar bucks make makes making " +
		// Approval said with an add: "ok perfect, add 2".
		"perfect perfecto perfecta excellent excelente " +
		// Who wears it: the catalog lists no men's or women's ranges, so "jeans para hombre" is jeans.
		"men mens women womens ladies gents hombre hombres mujer mujeres caballero caballeros dama damas " +
		"niece nephew year years old mama papa madre padre hermana hermano hija hijo esposa esposo novia novio amiga amigo abuela abuelo ano anos"
	).split(" ")
);
/** The shop's last words in the conversation (the AI's or a person's): what the customer answers. */
export function lastReplyOf(history: ChatMessage[]): string {
	return [...history].reverse().find(m => m.role === "assistant" && m.content)?.content ?? "";
}

/** An attribute's name in the customer's language (the catalog names them in English). */
export const labelIn = (lang: Lang, label: string): string => (lang === "es" ? (LABELS_ES[label] ?? label) : label);
export const LABELS_ES: Record<string, string> = {
	screen: "pantalla",
	storage: "almacenamiento",
	battery: "batería",
	weight: "peso",
	width: "ancho",
	height: "alto",
	capacity: "capacidad",
	size: "tamaño",
	sizes: "tamaños",
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
export const ACRONYMS = new Set(["ram", "cpu", "dpi", "spf", "ssd", "hdd", "gpu"]);
/** What a customer of each shop might ask for, for the examples in our replies (no figures: the guardrails accept only prices seen this turn). */
const EXAMPLES: Record<string, [string, string]> = {
	fashion: ["black jackets", "chaquetas negras"],
	tech: ["wireless headphones", "auriculares inalámbricos"],
	home: ["a desk lamp", "una lámpara de escritorio"],
	beauty: ["a vitamin C serum", "un sérum de vitamina C"],
	gaming: ["racing games", "juegos de carreras"]
};
export const example = (persona: Persona, lang: Lang) => {
	const [en, es] = EXAMPLES[persona.brand] ?? EXAMPLES.fashion!;
	return `"${t(lang, en, es)}"`;
};

export function amount(raw: string): number {
	return Math.round(Number(raw.replace(",", ".")) * 100);
}

/** "dresses" → "dress", "jackets" → "jacket", "glass" stays. */
export function singular(word: string): string {
	// The catalog keeps these as they are ("jeans"): the query must name them the same way.
	if (word.length <= 3 || word.endsWith("ss") || KEEP_PLURAL.has(word) || /(us|is)$/.test(word)) return word;
	if (/(ss|x|ch|sh)es$/.test(word)) return word.slice(0, -2);
	if (F_PLURALS[word]) return F_PLURALS[word]!;
	return word.endsWith("s") ? word.slice(0, -1) : word;
}
/** Plurals in "-ves" whose singular ends in "f" ("gloves" is not one of them). */
const F_PLURALS: Record<string, string> = { scarves: "scarf", shelves: "shelf", knives: "knife", halves: "half", leaves: "leaf" };

const KEEP_PLURAL = new Set(["jeans", "lens", "news", "series", "canvas", "atlas", "leggings", "glasses", "sunglasses"]);

/** The catalog's categories (English) as a Spanish speaker would name them; others are said as they are. */
export const CATEGORIES_ES: Record<string, string> = {
	sneakers: "zapatillas", jackets: "chaquetas", dresses: "vestidos", "t-shirts": "camisetas", hoodies: "sudaderas", boots: "botas", bags: "bolsos", scarves: "bufandas",
	laptops: "portátiles", smartphones: "móviles", headphones: "auriculares", monitors: "monitores", keyboards: "teclados", mice: "ratones", tablets: "tabletas", smartwatches: "relojes inteligentes", accessories: "accesorios",
	sofas: "sofás", lamps: "lámparas", rugs: "alfombras", cushions: "cojines", kitchen: "cocina", bedding: "ropa de cama", candles: "velas", vases: "jarrones", storage: "organizadores",
	moisturisers: "hidratantes", serums: "sérums", cleansers: "limpiadores", sunscreens: "protectores solares", haircare: "cuidado del cabello", lipsticks: "labiales", fragrances: "fragancias", makeup: "maquillaje", bodycare: "cuidado corporal",
	consoles: "consolas", controllers: "mandos", games: "juegos", headsets: "cascos", chairs: "sillas", "gaming mice": "ratones gaming", "gaming keyboards": "teclados gaming", "gaming accessories": "accesorios gaming", "gift cards": "tarjetas regalo"
};

/** A colour, or a list of them ("grey, black"), in the customer's language. */
export const colourIn = (lang: Lang, colours: string): string => (lang === "es" ? colours.split(/\s*,\s*/).map(c => COLOURS_ES[fold(c)] ?? c).join(", ") : colours);
/** Spanish colour names as `colourIn` writes them, back to the catalog's (the first English name of each: "gris" is "grey"). */
const COLOURS_FROM_ES: Record<string, string> = {};
for (const [en, es] of Object.entries(COLOURS_ES)) COLOURS_FROM_ES[fold(es)] ??= en;
/** A colour our reply named, in the catalog's words: a Spanish question's answer chooses the catalog's colour. */
export const colourInCatalog = (said: string): string => COLOURS_FROM_ES[fold(said)] ?? said;
