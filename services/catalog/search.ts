/**
 * An in-memory inverted index over the static part of the catalog (names, descriptions, tags,
 * attributes), ranked with BM25 over weighted fields. Pure: stock is not in here (it changes on
 * every order and lives in the Store); the service filters by stock with the live levels.
 *
 * Ranking: a product that matches more of the query's distinct terms always ranks above one that
 * matches fewer ("black jacket": every black jacket before any black shoe); within the same
 * coverage, BM25 decides. Products matching clearly fewer terms than the best are dropped, so a
 * two-word query does not return everything that matches one of its words.
 */
import { COLOUR_ATTRIBUTES, colourCovers, readSpecBound, sizeFigure, sizeMeasure, specFigures, suitsAge, type SpecBound } from "../../contracts/catalog";
import type { Product } from "./types";
import { foldKey, nameParts, queryTerms, queryWords, saidWords, terms } from "./text";

/** How much a term occurrence in each field counts. */
export const FIELD_WEIGHTS = { name: 4, category: 5, tags: 2, attributes: 1, brand: 1, description: 1 } as const;
/** Extra weight, in units of the term's idf, when a query term names the product's category. */
const CATEGORY_BONUS = 0.6;
const K1 = 1.2;
const B = 0.75;

export interface SearchFilters {
	brand?: string;
	category?: string;
	minPrice?: number;
	maxPrice?: number;
	/** A colour the product comes in (its `colours`/`color` attribute); one without colours fails it. */
	color?: string;
	/** A size the product comes in (its `sizes` attribute: "M", "42", "King"); one without sizes fails it. */
	size?: string;
	/**
	 * Platforms the product must work with, any of them: its `platform` or `compatibility`
	 * attribute names one, or says "universal". One that names none fails it.
	 */
	platforms?: string[];
	/** The age of who it is for ("for my 10-year-old"): a game rated for older players fails it. */
	forAge?: number;
}

/** How hits are ordered: by relevance (the index's ranking), by list price, or by size (`sizeMeasure`) either way. */
export const SEARCH_SORTS = ["relevance", "price_asc", "price_desc", "size_asc", "size_desc"] as const;
export type SearchSort = (typeof SEARCH_SORTS)[number];

/**
 * Orders ranked hits by price or size when asked. "The cheapest laptop" means the cheapest of the
 * laptops, not a laptop sleeve that also matched: with a query, the result is the best hit's
 * category, in that order. The other hits matched a word in passing (a cleanser whose description
 * says "use with SPF"), and sorted they would outrank what was asked for; a sofa's width does not
 * compare with a cushion's either. The sort is stable, so products of one price or size keep their
 * relevance order, and products that state no size come after those that do. Price is the list
 * price: a promotion applies at the cart, by code.
 */
export function sortHits<T extends { price: number; category?: string; attributes?: Readonly<Record<string, string | readonly string[]>>; sizes?: readonly string[] }>(ranked: T[], sort: SearchSort, hadQuery: boolean): T[] {
	if (sort === "relevance" || !ranked.length) return ranked;
	const sign = sort === "price_asc" || sort === "size_asc" ? 1 : -1;
	const bySize = sort === "size_asc" || sort === "size_desc";
	// The most compact is the one whose smallest size is smallest; the biggest, whose biggest is.
	// Widths compare with widths, not with a rug's area: with no query to pick a category, the
	// measure of the first hit that states one is the order's, and the others come after.
	const kind = bySize && !hadQuery ? ranked.map(h => sizeMeasure(h.attributes, h.sizes)?.name).find(Boolean) : undefined;
	const measureOf = (h: T) => {
		const size = sizeMeasure(h.attributes, h.sizes);
		if (!size || (kind && size.name !== kind)) return undefined;
		return sizeFigure(size, sort === "size_asc");
	};
	const sizes = bySize ? new Map(ranked.map(h => [h, measureOf(h)])) : null;
	const order = sizes
		? (a: T, b: T) => {
				const [x, y] = [sizes.get(a), sizes.get(b)];
				return x === undefined || y === undefined ? (x === undefined ? 1 : 0) - (y === undefined ? 1 : 0) : sign * (x - y);
			}
		: (a: T, b: T) => sign * (a.price - b.price);
	if (!hadQuery) return [...ranked].sort(order);
	const category = ranked[0]!.category;
	return ranked.filter(h => h.category === category).sort(order);
}

