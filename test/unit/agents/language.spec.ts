import assert from "node:assert/strict";
import { detectLang, type Lang } from "../../../agents/language";

describe("language detection", () => {
	const table: [string, Lang | "fallback"][] = [
		["show me a black jacket", "en"],
		["can I return it if it doesn't fit?", "en"],
		["do you take paypal?", "en"],
		["a dress", "en"],
		// A count in shorthand is no language of its own: the conversation's.
		["make it 2", "fallback"],
		["make it 2 please", "fallback"],
		["eres un bot?", "es"],
		["hazme un descuento", "es"],
		["both", "en"],
		["una chaqueta negra", "es"],
		// Spanish "a" is the English article's spelling; the words around it tell.
		["perfume que huela a vainilla", "es"],
		["elige tú", "es"],
		["negro o azul", "es"],
		// No product word, no accent: Spanish by its function words alone.
		["y si no me queda bien puedo devolverlo", "es"],
		["es lavable", "es"],
		["ponme 2", "es"],
		["¿aceptan tarjeta?", "es"],
		["sí", "es"],
		// Says nothing of its language: the conversation's stays.
		["ok", "fallback"],
		["2", "fallback"],
		["no", "fallback"],
		["", "fallback"],
		// A tap's id is no word: "TE" of a tech product's sku is not the Spanish "te".
		["[tap product:TE-001]", "fallback"],
		["[tap product:TE-001] AirPods-style Wireless Earbuds", "fallback"],
		["[order TE-001x2 TE-002x1]", "fallback"],
		// Done shopping, or paying, in Spanish.
		["pago ahora", "es"],
		["listo", "es"],
		["confirmo", "es"],
		// A word ending in an accented letter counts ("qué" was never seen: \b stops at "é").
		["qué onda", "es"],
		["sí, gracias", "es"],
		// Spanish a word "a" does not outweigh; English loanwords in a Spanish chat keep it Spanish.
		["hacen envíos a Colombia?", "es"],
		["no entiendo", "es"],
		["OLA", "es"]
	];
	it("keeps a Spanish conversation Spanish for the English words its customers use ('thanks!', 'cart', 'sorry'), and switches for English said", () => {
		for (const text of ["thanks!", "cart", "ok thanks", "sorry"]) assert.equal(detectLang(text, "es"), "es", text);
		for (const text of ["the second one", "show me jackets"]) assert.equal(detectLang(text, "es"), "en", text);
	});
	for (const [text, want] of table)
		it(`"${text}" → ${want}`, () => {
			for (const fallback of ["en", "es"] as const) assert.equal(detectLang(text, fallback), want === "fallback" ? fallback : want);
		});
});
