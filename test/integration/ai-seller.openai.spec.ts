/**
 * The AI seller driven by a model over the real `openai` SDK, against a local OpenAI-compatible
 * stub that scripts the tool calls: signed webhooks in, the sandbox outbox out. Covers the tool
 * loop (valid, malformed and unknown calls), a model that times out, a reply that invents a price,
 * and the usage and cost recorded with each reply.
 */
import assert from "node:assert/strict";
import { loadCatalogData } from "../../services/catalog/data";
import type { ServiceBroker, ServiceSchema } from "moleculer";
import { coloursOf } from "../../contracts/catalog";
import { EventTypes, type ChatResponseV1, type CloudEvent, type SalesEscalateV1 } from "../../contracts/events";
import { estimateCostUsd } from "../../agents/runner";
import CatalogService from "../../services/catalog.service";
import OrdersService from "../../services/orders.service";
import AiSellerFashion from "../../services/ai-seller-fashion.service";
import { startGateway } from "../helpers/whatsapp";
import { startOpenAIStub, type OpenAIStub } from "../helpers/openai-stub";
import { testNamespace } from "../helpers/broker";
import { waitFor } from "../helpers/wait";
import { call, customer, outbox, plan, stored, textOf } from "../helpers/ai-seller";
import type { OutboxEntry } from "../../gateway/whatsapp/outbox";

const MODEL_TIMEOUT_MS = 1000;

function probe() {
	const responses: CloudEvent<ChatResponseV1>[] = [];
	const escalations: CloudEvent<SalesEscalateV1>[] = [];
	const schema: ServiceSchema = {
		name: "openai-probe",
		channels: {
			[EventTypes.ChatResponse]: { group: "openai-probe", handler: async (e: CloudEvent<ChatResponseV1>) => void responses.push(e) },
			[EventTypes.SalesEscalate]: { group: "openai-probe", handler: async (e: CloudEvent<SalesEscalateV1>) => void escalations.push(e) }
		}
	};
	return { schema, responses, escalations };
}

const rows = (e: OutboxEntry) =>
	((e.message as { interactive?: { action?: { sections?: { rows: { id: string; title: string; description?: string }[] }[] } } }).interactive?.action?.sections ?? []).flatMap(s => s.rows);
/** The messages the stub received in request `i`, as the SDK sent them. */
const sent = (stub: OpenAIStub, i: number) => stub.requests[i]!.messages as { role: string; content: string | null; tool_call_id?: string }[];