export interface RankedHit {
	product: Product;
	score: number;
	/** Distinct query terms the product matched. */
	matched: number;
}

interface Doc {
	product: Product;
	/** Weighted term frequencies. */
	tf: Map<string, number>;
	length: number;
	categoryTerms: Set<string>;
	nameTerms: Set<string>;
	brandKey: string;
	categoryKey: string;
	colourKeys: Set<string>;
	sizeKeys: Set<string>;
	platformKeys: Set<string>;
	/** The figures its attributes state, for spec bounds ("at least 16 GB RAM"). */
	figures: { attr: string; value: number; family: string }[];
}

function attributeText(attributes: Product["attributes"]): string {
	return Object.entries(attributes)
		.map(([k, v]) => `${k.replace(/([a-z])([A-Z])/g, "$1 $2")} ${Array.isArray(v) ? v.join(" ") : v}`)
		.join(" ");
}

/** The spec figures a product's attributes state, by attribute ("ram": 16 GB), for `meets`. */
export function figuresOf(attributes: Record<string, unknown>): Doc["figures"] {
	return Object.entries(attributes).flatMap(([key, v]) =>
		(Array.isArray(v) ? v : [v]).flatMap(value => specFigures(String(value)).map(f => ({ attr: key.toLowerCase(), ...f })))
	);
}

/**
 * Whether a product meets a spec bound. Without the attribute named, the figure nearest the one
 * asked decides: "a laptop with at least 16gb" is about its 8 GB of RAM, not its 512 GB SSD.
 */
export function meets(doc: Pick<Doc, "figures">, bound: SpecBound): boolean {
	const figure = figureFor(doc, bound);
	return figure !== undefined && (bound.op === "min" ? figure >= bound.value : figure > bound.value);
}

/** The product's figure a bound is compared with (see `meets`). */
function figureFor(doc: Pick<Doc, "figures">, bound: SpecBound): number | undefined {
	let nearest: number | undefined;
	for (const f of doc.figures) {
		if (f.family !== bound.family || (bound.attr !== undefined && f.attr !== bound.attr)) continue;
		if (nearest === undefined || Math.abs(Math.log(f.value / bound.value)) < Math.abs(Math.log(nearest / bound.value))) nearest = f.value;
	}
	return nearest;
}

function sizeKeysOf(product: Product): Set<string> {
	const v = product.attributes.sizes;
	return new Set((v === undefined ? [] : Array.isArray(v) ? v : [v]).map(size => foldKey(String(size))));
}

/** The platforms it works with, folded; "universal" stands for any. */
function platformKeysOf(product: Product): Set<string> {
	const out = new Set<string>();
	for (const key of ["platform", "platforms", "compatibility"]) {
		const v = product.attributes[key];
		for (const p of v === undefined ? [] : Array.isArray(v) ? v : String(v).split(/\s*,\s*/)) out.add(foldKey(String(p)));
	}
	return out;
}

function colourKeysOf(product: Product): Set<string> {
	const out = new Set<string>();
	for (const key of COLOUR_ATTRIBUTES) {
		const v = product.attributes[key];
		for (const c of v === undefined ? [] : Array.isArray(v) ? v : [v]) out.add(foldKey(c));
	}
	return out;
}

/**
 * "a rug for my living room": the customer named what they want (rugs), and the rest of the words
 * say what for. A lamp whose description says "living room" matched two words of three and would
 * be offered as a rug. When the best hit (before price and colour filters) is in a category the
 * query names, hits outside every category the query names are dropped. "laptop sleeve" is
 * untouched: its best hit is an accessory, whose category the query does not name.
 */
function keepNamedCategory<T extends { namesCategory: boolean }>(ranked: T[], bestNamesCategory: boolean): T[] {
	return bestNamesCategory ? ranked.filter(h => h.namesCategory) : ranked;
}

/**
 * "Shoes" names no category but is a word of several (sneakers and boots): the hits that match as
 * many words as the best take turns by category, each category in its own order, so the first page
 * shows the kinds there are rather than whichever kind scored a little higher. A query that names a
 * category keeps its order, and so does one whose best hits miss some of its words ("shoes" then
 * "something warm": the shoes that matched better stay first). Hits whose names carry every word
 * go before those that only mention them: "nexus" is the Nexus consoles first, then what works
 * with one, not a headset stand between two consoles.
 */
