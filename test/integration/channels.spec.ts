/**
 * One suite, three adapters: the durable-channel semantics (contract validation, retries with
 * backoff, dead letters, replay, idempotency by event id, bounded in-flight messages) must be the
 * same on the in-memory adapter, Redis Streams and NATS JetStream.
 */
import assert from "node:assert/strict";
import sinon from "sinon";
import { Errors, type ServiceBroker, type ServiceSchema } from "moleculer";
import { channelOf, createEvent, EventTypes, partitionChannel, type ChatMessageNewV1, type CloudEvent, type OrderShippedV1 } from "../../contracts/events";
import { DeadLetters } from "../../adapters/dead-letters";
import { publishEvent } from "../../mixins/events.mixin";
import { samples } from "../fixtures/events";
import type { DeadLetter } from "../../adapters/dead-letters";
import { backoffDelay, deliveryNumber, MAX_DELIVERIES } from "../../middlewares/durable-channels";
import DlqService from "../../services/dlq.service";
import { infra } from "../helpers/infra";
import { startBroker } from "../helpers/broker";
import { waitFor } from "../helpers/wait";

type Behaviour = (attempt: number) => Promise<void> | void;

/** The suite's channel: tech's share of the order shipments (every `shipped()` event is tech's). */
const SHIPPED = partitionChannel("store.order.shipped", "tech");

function shipped(trackingNumber: string): CloudEvent<OrderShippedV1> {
	return createEvent(
		"store.order.shipped",
		{ orderId: `ord_${trackingNumber}`, waId: "15551234567", brand: "tech", carrier: "UPS", trackingNumber },
		{ source: "/test" }
	);
}

function consumer(
	name: string,
	calls: Map<string, number>,
	behaviours: Map<string, Behaviour>,
	inFlight: { now: number; max: number },
	skip?: (event: CloudEvent<OrderShippedV1>) => boolean,
	idempotent = false
): ServiceSchema {
	return {
		name,
		channels: {
			[SHIPPED]: {
				...(skip ? { skip } : {}),
				...(idempotent ? { idempotent } : {}),
				async handler(event: CloudEvent<OrderShippedV1>) {
					const key = event.data.trackingNumber;
					const attempt = (calls.get(key) ?? 0) + 1;
					calls.set(key, attempt);
					inFlight.now++;
					inFlight.max = Math.max(inFlight.max, inFlight.now);
					try {
						await behaviours.get(key)?.(attempt);
					} finally {
						inFlight.now--;
					}
				}
			}
		}
	};
}

