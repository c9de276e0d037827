/**
 * A NATS outage seen from a gateway node: readiness answers 503 with the reason while the
 * transporter (and the channels' JetStream connection) is down, webhooks answer 503 (Meta retries)
 * without waiting out a JetStream timeout, and the loss and the return are logged once each.
 * The outage is staged with a TCP proxy between the node and nats-server.
 */
import assert from "node:assert/strict";
import type { ServiceBroker } from "moleculer";
import { channelAdapter } from "../../moleculer.config";
import { shapes, withMessages } from "../fixtures/whatsapp";
import { testConfig } from "../helpers/broker";
import { infra } from "../helpers/infra";
import { tcpProxy, type TcpProxy } from "../helpers/tcp-proxy";
import { captureLogs, postWebhook, startGateway } from "../helpers/whatsapp";
import { waitFor } from "../helpers/wait";

describe("NATS outage (gateway node)", function () {
	this.timeout(60_000);
	let proxy: TcpProxy;
	let broker: ServiceBroker;
	let url: string;
	const logs = captureLogs("info");

	before(async () => {
		const { natsUrl, redisUrl } = await infra();
		proxy = await tcpProxy(Number(new URL(natsUrl).port));
		({ broker, url } = await startGateway({ withProbe: false, logger: logs.logger as never, env: { TRANSPORTER: proxy.url("nats"), REDIS_URL: redisUrl } }));
	});
	after(async () => {
		await proxy?.restore();
		await broker?.stop();
		await proxy?.close();
	});

	const ready = async () => {
		const res = await fetch(`${url}/health/ready`);
		return { status: res.status, body: (await res.json()) as { ready: boolean; transporter: string; channels: string; reasons: string[] } };
	};
	const count = (re: RegExp) => logs.lines.filter(l => re.test(l)).length;

	it("is not ready while NATS is unreachable, says why, logs the loss and the return once each", async () => {
		assert.equal((await ready()).status, 200);

		await proxy.cut();
		const down = await waitFor(async () => {
			const r = await ready();
			return r.status === 503 && r.body.transporter === "disconnected" && r.body.channels === "disconnected" && r;
		}, { timeoutMs: 10_000, message: "readiness 503 during the outage" });
		assert.equal(down.body.ready, false);
		assert.ok(down.body.reasons.some(r => /^transporter is not connected \(NATS transporter connection lost \d+ s ago, reconnecting\)$/.test(r)), down.body.reasons.join("; "));
		assert.ok(down.body.reasons.some(r => /^channel adapter is not connected/.test(r)), down.body.reasons.join("; "));

		// A webhook is refused at once with a retryable status, not after a JetStream timeout.
		const started = Date.now();
		const res = await postWebhook(url, withMessages(shapes.text()));
		assert.equal(res.status, 503);
		assert.ok(Date.now() - started < 2000, `answered in ${Date.now() - started} ms`);

		await proxy.restore();
		await waitFor(async () => (await ready()).status === 200, { timeoutMs: 20_000, message: "ready again after NATS is back" });
		const accepted = await postWebhook(url, withMessages(shapes.text()));
		assert.equal(accepted.status, 200);

		assert.equal(count(/NATS transporter connection lost/), 1, logs.lines.join("\n"));
		assert.equal(count(/NATS transporter connection restored/), 1);
		assert.equal(count(/NATS JetStream \(channels\) connection lost/), 1);
		assert.equal(count(/NATS JetStream \(channels\) connection restored/), 1);
	});

	it("the channels' JetStream connection never stops reconnecting (nats.js gives up after ~20 s by default)", async () => {
		const { natsUrl } = await infra();
		const adapter = channelAdapter(testConfig({ TRANSPORTER: natsUrl })) as { opts: { nats: { connectionOptions: { maxReconnectAttempts?: number } } } };
		assert.equal(adapter.opts.nats.connectionOptions.maxReconnectAttempts, -1);
	});
});
