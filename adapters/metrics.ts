/**
 * The Prometheus reporter without its own HTTP server: the `api` service serves the text at
 * `GET /metrics` on the product's port, so operators scrape one port per node.
 */
import { MetricReporters } from "moleculer";

const PrometheusReporter = MetricReporters.Prometheus as unknown as new (opts?: object) => {
	init(registry: unknown): void;
	stop(): Promise<void>;
	generatePrometheusResponse(): string;
};
const BaseReporter = MetricReporters.Base as unknown as { prototype: { init(registry: unknown): void } };

export class ApiPrometheusReporter extends PrometheusReporter {
	override init(registry: unknown): void {
		BaseReporter.prototype.init.call(this, registry);
	}

	override async stop(): Promise<void> {
		/* no server of our own to close */
	}

	render(): string {
		return this.generatePrometheusResponse();
	}
}