function mixCategories<T extends { namesCategory: boolean; matched: number; product: { category: string } }>(ranked: T[], terms: number, named: (hit: T) => boolean): T[] {
	const level = ranked[0]?.matched;
	if (level === undefined || level < terms || ranked.some(h => h.namesCategory)) return ranked;
	const even = ranked.filter(h => h.matched === level);
	const byName = even.filter(named);
	const groups = byName.length && byName.length < even.length ? [byName, even.filter(h => !named(h))] : [even];
	const mixed = groups.flatMap(takeTurnsByCategory);
	return [...mixed, ...ranked.filter(h => h.matched !== level)];
}

/** Hits in turns by category, each category in its own order. */
function takeTurnsByCategory<T extends { product: { category: string } }>(hits: T[]): T[] {
	const byCategory = new Map<string, T[]>();
	for (const h of hits) {
		const queue = byCategory.get(h.product.category);
		if (queue) queue.push(h);
		else byCategory.set(h.product.category, [h]);
	}
	if (byCategory.size < 2) return hits;
	const queues = [...byCategory.values()];
	const mixed: T[] = [];
	for (let round = 0; mixed.length < hits.length; round++) for (const q of queues) if (q[round]) mixed.push(q[round]!);
	return mixed;
}

/**
 * Edits between two words (insert, delete, substitute, swap two neighbours), or more than `most`
 * as soon as that is certain.
 */
function editDistance(a: string, b: string, most: number): number {
	let before: number[] = [];
	let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
	for (let i = 1; i <= a.length; i++) {
		const current = [i];
		let rowBest = i;
		for (let j = 1; j <= b.length; j++) {
			const cost = a[i - 1] === b[j - 1] ? 0 : 1;
			let d = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
			if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, before[j - 2]! + 1);
			current.push(d);
			rowBest = Math.min(rowBest, d);
		}
		if (rowBest > most) return most + 1;
		before = previous;
		previous = current;
	}
	return previous[b.length]!;
}

type ScoredHit = RankedHit & { namesCategory: boolean; doc: Doc };

/** Most terms matched first, then the higher score; the sku breaks ties so results are stable. */
function byRank(a: RankedHit, b: RankedHit): number {
	return b.matched - a.matched || b.score - a.score || a.product.sku.localeCompare(b.product.sku);
}

export class SearchIndex {
	private readonly docs: Doc[] = [];
	private readonly postings = new Map<string, number[]>();
	private readonly bySku = new Map<string, Doc>();
	private readonly avgLength: number;

	constructor(products: readonly Product[]) {
		let total = 0;
		for (const product of products) {
			if (this.bySku.has(product.sku)) throw new Error(`Duplicate sku ${product.sku} in the catalog`);
			const tf = new Map<string, number>();
			const add = (text: string, weight: number) => {
				for (const t of terms(text)) tf.set(t, (tf.get(t) ?? 0) + weight);
			};
			add(product.name, FIELD_WEIGHTS.name);
			add(nameParts(product.name), FIELD_WEIGHTS.tags);
			add(product.category, FIELD_WEIGHTS.category);
			add(product.tags.join(" "), FIELD_WEIGHTS.tags);
			add(attributeText(product.attributes), FIELD_WEIGHTS.attributes);
			add(product.brand, FIELD_WEIGHTS.brand);
			add(product.description, FIELD_WEIGHTS.description);
			let length = 0;
			for (const w of tf.values()) length += w;
			total += length;
			const index = this.docs.length;
			const doc: Doc = { product, tf, length, categoryTerms: new Set(terms(product.category)), nameTerms: new Set(terms(product.name)), brandKey: foldKey(product.brand), categoryKey: foldKey(product.category), colourKeys: colourKeysOf(product), sizeKeys: sizeKeysOf(product), platformKeys: platformKeysOf(product), figures: figuresOf(product.attributes) };
			this.docs.push(doc);
			this.bySku.set(product.sku, doc);
			for (const term of tf.keys()) {
				const list = this.postings.get(term);
				if (list) list.push(index);
				else this.postings.set(term, [index]);
			}
		}
		this.avgLength = this.docs.length ? total / this.docs.length : 1;
	}

