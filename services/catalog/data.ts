/**
 * Loads and checks the shipped catalog (data/catalog.json, data/promotions.json, data/policies.json). A malformed file
 * fails the service at creation with every problem listed, rather than serving half a catalog.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import Validator from "fastest-validator";
import { PAYMENT_METHODS, RETURN_CONDITIONS, type CatalogData, type Product, type Promotion, type StorePolicies } from "./types";

export const DATA_DIR = path.join(__dirname, "..", "..", "data");

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;
const validator = new Validator({ haltOnFirstError: false });
const checkProducts = validator.compile({
	$$root: true,
	type: "array",
	items: {
		type: "object",
		props: {
			sku: { type: "string", pattern: /^[A-Z0-9][A-Z0-9-]{1,31}$/ },
			brand: { type: "string", pattern: /^[a-z][a-z0-9-]{0,31}$/ },
			name: { type: "string", min: 1, max: 200 },
			description: { type: "string", min: 1, max: 2000 },
			descriptionEs: { type: "string", min: 1, max: 2000, optional: true },
			category: { type: "string", min: 1, max: 64 },
			price: { type: "number", integer: true, min: 0 },
			currency: { type: "string", pattern: /^[A-Z]{3}$/ },
			stock: { type: "number", integer: true, min: 0 },
			tags: { type: "array", items: "string" },
			attributes: { type: "record", key: "string", value: { type: "multi", rules: [{ type: "string" }, { type: "array", items: "string" }] } },
			imageUrl: { type: "url" }
		}
	}
});
const checkPromotions = validator.compile({
	$$root: true,
	type: "array",
	items: {
		type: "object",
		props: {
			code: { type: "string", pattern: /^[A-Z0-9_-]{2,32}$/ },
			description: { type: "string", min: 1, max: 200 },
			descriptionEs: { type: "string", min: 1, max: 200, optional: true },
			kind: { type: "enum", values: ["percent", "fixed"] },
			value: { type: "number", integer: true, positive: true },
			brand: { type: "string", optional: true },
			category: { type: "string", optional: true },
			minSubtotal: { type: "number", integer: true, min: 0, optional: true },
			firstOrderOnly: { type: "boolean", optional: true },
			startsAt: { type: "string", pattern: ISO },
			endsAt: { type: "string", pattern: ISO }
		}
	}
});

const days = { type: "number", integer: true, min: 0, max: 365 } as const;
const checkPolicies = validator.compile({
	$$root: true,
	type: "array",
	items: {
		type: "object",
		strict: true,
		props: {
			brand: { type: "string", pattern: /^[a-z][a-z0-9-]{0,31}$/ },
			delivery: { type: "object", optional: true, strict: true, props: { minDays: days, maxDays: days } },
			returns: { type: "object", optional: true, strict: true, props: { days, condition: { type: "enum", values: [...RETURN_CONDITIONS] } } },
			warranty: { type: "object", optional: true, strict: true, props: { months: { type: "number", integer: true, positive: true, max: 120 } } },
			payment: { type: "object", optional: true, strict: true, props: { methods: { type: "array", min: 1, unique: true, items: { type: "enum", values: [...PAYMENT_METHODS] } } } }
		}
	}
});

export class CatalogDataError extends Error {
	constructor(file: string, problems: string[]) {
		super(`${file} is invalid: ${problems.slice(0, 10).join("; ")}${problems.length > 10 ? ` (and ${problems.length - 10} more)` : ""}`);
		this.name = "CatalogDataError";
	}
}

function problemsOf(result: unknown): string[] {
	return result === true ? [] : (result as { field?: string; message?: string }[]).map(e => e.message ?? String(e.field));
}

export function checkCatalogData(data: CatalogData, source = "catalog data"): CatalogData {
	const problems = problemsOf(checkProducts(data.products));
	if (problems.length) throw new CatalogDataError(source, problems);
	const promoProblems = problemsOf(checkPromotions(data.promotions));
	for (const p of data.promotions) {
		if (p.kind === "percent" && p.value > 100) promoProblems.push(`${p.code}: a percent above 100`);
		if (Date.parse(p.endsAt) <= Date.parse(p.startsAt)) promoProblems.push(`${p.code}: ends before it starts`);
	}
	if (promoProblems.length) throw new CatalogDataError(`${source} (promotions)`, promoProblems);
	const policyProblems = problemsOf(checkPolicies(data.policies));
	const brands = new Set<string>();
	for (const p of policyProblems.length ? [] : data.policies) {
		if (brands.has(p.brand)) policyProblems.push(`${p.brand}: listed twice`);
		brands.add(p.brand);
		if (p.delivery && p.delivery.minDays > p.delivery.maxDays) policyProblems.push(`${p.brand}: delivery minDays above maxDays`);
	}
	if (policyProblems.length) throw new CatalogDataError(`${source} (policies)`, policyProblems);
	return data;
}

export function loadCatalogData(dir = DATA_DIR): CatalogData {
	const read = (file: string) => JSON.parse(readFileSync(path.join(dir, file), "utf8")) as unknown;
	return checkCatalogData(
		{ products: read("catalog.json") as Product[], promotions: read("promotions.json") as Promotion[], policies: read("policies.json") as StorePolicies[] },
		path.join(path.basename(dir), "catalog.json")
	);
}
