import assert from "node:assert/strict";
import { createOpenAIModel } from "../../../agents/openai-model";
import { personaFor } from "../../../agents/personas";
import { runTurn, type TurnInput } from "../../../agents/runner";
import { fakeTools } from "../../fixtures/products";
import { type OpenAIStub, startOpenAIStub } from "../../helpers/openai-stub";
import { turnInput } from "../../helpers/scripted-model";

const input = (text: string, over: Partial<TurnInput> = {}): TurnInput => turnInput(text, over, 1);

describe("OpenAI model adapter (real SDK against a local stub server)", () => {
	let stub: OpenAIStub;
	beforeEach(async () => {
		stub = await startOpenAIStub();
	});
	afterEach(() => stub.close());

	const turn = (text: string, options = {}, tools = fakeTools()) =>
		runTurn(input(text), {
			model: createOpenAIModel({ apiKey: "sk-test", baseURL: stub.baseURL, model: "gpt-4o-mini" }),
			persona: personaFor("fashion"),
			tools,
			options: { timeoutMs: 2_000, retries: 1, retryBackoffMs: 1, ...options }
		});

	it("sends tools as JSON Schema functions, runs the scripted tool call and answers", async () => {
		stub.script = [
			{ toolCalls: [{ name: "search_products", arguments: JSON.stringify({ query: "jacket", maxPrice: 10000, color: "black" }) }], usage: { prompt: 300, completion: 20 } },
			{ content: "Two picks: Black Leather Jacket ($89.00) and Black Denim Jacket ($65.00).", usage: { prompt: 400, completion: 30 } }
		];
		const tools = fakeTools();
		const out = await turn("black jacket under 100", {}, tools);
		assert.equal(stub.requests.length, 2);
		const first = stub.requests[0];
		assert.equal(first.model, "gpt-4o-mini");
		assert.equal(stub.headers[0].authorization, "Bearer sk-test");
		const search = first.tools.find((t: any) => t.function.name === "search_products");
		assert.equal(search.type, "function");
		assert.equal(search.function.parameters.properties.maxPrice.type, "integer");
		assert.equal(first.tools.length, 15);
		const second = stub.requests[1];
		const assistant = second.messages.find((m: any) => m.role === "assistant");
		assert.equal(assistant.tool_calls[0].function.name, "search_products");
		const toolMsg = second.messages.find((m: any) => m.role === "tool");
		assert.equal(toolMsg.tool_call_id, assistant.tool_calls[0].id);
		assert.match(toolMsg.content, /Black Leather Jacket/);
		assert.deepEqual(tools.calls.map(c => c.fn), ["catalog.search"]);
		assert.equal(out.result.reply.text, "Two picks: Black Leather Jacket ($89.00) and Black Denim Jacket ($65.00).");
		assert.equal(out.usage.promptTokens, 700);
		assert.equal(out.usage.completionTokens, 50);
		assert.ok(out.usage.costUsd > 0);
	});

	it("survives malformed arguments and an unknown tool from the model", async () => {
		stub.script = [
			{ toolCalls: [{ name: "get_product", arguments: "{\"sku\": " }, { name: "launch_rocket", arguments: "{}" }] },
			{ content: "Sorry, could you say which product?" }
		];
		const out = await turn("tell me about it");
		assert.deepEqual(out.toolCalls.map(c => c.kind), ["invalid_arguments", "unknown_tool"]);
		const errors = stub.requests[1].messages.filter((m: any) => m.role === "tool").map((m: any) => JSON.parse(m.content).error);
		assert.match(errors[0], /not valid JSON/);
		assert.match(errors[1], /Unknown tool 'launch_rocket'/);
		assert.equal(out.result.escalation?.reason, "complex");
	});

	it("retries a 500 and a timed-out request; gives up as model_failure when every attempt hangs", async () => {
		stub.script = [{ status: 500, error: "boom" }, { content: "Hi there!" }];
		const ok = await turn("hi");
		assert.equal(stub.requests.length, 2);
		assert.equal(ok.result.reply.text, "Hi there!");

		stub.requests.length = 0;
		stub.script = ["hang"];
		const failed = await turn("hi", { timeoutMs: 150 }).then(r => r);
		assert.equal(stub.requests.length, 2, "the hung call was retried once");
		assert.equal(failed.result.escalation?.reason, "model_failure");
	});

	it("does not retry a 401", async () => {
		stub.script = [{ status: 401, error: "bad key" }, { content: "never" }];
		const out = await turn("hi");
		assert.equal(stub.requests.length, 1);
		assert.equal(out.result.escalation?.reason, "model_failure");
		assert.doesNotMatch(out.result.reply.text, /401|bad key/);
	});

	it("regenerates a reply with an invented price", async () => {
		stub.script = [
			{ toolCalls: [{ name: "get_product", arguments: JSON.stringify({ sku: "FD-010" }) }] },
			{ content: "The Summer Floral Dress is $25.00 with 50% off!" },
			{ content: "The Summer Floral Dress is $50.00, or $40.00 with code SUMMER20 (20% off)." }
		];
		const out = await turn("price of the floral dress?");
		assert.equal(out.regenerated, 1);
		assert.equal(stub.requests[2].tools, undefined, "the regeneration is offered no tools");
		assert.equal(out.result.reply.text, "The Summer Floral Dress is $50.00, or $40.00 with code SUMMER20 (20% off).");
	});
});