	get size(): number {
		return this.docs.length;
	}

	get(sku: string): Product | undefined {
		return this.bySku.get(sku)?.product;
	}

	all(): Product[] {
		return this.docs.map(d => d.product);
	}

	/** The categories of the catalog, or of one brand's products, in catalog order. */
	categories(brand?: string): string[] {
		const key = brand === undefined ? undefined : foldKey(brand);
		return [...new Set(this.docs.filter(d => key === undefined || d.brandKey === key).map(d => d.product.category))];
	}

	/**
	 * Every product that passes the filters and matches the query, best first. An empty query (or
	 * one made only of stop words) matches every product, in catalog order.
	 */
	search(query: string | undefined, filters: SearchFilters = {}): RankedHit[] {
		const accept = this.filter(filters);
		const qterms = query ? queryTerms(query) : [];
		if (!qterms.length) return this.docs.filter(accept).map(d => ({ product: d.product, score: 0, matched: 0 }));

		const scores = new Map<number, { score: number; matched: number }>();
		const n = this.docs.length;
		for (const term of qterms) {
			const list = this.docsWith(term);
			if (!list) continue;
			const idf = Math.log(1 + (n - list.length + 0.5) / (list.length + 0.5));
			for (const i of list) {
				const doc = this.docs[i]!;
				// A spec bound met counts as an attribute word would.
				const f = doc.tf.get(term) ?? FIELD_WEIGHTS.attributes;
				// "laptops" should find laptops before laptop sleeves, whose names say "laptop" too.
				const bm25 =
					(idf * f * (K1 + 1)) / (f + K1 * (1 - B + (B * doc.length) / this.avgLength)) +
					(doc.categoryTerms.has(term) ? idf * CATEGORY_BONUS : 0);
				const entry = scores.get(i);
				if (entry) {
					entry.score += bm25;
					entry.matched += 1;
				} else scores.set(i, { score: bm25, matched: 1 });
			}
		}

		// The bar is set by the best match in the brand and category, before price and colour: "running
		// shoes under $100" with no runner that cheap finds nothing (the caller can say so and offer
		// the closest), not boots that are merely shoes.
		const inScope = this.filter({ brand: filters.brand, category: filters.category });
		let best = 0;
		// The best match before price and colour too: "a laptop under $900" with no laptop that cheap
		// is no laptop, not the laptop backpacks whose names say "laptop".
		let top: ScoredHit | undefined;
		const hits: ScoredHit[] = [];
		// "Sunscreen for oily skin": the query names a category the scope has, so a cleanser whose
		// description says "removes SPF" is no answer, however many words it matches. A product
		// outside every named category stays only when its name has a word of the query ("laptop sleeve").
		const namesScopeCategory = [...scores.keys()].some(i => inScope(this.docs[i]!) && qterms.some(t => this.docs[i]!.categoryTerms.has(t)));
		for (const [i, s] of scores) {
			const doc = this.docs[i]!;
			if (!inScope(doc)) continue;
			if (namesScopeCategory && !qterms.some(t => doc.categoryTerms.has(t) || doc.nameTerms.has(t))) continue;
			best = Math.max(best, s.matched);
			const hit = { product: doc.product, score: s.score, matched: s.matched, namesCategory: qterms.some(t => doc.categoryTerms.has(t)), doc };
			if (!top || byRank(hit, top) < 0) top = hit;
			if (accept(doc)) hits.push(hit);
		}
		// With three or more terms one may be noise ("red running sneakers size 42"); allow one miss.
		// A word nothing in scope has ("a headset for my ps5, wireless") is not one of the three: it
		// would let a wired headset through on "headset" alone.
		const known = qterms.filter(this.knownIn(inScope)).length;
		// The miss is allowed only when even the best hit misses a word: when something has them all
		// ("moisturiser for oily skin"), one without "oily" is not an answer.
		const floor = known >= 3 && best < known ? Math.max(1, best - 1) : best;
		// The query's words in the best hit's name say what the customer asked for ("sheets" in "Percale
		// Sheet Set"): the miss allowed above is never one of them, or "sheets for a king bed, cotton"
		// would offer a cotton throw for a king bed. A hit whose own name has a word of the query that
		// the best one's lacks is another product asked for ("the trucker jacket and a puffer").
		const named = top ? qterms.filter(t => top!.doc.nameTerms.has(t)) : [];
		// Nor is a spec the best hit meets ("16gb" in "laptop 16gb ram"): a laptop with 8 GB is no answer.
		const required = top ? [...named, ...qterms.filter(t => /\d/.test(t) && !named.includes(t) && this.has(top!.doc, t))] : [];
		const wanted = (h: ScoredHit) => required.every(t => this.has(h.doc, t)) || qterms.some(t => h.doc.nameTerms.has(t) && !named.includes(t));
		const inName = (h: ScoredHit) => qterms.every(t => h.doc.nameTerms.has(t));
		const ranked = mixCategories(keepNamedCategory(hits.filter(h => h.matched >= floor && wanted(h)).sort(byRank), top?.namesCategory ?? false), qterms.length, inName);
		// A spec none of the hits has or meets ("64gb", "at least 64 GB RAM"): the closest come nearest to it.
		const unmet = qterms.find(t => specAsked(t) && !ranked.some(h => this.has(h.doc, t)));
		const spec = unmet === undefined ? null : specAsked(unmet);
		if (spec) {
			const distance = (h: ScoredHit) => {
				const figure = figureFor(h.doc, spec);
				return figure === undefined ? Infinity : Math.abs(Math.log(figure / spec.value));
			};
			ranked.sort((a, b) => distance(a) - distance(b));
		}
		return ranked.map(({ product, score, matched }) => ({ product, score, matched }));
	}

