/**
 * Insights per seller and brand: escalations taken, time to accept, time to resolve, conversions.
 *
 * Counters live in the store (atomic `incr`, so every node adds to the same figures) under
 * `insights:<brand>:<sellerId>:<metric>`; time metrics are sums in ms, divided by their count when
 * read. Each emitted request is counted once: the host may hand the same one over again after a
 * crash or a retry, and a claim on its identity (type, escalation, time) absorbs the repeat.
 *
 * A conversion is a resolved escalation whose conversation got an order while the seller had it:
 * an order the seller created through an approved action (recorded by approveAction), or any order
 * of that conversation the orders service lists as created between acceptance and resolution.
 */
import type { EscalationEmitted } from "../../contracts/escalation";
import type { SalesInsightV1 } from "../../contracts/events";
import { escalationOrdersKey, type AssistDeps } from "./assist";

export const InsightKinds = {
	Taken: "escalation.taken",
	Resolved: "escalation.resolved",
	Transferred: "escalation.transferred"
} as const;

const METRICS = ["taken", "acceptMs", "resolved", "resolveMs", "conversions", "transfers"] as const;
type Metric = (typeof METRICS)[number];

/** Counted events are remembered this long; a repeat later than that would count twice. */
const SEEN_TTL_MS = 30 * 24 * 3600 * 1000;
const ESCALATION_TTL_MS = 30 * 24 * 3600 * 1000;
/** How many of a customer's latest orders are checked for a conversion. */
const ORDERS_CHECKED = 20;

const counterKey = (brand: string, sellerId: string, metric: Metric) => `insights:${brand}:${sellerId}:${metric}`;
const pairsKey = "insights:pairs";
const pairKey = (brand: string, sellerId: string) => `insights:pair:${brand}:${sellerId}`;
const seenKey = (e: EscalationEmitted) => `insights:seen:${e.type}:${e.escalationId}:${e.at}`;
const acceptedKey = (escalationId: string) => `insights:accepted:${escalationId}`;

export interface SellerInsight {
	brand: string;
	sellerId: string;
	taken: number;
	resolved: number;
	conversions: number;
	transfers: number;
	/** Mean time from waiting to accepted, ms (0 before any). */
	avgAcceptMs: number;
	/** Mean time from accepted to resolved, ms (0 before any). */
	avgResolveMs: number;
	/** conversions / resolved, 0..1 (0 before any). */
	conversionRate: number;
}

export interface InsightsReport {
	rows: SellerInsight[];
	totals: Omit<SellerInsight, "brand" | "sellerId">;
}

const mean = (sum: number, count: number) => (count > 0 ? Math.round(sum / count) : 0);
const rate = (part: number, whole: number) => (whole > 0 ? Math.round((part / whole) * 1000) / 1000 : 0);

async function register(deps: AssistDeps, brand: string, sellerId: string): Promise<void> {
	if (await deps.store.setIfAbsent(pairKey(brand, sellerId), 1)) await deps.store.append(pairsKey, { brand, sellerId });
}

async function counters(deps: AssistDeps, brand: string, sellerId: string): Promise<Record<Metric, number>> {
	const values = await deps.store.getMany<number | string>(METRICS.map(m => counterKey(brand, sellerId, m)));
	return Object.fromEntries(METRICS.map((m, i) => [m, Number(values[i] ?? 0) || 0])) as Record<Metric, number>;
}

function insightOf(brand: string, sellerId: string, c: Record<Metric, number>): SellerInsight {
	return {
		brand,
		sellerId,
		taken: c.taken,
		resolved: c.resolved,
		conversions: c.conversions,
		transfers: c.transfers,
		avgAcceptMs: mean(c.acceptMs, c.taken),
		avgResolveMs: mean(c.resolveMs, c.resolved),
		conversionRate: rate(c.conversions, c.resolved)
	};
}

interface OrderSummary {
	id: string;
	conversationId?: string;
	createdAt: string;
}

/** True when the conversation got an order between `from` and `to` (ms). */
async function converted(deps: AssistDeps, escalationId: string, conversationId: string, brand: string, from: number, to: number): Promise<boolean> {
	if ((await deps.store.length(escalationOrdersKey(escalationId))) > 0) return true;
	// Conversation ids end with the customer's wa_id; without one the listing is too broad to ask.
	const waId = /:(\d{5,20})$/.exec(conversationId)?.[1];
	if (!waId) return false;
	try {
		const res = await deps.broker.call<{ items: OrderSummary[] }, Record<string, unknown>>("orders.list", { waId, brand, limit: ORDERS_CHECKED });
		return res.items.some(o => {
			const at = Date.parse(o.createdAt);
			return o.conversationId === conversationId && at >= from && at <= to;
		});
	} catch (err) {
		deps.logger.warn(`Insights: orders of ${conversationId} unavailable, conversion not checked (${(err as Error).message})`);
		return false;
	}
}

