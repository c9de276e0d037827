/**
 * Catalog and orders figures (not a test; nothing asserts a timing):
 *
 * 1. `catalog.search` p50/p99 through a local broker call, over the shipped catalog and over
 *    10,000 generated products, against a baseline in the same run: a naive scan that lower-cases
 *    every product's text and checks each query word as a substring (no ranking, no folding).
 * 2. `orders.create` throughput on Redis (concurrency 16), against the storage floor measured in
 *    the same run: the same number of raw `reserve` + `compareAndSet` pairs on the same Redis.
 *
 *   npm run bench:catalog            (REDIS_URL=redis://… to use a running Redis; otherwise a
 *                                     redis-server from PATH is started on a free port)
 */
import { performance } from "node:perf_hooks";
import { ServiceBroker } from "moleculer";
import { getConfig, loadConfig } from "../config";
import { createBrokerOptions } from "../moleculer.config";
import { RedisStore } from "../adapters/store";
import { createCatalogService } from "../services/catalog.service";
import { createOrdersService } from "../services/orders.service";
import { generateCatalog } from "../scripts/generate-catalog";
import { loadCatalogData } from "../services/catalog/data";
import type { Product } from "../services/catalog/types";
import { startRedis, type ServerHandle } from "../test/helpers/servers";

const QUERIES = ["trainers", "black leather jacket", "noise cancelling headphones", "laptop", "vitamin c serum", "gaming headset", "linen bedding", "creme brulee candle", "wireless mouse", "4k monitor"];
const SEARCH_ROUNDS = 300;
const ORDERS = 2000;
const CONCURRENCY = 16;

function percentile(sorted: number[], p: number): number {
	return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

function stats(samples: number[]): string {
	const s = [...samples].sort((a, b) => a - b);
	const us = (ms: number) => `${(ms * 1000).toFixed(0)} µs`;
	return `p50 ${us(percentile(s, 50))}  p99 ${us(percentile(s, 99))}  (n=${s.length})`;
}

async function time(fn: () => Promise<unknown> | unknown, rounds: number): Promise<number[]> {
	const out: number[] = [];
	for (let r = 0; r < rounds; r++)
		for (const _ of QUERIES) {
			const t = performance.now();
			await fn();
			out.push(performance.now() - t);
		}
	return out;
}

function naiveScan(products: Product[]): (q: string) => Product[] {
	const texts = products.map(p => `${p.name} ${p.description} ${p.tags.join(" ")} ${JSON.stringify(p.attributes)}`.toLowerCase());
	return q => {
		const words = q.toLowerCase().split(/\s+/);
		return products.filter((_, i) => words.every(w => texts[i]!.includes(w))).slice(0, 10);
	};
}

async function broker(env: Record<string, string>, services: ReturnType<typeof createCatalogService>[]): Promise<ServiceBroker> {
	const cfg = loadConfig({ PORT: "0", LOG_LEVEL: "warn", NAMESPACE: `bench${process.pid}`, ...env });
	const b = new ServiceBroker(createBrokerOptions(cfg, { logger: false }));
	for (const s of services) b.createService(s);
	await b.start();
	return b;
}

async function searchBench(label: string, products: Product[]): Promise<void> {
	const b = await broker({}, [createCatalogService({ products, promotions: [] })]);
	try {
		let qi = 0;
		const next = () => QUERIES[qi++ % QUERIES.length]!;
		await time(() => b.call("catalog.search", { query: next(), limit: 10 }), 20); // warm-up
		const ours = await time(() => b.call("catalog.search", { query: next(), limit: 10 }), SEARCH_ROUNDS);
		const scan = naiveScan(products);
		const base = await time(() => scan(next()), SEARCH_ROUNDS);
		console.log(`catalog.search, ${label} (${products.length} products)`);
		console.log(`  ours (ranked, folded, via broker)  ${stats(ours)}`);
		console.log(`  baseline: naive substring scan     ${stats(base)}`);
	} finally {
		await b.stop();
	}
}

async function ordersBench(redisUrl: string): Promise<void> {
	const b = await broker({ REDIS_URL: redisUrl }, [createCatalogService(), createOrdersService()]);
	try {
		await b.call("catalog.setStock", { sku: "TE-0040", stock: 1_000_000 });
		let n = 0;
		const worker = async () => {
			while (n < ORDERS) {
				const i = n++;
				await b.call("orders.create", { waId: `1555${String(i).padStart(7, "0")}`, brand: "tech", items: [{ sku: "TE-0040", qty: 1 }] });
			}
		};
		const t = performance.now();
		await Promise.all(Array.from({ length: CONCURRENCY }, worker));
		const ours = ORDERS / ((performance.now() - t) / 1000);

		const raw = await RedisStore.connect(redisUrl, { prefix: `bench-raw${process.pid}:` });
		await raw.set("stock", 1_000_000);
		let m = 0;
		const rawWorker = async () => {
			while (m < ORDERS) {
				const i = m++;
				await raw.reserve([{ key: "stock", by: 1 }]);
				await raw.compareAndSet(`order:${i}`, 0, { i });
			}
		};
		const t2 = performance.now();
		await Promise.all(Array.from({ length: CONCURRENCY }, rawWorker));
		const floor = ORDERS / ((performance.now() - t2) / 1000);
		await raw.close();
		console.log(`orders.create on Redis (${ORDERS} orders, concurrency ${CONCURRENCY})`);
		console.log(`  ours (price, reserve, CAS write, event, outbox)  ${ours.toFixed(0)} orders/s`);
		console.log(`  baseline: raw reserve + compareAndSet             ${floor.toFixed(0)} pairs/s`);
	} finally {
		await b.stop();
	}
}

async function main(): Promise<void> {
	await searchBench("shipped catalog", loadCatalogData().products);
	await searchBench("generated", generateCatalog(2000));
	let server: ServerHandle | undefined;
	const redisUrl = getConfig().redisUrl ?? (server = await startRedis()).url;
	try {
		await ordersBench(redisUrl);
	} finally {
		await server?.stop();
	}
}

main().catch(err => {
	console.error(err);
	process.exit(1);
});
