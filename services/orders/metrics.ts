/**
 * What the orders service does on its own, without a caller to tell: counted per node in the
 * broker's registry (Prometheus at `GET /metrics`); sum over nodes for the store.
 */
import type { ServiceBroker } from "moleculer";

export const OrderMetrics = {
	/** Orders cancelled because their payment deadline passed. */
	PaymentExpired: "orders.payment.expired",
	/** Payments recorded as owed back to the customer, by why. */
	RefundsOwed: "orders.refunds.owed"
} as const;

interface Registry {
	getMetric(name: string): unknown;
	register(opts: Record<string, unknown>): unknown;
	increment(name: string, labels: Record<string, string>, value?: number): void;
}

const registry = (broker: ServiceBroker) => (broker as unknown as { metrics: Registry }).metrics;

export function registerOrderMetrics(broker: ServiceBroker): void {
	if (!broker.isMetricsEnabled()) return;
	const m = registry(broker);
	// Registering again would reset a metric that another instance on this broker already counts in.
	const define = (opts: Record<string, unknown>) => {
		if (!m.getMetric(opts.name as string)) m.register(opts);
	};
	define({ type: "counter", name: OrderMetrics.PaymentExpired, description: "Orders cancelled because they were not paid in time", labelNames: ["brand"] });
	define({ type: "counter", name: OrderMetrics.RefundsOwed, description: "Payments recorded as owed back to the customer", labelNames: ["brand", "reason"] });
}

export function countExpired(broker: ServiceBroker, brand: string): void {
	if (broker.isMetricsEnabled()) registry(broker).increment(OrderMetrics.PaymentExpired, { brand }, 1);
}

export function countRefundOwed(broker: ServiceBroker, brand: string, reason: string): void {
	if (broker.isMetricsEnabled()) registry(broker).increment(OrderMetrics.RefundsOwed, { brand, reason }, 1);
}
