/** Just enough language detection to answer in English or Spanish, deterministically. */
export type Lang = "en" | "es";

const SPANISH = /\b(hola|buenas|buenos|gracias|quiero|busco|tienes|tienen|necesito|menos|precio|cuanto|cuánto|carrito|pedido|comprar|pagar|quitar|segundo|segunda|primero|primera|tercero|tercera|por favor|sí|adiós|adios|chau|hablar|persona|humano|mi|el|la|los|las|una|uno|de|con|para|que|qué)\b/gi;
const ENGLISH = /\b(hi|hello|hey|thanks|thank|want|looking|need|under|less|price|cart|order|buy|remove|second|first|third|please|yes|bye|talk|the|a|an|my|for|with|of|what|do|you|have|i|me)\b/gi;

/**
 * The language of `text`; `fallback` when it does not tell ("ok", "2"), which callers set to the
 * language of the customer's earlier messages, so a short "sí" does not switch to English.
 */
export function detectLang(text: string | undefined, fallback: Lang = "en"): Lang {
	if (!text) return fallback;
	// \b does not see past an accented letter, so a bare "sí" scored nothing.
	if (/^[\s¡!.]*s[íi][\s!.]*$/iu.test(text)) return "es";
	const es = text.match(SPANISH)?.length ?? 0;
	const en = text.match(ENGLISH)?.length ?? 0;
	if (/[¿¡ñ]/.test(text)) return "es";
	return es > en ? "es" : en > es ? "en" : fallback;
}