function describeChannels(adapter: string, env: () => Promise<Record<string, string>>) {
	describe(`durable channels on ${adapter}`, function () {
		this.timeout(30_000);
		let broker: ServiceBroker;
		const calls = new Map<string, number>();
		const auditCalls = new Map<string, number>();
		const behaviours = new Map<string, Behaviour>();
		const inFlight = { now: 0, max: 0 };
		const auditInFlight = { now: 0, max: 0 };
		const selfCalls = new Map<string, number>();
		const selfBehaviours = new Map<string, Behaviour>();
		// A consumer of one brand's share of the chat messages; refuses (a client error) while told to.
		const chatSeen: string[] = [];
		let chatRefuses = true;
		const chatProbe: ServiceSchema = {
			name: "chat-probe",
			channels: {
				[partitionChannel(EventTypes.ChatMessageNew, "tech")]: {
					async handler(event: CloudEvent) {
						if (chatRefuses) throw new Errors.MoleculerClientError("refused for the test", 422);
						chatSeen.push(event.id);
					}
				}
			}
		};

		before(async () => {
			broker = await startBroker({
				env: await env(),
				services: [DlqService, consumer("probe", calls, behaviours, inFlight), consumer("audit", auditCalls, new Map(), auditInFlight, e => e.data.trackingNumber.startsWith("not-audited")),
					consumer("self-deduping", selfCalls, selfBehaviours, { now: 0, max: 0 }, undefined, true),
					chatProbe
				]
			});
		});
		after(() => broker?.stop());
		afterEach(() => sinon.restore());

		const publish = (e: CloudEvent) => broker.sendToChannel(channelOf(e.type, e.data), e);
		const deadLetters = () => broker.call<{ items: DeadLetter[]; total: number }, object>("dlq.list", { group: "probe", limit: 500 });
		const deadLetterFor = async (tracking: string) =>
			(await deadLetters()).items.find(d => (d.originalEvent as CloudEvent<OrderShippedV1>)?.data?.trackingNumber === tracking);

		it("retries a failing handler with exponential backoff until it succeeds", async () => {
			const at: number[] = [];
			behaviours.set("flaky", attempt => {
				at.push(Date.now());
				if (attempt <= 2) throw new Error(`transient failure ${attempt}`);
			});
			await publish(shipped("flaky"));
			await waitFor(() => calls.get("flaky") === 3 && auditCalls.get("flaky") === 1);
			// Timers may fire a millisecond early against Date.now(); the tolerance keeps this about the schedule.
			assert.ok(at[1] - at[0] >= backoffDelay(1, 10) - 2 && at[2] - at[1] >= backoffDelay(2, 10) - 2, "waits follow the backoff schedule");
			assert.equal(await deadLetterFor("flaky"), undefined);
		});

		it("dead-letters a message that always fails, keeping the event and the error record", async () => {
			behaviours.set("broken", () => {
				throw new Error("warehouse API is down");
			});
			const event = shipped("broken");
			await publish(event);
			const entry = await waitFor(() => deadLetterFor("broken"));
			assert.equal(calls.get("broken"), 5, "five attempts in all (the default)");
			assert.deepEqual(entry.originalEvent, event);
			assert.equal(entry.channel, SHIPPED);
			assert.equal(entry.group, "probe");
			assert.equal(entry.error.message, "warehouse API is down");
			assert.equal(entry.error.attempts, 5);
			assert.ok(entry.error.code);
			assert.ok(!Number.isNaN(Date.parse(entry.error.lastAttempt)));
			assert.equal(auditCalls.get("broken"), 1, "other groups are unaffected");
		});

		it("replays a dead letter to the failed group only, and removes it once handled", async () => {
			const entry = await waitFor(() => deadLetterFor("broken"));
			behaviours.delete("broken");
			await broker.call("dlq.replay", { id: entry.id });
			await waitFor(() => calls.get("broken") === 6);
			await waitFor(async () => !(await deadLetterFor("broken")));
			assert.equal(auditCalls.get("broken"), 1, "the group that had succeeded is not disturbed");
		});

		it("replays a dead letter of a brand's chat channel on that channel, and one from the shared channel on its brand's", async () => {
			const chat = (id: string) => createEvent(EventTypes.ChatMessageNew, { ...samples["store.chat.message.new"], brand: "tech" } as ChatMessageNewV1, { source: "/test", id });
			const event = chat(`chat-replay-${adapter}`);
			await publishEvent(broker, "/test", EventTypes.ChatMessageNew, event.data, { id: event.id });
			const letters = async (id: string) => (await broker.call<{ items: DeadLetter[] }, object>("dlq.list", { group: "chat-probe", limit: 500 })).items.filter(d => d.eventId === id);
			await waitFor(async () => (await letters(event.id)).length === 1);
			const [letter] = await letters(event.id);
			assert.equal(letter.channel, "store.chat.message.new.tech");
			// Dead-lettered on the shared channel before chat messages were split by brand.
			const legacy = chat(`chat-legacy-${adapter}`);
			const old = await new DeadLetters(broker.store).add({ channel: EventTypes.ChatMessageNew, group: "chat-probe", eventId: legacy.id, originalEvent: legacy, error: { message: "old", code: "X", attempts: 1, lastAttempt: new Date().toISOString() }, nodeID: "old-node" });
			// Listed by the type (every share) or by one share.
			const listed = async (channel: string) =>
				(await broker.call<{ items: DeadLetter[] }, object>("dlq.list", { channel, limit: 500 })).items.map(d => d.eventId).filter(id => id === event.id || id === legacy.id).sort();
			assert.deepEqual(await listed(EventTypes.ChatMessageNew), [event.id, legacy.id].sort());
			assert.deepEqual(await listed("store.chat.message.new.tech"), [event.id]);
			chatRefuses = false;
			await broker.call("dlq.replay", { id: letter.id });
			assert.deepEqual(await broker.call("dlq.replay", { id: old!.id }), { id: old!.id, channel: "store.chat.message.new.tech", group: "chat-probe", replayed: true });
			await waitFor(() => chatSeen.includes(event.id) && chatSeen.includes(legacy.id));
			await waitFor(async () => (await letters(event.id)).length === 0 && (await letters(legacy.id)).length === 0);
		});

		it("does not retry a client error", async () => {
			behaviours.set("client", () => {
				throw new Errors.MoleculerClientError("unknown order", 404, "ORDER_NOT_FOUND");
			});
			await publish(shipped("client"));
			const entry = await waitFor(() => deadLetterFor("client"));
			assert.equal(entry.error.attempts, 1);
			assert.equal(entry.error.code, "ORDER_NOT_FOUND");
			assert.equal(calls.get("client"), 1);
		});

		it("dead-letters an event that breaks its contract without calling the handler", async () => {
			const bad = { ...shipped("invalid"), data: { orderId: "ord_x", trackingNumber: "invalid" } };
			await broker.sendToChannel(SHIPPED, bad);
			const entry = await waitFor(() => deadLetterFor("invalid"));
			assert.equal(entry.error.code, "EVENT_CONTRACT_VIOLATION");
			assert.ok(entry.error.violations?.some(v => v.field === "data.carrier"));
			assert.equal(calls.get("invalid"), undefined);

			await broker.sendToChannel(SHIPPED, "not even an object");
			await waitFor(async () => (await deadLetters()).items.some(d => d.originalEvent === "not even an object"));
		});

		it("handles an event id once, however often it is delivered", async () => {
			const event = shipped("dup");
			await publish(event);
			await waitFor(() => calls.get("dup") === 1);
			await publish(event);
			await publish(shipped("after-dup"));
			await waitFor(() => calls.get("after-dup") === 1);
			assert.equal(calls.get("dup"), 1);
		});

		it("keeps no done mark for a channel whose handler dedupes by itself, and still retries it", async () => {
			const event = shipped("self-dup");
			selfBehaviours.set("self-dup", attempt => {
				if (attempt === 1) throw new Error("transient");
			});
			await publish(event);
			await waitFor(() => selfCalls.get("self-dup") === 2 && calls.get("self-dup") === 1);
			await publish(event);
			await publish(shipped("self-after"));
			await waitFor(() => selfCalls.get("self-after") === 1);
			assert.equal(selfCalls.get("self-dup"), 3, "the repeat reaches the handler, which is where it is deduped");
			assert.equal(await broker.store.get(`chan:done:self-deduping:${event.id}`), null);
			assert.equal(await broker.store.get(`chan:attempts:self-deduping:${event.id}`), null);
			assert.equal(await broker.store.get(`chan:done:probe:${event.id}`), 1, "other groups keep their marks");
		});

		it("acknowledges what a channel's own filter skips without calling its handler or touching the store", async () => {
			const skipped = shipped("not-audited-1");
			await publish(skipped);
			await publish(shipped("audited-after"));
			await waitFor(() => auditCalls.get("audited-after") === 1 && calls.get("not-audited-1") === 1);
			assert.equal(auditCalls.get("not-audited-1"), undefined);
			assert.equal(await broker.store.get(`chan:done:audit:${skipped.id}`), null);
			assert.equal(await broker.store.get(`chan:done:probe:${skipped.id}`), 1);
		});

		it("runs a channel's filter before validation: a broken message it skips is dead-lettered by the group it is for, one it cannot read by every group", async () => {
			const groupDeadLetters = async (group: string, tracking: string) =>
				(await broker.call<{ items: DeadLetter[] }, object>("dlq.list", { group, limit: 500 })).items.filter(
					d => (d.originalEvent as { data?: { trackingNumber?: string } })?.data?.trackingNumber === tracking
				);
			// Valid enough to name what it is about, broken otherwise (no orderId, no carrier...).
			const broken = { ...shipped("not-audited-broken"), data: { trackingNumber: "not-audited-broken" } };
			await broker.sendToChannel(SHIPPED, broken);
			await waitFor(async () => (await groupDeadLetters("probe", "not-audited-broken")).length === 1);
			assert.equal((await groupDeadLetters("audit", "not-audited-broken")).length, 0, "skipped by the group it is not for, unvalidated");
			// The filter throws on a message without data: nothing is skipped, every group dead-letters it.
			const unreadable = { ...shipped("x"), id: "no-data-at-all", data: undefined };
			await broker.sendToChannel(SHIPPED, unreadable);
			await waitFor(async () => {
				const all = (await broker.call<{ items: DeadLetter[] }, object>("dlq.list", { limit: 500 })).items.filter(d => d.eventId === "no-data-at-all");
				return all.some(d => d.group === "audit") && all.some(d => d.group === "probe");
			});
		});

		it("counts a message's attempts in the store only once its handler has failed", async () => {
			const incr = sinon.spy(broker.store, "incr");
			const counted = (e: CloudEvent) => incr.getCalls().filter(c => c.args[0] === `chan:attempts:probe:${e.id}`);
			const first = shipped("first-try");
			await publish(first);
			await waitFor(() => calls.get("first-try") === 1);
			assert.equal(counted(first).length, 0, "a first delivery handled at once leaves the store alone");

			const second = shipped("second-try");
			behaviours.set("second-try", attempt => {
				if (attempt === 1) throw new Error("transient");
			});
			await publish(second);
			await waitFor(() => calls.get("second-try") === 2);
			await waitFor(async () => (await broker.store.get(`chan:attempts:probe:${second.id}`)) === null);
			// The failed first attempt is written down before the backoff, the second counts on it.
			assert.deepEqual(counted(second).map(c => c.args[1]), [1, 1]);
		});

		it("refuses a publish once the adapter has stopped, instead of dropping it", async () => {
			const stopped = await startBroker({ env: await env(), services: [] });
			await stopped.stop();
			await assert.rejects(stopped.sendToChannel(SHIPPED, shipped("late")), (err: Error & { type?: string }) => err.type === "CHANNEL_UNAVAILABLE");
		});

		it("keeps at most maxInFlight (5) messages in a handler at once", async () => {
			let open!: () => void;
			const gate = new Promise<void>(r => (open = r));
			inFlight.max = 0;
			const ids = Array.from({ length: 12 }, (_, i) => `gate-${i}`);
			for (const id of ids) behaviours.set(id, () => gate);
			for (const id of ids) await publish(shipped(id));
			await waitFor(() => inFlight.now === 5);
			open();
			await waitFor(() => ids.every(id => calls.get(id) === 1));
			assert.equal(inFlight.max, 5);
		});
	});
}

