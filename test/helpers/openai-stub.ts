/**
 * A local OpenAI-compatible server (POST /v1/chat/completions) on 127.0.0.1 that answers from a
 * script and records each request body, for tests that drive the real `openai` SDK over HTTP.
 * A step is a completion message, an HTTP error, or "hang" (the request is held open).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export type StubStep =
	| { content?: string | null; toolCalls?: { name: string; arguments: string }[]; usage?: { prompt: number; completion: number } }
	| { status: number; error: string }
	| "hang";

export interface OpenAIStub {
	baseURL: string;
	requests: Record<string, any>[];
	headers: IncomingMessage["headers"][];
	script: StubStep[];
	close(): Promise<void>;
}

export async function startOpenAIStub(script: StubStep[] = []): Promise<OpenAIStub> {
	const requests: Record<string, any>[] = [];
	const headers: IncomingMessage["headers"][] = [];
	const stub = { script } as OpenAIStub;
	let index = 0;
	const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
		const chunks: Buffer[] = [];
		req.on("data", c => chunks.push(c));
		req.on("end", () => {
			if (req.method !== "POST" || req.url !== "/v1/chat/completions") {
				res.writeHead(404, { "content-type": "application/json" }).end(JSON.stringify({ error: { message: "not found" } }));
				return;
			}
			requests.push(JSON.parse(Buffer.concat(chunks).toString("utf8")));
			headers.push(req.headers);
			const step = stub.script[Math.min(index++, stub.script.length - 1)];
			if (!step || step === "hang") return;
			if ("status" in step) {
				res.writeHead(step.status, { "content-type": "application/json" }).end(JSON.stringify({ error: { message: step.error, type: "stub" } }));
				return;
			}
			const toolCalls = (step.toolCalls ?? []).map((c, i) => ({ id: `call_${index}_${i}`, type: "function", function: c }));
			const body = {
				id: `chatcmpl-${index}`,
				object: "chat.completion",
				created: 1_700_000_000,
				model: requests.at(-1)?.model ?? "stub",
				choices: [
					{
						index: 0,
						finish_reason: toolCalls.length ? "tool_calls" : "stop",
						message: { role: "assistant", content: step.content ?? null, ...(toolCalls.length ? { tool_calls: toolCalls } : {}) }
					}
				],
				usage: { prompt_tokens: step.usage?.prompt ?? 50, completion_tokens: step.usage?.completion ?? 10, total_tokens: (step.usage?.prompt ?? 50) + (step.usage?.completion ?? 10) }
			};
			res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(body));
		});
	});
	await new Promise<void>(resolve => server.listen(0, "127.0.0.1", resolve));
	const { port } = server.address() as AddressInfo;
	return Object.assign(stub, {
		baseURL: `http://127.0.0.1:${port}/v1`,
		requests,
		headers,
		close: () =>
			new Promise<void>(resolve => {
				server.closeAllConnections();
				server.close(() => resolve());
			})
	});
}
