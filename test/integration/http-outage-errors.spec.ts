/**
 * HTTP answers during a store outage: 503 with a short generic body that Meta retries, never the
 * Redis client's internals. The outage is staged with a TCP proxy between the node and redis-server.
 */
import assert from "node:assert/strict";
import type { ServiceBroker } from "moleculer";
import { shapes, withMessages } from "../fixtures/whatsapp";
import { infra } from "../helpers/infra";
import { tcpProxy, type TcpProxy } from "../helpers/tcp-proxy";
import { captureLogs, postWebhook, startGateway } from "../helpers/whatsapp";
import { waitFor } from "../helpers/wait";
import { publicError } from "../../gateway/http-errors";

const GENERIC = { name: "ServiceUnavailableError", message: "Temporarily unavailable, retry later", code: 503, type: "SERVICE_UNAVAILABLE" };

describe("HTTP answers during a Redis outage", function () {
	this.timeout(60_000);
	let proxy: TcpProxy;
	let broker: ServiceBroker;
	let url: string;
	const logs = captureLogs("info");

	before(async () => {
		const { redisUrl } = await infra();
		proxy = await tcpProxy(Number(new URL(redisUrl).port));
		({ broker, url } = await startGateway({ withProbe: false, logger: logs.logger as never, env: { REDIS_URL: proxy.url("redis") } }));
	});
	after(async () => {
		await proxy?.restore();
		await broker?.stop();
		await proxy?.close();
	});

	it("a webhook and the sandbox outbox answer 503 with a generic reason; the real error is logged, once", async () => {
		assert.equal((await postWebhook(url, withMessages(shapes.text()))).status, 200);
		await proxy.cut();
		await waitFor(() => !broker.store.isReady(), { message: "the store sees the outage" });

		for (let i = 0; i < 3; i++) {
			const res = await postWebhook(url, withMessages(shapes.text()));
			const text = await res.text();
			assert.equal(res.status, 503, text);
			assert.deepEqual(JSON.parse(text), GENERIC);
		}
		const outbox = await fetch(`${url}/sandbox/outbox`);
		const text = await outbox.text();
		assert.equal(outbox.status, 503, text);
		assert.deepEqual(JSON.parse(text), GENERIC);
		assert.doesNotMatch(text, /retries|Redis|Connection|maxRetriesPerRequest/i);

		const warned = logs.lines.filter(l => /POST \/webhooks\/whatsapp answered 503/.test(l));
		assert.equal(warned.length, 1, logs.lines.join("\n"));
		assert.doesNotMatch(logs.lines.join("\n"), /Request error!/);

		await proxy.restore();
		await waitFor(() => broker.store.isReady(), { timeoutMs: 20_000, message: "the store is back" });
		assert.equal((await postWebhook(url, withMessages(shapes.text()))).status, 200);
	});

	it("client errors keep their message; an unexpected error is a generic 500", () => {
		assert.deepEqual(publicError(Object.assign(new Error("Invalid signature (missing)"), { code: 401, type: "INVALID_SIGNATURE" })).error, { name: "Error", message: "Invalid signature (missing)", code: 401, type: "INVALID_SIGNATURE", data: undefined });
		assert.deepEqual(publicError(new TypeError("Cannot read properties of undefined (reading 'x')")).error, { name: "InternalError", message: "Internal error", code: 500, type: "INTERNAL_ERROR" });
		const nats = Object.assign(new Error("TIMEOUT"), { name: "NatsError", code: "TIMEOUT" });
		assert.deepEqual(publicError(nats).error, GENERIC);
	});
});