// A small limit, so that the in-flight test can fill it.
const limit = { CHANNEL_MAX_IN_FLIGHT: "5" };
describeChannels("the in-memory adapter", async () => ({ ...limit }));
describeChannels("Redis Streams", async () => ({ ...limit, REDIS_URL: (await infra()).redisUrl }));
describeChannels("NATS JetStream", async () => ({ ...limit, TRANSPORTER: (await infra()).natsUrl }));

describe("durable channels on NATS JetStream across nodes", function () {
	this.timeout(30_000);
	const nodes: ServiceBroker[] = [];
	after(() => Promise.all(nodes.map(n => n.stop())));

	it("continues the attempt count of a message that a stopping node hands over to another", async () => {
		const { natsUrl, redisUrl } = await infra();
		// The default ack deadline (30 s): the hand-over must not wait for it.
		const env = { TRANSPORTER: natsUrl, REDIS_URL: redisUrl, NAMESPACE: `handover${process.pid}${Date.now()}`, CHANNEL_MAX_ATTEMPTS: "3", CHANNEL_BACKOFF_MS: "60000" };
		const failing = (calls: Map<string, number>) => consumer("relay", calls, new Map([["handover", () => Promise.reject(new Error("always fails"))]]), { now: 0, max: 0 });
		const firstCalls = new Map<string, number>();
		const first = await startBroker({ env, nodeID: "handover-first", services: [DlqService, failing(firstCalls)] });
		nodes.push(first);
		const event = shipped("handover");
		await first.sendToChannel(SHIPPED, event);
		// Attempt 1 failed; the first node waits out a minute of backoff, then stops in the middle of it.
		await waitFor(() => firstCalls.get("handover") === 1);
		await waitFor(async () => (await first.store.get(`chan:attempts:relay:${event.id}`)) === 1);
		const secondCalls = new Map<string, number>();
		const second = await startBroker({ env: { ...env, CHANNEL_BACKOFF_MS: "10" }, nodeID: "handover-second", services: [DlqService, failing(secondCalls)] });
		nodes.push(second);
		await first.stop();
		const letters = () => second.call<{ items: DeadLetter[] }, object>("dlq.list", { group: "relay", limit: 50 });
		await waitFor(async () => (await letters()).items.some(d => d.eventId === event.id), { timeoutMs: 10_000 });
		const letter = (await letters()).items.find(d => d.eventId === event.id)!;
		assert.equal(secondCalls.get("handover"), 2, "attempts 2 and 3 ran on the second node, not three more");
		assert.equal(letter.error.attempts, 3);
	});
});