describe("AI seller with an OpenAI-compatible model (real SDK, stub server)", function () {
	this.timeout(60_000);
	let broker: ServiceBroker;
	let url: string;
	let stub: OpenAIStub;
	let p: ReturnType<typeof probe>;
	let n = 0;
	const nextCustomer = () => customer(`1555020${String(++n).padStart(4, "0")}`);

	/** Posts a message and waits until the service handled it and `replies` replies reached the outbox. */
	async function say(c: ReturnType<typeof customer>, m: { id: string; payload: unknown }, replies: number) {
		await c.post(url, m);
		await waitFor(async () => (await stored(broker, `fashion:${c.waId}`))?.context.handled.includes(m.id) ?? false, { timeoutMs: 15_000 });
		await waitFor(async () => (await outbox(url, c.waId)).length >= replies, { timeoutMs: 10_000 });
		const box = await outbox(url, c.waId);
		assert.equal(box.length, replies, "one reply per turn");
		return box[replies - 1]!;
	}

	before(async () => {
		stub = await startOpenAIStub([]);
		p = probe();
		const g = await startGateway({
			withProbe: false,
			env: {
				NAMESPACE: testNamespace(),
				OPENAI_API_KEY: "sk-test",
				OPENAI_BASE_URL: stub.baseURL,
				OPENAI_MODEL: "gpt-4o-mini",
				OPENAI_TIMEOUT_MS: String(MODEL_TIMEOUT_MS),
				AI_COALESCE_MS: "0"
			},
			services: [CatalogService, OrdersService, AiSellerFashion, p.schema]
		});
		broker = g.broker;
		url = g.url;
	});
	after(async () => {
		await broker?.stop();
		await stub?.close();
	});

	it("search_products → add_to_cart → checkout → confirm places the order; usage and cost go with each reply", async () => {
		const c = nextCustomer();
		const id = `fashion:${c.waId}`;
		const first = stub.requests.length;
		plan(stub, [{ toolCalls: [call("search_products", { query: "sneakers", maxPrice: 12000 })], usage: { prompt: 120, completion: 15 } }, { content: "Here are a few sneakers you might like.", usage: { prompt: 300, completion: 25 } }]);
		const list = await say(c, c.text("any sneakers under $120?"), 1);
		const products = rows(list);
		assert.ok(products.length > 0, `a product list: ${JSON.stringify(list.message)}`);
		// The SDK sent our tools, and the tool's result went back to the model.
		const tools = (stub.requests[first]!.tools as { function: { name: string } }[]).map(t => t.function.name).sort();
		assert.deepEqual(tools, ["add_to_cart", "apply_promo_code", "cancel_order", "change_order_address", "checkout", "escalate_to_human", "get_product", "list_promotions", "order_status", "recommend", "remove_from_cart", "search_products", "set_delivery_address", "store_policy", "view_cart"]);
		const toolResult = sent(stub, first + 1).find(m => m.role === "tool");
		assert.ok(toolResult?.content?.includes(products[0]!.id.replace(/^product:/, "")), "the search results reached the model");

		const sku = products[0]!.id.replace(/^product:/, "");
		// Sneakers come in sizes and colours: the model passes those the customer chose, as checkout needs.
		const attributes = (await broker.call<{ attributes?: Record<string, unknown> & { sizes?: string[] } }, { sku: string }>("catalog.get", { sku })).attributes;
		const size = attributes?.sizes?.[0];
		const color = coloursOf(attributes)[0];
		plan(stub, [{ toolCalls: [call("add_to_cart", { sku, qty: 1, ...(size ? { size } : {}), ...(color ? { color } : {}) })] }, { content: "Added it to your cart." }]);
		await say(c, c.tap(products[0]!.id, products[0]!.title), 2);
		assert.equal((await stored(broker, id))!.state, "cart");

		// The checkout refuses without an address, and the model reads why and asks for one.
		const checkoutAt = stub.requests.length;
		plan(stub, [{ toolCalls: [call("checkout", {})] }, { content: "Where should we deliver it?" }]);
		await say(c, c.text("checkout please"), 3);
		assert.match(sent(stub, checkoutAt + 1).find(m => m.role === "tool")?.content ?? "", /address_needed/);
		assert.equal((await stored(broker, id))!.state, "cart");

		plan(stub, [{ toolCalls: [call("set_delivery_address", { address: "12 Baker Street, London NW1 6XE" }), call("checkout", {})] }, { content: "It goes to 12 Baker Street, London NW1 6XE. Shall I place the order?" }]);
		const confirm = await say(c, c.text("12 Baker Street, London NW1 6XE"), 4);
		assert.equal((confirm.message as { interactive?: { type?: string } }).interactive?.type, "button");
		assert.equal((await stored(broker, id))!.state, "checkout");

		plan(stub, [{ toolCalls: [call("checkout", { confirm: true })] }, { content: "Your order is placed, thank you!" }]);
		await say(c, c.text("yes"), 5);
		const r = (await stored(broker, id))!;
		assert.equal(r.state, "ordered");
		const { items } = await broker.call<{ items: { id: string; conversationId?: string; deliverTo?: string }[] }, { waId: string }>("orders.list", { waId: c.waId });
		assert.equal(items.length, 1);
		assert.equal(items[0]!.id, r.context.orderId);
		assert.equal(items[0]!.deliverTo, "12 Baker Street, London NW1 6XE");

		await waitFor(() => p.responses.filter(e => e.data.conversationId === id).length === 5);
		const mine = p.responses.filter(e => e.data.conversationId === id).sort((a, b) => a.data.turn! - b.data.turn!);
		const u = mine[0]!.data.usage!;
		assert.deepEqual({ p: u.promptTokens, c: u.completionTokens, t: u.totalTokens }, { p: 420, c: 40, t: 460 }, "both calls of the turn counted");
		assert.equal(u.costUsd, estimateCostUsd("gpt-4o-mini", 420, 40));
		assert.ok(u.costUsd > 0);
		assert.equal(mine[0]!.data.model, "gpt-4o-mini");
		for (const e of mine) assert.ok(e.data.usage && e.data.usage.totalTokens > 0 && typeof e.data.latencyMs === "number", "every turn records usage");
	});

	it("malformed tool arguments and an unknown tool are answered to the model as errors, and it recovers", async () => {
		const c = nextCustomer();
		const id = `fashion:${c.waId}`;
		const cases = [
			{ name: "bad JSON", bad: { name: "search_products", arguments: '{"query": "sneak' }, told: /not valid JSON/ },
			{ name: "wrong types", bad: { name: "add_to_cart", arguments: JSON.stringify({ sku: 42, qty: "two" }) }, told: /Invalid arguments for add_to_cart.*sku/ },
			{ name: "unknown tool", bad: { name: "delete_all_orders", arguments: "{}" }, told: /Unknown tool 'delete_all_orders'/ }
		];
		let replies = 0;
		for (const k of cases) {
			const at = stub.requests.length;
			plan(stub, [{ toolCalls: [k.bad] }, { toolCalls: [call("add_to_cart", { sku: "FA-0003" })] }, { content: "Added the Court Classic for you." }]);
			const reply = await say(c, c.text("add a court classic please"), ++replies);
			const answer = sent(stub, at + 1).filter(m => m.role === "tool").at(-1);
			assert.match(answer?.content ?? "", k.told, `${k.name}: the model was told what went wrong`);
			assert.doesNotMatch(answer?.content ?? "", /at \w+ \(|Error:|stack/i, `${k.name}: no internals`);
			assert.equal(textOf(reply), "Added the Court Classic for you.");
		}
		const r = (await stored(broker, id))!;
		assert.equal(r.state, "cart", "one failure per turn is recovered from, not escalated");
		assert.equal(r.context.cart[0]?.qty, 3);
		assert.equal(r.context.escalation, null);
	});

	it("a model call that times out is retried; one that keeps timing out hands the customer to a person", async () => {
		const c = nextCustomer();
		const id = `fashion:${c.waId}`;
		let at = stub.requests.length;
		plan(stub, ["hang", { content: "Hello! How can I help?" }]);
		const ok = await say(c, c.text("hello"), 1);
		assert.equal(textOf(ok), "Hello! How can I help?");
		assert.equal(stub.requests.length - at, 2, "the timed-out call was retried once");

		at = stub.requests.length;
		plan(stub, ["hang", "hang", "hang"]);
		const handoff = await say(c, c.text("do you have boots?"), 2);
		assert.equal(stub.requests.length - at, 3, "three attempts, then no more");
		assert.match(textOf(handoff), /team|person/i);
		assert.doesNotMatch(textOf(handoff), /timeout|within|ms\b|error/i, "no internal error shown");
		const r = (await stored(broker, id))!;
		assert.equal(r.state, "escalated");
		assert.equal(r.context.escalation?.reason, "model_failure");
		await waitFor(() => p.escalations.some(e => e.data.conversationId === id && e.data.reason === "model_failure"));
	});

	it("a reply that invents a price is regenerated, or corrected, before it is sent", async () => {
		const c = nextCustomer();
		const search = { toolCalls: [call("search_products", { query: "sneakers", maxPrice: 12000 })] };
		// Regenerated: the second answer quotes no invented price.
		let at = stub.requests.length;
		plan(stub, [search, { content: "These are great — and today only $9.99 each!" }, { content: "These are great picks from our range." }]);
		const regenerated = await say(c, c.text("sneakers under $120?"), 1);
		assert.equal(textOf(regenerated), "These are great picks from our range.");
		const retry = sent(stub, at + 2);
		assert.ok(retry.some(m => m.role === "system" && m.content?.includes("$9.99")), "the model was told which price was wrong");
		assert.equal(stub.requests[at + 2]!.tools, undefined, "the regeneration asks for text only");

		// Still invented after one regeneration: the sentence carrying it is removed.
		at = stub.requests.length;
		plan(stub, [search, { content: "Great choice. Only $9.99 today!" }, { content: "Great choice. Now just $5.00!" }]);
		const corrected = await say(c, c.text("and cheaper ones?"), 2);
		assert.doesNotMatch(textOf(corrected), /\$9\.99|\$5\.00/);
		for (const e of await outbox(url, c.waId)) assert.doesNotMatch(JSON.stringify(e.message), /9\.99|\$5\.00/, "no invented price ever reached the outbox");
		// Real prices (from the tool results) are untouched: the list rows carry them.
		const shownPrices = rows(corrected).map(r => r.description ?? "");
		assert.ok(shownPrices.every(d => /^\$[\d,]+\.\d\d/.test(d)), shownPrices.join(", "));
	});

	it("a reply that invents a term of sale (a longer return window) is regenerated from the store's policy", async () => {
		const c = nextCustomer();
		const returns = loadCatalogData().policies.find(p => p.brand === "fashion")!.returns!;
		const at = stub.requests.length;
		plan(stub, [
			{ toolCalls: [call("store_policy", { topic: "returns" })] },
			{ content: `No problem — you have ${returns.days * 3} days to return it.` },
			{ content: `No problem — you have ${returns.days} days to return it.` }
		]);
		const reply = await say(c, c.text("what if it doesn't fit, can I return it?"), 1);
		assert.equal(textOf(reply), `No problem — you have ${returns.days} days to return it.`);
		const told = sent(stub, at + 1).find(m => m.role === "tool")?.content ?? "";
		assert.deepEqual(JSON.parse(told), { topic: "returns", returns }, "the model read the store's stated terms");
		assert.ok(sent(stub, at + 2).some(m => m.role === "system" && m.content?.includes(`${returns.days * 3} days`)), "the model was told which term was wrong");
	});
});
