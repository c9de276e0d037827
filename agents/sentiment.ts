/**
 * A deterministic sentiment scorer, 0 (angry) to 1 (delighted), 0.5 neutral. Lexicon-based, in
 * English and Spanish: the same text always gets the same score, so escalation decisions can be
 * replayed and tested. It is a signal for escalation, not an opinion of the customer.
 */
const POSITIVE: Record<string, number> = {
	thanks: 1, thank: 1, great: 1.5, good: 1, love: 2, perfect: 2, awesome: 2, amazing: 2, nice: 1, excellent: 2,
	cool: 1, happy: 1.5, wonderful: 2, beautiful: 1, glad: 1, yes: 0.3, please: 0.3,
	gracias: 1, genial: 1.5, bueno: 1, buena: 1, encanta: 2, perfecto: 2, excelente: 2, increible: 2, lindo: 1, feliz: 1.5
};
// "Broken" says what happened to a thing ("my phone screen is broken, do you sell protectors?"),
// not how the customer feels about us: alone it stays above the escalation line. A broken
// purchase is a complaint the brain hands to a person anyway.
const NEGATIVE: Record<string, number> = {
	bad: 1.5, terrible: 2.5, awful: 2.5, horrible: 2.5, worst: 3, hate: 2.5, angry: 2.5, annoyed: 2, frustrated: 2.5,
	frustrating: 2.5, useless: 2.5, stupid: 2.5, ridiculous: 2, disappointed: 2, wrong: 1.5, broken: 1, late: 1,
	never: 1, refund: 1, scam: 3, problem: 1, slow: 1, waste: 2, unacceptable: 3, complaint: 2, fed: 1, disaster: 2, nightmare: 2,
	malo: 1.5, mala: 1.5, pesimo: 3, pesima: 3, odio: 2.5, enojado: 2.5, molesto: 2, inutil: 2.5,
	estafa: 3, tarde: 1, problema: 1, decepcionado: 2, reclamo: 2, basura: 3, desastre: 2, pesadilla: 2
};
const HYPOTHETICAL = new Set(["if", "unless", "case", "si", "caso"]);
const NEGATORS = new Set(["not", "no", "never", "dont", "don't", "isn't", "isnt", "nunca", "ni"]);
const INTENSIFIERS = new Set(["very", "really", "so", "too", "extremely", "muy", "super", "tan"]);

const fold = (s: string) => s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();

export function scoreSentiment(text: string | undefined): number {
	if (!text || !text.trim()) return 0.5;
	// A clause's words after "if" ("if the size is wrong, can I exchange it?") imagine a case: its
	// bad words say nothing of how the customer feels.
	const words: string[] = [];
	const imagined = new Set<number>();
	for (const clause of fold(text).split(/[,.;:!?]+/)) {
		let supposing = false;
		for (const w of clause.match(/[a-z']+/g) ?? []) {
			if (HYPOTHETICAL.has(w)) supposing = true;
			if (supposing) imagined.add(words.length);
			words.push(w);
		}
	}
	let score = 0;
	for (let i = 0; i < words.length; i++) {
		const w = words[i];
		let value = (POSITIVE[w] ?? 0) - (imagined.has(i) ? 0 : (NEGATIVE[w] ?? 0));
		if (!value) continue;
		if (i > 0 && INTENSIFIERS.has(words[i - 1])) value *= 1.5;
		// "not good" is mildly negative; "not bad" mildly positive.
		if ((i > 0 && NEGATORS.has(words[i - 1])) || (i > 1 && NEGATORS.has(words[i - 2]))) value = -value * 0.6;
		score += value;
	}
	const letters = text.replace(/[^A-Za-z]/g, "");
	const shouting = letters.length >= 8 && letters === letters.toUpperCase();
	const bangs = (text.match(/!/g) ?? []).length;
	if (score < 0 && (shouting || bangs >= 2)) score *= 1.5;
	// Capitals and "??" with no word of feeling are how some customers always type ("CUANTO CUESTA EL
	// ENVIO??"): a little impatience at most, never anger enough on their own to call a person.
	if (shouting && score === 0) score = -0.4;
	if ((text.match(/\?{2,}/g) ?? []).length) score -= 0.4;
	// A squashing curve keeps the score in (0, 1) and 0.5 at neutral.
	return Math.round((1 / (1 + Math.exp(-score / 1.5))) * 1000) / 1000;
}