function describeAckDeadline(adapter: string, env: () => Promise<Record<string, string>>) {
	describe(`durable channels on ${adapter} with a short ack deadline`, function () {
		this.timeout(30_000);
		let node: ServiceBroker | undefined;
		after(() => node?.stop());

		it("keeps a message waiting for its retry from being redelivered behind its back", async () => {
			const calls = new Map<string, number>();
			const at: number[] = [];
			const behaviour = (attempt: number) => {
				at.push(Date.now());
				if (attempt === 1) throw new Error("once");
			};
			node = await startBroker({
				env: { ...(await env()), CHANNEL_ACK_WAIT_MS: "400", CHANNEL_BACKOFF_MS: "1500" },
				services: [DlqService, consumer("patient", calls, new Map([["slow-retry", behaviour]]), { now: 0, max: 0 })]
			});
			await node.sendToChannel(SHIPPED, shipped("slow-retry"));
			await waitFor(() => calls.get("slow-retry") === 2, { timeoutMs: 10_000 });
			// Three ack deadlines pass during the backoff: a redelivery would have run the handler again
			// within about one, long before the retry.
			assert.ok(at[1]! - at[0]! >= 1500 - 2, `the second run is the retry after the backoff, not a redelivery (${at[1]! - at[0]!} ms)`);
		});

		it(`dead-letters a message delivered more than ${MAX_DELIVERIES} times without an outcome, without running it again`, async () => {
			// A handler that never finishes looks to the transport like one that crashes its process:
			// the message comes back after every ack deadline.
			let release!: () => void;
			const stuck = new Promise<void>(r => (release = r));
			const calls = new Map<string, number>();
			const stuckNode = await startBroker({
				env: { ...(await env()), CHANNEL_ACK_WAIT_MS: "150" },
				services: [DlqService, consumer("crashing", calls, new Map([["poison", () => stuck]]), { now: 0, max: 0 })]
			});
			try {
				const event = shipped("poison");
				await stuckNode.sendToChannel(SHIPPED, event);
				const letter = await waitFor(
					async () => (await stuckNode.call<{ items: DeadLetter[] }, object>("dlq.list", { group: "crashing", limit: 10 })).items.find(d => d.eventId === event.id),
					{ timeoutMs: 15_000 }
				);
				assert.equal(letter.error.code, "TOO_MANY_DELIVERIES");
				assert.equal(letter.error.attempts, MAX_DELIVERIES);
				assert.equal(calls.get("poison"), MAX_DELIVERIES, "the last delivery did not run the handler");
			} finally {
				release();
				await stuckNode.stop();
			}
		});
	});
}

