import assert from "node:assert/strict";
import { Writable } from "node:stream";
import pino from "pino";
import { ServiceBroker } from "moleculer";
import { maskPhone, maskText, pinoOptions } from "../../adapters/logging";

function capture() {
	const lines: string[] = [];
	const stream = new Writable({
		write(chunk, _enc, cb) {
			lines.push(...chunk.toString().trim().split("\n"));
			cb();
		}
	});
	return { lines, stream };
}

describe("log masking", () => {
	it("masks phone numbers keeping the country prefix and the last four digits", () => {
		assert.equal(maskPhone("+15551232222"), "+1555***2222");
		assert.equal(maskPhone("15551232222"), "1555***2222");
		assert.equal(maskText("from +15551232222 and 4915112345678."), "from +1555***2222 and 4915***5678.");
		assert.equal(maskText("order ord_01 costs 8900"), "order ord_01 costs 8900", "short numbers stay");
		assert.equal(maskText("wamid.HBgLMTU1NTEyMzQ1Njc"), "wamid.HBgLMTU1NTEyMzQ1Njc");
	});

	it("masks numbers wherever they appear in a pino line: message, objects, arrays, errors", () => {
		const { lines, stream } = capture();
		const log = pino(pinoOptions("info"), stream);
		log.info({ from: "15551232222", nested: { contacts: [{ wa_id: "447700900123" }] } }, "customer 15551232222 wrote");
		(log.info as (...args: unknown[]) => void)("second", { to: 15551232222 }, "+34600111222");
		log.error(new Error("send to 15551232222 failed"));
		const text = lines.join("\n");
		assert.doesNotMatch(text, /15551232222|447700900123|34600111222/);
		assert.match(text, /1555\*\*\*2222/);
		assert.match(text, /4477\*\*\*0123/);
		assert.match(text, /\+3460\*\*\*1222/);
		for (const line of lines) assert.doesNotThrow(() => JSON.parse(line), "JSON lines");
	});

	it("masks what Moleculer's own loggers write through the Pino logger", async () => {
		const { lines, stream } = capture();
		const broker = new ServiceBroker({
			logger: { type: "Pino", options: { level: "info", pino: { options: pinoOptions("info"), destination: stream } } }
		});
		broker.getLogger("test").info("message for", "15551232222", { waId: "15551232222" });
		await new Promise(r => setImmediate(r));
		assert.ok(lines.some(l => l.includes("1555***2222")), lines.join("\n"));
		assert.ok(!lines.some(l => l.includes("15551232222")));
	});
});