	/**
	 * The query's words that no product of the brand and category has ("horror" in "horror games"
	 * when no game says it): the hits then answer the rest of the query only, which the customer
	 * should be told rather than shown them as a match.
	 */
	unmatched(query: string | undefined, scope: Pick<SearchFilters, "brand" | "category"> = {}): string[] {
		const known = this.knownIn(this.filter(scope));
		// A word is matched when any of its terms is ("white-cast" by "white" and "cast").
		return [...new Set((query ? saidWords(query) : []).filter(w => !w.terms.some(known)).map(w => said(w.word)))];
	}

	/**
	 * The query's words that something in scope has but none of `skus` does ("linen" when the shirts
	 * found are not linen, only a dress is): those products answer the rest of the query only. Words
	 * nothing in scope has are `unmatched`'s, not repeated here.
	 */
	missingFrom(query: string | undefined, skus: readonly string[], scope: Pick<SearchFilters, "brand" | "category"> = {}): string[] {
		if (!query || !skus.length) return [];
		const known = this.knownIn(this.filter(scope));
		const docs = skus.flatMap(sku => this.bySku.get(sku) ?? []);
		const missing = saidWords(query).filter(w => w.terms.some(known) && !docs.some(d => w.terms.some(t => this.has(d, t))));
		return [...new Set(missing.map(w => said(w.word)))];
	}