describeAckDeadline("NATS JetStream", async () => ({ TRANSPORTER: (await infra()).natsUrl }));
describeAckDeadline("Redis Streams", async () => ({ REDIS_URL: (await infra()).redisUrl }));

describe("a service with many channels", () => {
	let broker: ServiceBroker | undefined;
	after(() => broker?.stop());

	it("is subscribed to every one of them when the broker has started", async () => {
		// @moleculer/channels registers channels in a hook nobody awaits; without our wait at service
		// start, the channels registered after the broker's start began were never subscribed.
		const brands = Array.from({ length: 30 }, (_, i) => `b${i}`);
		const got = new Set<string>();
		const wide: ServiceSchema = {
			name: "wide",
			channels: Object.fromEntries(brands.map(b => [partitionChannel("store.order.shipped", b), async (e: CloudEvent<OrderShippedV1>) => void got.add(e.data.brand)]))
		};
		broker = await startBroker({ services: [wide] });
		for (const b of brands) await publishEvent(broker, "/test", "store.order.shipped", { ...shipped(`wide-${b}`).data, brand: b });
		await waitFor(() => got.size === brands.length);
	});
});

describe("delivery numbers", () => {
	it("are read from JetStream's, Redis Streams' and the in-memory adapter's messages", () => {
		assert.equal(deliveryNumber({ info: { redeliveryCount: 3 } }), 3);
		assert.equal(deliveryNumber({ redeliveryCount: 0, seq: 1 }), 1);
		assert.equal(deliveryNumber({ payload: {}, headers: {}, deliveries: 2 }), 2);
		assert.equal(deliveryNumber({ payload: {}, headers: {} }), null);
		assert.equal(deliveryNumber(null), null);
	});
});

describe("backoff schedule", () => {
	it("is seed 000's 1 s, 2 s, 4 s, 8 s, 16 s with the default base", () => {
		assert.deepEqual([1, 2, 3, 4, 5].map(a => backoffDelay(a, 1000)), [1000, 2000, 4000, 8000, 16000]);
	});
});
