import assert from "node:assert/strict";
import { waitFor } from "../../helpers/wait";
import { Connection, PENDING_MAX, type SocketLike } from "../../../gateway/console/connection";

class FakeSocket implements SocketLike {
	readyState = 1;
	bufferedAmount = 0;
	sent: string[] = [];
	closed: { code?: number; reason?: string } | null = null;
	terminated = false;
	send(data: string) {
		this.sent.push(data);
	}
	close(code?: number, reason?: string) {
		this.closed = { code, reason };
	}
	terminate() {
		this.terminated = true;
		this.readyState = 3;
	}
	ping() {}
}

const opts = { ratePerSecond: 10, rateBurst: 10, maxBufferedBytes: 1000 };
const types = (ws: FakeSocket) => ws.sent.map(s => JSON.parse(s).type);

describe("console connection", () => {
	it("holds pushed frames until the welcome, then sends them in order", () => {
		const ws = new FakeSocket();
		const c = new Connection(ws, "ana", ["fashion"], opts);
		c.deliver(JSON.stringify({ type: "escalation.new", n: 1 }));
		c.deliver(JSON.stringify({ type: "escalation.taken", n: 2 }));
		assert.deepEqual(ws.sent, []);
		c.welcome({ type: "welcome", seller: {} as never, queue: [], conversations: [], serverTime: 1, heartbeatMs: 1 });
		assert.deepEqual(types(ws), ["welcome", "escalation.new", "escalation.taken"]);
		c.deliver(JSON.stringify({ type: "suggestions" }));
		assert.deepEqual(types(ws).at(-1), "suggestions");
	});

	it("cuts a socket that does not read instead of buffering without bound", () => {
		const ws = new FakeSocket();
		const shed: string[] = [];
		const c = new Connection(ws, "ana", ["fashion"], { ...opts, onShed: r => shed.push(r) });
		c.welcome({ type: "welcome", seller: {} as never, queue: [], conversations: [], serverTime: 1, heartbeatMs: 1 });
		ws.bufferedAmount = 1001;
		c.deliver("{}");
		assert.equal(ws.sent.length, 1);
		assert.equal(ws.closed?.code, 4008);
		assert.equal(ws.terminated, true);
		assert.deepEqual(shed, ["slow consumer"]);
		c.deliver("{}");
		assert.equal(ws.sent.length, 1);
		assert.equal(shed.length, 1);
	});

	it("gives up on a socket whose welcome never comes while pushes pile up", () => {
		const ws = new FakeSocket();
		const c = new Connection(ws, "ana", ["fashion"], opts);
		for (let i = 0; i <= PENDING_MAX; i++) c.deliver("{}");
		assert.equal(ws.terminated, true);
		assert.deepEqual(ws.sent, []);
	});

	it("sends nothing to a closed socket", () => {
		const ws = new FakeSocket();
		ws.readyState = 3;
		const c = new Connection(ws, "ana", ["fashion"], opts);
		c.send({ type: "pong", at: 1 });
		assert.deepEqual(ws.sent, []);
	});

	it("runs a socket's frames one after another, even when one fails", async () => {
		const c = new Connection(new FakeSocket(), "ana", ["fashion"], opts);
		const order: string[] = [];
		let release: (() => void) | undefined;
		const first = c.enqueue(async () => {
			await new Promise<void>(r => (release = r));
			order.push("a");
			throw new Error("a failed");
		});
		const second = c.enqueue(async () => void order.push("b"));
		await waitFor(() => release);
		assert.deepEqual(order, []);
		release!();
		await first.catch(() => {});
		await second;
		assert.deepEqual(order, ["a", "b"]);
	});
});
