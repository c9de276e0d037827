/** Operators' catalog commands: search the catalog, read and set a product's stock. */
import type { ServiceBroker } from "moleculer";
import type { ProductView } from "../services/catalog.service";
import { formatMoney } from "../contracts/catalog";
import { restWords } from "./args";
import type { ReplArgs, ReplCommand } from "./types";

const CATALOG_USAGE = "usage: catalog search <text> [--brand b] [--limit n] | catalog promotions";
const STOCK_USAGE = "usage: stock <sku> [n]   (n: the new level, an integer from 0)";

function productLine(p: ProductView): string {
	const stock = p.stock === 0 ? "out of stock" : `${p.stock} in stock`;
	return `${p.sku}  ${p.name}  ${formatMoney(p.price, p.currency)}  ${stock}  [${p.brand}/${p.category}]`;
}

export async function runCatalog(broker: ServiceBroker, args: ReplArgs): Promise<string> {
	const sub = typeof args.sub === "string" ? args.sub : undefined;
	if (sub === "promotions") {
		const { items } = await broker.call<{ items: { code: string; description: string; endsAt: string }[] }, object>("catalog.promotions", {});
		return items.length ? items.map(p => `${p.code}  ${p.description}  (until ${p.endsAt.slice(0, 10)})`).join("\n") : "No active promotions.";
	}
	if (sub !== "search") return CATALOG_USAGE;
	const query = restWords(args, 2, ["text"]).join(" ");
	if (!query) return CATALOG_USAGE;
	const params: Record<string, unknown> = { query, limit: 10 };
	if (typeof args.options.brand === "string") params.brand = args.options.brand;
	if (args.options.limit !== undefined) {
		const limit = Number(args.options.limit);
		if (!Number.isInteger(limit) || limit < 1 || limit > 100) return "--limit must be an integer from 1 to 100";
		params.limit = limit;
	}
	const { items, total } = await broker.call<{ items: ProductView[]; total: number }, object>("catalog.search", params);
	if (!total) return `No products match "${query}".`;
	return [`${total} product(s) match "${query}"${total > items.length ? `, showing ${items.length}` : ""}:`, ...items.map(productLine)].join("\n");
}

export async function runStock(broker: ServiceBroker, args: ReplArgs): Promise<string> {
	const sku = typeof args.sku === "string" ? args.sku.trim() : "";
	if (!sku) return STOCK_USAGE;
	if (args.n === undefined) {
		const p = await broker.call<ProductView, object>("catalog.get", { sku });
		return productLine(p);
	}
	const raw = String(args.n);
	if (!/^\d+$/.test(raw)) return STOCK_USAGE;
	const res = await broker.call<{ sku: string; before: number; after: number }, object>("catalog.setStock", { sku, stock: Number(raw) });
	return `${res.sku}: stock ${res.before} → ${res.after}`;
}

export const catalogCommands: ReplCommand[] = [
	{
		command: "catalog [sub] [text...]",
		description: "Catalog: search <text>, promotions",
		options: [
			{ option: "--brand <brand>", description: "only this brand (search)" },
			{ option: "--limit <n>", description: "at most n products (search)" }
		],
		run: runCatalog
	},
	{
		command: "stock <sku> [n]",
		description: "Show a product's stock, or set it to n",
		run: runStock
	}
];