	/**
	 * The query with each word nothing in scope has replaced by the closest word something in scope
	 * has ("jakcet" → "jacket"): one edit away for words up to seven letters, two for longer ones,
	 * the same first letter (typing rarely misses that one), the more common word on a tie. Words
	 * with figures and short words are left alone. `corrected` is empty when nothing changed, and
	 * `query` is then the query as given.
	 */
	spellcheck(query: string, scope: Pick<SearchFilters, "brand" | "category"> = {}): { query: string; corrected: { from: string; to: string }[] } {
		const inScope = this.filter(scope);
		const known = this.knownIn(inScope);
		const corrected: { from: string; to: string }[] = [];
		// Most queries have every word right: they cost one look-up per word here, no more.
		const words = queryWords(query);
		if (words.every(group => group.some(known))) return { query, corrected };
		const count = (t: string) => this.postings.get(t)?.filter(i => inScope(this.docs[i]!)).length ?? 0;
		// A hyphenated word one of whose parts is known ("white-cast") needs no correction.
		const settled = new Set(words.filter(group => group.some(known)).flat());
		const out = [...new Set(words.flat())].map(term => {
			if (term.length < 4 || /\d/.test(term) || settled.has(term)) return term;
			const most = term.length <= 7 ? 1 : 2;
			let best: { to: string; distance: number; count: number } | undefined;
			for (const candidate of this.postings.keys()) {
				if (candidate[0] !== term[0] || Math.min(Math.abs(candidate.length - term.length), Math.abs(candidate.length - term.length - 1)) > most) continue;
				// A four-letter word one letter off a catalog word is as often another word ("back" is
				// not "black", "lamb" not "lamp"): only two letters swapped ("lmap") count as a typo.
				if (term.length === 4 && !swappedPair(term, candidate)) continue;
				// Likewise a five-letter word one letter changed ("skirt" is not "shirt", "shelf" not "shell"):
				// a letter missing, extra or swapped still counts.
				if (term.length === 5 && candidate.length === 5 && !swappedPair(term, candidate)) continue;
				// A misspelt plural lost its "s" to plural folding ("wireles" → "wirele"): it counts as typed.
				const distance = Math.min(editDistance(term, candidate, most), editDistance(`${term}s`, candidate, most));
				if (distance > most) continue;
				const n = count(candidate);
				if (!n) continue;
				if (!best || distance < best.distance || (distance === best.distance && (n > best.count || (n === best.count && candidate < best.to)))) best = { to: candidate, distance, count: n };
			}
			if (!best) return term;
			corrected.push({ from: term, to: best.to });
			return best.to;
		});
		return corrected.length ? { query: out.join(" "), corrected } : { query, corrected };
	}

	/** Whether a term is in some product the filter accepts. */
	private knownIn(inScope: (doc: Doc) => boolean): (term: string) => boolean {
		return term => this.docsWith(term)?.some(i => inScope(this.docs[i]!)) ?? false;
	}

	/** The products a term is in, or that meet the spec bound it stands for. */
	private docsWith(term: string): number[] | undefined {
		const bound = readSpecBound(term);
		if (!bound) return this.postings.get(term);
		const list = this.docs.flatMap((doc, i) => (meets(doc, bound) ? [i] : []));
		return list.length ? list : undefined;
	}

	private has(doc: Doc, term: string): boolean {
		const bound = readSpecBound(term);
		return bound ? meets(doc, bound) : doc.tf.has(term);
	}

	private filter(f: SearchFilters): (doc: Doc) => boolean {
		const brand = f.brand === undefined ? undefined : foldKey(f.brand);
		const category = f.category === undefined ? undefined : foldKey(f.category);
		const colour = f.color === undefined ? undefined : foldKey(f.color);
		const size = f.size === undefined ? undefined : foldKey(f.size);
		const platforms = f.platforms?.length ? f.platforms.map(foldKey) : undefined;
		return doc =>
			(brand === undefined || doc.brandKey === brand) &&
			// A product with no colours to choose from is in the colour its name says ("Terracotta Vase").
			(colour === undefined || [...doc.colourKeys].some(c => colourCovers(colour, c)) || (!doc.colourKeys.size && doc.nameTerms.has(colour))) &&
			(size === undefined || doc.sizeKeys.has(size)) &&
			(platforms === undefined || doc.platformKeys.has("universal") || platforms.some(pl => doc.platformKeys.has(pl))) &&
			(category === undefined || doc.categoryKey === category) &&
			(f.minPrice === undefined || doc.product.price >= f.minPrice) &&
			(f.maxPrice === undefined || doc.product.price <= f.maxPrice) &&
			(f.forAge === undefined || suitsAge(doc.product.attributes, f.forAge));
	}
}

/** The figure a query term asks for: a spec bound ("min16gbram"), or a figure with its unit ("64gb") as its own value. */
function specAsked(term: string): SpecBound | null {
	return readSpecBound(term) ?? (/^\d/.test(term) ? readSpecBound(`min${term}`) : null);
}

/** A query word as the customer would read it: a spec bound in words, any other term as it is. */
function said(term: string): string {
	return readSpecBound(term)?.text ?? term;
}

/** Whether `b` is `a` with two neighbouring letters swapped. */
function swappedPair(a: string, b: string): boolean {
	if (a.length !== b.length) return false;
	const at = [...a].findIndex((c, i) => c !== b[i]);
	return at >= 0 && at < a.length - 1 && a[at] === b[at + 1] && a[at + 1] === b[at] && a.slice(at + 2) === b.slice(at + 2);
}
