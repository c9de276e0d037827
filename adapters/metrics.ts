/**
 * The Prometheus reporter without its own HTTP server: the `api` service serves the text at
 * `GET /metrics` on the product's port, so operators scrape one port per node.
 */
import { MetricReporters, MetricTypes } from "moleculer";

const PrometheusReporter = MetricReporters.Prometheus as unknown as new (opts?: object) => {
	init(registry: unknown): void;
	stop(): Promise<void>;
	generatePrometheusResponse(): string;
};
const BaseReporter = MetricReporters.Base as unknown as { prototype: { init(registry: unknown): void } };

export class ApiPrometheusReporter extends PrometheusReporter {
	override init(registry: unknown): void {
		BaseReporter.prototype.init.call(this, registry);
		// What the reporter's own `init` does besides starting its server: every series carries
		// `namespace` and `nodeID`, so the nodes' metrics gathered at one /metrics stay apart.
		const self = this as unknown as { opts: { defaultLabels?: unknown }; defaultLabels?: unknown };
		const labels = self.opts.defaultLabels;
		self.defaultLabels = typeof labels === "function" ? labels.call(this, registry) : labels;
	}

	override async stop(): Promise<void> {
		/* no server of our own to close */
	}

	render(): string {
		return sortHistogramBuckets(this.generatePrometheusResponse());
	}
}

/** A bucket line as Moleculer writes it: `le` comes last, after the series' own labels. */
const BUCKET_LINE = /^(\S+_bucket\{.*)le="([^"]+)"\} \S+$/;

/**
 * Puts each histogram series' buckets in ascending `le` order, `+Inf` last. Moleculer keeps a
 * series' buckets in an object keyed by bound and prints `Object.keys` of it, and JavaScript lists
 * integer keys first: buckets 0.01…60 came out as 1, 2, 5, 10, 20, 60, 0.01, …, 0.5. Cumulative
 * counts read in that order look like a histogram whose counts fall (OpenMetrics parsers refuse it),
 * and an operator reading the page has to sort them in their head.
 */
export function sortHistogramBuckets(text: string): string {
	const lines = text.split("\n");
	const bound = (line: string) => {
		const le = BUCKET_LINE.exec(line)![2]!;
		return le === "+Inf" ? Infinity : Number(le);
	};
	for (let start = 0; start < lines.length; ) {
		const series = BUCKET_LINE.exec(lines[start]!)?.[1];
		let end = start + 1;
		if (series !== undefined) {
			while (end < lines.length && BUCKET_LINE.exec(lines[end]!)?.[1] === series) end++;
			const run = lines.slice(start, end).sort((a, b) => bound(a) - bound(b));
			lines.splice(start, run.length, ...run);
		}
		start = end;
	}
	return lines.join("\n");
}

/**
 * Gives Moleculer's per-second rates (the `rate` of every `rate: true` counter, such as the
 * request and channel message totals) their final object layout at boot, before any hot code runs.
 *
 * A rate starts at 0, a small integer, and its first tick five seconds later stores a fraction.
 * On Node 20's V8 that change retires the object's hidden class, and the metric functions already
 * optimized for the old one (the registry's `increment`, a gauge's `set`) then fail every new
 * optimization with "Maps became deprecated during optimization", forever: in the gateway
 * benchmark a third of the process's CPU went to those retries once a node had been under load
 * for its first five seconds. Storing those values in one rate first means every rate is created
 * with the final layout, and nothing is retired later.
 */
export function settleMetricRateLayout(): void {
	if (settled) return;
	const registry = { opts: {}, changed() {} };
	const Gauge = MetricTypes.Gauge as unknown as new (opts: object, registry: object) => { set(value: number): void; values: Map<string, { rate?: RateFields }> };
	const gauge = new Gauge({ type: "gauge", name: "agent-store.layout", rate: true }, registry);
	gauge.set(1);
	const rate = gauge.values.get("")?.rate;
	if (!rate) return;
	clearInterval(rate.timer);
	// What ticks store later: a fraction in `rate`, and in `lastValue` whatever `value` holds,
	// which is null after a reset.
	rate.rate = 0.5;
	rate.lastValue = null;
	// Kept for the life of the process: V8 holds the way to a layout weakly, and once no object
	// has it a collection can drop it, so that the next rate is built with the old one again.
	settled = rate;
}

let settled: RateFields | null = null;

/** The fields of Moleculer's `MetricRate` that change representation (it is not exported). */
interface RateFields {
	timer: NodeJS.Timeout;
	rate: number;
	lastValue: number | null;
}

/** This node's metrics as Prometheus text (its series carry `nodeID`), or null with metrics off. */
export function localPrometheusText(broker: { metrics: unknown }): string | null {
	const reporters = (broker.metrics as { reporter?: unknown[] }).reporter ?? [];
	const prometheus = reporters.find(r => r instanceof ApiPrometheusReporter) as ApiPrometheusReporter | undefined;
	return prometheus ? prometheus.render() : null;
}

/**
 * Every node answers `$node.prometheus` with its own text, so the `api` node's `/metrics` can
 * serve the whole cluster (`internalServices` in moleculer.config.ts).
 */
export const nodeMetricsActions = {
	prometheus: {
		visibility: "public",
		handler(this: { broker: { metrics: unknown } }) {
			return localPrometheusText(this.broker) ?? "";
		}
	}
};

/**
 * Merges several nodes' Prometheus texts: a metric family's `# HELP` / `# TYPE` once, then the
 * samples of every node (told apart by their `nodeID` label), families in first-seen order.
 */
export function mergePrometheusTexts(texts: string[]): string {
	const families = new Map<string, { head: string[]; samples: string[] }>();
	for (const text of texts) {
		let current: { head: string[]; samples: string[] } | undefined;
		for (const line of text.split("\n")) {
			if (!line) continue;
			const meta = /^# (HELP|TYPE) (\S+)/.exec(line);
			if (meta) {
				const name = meta[2]!;
				current = families.get(name);
				if (!current) families.set(name, (current = { head: [], samples: [] }));
				if (!current.head.some(h => h.startsWith(`# ${meta[1]} `))) current.head.push(line);
				continue;
			}
			if (line.startsWith("#")) continue;
			if (!current) families.set("", (current = families.get("") ?? { head: [], samples: [] }));
			current.samples.push(line);
		}
	}
	return [...families.values()].map(f => [...f.head, ...f.samples].join("\n") + "\n").join("\n");
}