/**
 * Called for every escalation.* request the machine emits (after it is committed); keeps counters in
 * the store and returns the store.sales.insight payloads to publish (possibly none).
 */
export async function insightsOn(deps: AssistDeps, e: EscalationEmitted): Promise<SalesInsightV1[]> {
	const relevant = e.type === "escalation.assigned" || (e.type === "escalation.resolved" && !!e.sellerId) || e.type === "escalation.transferred";
	if (!relevant) return [];
	if (!(await deps.store.setIfAbsent(seenKey(e), 1, SEEN_TTL_MS))) return [];
	const { store } = deps;

	if (e.type === "escalation.assigned") {
		const waited = Math.max(0, Math.round(e.waitedMs));
		await register(deps, e.brand, e.sellerId);
		await store.set(acceptedKey(e.escalationId), { sellerId: e.sellerId, brand: e.brand, at: e.at }, ESCALATION_TTL_MS);
		const taken = await store.incr(counterKey(e.brand, e.sellerId, "taken"));
		const acceptMs = await store.incr(counterKey(e.brand, e.sellerId, "acceptMs"), waited);
		return [{ brand: e.brand, sellerId: e.sellerId, kind: InsightKinds.Taken, metrics: { waitedMs: waited, taken, avgAcceptMs: mean(acceptMs, taken) } }];
	}

	if (e.type === "escalation.resolved") {
		const sellerId = e.sellerId!;
		const accepted = await store.get<{ at: number }>(acceptedKey(e.escalationId));
		const handled = Math.max(0, Math.round(e.handledMs ?? (accepted ? e.at - accepted.at : 0)));
		await register(deps, e.brand, sellerId);
		const resolved = await store.incr(counterKey(e.brand, sellerId, "resolved"));
		const resolveMs = await store.incr(counterKey(e.brand, sellerId, "resolveMs"), handled);
		const won = await converted(deps, e.escalationId, e.conversationId, e.brand, accepted?.at ?? e.at - handled, e.at);
		const conversions = won ? await store.incr(counterKey(e.brand, sellerId, "conversions")) : (await counters(deps, e.brand, sellerId)).conversions;
		return [
			{
				brand: e.brand,
				sellerId,
				kind: InsightKinds.Resolved,
				metrics: { handledMs: handled, converted: won ? 1 : 0, resolved, avgResolveMs: mean(resolveMs, resolved), conversions, conversionRate: rate(conversions, resolved) }
			}
		];
	}

	const from = e.transfer.fromSellerId;
	await register(deps, e.transfer.fromBrand, from);
	const transfers = await store.incr(counterKey(e.transfer.fromBrand, from, "transfers"));
	return [{ brand: e.transfer.fromBrand, sellerId: from, kind: InsightKinds.Transferred, metrics: { transfers } }];
}

/** The figures of every seller and brand matching the query, and their totals. */
export async function insightsFor(deps: AssistDeps, q: { sellerId?: string; brand?: string }): Promise<InsightsReport> {
	const pairs = await deps.store.range<{ brand: string; sellerId: string }>(pairsKey, 0, -1);
	const seen = new Set<string>();
	const rows: SellerInsight[] = [];
	const sums: Record<Metric, number> = { taken: 0, acceptMs: 0, resolved: 0, resolveMs: 0, conversions: 0, transfers: 0 };
	for (const p of pairs) {
		const id = `${p.brand}\n${p.sellerId}`;
		if (seen.has(id) || (q.brand && p.brand !== q.brand) || (q.sellerId && p.sellerId !== q.sellerId)) continue;
		seen.add(id);
		const c = await counters(deps, p.brand, p.sellerId);
		for (const m of METRICS) sums[m] += c[m];
		rows.push(insightOf(p.brand, p.sellerId, c));
	}
	rows.sort((a, b) => a.brand.localeCompare(b.brand) || a.sellerId.localeCompare(b.sellerId));
	const { brand: _b, sellerId: _s, ...totals } = insightOf("", "", sums);
	return { rows, totals };
}
