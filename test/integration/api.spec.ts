import assert from "node:assert/strict";
import type { AddressInfo } from "node:net";
import type { ServiceBroker } from "moleculer";
import ApiService from "../../gateway/api.service";
import { RedisStore } from "../../adapters/store";
import { startBroker } from "../helpers/broker";

function baseUrl(broker: ServiceBroker): string {
	const api = broker.getLocalService("api") as unknown as { server: { address(): AddressInfo } };
	return `http://127.0.0.1:${api.server.address().port}`;
}

describe("api service (HTTP)", () => {
	let broker: ServiceBroker;
	let url: string;

	before(async () => {
		broker = await startBroker({ services: [ApiService] });
		url = baseUrl(broker);
	});
	after(() => broker?.stop());

	it("listens on loopback only", () => {
		const api = broker.getLocalService("api") as unknown as { server: { address(): AddressInfo } };
		assert.equal(api.server.address().address, "127.0.0.1");
	});

	it("answers liveness", async () => {
		const res = await fetch(`${url}/health/live`);
		assert.equal(res.status, 200);
		assert.deepEqual(await res.json(), { status: "ok" });
	});

	it("answers readiness with what it checked", async () => {
		const res = await fetch(`${url}/health/ready`);
		assert.equal(res.status, 200);
		const body = (await res.json()) as Record<string, unknown>;
		assert.equal(body.ready, true);
		assert.equal(body.transporter, "none");
		assert.deepEqual(body.store, { kind: "memory", ready: true });
		assert.equal(body.channels, "connected");
	});

	it("serves Prometheus text at /metrics", async () => {
		await fetch(`${url}/health/live`);
		const res = await fetch(`${url}/metrics`);
		assert.equal(res.status, 200);
		assert.match(res.headers.get("content-type") ?? "", /^text\/plain; version=0\.0\.4/);
		const text = await res.text();
		assert.match(text, /# TYPE moleculer_request_total counter/);
		assert.match(text, /moleculer_request_total\{[^}]*action="api\.live"/);
	});

	it("exposes nothing it was not told to (restrict mapping)", async () => {
		for (const path of ["/api/live", "/dlq/list", "/api.live", "/health", "/~node/health", "/health/../metrics/x"]) {
			const res = await fetch(`${url}${path}`);
			assert.equal(res.status, 404, path);
		}
		const post = await fetch(`${url}/health/live`, { method: "POST" });
		assert.equal(post.status, 404);
	});

	it("answers 503 with the reason when Redis is not reachable", async () => {
		const degraded = await startBroker({
			services: [ApiService],
			store: () => new RedisStore("redis://127.0.0.1:1", { logger: { info() {}, warn() {}, error() {} } })
		});
		try {
			const res = await fetch(`${baseUrl(degraded)}/health/ready`);
			assert.equal(res.status, 503);
			const body = (await res.json()) as Record<string, unknown>;
			assert.equal(body.ready, false);
			assert.deepEqual(body.reasons, ["redis store is not ready"]);
		} finally {
			await degraded.stop();
		}
	});
});
