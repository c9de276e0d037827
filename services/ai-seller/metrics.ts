/**
 * What the AI sellers cost and how long they take, per brand and model, in the broker's metric
 * registry (served as Prometheus text at `GET /metrics`). The five seller services of one node
 * share the metrics: registering replaces a metric and its values in Moleculer 0.14, so a metric is
 * registered only by the first service that finds it missing.
 */
import type { ServiceBroker } from "moleculer";
import type { TurnOutcome } from "../../agents/runner";

export const AiMetrics = {
	PromptTokens: "ai_seller.tokens.prompt",
	CompletionTokens: "ai_seller.tokens.completion",
	CostUsd: "ai_seller.cost.usd",
	Turns: "ai_seller.turns",
	TurnLatency: "ai_seller.turn.latency"
} as const;

/** Seconds: a turn of the offline brain takes milliseconds, one of a remote model seconds. */
const LATENCY_BUCKETS = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 20, 60];

interface Registry {
	getMetric(name: string): unknown;
	register(opts: Record<string, unknown>): unknown;
	increment(name: string, labels: Record<string, string>, value?: number): void;
	observe(name: string, value: number, labels: Record<string, string>): void;
}

const registry = (broker: ServiceBroker) => (broker as unknown as { metrics: Registry }).metrics;

export function registerAiSellerMetrics(broker: ServiceBroker): void {
	const m = registry(broker);
	if (!broker.isMetricsEnabled()) return;
	const labelNames = ["brand", "model"];
	const define = (opts: Record<string, unknown>) => {
		if (!m.getMetric(opts.name as string)) m.register({ labelNames, ...opts });
	};
	define({ type: "counter", name: AiMetrics.PromptTokens, description: "Prompt tokens sent to the model", unit: "token" });
	define({ type: "counter", name: AiMetrics.CompletionTokens, description: "Completion tokens received from the model", unit: "token" });
	define({ type: "counter", name: AiMetrics.CostUsd, description: "Estimated model cost in US dollars", unit: "usd" });
	define({ type: "counter", name: AiMetrics.Turns, description: "Agent turns run", labelNames: ["brand", "model", "outcome"] });
	define({ type: "histogram", name: AiMetrics.TurnLatency, description: "Agent turn latency", unit: "seconds", buckets: LATENCY_BUCKETS });
}

export function recordTurn(broker: ServiceBroker, brand: string, outcome: TurnOutcome): void {
	if (!broker.isMetricsEnabled()) return;
	const m = registry(broker);
	const labels = { brand, model: outcome.result.model ?? "unknown" };
	m.increment(AiMetrics.PromptTokens, labels, outcome.usage.promptTokens);
	m.increment(AiMetrics.CompletionTokens, labels, outcome.usage.completionTokens);
	m.increment(AiMetrics.CostUsd, labels, outcome.usage.costUsd);
	const kind = outcome.modelError ? "model_error" : outcome.result.escalation ? "escalated" : "replied";
	m.increment(AiMetrics.Turns, { ...labels, outcome: kind }, 1);
	m.observe(AiMetrics.TurnLatency, outcome.latencyMs / 1000, labels);
}

/** A turn whose own code failed (it was handed to a person): counted, with no tokens or latency to record. */
export function recordFailedTurn(broker: ServiceBroker, brand: string, model: string): void {
	if (!broker.isMetricsEnabled()) return;
	registry(broker).increment(AiMetrics.Turns, { brand, model, outcome: "failed" }, 1);
}
