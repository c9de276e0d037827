/**
 * Writes data/catalog.json and data/promotions.json: our own demo catalog, generated from the
 * product lines below with a seeded PRNG so that every run writes the same bytes (tests compare
 * the committed files against a fresh generation). `generateCatalog(n)` also builds bigger
 * catalogs for the benchmark.
 *
 *   npx tsx scripts/generate-catalog.ts
 */
import { writeFileSync } from "node:fs";
import path from "node:path";
import { COLOURS_ES, sizesSmallestFirst } from "../contracts/catalog";
import type { Product, Promotion } from "../services/catalog/types";

export const CATALOG_SEED = 20240611;
export const IMAGE_BASE_URL = "https://images.agent-store.example";

/** mulberry32: tiny, fast, and the same sequence on every platform. */
export function prng(seed: number): () => number {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

type Rng = () => number;
const pick = <T>(rng: Rng, list: readonly T[]): T => list[Math.floor(rng() * list.length)]!;
const some = <T>(rng: Rng, list: readonly T[], n: number): T[] => {
	const pool = [...list];
	const out: T[] = [];
	while (out.length < n && pool.length) out.push(pool.splice(Math.floor(rng() * pool.length), 1)[0]!);
	return out;
};

interface Line {
	category: string;
	/** Model names; each becomes one product. */
	models: string[];
	/** Dollars; each product varies around it. */
	basePrice: number;
	tags: string[];
	attributes(rng: Rng): Record<string, string | string[]>;
	/**
	 * What the model's own name already says ("AirBook 13" has a 13.6 in screen, "Mineral Sunscreen
	 * SPF 30" is SPF 30), over the drawn attributes, so a description never contradicts its name.
	 * It draws nothing: the products after it keep their prices and stock.
	 */
	fromName?(name: string, attrs: Record<string, string | string[]>): Record<string, string>;
	describe(name: string, attrs: Record<string, string | string[]>): string;
	/** The same description in Spanish (`descriptionEs`); the name stays as it is. */
	describeEs(name: string, attrs: Record<string, string | string[]>): string;
}

/** Materials a model's name may state, longest first ("merino wool" before "wool"). */
const NAMED_MATERIALS = ["merino wool", "pima cotton", "cast iron", "olive wood", "percale", "leather", "linen", "velvet", "wool", "silk", "cashmere", "suede", "denim", "canvas", "cotton", "jute", "rattan", "brass", "ceramic", "oak", "bamboo", "stoneware", "glass", "terracotta", "boucle", "paper", "satin"];
/** A "Biker Leather Jacket" is leather and a "Stoneware Dinner Set" stoneware, whatever was drawn. */
function materialFromName(name: string, drawn: Record<string, string | string[]>): Record<string, string> {
	if (typeof drawn.material !== "string") return {};
	const folded = name.toLowerCase();
	const found = NAMED_MATERIALS.find(m => new RegExp(`\\b${m}\\b`).test(folded));
	// Percale is a cotton weave: a "Percale Sheet Set" is cotton percale, not the linen drawn for it.
	return named("material", found === "percale" ? "cotton percale" : found);
}
/** " in linen", or nothing when the name already says it ("Linen Midi Dress", not "… in linen"). */
const inMaterial = (name: string, a: Record<string, string | string[]>) => (name.toLowerCase().includes(String(a.material)) ? "" : ` in ${a.material}`);
/** One attribute a model's name fixes, or none. */
const named = (key: string, value: string | undefined): Record<string, string> => (value === undefined ? {} : { [key]: value });
/** "an 8-core", "an 11 in", "a 13 in": the article as the word is said. */
const article = (word: string) => (/^(8|11|18|[aeio])/i.test(word) ? "an" : "a");
const CLOTHING_SIZES = ["XS", "S", "M", "L", "XL"];
const SHOE_SIZES = ["38", "39", "40", "41", "42", "43", "44", "45"];
const COLOURS = ["black", "white", "navy", "grey", "olive", "beige", "burgundy", "red", "blue", "green", "pink", "brown"];
const list = (v: string | string[]) => (Array.isArray(v) ? v.join(", ") : v);
/** "compatible with PC, Nexus", or "works with any device" for a universal one (not "compatible with universal"). */
const compatible = (a: Record<string, string | string[]>) => (list(a.compatibility) === "universal" ? "works with any device" : `compatible with ${list(a.compatibility)}`);

/*
 * Spanish. `describeEs` says what `describe` says, for customers who write Spanish; like
 * `describe` it draws nothing. Attribute values that are words go through the maps below;
 * figures and codes ("16 GB", "144 Hz", "IPS", "PC") stay as written, and a value with no entry
 * stays in English. Colours and the like are written as nouns ("Colores: negro y blanco"), so no
 * template puts one next to a noun it would have to agree with.
 */
type Words = Record<string, string>;
const MATERIALS_ES: Words = {
	mesh: "malla", leather: "cuero", suede: "gamuza", knit: "tejido de punto", nylon: "nylon", "recycled nylon": "nylon reciclado", cotton: "algodón",
	"waxed cotton": "algodón encerado", "organic cotton": "algodón orgánico", "pima cotton": "algodón pima", "cotton jersey": "jersey de algodón",
	"cotton percale": "percal de algodón", "cotton waffle": "algodón nido de abeja", percale: "percal", denim: "denim", linen: "lino", "linen blend": "mezcla de lino",
	viscose: "viscosa", satin: "satén", silk: "seda", cashmere: "cachemira", wool: "lana", "merino wool": "lana merino", "brushed fleece": "felpa cepillada",
	velvet: "terciopelo", boucle: "bouclé", canvas: "lona", jute: "yute", rattan: "ratán", seagrass: "pasto marino", oak: "roble", bamboo: "bambú",
	"olive wood": "madera de olivo", "cast iron": "hierro fundido", "stainless steel": "acero inoxidable", stoneware: "gres", ceramic: "cerámica",
	glass: "vidrio", terracotta: "terracota", brass: "latón", paper: "papel"
};
/** After "piel" ("para piel grasa o sensible"). */
const SKIN_ES: Words = { dry: "seca", oily: "grasa", combination: "mixta", sensitive: "sensible", normal: "normal" };
/** After "cabello" ("para cabello rizado o teñido"). */
const HAIR_ES: Words = { curly: "rizado", fine: "fino", damaged: "dañado", coloured: "teñido", thick: "grueso" };
const LIP_SHADES_ES: Words = { ...COLOURS_ES, nude: "nude", rose: "rosa", berry: "frutos rojos", coral: "coral", plum: "ciruela" };
const SKIN_SHADES_ES: Words = { light: "claro", medium: "medio", tan: "bronceado", deep: "oscuro", universal: "universal" };
/** After "acabado". */
const FINISHES_ES: Words = { matte: "mate", satin: "satinado", gloss: "brillante" };
const NOTES_ES: Words = { jasmine: "jazmín", cedar: "cedro", vetiver: "vetiver", "orange blossom": "azahar", vanilla: "vainilla", musk: "almizcle", bergamot: "bergamota" };
const SCENTS_ES: Words = { lavender: "lavanda", coconut: "coco", unscented: "sin fragancia", rose: "rosa" };
const WAX_ES: Words = { soy: "soya", coconut: "coco" };
const BULBS_ES: Words = { "integrated LED": "LED integrado" };
/** After "switches" ("switches rojos lineales"). */
const SWITCHES_ES: Words = { scissor: "de tijera", brown: "marrones", red: "rojos", "red linear": "rojos lineales", "brown tactile": "marrones táctiles", "blue clicky": "azules con clic", optical: "ópticos" };
/** After "conexión" ("conexión de 2.4 GHz", "conexión USB"). */
const CONNECTIONS_ES: Words = { "2.4 GHz": "de 2.4 GHz", "2.4 GHz wireless": "inalámbrica de 2.4 GHz", "3.5 mm": "de 3.5 mm" };
/** After "juego" ("un juego de carreras"). */
const GENRES_ES: Words = { racing: "de carreras", strategy: "de estrategia", adventure: "de aventura", simulation: "de simulación", RPG: "de rol" };
const CPUS_ES: Words = { "8-core M-class": "M-class de 8 núcleos" };
const COMPATIBILITY_ES: Words = { "USB-C laptops and phones": "laptops y teléfonos USB-C", "13-16 in laptops": "laptops de 13-16 in" };
/** The Spanish for a value, or the value itself when there is none. */
const es = (words: Words, value: string | string[] | undefined): string => {
	const v = String(value);
	return Object.prototype.hasOwnProperty.call(words, v) ? words[v]! : v;
};
/** "negro, blanco y verde"; "y" is "e" before an i sound ("azul claro e índigo"), "o" is "u" before an o sound. */
const listEs = (words: Words, value: string | string[], conj: "y" | "o" = "y"): string => {
	const items = (Array.isArray(value) ? value : [value]).map(v => es(words, v));
	if (items.length < 2) return items.join("");
	const last = items.pop()!;
	const joiner = conj === "y" ? (/^h?[ií](?![aeéo])/i.test(last) ? "e" : "y") : /^h?[oó]/i.test(last) ? "u" : "o";
	return `${items.join(", ")} ${joiner} ${last}`;
};
/** " de cuero", or nothing when the (English) name already says it, as `inMaterial` does. */
const deMaterial = (name: string, a: Record<string, string | string[]>, prep = "de") => (name.toLowerCase().includes(String(a.material)) ? "" : ` ${prep} ${es(MATERIALS_ES, a.material)}`);
/** "compatible con PC y Nexus", or "funciona con cualquier dispositivo" for a universal one. */
const compatibleEs = (a: Record<string, string | string[]>) => (list(a.compatibility) === "universal" ? "funciona con cualquier dispositivo" : `compatible con ${listEs(COMPATIBILITY_ES, a.compatibility)}`);
/** "14 días"; the figure stays as written. */
const daysEs = (value: string | string[]) => String(value).replace(/\bdays\b/, "días").replace(/\bday\b/, "día");
/** "OLED de 6.7 in" for "6.7 in OLED", "de 13 in" for a bare size. */
const screenEs = (value: string | string[]) => String(value).replace(/^(\d[\d.]* in) (\S+)$/, "$2 de $1").replace(/^(\d[\d.]* in)$/, "de $1");

const LINES: Record<string, { prefix: string; lines: Line[] }> = {
	fashion: {
		prefix: "FA",
		lines: [
			{
				category: "sneakers", models: ["Cloudstep Runner", "Metro Low-Top", "Court Classic", "Trail Blazer", "Aero Knit", "Retro '90 Runner"], basePrice: 89,
				tags: ["shoes", "sneakers", "casual", "sport"],
				attributes: rng => ({ sizes: some(rng, SHOE_SIZES, 6).sort(), colours: some(rng, COLOURS, 3), material: pick(rng, ["mesh", "leather", "suede", "knit"]) }),
				describe: (n, a) => `${n} sneakers${inMaterial(n, a)}: a cushioned sole for all-day walking and a light, breathable upper. Available in ${list(a.colours)}.`,
				describeEs: (n, a) => `Zapatillas ${n}${deMaterial(n, a)}: suela acolchada para caminar todo el día y parte superior liviana y transpirable. Disponibles en ${listEs(COLOURS_ES, a.colours)}.`
			},
			{
				category: "jackets", models: ["Biker Leather Jacket", "Quilted Puffer Jacket", "Denim Trucker Jacket", "Waxed Field Jacket", "Bomber Jacket", "Rain Shell Jacket"], basePrice: 129,
				tags: ["outerwear", "jacket", "winter"],
				attributes: rng => ({ sizes: some(rng, CLOTHING_SIZES, 4), colours: some(rng, ["black", "navy", "olive", "brown", "camel"], 2), material: pick(rng, ["leather", "nylon", "cotton", "denim", "waxed cotton"]) }),
				describe: (n, a) => `The ${n}${inMaterial(n, a) ? `, cut${inMaterial(n, a)}` : ""} with a relaxed fit, zip pockets and a warm lining. Comes in ${list(a.colours)}.`,
				describeEs: (n, a) => `${n}: chaqueta${deMaterial(n, a) ? ` confeccionada en ${es(MATERIALS_ES, a.material)},` : ""} de corte relajado, con bolsillos con cierre y forro cálido. Viene en ${listEs(COLOURS_ES, a.colours)}.`
			},
			{
				category: "jeans", models: ["Slim Stretch Jeans", "Straight Leg Jeans", "Wide Leg Jeans", "Mom Fit Jeans", "Tapered Selvedge Jeans"], basePrice: 69,
				tags: ["denim", "trousers", "casual"],
				attributes: rng => ({ sizes: some(rng, ["26", "28", "30", "32", "34", "36"], 5).sort(), colours: some(rng, ["indigo", "black", "light blue", "grey"], 2), material: "denim" }),
				describe: (n, a) => `${n} in comfortable stretch denim, five pockets and a mid rise. Washes: ${list(a.colours)}.`,
				describeEs: (n, a) => `${n} de cómodo denim elástico, con cinco bolsillos y tiro medio. Lavados: ${listEs(COLOURS_ES, a.colours)}.`
			},
			{
				category: "dresses", models: ["Linen Midi Dress", "Wrap Maxi Dress", "Satin Slip Dress", "Shirt Dress", "Knitted Mini Dress"], basePrice: 79,
				tags: ["dress", "summer", "party"],
				attributes: rng => ({ sizes: some(rng, CLOTHING_SIZES, 4), colours: some(rng, COLOURS, 2), material: pick(rng, ["linen", "viscose", "satin", "cotton"]) }),
				describe: (n, a) => `A ${n.toLowerCase()}${inMaterial(n, a)} that moves with you, from brunch to evening. Colours: ${list(a.colours)}.`,
				describeEs: (n, a) => `${n}: un vestido${deMaterial(n, a)} que se mueve contigo, del brunch a la noche. Colores: ${listEs(COLOURS_ES, a.colours)}.`
			},
			{
				category: "t-shirts", models: ["Essential Crew T-Shirt", "Oversized Graphic T-Shirt", "Pima Cotton V-Neck T-Shirt", "Striped Breton T-Shirt", "Organic Pocket T-Shirt"], basePrice: 25,
				tags: ["tee", "basics", "summer", "casual"],
				attributes: rng => ({ sizes: some(rng, CLOTHING_SIZES, 5), colours: some(rng, COLOURS, 4), material: pick(rng, ["organic cotton", "pima cotton", "cotton jersey"]) }),
				describe: (n, a) => `${n} in soft ${a.material}, pre-shrunk and made to last. Pick from ${list(a.colours)}.`,
				describeEs: (n, a) => `${n}: camiseta de suave ${es(MATERIALS_ES, a.material)}, preencogida y hecha para durar. Elige entre ${listEs(COLOURS_ES, a.colours)}.`
			},
			{
				category: "hoodies", models: ["Fleece Zip Hoodie", "Heavyweight Pullover Hoodie", "Cropped Hoodie", "Tech Fleece Hoodie", "Vintage Wash Hoodie"], basePrice: 59,
				tags: ["sweatshirt", "casual", "winter", "loungewear"],
				attributes: rng => ({ sizes: some(rng, CLOTHING_SIZES, 5), colours: some(rng, COLOURS, 3), material: "brushed fleece" }),
				describe: (n, a) => `${n} with a brushed fleece inside, a roomy hood and a kangaroo pocket. In ${list(a.colours)}.`,
				describeEs: (n, a) => `${n} con interior de felpa cepillada, capucha amplia y bolsillo canguro. Disponible en ${listEs(COLOURS_ES, a.colours)}.`
			},
			{
				category: "boots", models: ["Chelsea Boots", "Combat Boots", "Hiking Boots", "Suede Desert Boots", "Shearling Winter Boots"], basePrice: 139,
				tags: ["shoes", "boots", "winter"],
				attributes: rng => ({ sizes: some(rng, SHOE_SIZES, 6).sort(), colours: some(rng, ["black", "brown", "tan", "sand"], 2), material: pick(rng, ["leather", "suede"]) }),
				describe: (n, a) => `${n}${inMaterial(n, a)} on a grippy rubber sole, water resistant and ready for cold days. Colours: ${list(a.colours)}.`,
				describeEs: (n, a) => `${n}: botas${deMaterial(n, a)} con suela de goma antideslizante, resistentes al agua y listas para los días fríos. Colores: ${listEs(COLOURS_ES, a.colours)}.`
			},
			{
				category: "bags", models: ["Leather Tote Bag", "Canvas Backpack", "Crossbody Bag", "Weekender Duffle Bag", "Mini Shoulder Bag"], basePrice: 99,
				tags: ["accessories", "bag"],
				attributes: rng => ({ colours: some(rng, ["black", "cognac", "olive", "cream"], 2), material: pick(rng, ["leather", "canvas", "recycled nylon"]), capacity: `${pick(rng, [5, 12, 20, 30])} L` }),
				describe: (n, a) => `${n}${inMaterial(n, a)} (${a.capacity}), with an inside zip pocket and adjustable strap.`,
				describeEs: (n, a) => `${n}${deMaterial(n, a)} (${a.capacity}), con bolsillo interior con cierre y correa ajustable.`
			},
			{
				category: "scarves", models: ["Cashmere Scarf", "Silk Square Scarf", "Chunky Knit Scarf", "Wool Tartan Scarf"], basePrice: 49,
				tags: ["accessories", "winter", "scarf"],
				attributes: rng => ({ colours: some(rng, COLOURS, 2), material: pick(rng, ["cashmere", "silk", "merino wool"]) }),
				describe: (n, a) => `${n}${inMaterial(n, a)}: light, warm and soft against the skin. In ${list(a.colours)}.`,
				describeEs: (n, a) => `${n}: bufanda${deMaterial(n, a) ? `${deMaterial(n, a)},` : ""} liviana, abrigadora y suave sobre la piel. Disponible en ${listEs(COLOURS_ES, a.colours)}.`
			}
		]
	},
	tech: {
		prefix: "TE",
		lines: [
			{
				category: "laptops", models: ["AirBook 13", "ProBook 14", "ProBook 16", "UltraSlim 14 OLED", "WorkMate 15", "Creator Studio 16"], basePrice: 999,
				tags: ["computer", "laptop", "portable", "work"],
				attributes: rng => ({ cpu: pick(rng, ["8-core M-class", "Core i7", "Ryzen 7", "Core Ultra 5"]), ram: pick(rng, ["8 GB", "16 GB", "32 GB"]), storage: pick(rng, ["256 GB SSD", "512 GB SSD", "1 TB SSD"]), screen: pick(rng, ["13.6 in", "14 in", "15.6 in", "16 in"]), colours: some(rng, ["silver", "space grey", "midnight"], 2) }),
				fromName: n => named("screen", ({ "13": "13.6 in", "14": "14 in", "15": "15.6 in", "16": "16 in" } as Record<string, string>)[/\b(13|14|15|16)\b/.exec(n)?.[1] ?? ""]),
				describe: (n, a) => `${n} laptop with ${article(a.cpu as string)} ${a.cpu} processor, ${a.ram} RAM and ${a.storage}, ${a.screen} display and all-day battery.`,
				describeEs: (n, a) => `Laptop ${n} con procesador ${es(CPUS_ES, a.cpu)}, ${a.ram} de RAM y ${a.storage}, pantalla ${screenEs(a.screen)} y batería para todo el día.`
			},
			{
				category: "smartphones", models: ["Pixelate 8", "Nova X", "Nova X Pro", "Vega Lite", "Vega Ultra"], basePrice: 699,
				tags: ["phone", "mobile", "5g", "camera"],
				attributes: rng => ({ storage: pick(rng, ["128 GB", "256 GB", "512 GB"]), screen: pick(rng, ["6.1 in OLED", "6.7 in OLED"]), camera: pick(rng, ["48 MP", "50 MP", "200 MP"]), colours: some(rng, ["black", "white", "blue", "green"], 3) }),
				describe: (n, a) => `${n} smartphone: ${a.screen} screen, ${a.camera} main camera, ${a.storage} storage and 5G.`,
				describeEs: (n, a) => `Smartphone ${n}: pantalla ${screenEs(a.screen)}, cámara principal de ${a.camera}, ${a.storage} de almacenamiento y 5G.`
			},
			{
				category: "headphones", models: ["QuietPro Over-Ear Headphones", "StudioMonitor Headphones", "AirPods-style Wireless Earbuds", "SportFit Earbuds", "Noise Cancelling Travel Headphones"], basePrice: 199,
				tags: ["audio", "wireless", "bluetooth", "music"],
				attributes: rng => ({ battery: `${pick(rng, [20, 30, 40, 60])} h`, noiseCancelling: pick(rng, ["yes", "no"]), colours: some(rng, ["black", "white", "silver"], 2) }),
				fromName: n => named("noiseCancelling", /Noise Cancelling|QuietPro/.test(n) ? "yes" : undefined),
				describe: (n, a) => `${n} with ${a.battery} of battery, Bluetooth 5.3 and ${a.noiseCancelling === "yes" ? "active noise cancelling" : "passive isolation"}.`,
				describeEs: (n, a) => `${n} con ${a.battery} de batería, Bluetooth 5.3 y ${a.noiseCancelling === "yes" ? "cancelación activa de ruido" : "aislamiento pasivo"}.`
			},
			{
				category: "monitors", models: ["ClearView 24 FHD Monitor", "ClearView 27 QHD Monitor", "UltraWide 34 Monitor", "Designer 27 4K Monitor"], basePrice: 329,
				tags: ["display", "screen", "office"],
				attributes: rng => ({ resolution: pick(rng, ["1920x1080", "2560x1440", "3840x2160"]), refreshRate: pick(rng, ["60 Hz", "75 Hz", "144 Hz"]), panel: pick(rng, ["IPS", "VA"]) }),
				fromName: n => named("resolution", /\bFHD\b/.test(n) ? "1920x1080" : /\bQHD\b/.test(n) ? "2560x1440" : /\b4K\b/.test(n) ? "3840x2160" : /UltraWide/.test(n) ? "3440x1440" : undefined),
				describe: (n, a) => `${n}: ${a.panel} panel, ${a.resolution} at ${a.refreshRate}, USB-C with power delivery and a height-adjustable stand.`,
				describeEs: (n, a) => `${n}: panel ${a.panel}, ${a.resolution} a ${a.refreshRate}, USB-C con Power Delivery y base de altura ajustable.`
			},
			{
				category: "keyboards", models: ["Slim Wireless Keyboard", "Mechanical TKL Keyboard", "Ergonomic Split Keyboard", "Compact 75% Keyboard"], basePrice: 89,
				tags: ["accessories", "typing", "office", "wireless"],
				attributes: rng => ({ layout: pick(rng, ["US", "UK", "ISO"]), connection: pick(rng, ["Bluetooth", "USB-C", "2.4 GHz"]), switches: pick(rng, ["scissor", "brown", "red"]) }),
				fromName: (n, a) => named("connection", /Wireless/.test(n) && a.connection === "USB-C" ? "Bluetooth" : undefined),
				describe: (n, a) => `${n} with ${a.switches} switches, ${a.layout} layout and ${a.connection} connection.`,
				describeEs: (n, a) => `${n} con switches ${es(SWITCHES_ES, a.switches)}, distribución ${a.layout} y conexión ${es(CONNECTIONS_ES, a.connection)}.`
			},
			{
				category: "mice", models: ["Precision Wireless Mouse", "Ergo Vertical Mouse", "Travel Mouse", "Silent Click Mouse"], basePrice: 39,
				tags: ["accessories", "office", "wireless"],
				attributes: rng => ({ dpi: pick(rng, ["1600", "4000", "8000"]), connection: pick(rng, ["Bluetooth", "2.4 GHz"]), colours: some(rng, ["black", "grey", "white"], 2) }),
				describe: (n, a) => `${n}, ${a.dpi} DPI sensor and ${a.connection}, up to 70 days per charge.`,
				describeEs: (n, a) => `${n}: sensor de ${a.dpi} DPI y conexión ${es(CONNECTIONS_ES, a.connection)}, hasta 70 días por carga.`
			},
			{
				category: "tablets", models: ["Slate 11", "Slate Mini", "Slate Pro 13", "Note Tab 10"], basePrice: 449,
				tags: ["tablet", "portable", "drawing"],
				attributes: rng => ({ storage: pick(rng, ["64 GB", "128 GB", "256 GB"]), screen: pick(rng, ["8.3 in", "10.9 in", "13 in"]), colours: some(rng, ["silver", "space grey", "blue"], 2) }),
				fromName: n => named("screen", /Mini/.test(n) ? "8.3 in" : /\b13\b/.test(n) ? "13 in" : /\b11\b/.test(n) ? "11 in" : /\b10\b/.test(n) ? "10.9 in" : undefined),
				describe: (n, a) => `${n} tablet with ${article(a.screen as string)} ${a.screen} display and ${a.storage}; works with a stylus and keyboard cover.`,
				describeEs: (n, a) => `Tablet ${n} con pantalla ${screenEs(a.screen)} y ${a.storage} de almacenamiento; funciona con lápiz óptico y funda con teclado.`
			},
			{
				category: "smartwatches", models: ["Pulse Watch 2", "Pulse Watch Sport", "Trek GPS Watch", "Lumen Fitness Band"], basePrice: 249,
				tags: ["wearable", "fitness", "watch", "health"],
				attributes: rng => ({ battery: `${pick(rng, [2, 7, 14])} days`, waterResistance: pick(rng, ["5 ATM", "10 ATM"]), sizes: some(rng, ["41 mm", "45 mm"], 2) }),
				describe: (n, a) => `${n} tracks heart rate, sleep and workouts; ${a.battery} battery and ${a.waterResistance} water resistance.`,
				describeEs: (n, a) => `${n} registra tu frecuencia cardiaca, tu sueño y tus entrenamientos; batería de ${daysEs(a.battery)} y resistencia al agua de ${a.waterResistance}.`
			},
			{
				category: "accessories", models: ["65 W USB-C Charger", "Laptop Sleeve 14", "USB-C Hub 7-in-1", "Power Bank 20000 mAh", "Braided USB-C Cable 2 m", "Laptop Backpack 15.6"], basePrice: 45,
				tags: ["accessories", "charging", "travel"],
				attributes: rng => ({ compatibility: pick(rng, ["USB-C laptops and phones", "13-16 in laptops", "universal"]), colours: some(rng, ["black", "grey"], 1) }),
				describe: (n, a) => `${n}, ${compatible(a)}. Backed by a two-year warranty.`,
				describeEs: (n, a) => `${n}, ${compatibleEs(a)}. Con dos años de garantía.`
			}
		]
	},
	home: {
		prefix: "HO",
		lines: [
			{
				category: "sofas", models: ["Oslo 3-Seater Sofa", "Haven Corner Sofa", "Velvet Loveseat", "Modular Sofa Bed", "Linen 2-Seater Sofa"], basePrice: 899,
				tags: ["furniture", "living room", "couch", "seating"],
				attributes: rng => ({ colours: some(rng, ["sage", "oatmeal", "charcoal", "terracotta", "navy"], 2), material: pick(rng, ["velvet", "linen blend", "boucle", "leather"]), width: `${pick(rng, [160, 190, 220, 280])} cm` }),
				fromName: n => named("width", /Loveseat/.test(n) ? "160 cm" : /2-Seater/.test(n) ? "190 cm" : /3-Seater|Sofa Bed/.test(n) ? "220 cm" : /Corner/.test(n) ? "280 cm" : undefined),
				describe: (n, a) => `${n}${inMaterial(n, a)}, ${a.width} wide, with feather-wrapped cushions and solid oak legs.`,
				describeEs: (n, a) => `${n}${deMaterial(n, a, "en")}, de ${a.width} de ancho, con cojines envueltos en plumas y patas de roble macizo.`
			},
			{
				category: "lamps", models: ["Arc Floor Lamp", "Ceramic Table Lamp", "Rattan Pendant Lamp", "Brass Desk Lamp", "Paper Globe Lamp"], basePrice: 119,
				tags: ["lighting", "decor", "bedroom", "living room"],
				attributes: rng => ({ colours: some(rng, ["brass", "white", "black", "natural"], 2), bulb: pick(rng, ["E27 LED", "E14 LED", "integrated LED"]) }),
				describe: (n, a) => `${n} with a warm diffused light (${a.bulb}, bulb included), a statement piece for any room.`,
				describeEs: (n, a) => `${n} con luz cálida y difusa (${es(BULBS_ES, a.bulb)}, bombilla incluida): una pieza protagonista en cualquier ambiente.`
			},
			{
				category: "rugs", models: ["Berber Wool Rug", "Jute Round Rug", "Vintage Persian-Style Rug", "Shaggy Rug", "Flatweave Kilim Rug"], basePrice: 229,
				tags: ["textiles", "decor", "living room", "floor"],
				attributes: rng => ({ sizes: some(rng, ["120x170 cm", "160x230 cm", "200x300 cm"], 2), material: pick(rng, ["wool", "jute", "cotton"]) }),
				describe: (n, a) => `${n} hand-woven${inMaterial(n, a)}; soft underfoot and easy to clean.`,
				describeEs: (n, a) => `${n}: alfombra tejida a mano${deMaterial(n, a, "en")}; suave al pisar y fácil de limpiar.`
			},
			{
				category: "cushions", models: ["Linen Cushion Cover", "Velvet Cushion", "Boucle Cushion", "Outdoor Cushion", "Tassel Cushion"], basePrice: 35,
				tags: ["textiles", "decor", "pillow"],
				attributes: rng => ({ sizes: some(rng, ["45x45 cm", "50x50 cm", "30x50 cm"], 2), colours: some(rng, ["mustard", "sage", "rust", "ivory", "blush"], 3) }),
				describe: (n, a) => `${n} with a hidden zip and a feather insert. Colours: ${list(a.colours)}.`,
				describeEs: (n, a) => `${n} con cierre oculto y relleno de plumas. Colores: ${listEs(COLOURS_ES, a.colours)}.`
			},
			{
				category: "kitchen", models: ["Cast Iron Casserole", "Non-Stick Frying Pan", "Chef's Knife 20 cm", "Stoneware Dinner Set", "Espresso Café Cups Set", "Olive Wood Chopping Board"], basePrice: 79,
				tags: ["kitchen", "cooking", "dining"],
				attributes: rng => ({ material: pick(rng, ["cast iron", "stainless steel", "stoneware", "olive wood"]), colours: some(rng, ["cream", "graphite", "sage"], 1) }),
				// Cups are stoneware and a knife or a pan steel, whatever was drawn: no espresso cups in olive wood.
				fromName: n => named("material", /\bCups?\b/.test(n) ? "stoneware" : /\b(Knife|Frying Pan)\b/.test(n) ? "stainless steel" : undefined),
				describe: (n, a) => `${n}${inMaterial(n, a)}, made for everyday cooking and long dinners with friends. Dishwasher-friendly where the material allows.`,
				describeEs: (n, a) => `${n}${deMaterial(n, a)}, para cocinar todos los días y para largas cenas con amigos. Se puede lavar en lavavajillas si el material lo permite.`
			},
			{
				category: "bedding", models: ["Linen Duvet Cover Set", "Percale Sheet Set", "Waffle Throw Blanket", "Down Alternative Pillow", "Merino Wool Duvet"], basePrice: 129,
				tags: ["bedroom", "textiles", "sleep"],
				// Queen is the bed most customers have: every set comes in it (added after the draw, so the
				// seeded sequence, and every product after these, stays as it was).
				attributes: rng => ({ sizes: [...some(rng, ["single", "double", "king"], 2), "queen"], colours: some(rng, ["white", "stone", "dusty pink", "sage"], 2), material: pick(rng, ["linen", "cotton percale", "merino wool"]) }),
				// A waffle throw is woven cotton, not percale or merino.
				fromName: n => named("material", /\bWaffle\b/.test(n) ? "cotton waffle" : undefined),
				describe: (n, a) => `${n}${inMaterial(n, a) ? ` in breathable ${a.material}` : ""} for cool, restful nights. In ${list(a.colours)}.`,
				describeEs: (n, a) => `${n}${deMaterial(n, a) ? `${deMaterial(n, a)} transpirable,` : ""} para noches frescas y de buen descanso. Disponible en ${listEs(COLOURS_ES, a.colours)}.`
			},
			{
				category: "candles", models: ["Crème Brûlée Candle", "Fig & Cedar Candle", "Sea Salt Candle", "Amber Noir Candle", "Café Latte Candle"], basePrice: 29,
				tags: ["fragrance", "decor", "gift"],
				attributes: rng => ({ burnTime: `${pick(rng, [35, 50, 70])} h`, wax: pick(rng, ["soy", "coconut"]) }),
				describe: (n, a) => `${n}, hand-poured ${a.wax} wax with a cotton wick; about ${a.burnTime} of burn time.`,
				describeEs: (n, a) => `${n}, de cera de ${es(WAX_ES, a.wax)} vertida a mano y mecha de algodón; unas ${a.burnTime} de duración.`
			},
			{
				category: "vases", models: ["Ribbed Glass Vase", "Terracotta Vase", "Stoneware Bud Vase", "Sculptural Ceramic Vase"], basePrice: 45,
				tags: ["decor", "flowers", "gift"],
				attributes: rng => ({ material: pick(rng, ["glass", "terracotta", "stoneware"]), height: `${pick(rng, [15, 25, 35])} cm` }),
				describe: (n, a) => `${n}${inMaterial(n, a)}, ${a.height} tall, beautiful with or without flowers.`,
				describeEs: (n, a) => `${n}: florero${deMaterial(n, a)} de ${a.height} de alto, precioso con o sin flores.`
			},
			{
				category: "storage", models: ["Woven Storage Basket", "Oak Wall Shelf", "Bamboo Drawer Organiser", "Linen Laundry Hamper"], basePrice: 59,
				tags: ["organisation", "decor", "storage"],
				attributes: rng => ({ material: pick(rng, ["seagrass", "oak", "bamboo", "linen"]), colours: some(rng, ["natural", "black", "white"], 1) }),
				describe: (n, a) => `${n}${inMaterial(n, a)}: tidy storage that looks good on display.`,
				describeEs: (n, a) => `${n}${deMaterial(n, a)}: guarda todo en orden y luce bien a la vista.`
			}
		]
	},
	beauty: {
		prefix: "BE",
		lines: [
			{
				category: "moisturisers", models: ["Hydra Boost Gel Cream", "Barrier Repair Moisturiser", "Rich Night Cream", "Tinted Day Moisturiser SPF 30", "Oil-Free Matte Moisturiser"], basePrice: 34,
				tags: ["skincare", "face", "hydration", "cream"],
				attributes: rng => ({ skinType: some(rng, ["dry", "oily", "combination", "sensitive", "normal"], 2), size: pick(rng, ["30 ml", "50 ml"]) }),
				describe: (n, a) => `${n} with hyaluronic acid and ceramides, for ${list(a.skinType)} skin (${a.size}).`,
				describeEs: (n, a) => `${n} con ácido hialurónico y ceramidas, para piel ${listEs(SKIN_ES, a.skinType, "o")} (${a.size}).`
			},
			{
				category: "serums", models: ["Vitamin C Brightening Serum", "Niacinamide 10% Serum", "Retinol Night Serum", "Hyaluronic Acid Serum", "Peptide Firming Serum"], basePrice: 39,
				tags: ["skincare", "face", "anti-ageing"],
				attributes: rng => ({ skinType: some(rng, ["dry", "oily", "combination", "normal"], 2), size: "30 ml" }),
				describe: (n, a) => `${n}: a lightweight daily treatment for ${list(a.skinType)} skin, fragrance free.`,
				describeEs: (n, a) => `${n}: un tratamiento diario y liviano para piel ${listEs(SKIN_ES, a.skinType, "o")}, sin fragancia.`
			},
			{
				category: "cleansers", models: ["Gentle Foaming Cleanser", "Cleansing Balm", "Micellar Water", "Exfoliating AHA Cleanser"], basePrice: 22,
				tags: ["skincare", "face", "cleansing"],
				attributes: rng => ({ skinType: some(rng, ["dry", "oily", "sensitive", "normal"], 2), size: pick(rng, ["150 ml", "200 ml", "400 ml"]) }),
				describe: (n, a) => `${n} that removes make-up and SPF without stripping, for ${list(a.skinType)} skin.`,
				describeEs: (n, a) => `${n} que elimina el maquillaje y el protector solar sin resecar, para piel ${listEs(SKIN_ES, a.skinType, "o")}.`
			},
			{
				category: "sunscreens", models: ["Invisible Fluid SPF 50", "Mineral Sunscreen SPF 30", "Sport Sunscreen Spray SPF 50", "Kids Sunscreen Lotion SPF 50+"], basePrice: 26,
				tags: ["skincare", "sun", "spf", "summer"],
				attributes: rng => ({ spf: pick(rng, ["30", "50", "50+"]), size: pick(rng, ["50 ml", "100 ml", "200 ml"]) }),
				fromName: n => named("spf", /\bSPF (\d+\+?)/.exec(n)?.[1]),
				describe: (n, a) => `${n}: broad-spectrum UVA/UVB protection (SPF ${a.spf}), no white cast.`,
				describeEs: (n, a) => `${n}: protección UVA/UVB de amplio espectro (SPF ${a.spf}), sin dejar residuo blanco.`
			},
			{
				category: "haircare", models: ["Repair Shampoo", "Curl Defining Cream", "Argan Hair Oil", "Volume Conditioner", "Scalp Scrub"], basePrice: 24,
				tags: ["hair", "shampoo", "haircare"],
				attributes: rng => ({ hairType: some(rng, ["curly", "fine", "damaged", "coloured", "thick"], 2), size: pick(rng, ["100 ml", "250 ml", "500 ml"]) }),
				describe: (n, a) => `${n} for ${list(a.hairType)} hair, sulphate free and vegan.`,
				describeEs: (n, a) => `${n} para cabello ${listEs(HAIR_ES, a.hairType, "o")}; fórmula vegana y sin sulfatos.`
			},
			{
				category: "lipsticks", models: ["Velvet Matte Lipstick", "Satin Lipstick", "Tinted Lip Balm", "Long-Wear Liquid Lipstick", "Lip Gloss"], basePrice: 19,
				tags: ["makeup", "lips"],
				attributes: rng => ({ shades: some(rng, ["nude", "rose", "red", "berry", "coral", "plum"], 3), finish: pick(rng, ["matte", "satin", "gloss"]) }),
				describe: (n, a) => `${n} with ${article(a.finish as string)} ${a.finish} finish, comfortable all day. Shades: ${list(a.shades)}.`,
				describeEs: (n, a) => `${n} con acabado ${es(FINISHES_ES, a.finish)}, cómodo durante todo el día. Tonos: ${listEs(LIP_SHADES_ES, a.shades)}.`
			},
			{
				category: "fragrances", models: ["Jasmin Eau de Parfum", "Cedar & Vétiver Eau de Toilette", "Fleur d'Oranger Perfume", "Vanilla Musk Perfume", "Citrus Cologne"], basePrice: 79,
				tags: ["fragrance", "perfume", "gift"],
				attributes: rng => ({ size: pick(rng, ["30 ml", "50 ml", "100 ml"]), notes: some(rng, ["jasmine", "cedar", "vetiver", "orange blossom", "vanilla", "musk", "bergamot"], 3) }),
				describe: (n, a) => `${n} with notes of ${list(a.notes)}; ${a.size} bottle.`,
				describeEs: (n, a) => `${n} con notas de ${listEs(NOTES_ES, a.notes)}; frasco de ${a.size}.`
			},
			{
				category: "makeup", models: ["Eyeshadow Palette Sunset", "Volumising Mascara", "Skin Tint Foundation", "Cream Blush Stick", "Brow Gel"], basePrice: 28,
				tags: ["makeup", "eyes", "face"],
				attributes: rng => ({ shades: some(rng, ["light", "medium", "tan", "deep", "universal"], 2) }),
				describe: (n, a) => `${n}: buildable, long-lasting colour, cruelty free. Shades: ${list(a.shades)}.`,
				describeEs: (n, a) => `${n}: color modulable y de larga duración, libre de crueldad animal. Tonos: ${listEs(SKIN_SHADES_ES, a.shades)}.`
			},
			{
				category: "bodycare", models: ["Shea Body Butter", "Coffee Body Scrub", "Hand Cream Trio", "Bath Salts Lavender"], basePrice: 21,
				tags: ["body", "bath", "gift"],
				attributes: rng => ({ scent: pick(rng, ["lavender", "coconut", "unscented", "rose"]), size: pick(rng, ["200 ml", "300 g"]) }),
				describe: (n, a) => `${n} (${a.scent}, ${a.size}) for soft, nourished skin.`,
				describeEs: (n, a) => `${n} (${es(SCENTS_ES, a.scent)}, ${a.size}) para una piel suave y nutrida.`
			}
		]
	},
	gaming: {
		prefix: "GA",
		lines: [
			{
				category: "consoles", models: ["Nexus Console 1 TB", "Nexus Console Digital", "Switchblade Handheld", "Retro Mini Console", "Nexus Console Pro"], basePrice: 449,
				tags: ["console", "gaming", "4k"],
				attributes: rng => ({ storage: pick(rng, ["512 GB", "1 TB", "2 TB"]), resolution: pick(rng, ["1080p", "4K"]) }),
				describe: (n, a) => `${n}: ${a.storage} storage, ${a.resolution} output and a controller in the box.`,
				describeEs: (n, a) => `${n}: ${a.storage} de almacenamiento, salida ${a.resolution} y un control incluido en la caja.`
			},
			{
				category: "controllers", models: ["Pro Wireless Controller", "Elite Paddle Controller", "Arcade Fight Stick", "Racing Wheel & Pedals", "Retro Gamepad"], basePrice: 69,
				tags: ["controller", "gamepad", "wireless"],
				attributes: rng => ({ platform: some(rng, ["PC", "Nexus", "Switchblade"], 2), colours: some(rng, ["black", "white", "neon"], 2) }),
				describe: (n, a) => `${n} for ${list(a.platform)}, with low-latency wireless and remappable buttons.`,
				describeEs: (n, a) => `${n} para ${listEs({}, a.platform)}, con conexión inalámbrica de baja latencia y botones reasignables.`
			},
			{
				category: "games", models: ["Starfall Odyssey", "Kart Legends", "Shadow Tactics Reloaded", "Pixel Farm Story", "Dungeon Delve", "Velocity Racer 2"], basePrice: 59,
				tags: ["game", "video game", "single player"],
				attributes: rng => ({ platform: some(rng, ["PC", "Nexus", "Switchblade"], 2), genre: pick(rng, ["RPG", "racing", "strategy", "adventure", "simulation"]), rating: pick(rng, ["E", "T", "M"]) }),
				// "Velocity Racer 2" is a racing game and "Shadow Tactics" a strategy one, whatever was drawn.
				fromName: n =>
					named("genre", /Kart|Racer/.test(n) ? "racing" : /Tactics/.test(n) ? "strategy" : /Farm/.test(n) ? "simulation" : /Dungeon/.test(n) ? "RPG" : /Odyssey/.test(n) ? "adventure" : undefined),
				describe: (n, a) => `${n}, ${/^([aeiou]|RPG)/i.test(String(a.genre)) ? "an" : "a"} ${a.genre} game rated ${a.rating}, for ${list(a.platform)}.`,
				describeEs: (n, a) => `${n}, un juego ${es(GENRES_ES, a.genre)} con clasificación ${a.rating}, para ${listEs({}, a.platform)}.`
			},
			{
				category: "headsets", models: ["Surround 7.1 Gaming Headset", "Wireless Gaming Headset", "Pro Esports Headset", "Lightweight Open-Back Headset"], basePrice: 99,
				tags: ["audio", "headset", "microphone"],
				attributes: rng => ({ connection: pick(rng, ["USB", "2.4 GHz wireless", "3.5 mm"]), platform: some(rng, ["PC", "Nexus", "Switchblade"], 2) }),
				fromName: n => named("connection", /Wireless/.test(n) ? "2.4 GHz wireless" : undefined),
				describe: (n, a) => `${n} for ${list(a.platform)}, with a detachable noise-cancelling microphone and ${a.connection} connection.`,
				describeEs: (n, a) => `${n} para ${listEs({}, a.platform)}, con conexión ${es(CONNECTIONS_ES, a.connection)} y micrófono desmontable con cancelación de ruido.`
			},
			{
				category: "chairs", models: ["Apex Gaming Chair", "Ergo Mesh Gaming Chair", "Racer XL Gaming Chair", "Floor Rocker Chair"], basePrice: 279,
				tags: ["furniture", "chair", "ergonomic"],
				attributes: rng => ({ colours: some(rng, ["black", "red", "white", "blue"], 2), maxWeight: `${pick(rng, [120, 150])} kg` }),
				describe: (n, a) => `${n} with lumbar support, 4D armrests and ${article(a.maxWeight as string)} ${a.maxWeight} rating.`,
				describeEs: (n, a) => `${n} con soporte lumbar, apoyabrazos 4D y capacidad de carga de ${a.maxWeight}.`
			},
			{
				category: "gaming mice", models: ["Viper Ultralight Mouse", "MMO 12-Button Mouse", "Wireless Esports Mouse", "Ambidextrous RGB Mouse"], basePrice: 59,
				tags: ["mouse", "pc", "rgb", "esports"],
				attributes: rng => ({ dpi: pick(rng, ["16000", "26000", "30000"]), weight: `${pick(rng, [58, 63, 80, 95])} g` }),
				describe: (n, a) => `${n}: ${a.dpi} DPI optical sensor, ${a.weight}, PTFE feet.`,
				describeEs: (n, a) => `${n}: sensor óptico de ${a.dpi} DPI, ${a.weight} de peso y patines de PTFE.`
			},
			{
				category: "gaming keyboards", models: ["Mechanical RGB Keyboard", "Optical TKL Keyboard", "Low Profile Gaming Keyboard", "60% Hot-Swap Keyboard"], basePrice: 119,
				tags: ["keyboard", "pc", "rgb", "mechanical"],
				attributes: rng => ({ switches: pick(rng, ["red linear", "brown tactile", "blue clicky", "optical"]), layout: pick(rng, ["US", "UK"]) }),
				describe: (n, a) => `${n} with ${a.switches} switches, per-key RGB and a detachable USB-C cable.`,
				describeEs: (n, a) => `${n}: switches ${es(SWITCHES_ES, a.switches)}, RGB por tecla y cable USB-C desmontable.`
			},
			{
				category: "gaming accessories", models: ["XL RGB Mouse Pad", "Controller Charging Dock", "Capture Card 4K", "Headset Stand", "Streaming Microphone"], basePrice: 49,
				tags: ["accessories", "streaming", "setup"],
				attributes: rng => ({ colours: some(rng, ["black", "white"], 1), compatibility: pick(rng, ["PC", "Nexus", "universal"]) }),
				describe: (n, a) => `${n} for your setup, ${compatible(a)}.`,
				describeEs: (n, a) => `${n} para tu setup, ${compatibleEs(a)}.`
			},
			{
				category: "gift cards", models: ["Gaming Gift Card $25", "Gaming Gift Card $50", "Gaming Gift Card $100"], basePrice: 50,
				tags: ["gift", "digital"],
				attributes: () => ({ delivery: "digital code" }),
				describe: n => `${n}: a digital code delivered instantly, redeemable on every platform we sell.`,
				describeEs: n => `${n}: un código digital que se entrega al instante y se puede canjear en todas las plataformas que vendemos.`
			}
		]
	}
};

function priceCents(rng: Rng, base: number, name: string): number {
	const gift = /\$(\d+)/.exec(name);
	if (gift) return Number(gift[1]) * 100;
	const dollars = Math.max(5, Math.round(base * (0.7 + rng() * 0.7)));
	return dollars * 100 - 1;
}

function stockLevel(rng: Rng): number {
	const r = rng();
	if (r < 0.1) return 0;
	if (r < 0.25) return 1 + Math.floor(rng() * 4);
	return 5 + Math.floor(rng() * 116);
}

/**
 * Each brand's hand-written models once (the shipped catalog), or round after round until each
 * brand has `perBrand` products (benchmark catalogs).
 */
export function generateCatalog(perBrand?: number, seed = CATALOG_SEED): Product[] {
	const rng = prng(seed);
	const products: Product[] = [];
	for (const [brand, { prefix, lines }] of Object.entries(LINES)) {
		const models = lines.flatMap(line => line.models.map(model => ({ line, model })));
		const count = perBrand ?? models.length;
		for (let i = 0; i < count; i++) {
			const { line, model } = models[i % models.length]!;
			const round = Math.floor(i / models.length);
			// Beyond the hand-written models (benchmark catalogs), editions keep names distinct.
			const name = round === 0 ? model : `${model} ${pick(rng, ["Edition", "Series", "Collection", "Select"])} ${round + 1}`;
			const sku = `${prefix}-${String(i + 1).padStart(4, "0")}`;
			const drawn = line.attributes(rng);
			const attributes = { ...drawn, ...materialFromName(name, drawn), ...line.fromName?.(name, drawn) };
			// Listed as a size chart does; sorting draws nothing.
			if (Array.isArray(attributes.sizes)) attributes.sizes = sizesSmallestFirst(attributes.sizes);
			products.push({
				sku,
				brand,
				name,
				description: line.describe(name, attributes),
				descriptionEs: line.describeEs(name, attributes),
				category: line.category,
				price: priceCents(rng, line.basePrice, name),
				currency: "USD",
				stock: stockLevel(rng),
				tags: [...new Set([...line.tags, ...(rng() < 0.2 ? ["bestseller"] : []), ...(rng() < 0.15 ? ["new"] : [])])],
				attributes,
				imageUrl: `${IMAGE_BASE_URL}/${sku}.jpg`
			});
		}
	}
	return products;
}

/** Fixed windows: most run to 2099, one is long over, one has not started. */
export function generatePromotions(): Promotion[] {
	return [
		{ code: "WELCOME10", description: "10% off your first fashion order", descriptionEs: "10% de descuento en tu primer pedido de moda", kind: "percent", value: 10, brand: "fashion", firstOrderOnly: true, startsAt: "2024-01-01T00:00:00.000Z", endsAt: "2099-12-31T23:59:59.000Z" },
		{ code: "LAPTOP50", description: "$50 off laptops over $500", descriptionEs: "$50 de descuento en laptops de más de $500", kind: "fixed", value: 5000, brand: "tech", category: "laptops", minSubtotal: 50000, startsAt: "2024-01-01T00:00:00.000Z", endsAt: "2099-12-31T23:59:59.000Z" },
		{ code: "COZY15", description: "15% off bedding", descriptionEs: "15% de descuento en ropa de cama", kind: "percent", value: 15, brand: "home", category: "bedding", startsAt: "2024-01-01T00:00:00.000Z", endsAt: "2099-12-31T23:59:59.000Z" },
		{ code: "GLOW20", description: "20% off beauty", descriptionEs: "20% de descuento en belleza", kind: "percent", value: 20, brand: "beauty", startsAt: "2024-01-01T00:00:00.000Z", endsAt: "2099-12-31T23:59:59.000Z" },
		{ code: "LEVELUP", description: "$10 off games", descriptionEs: "$10 de descuento en juegos", kind: "fixed", value: 1000, brand: "gaming", category: "games", startsAt: "2024-01-01T00:00:00.000Z", endsAt: "2099-12-31T23:59:59.000Z" },
		{ code: "BLACKFRIDAY24", description: "30% off fashion, Black Friday 2024", descriptionEs: "30% de descuento en moda, Black Friday 2024", kind: "percent", value: 30, brand: "fashion", startsAt: "2024-11-29T00:00:00.000Z", endsAt: "2024-12-02T23:59:59.000Z" },
		{ code: "SUMMER2099", description: "25% off sunscreens, summer 2099", descriptionEs: "25% de descuento en protectores solares, verano 2099", kind: "percent", value: 25, brand: "beauty", category: "sunscreens", startsAt: "2099-06-01T00:00:00.000Z", endsAt: "2099-06-15T23:59:59.000Z" }
	];
}

export function catalogJson(products: Product[]): string {
	return `${JSON.stringify(products, null, "\t")}\n`;
}

export function promotionsJson(promotions: Promotion[]): string {
	return `${JSON.stringify(promotions, null, "\t")}\n`;
}

if (require.main === module) {
	const dataDir = path.join(__dirname, "..", "data");
	const products = generateCatalog();
	writeFileSync(path.join(dataDir, "catalog.json"), catalogJson(products));
	writeFileSync(path.join(dataDir, "promotions.json"), promotionsJson(generatePromotions()));
	console.log(`wrote ${products.length} products and ${generatePromotions().length} promotions to data/`);
}
