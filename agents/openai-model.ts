/**
 * The `Model` interface over the real `openai` SDK (chat completions with tool calls). Works with
 * any OpenAI-compatible server through `baseURL`. The SDK's own retries are off: the runner owns
 * retries and the timeout, so one policy applies to every model.
 */
import OpenAI from "openai";
import type { ChatCompletionMessageParam, ChatCompletionTool } from "openai/resources/chat/completions";
import { type ChatMessage, type Model, ModelError, type ModelRequest, type ModelResponse } from "./runner";

export interface OpenAIModelOptions {
	apiKey: string;
	/** null or absent: OpenAI's own endpoint. */
	baseURL?: string | null;
	model: string;
	/** Hard upper bound inside the SDK; the runner's per-call timeout is normally shorter. */
	timeoutMs?: number;
	temperature?: number;
}

function toOpenAI(message: ChatMessage): ChatCompletionMessageParam {
	switch (message.role) {
		case "system":
		case "user":
			return { role: message.role, content: message.content };
		case "assistant":
			return {
				role: "assistant",
				content: message.content,
				...(message.toolCalls?.length
					? {
							tool_calls: message.toolCalls.map(c => ({
								id: c.id,
								type: "function" as const,
								function: { name: c.name, arguments: c.arguments }
							}))
						}
					: {})
			};
		case "tool":
			return { role: "tool", tool_call_id: message.toolCallId, content: message.content };
	}
}

/** 408, 409, 429 and 5xx, and connection failures, may succeed on another attempt. */
function classify(err: unknown): ModelError {
	if (err instanceof OpenAI.APIUserAbortError) return new ModelError("The model call was aborted", true, err);
	if (err instanceof OpenAI.APIConnectionError) return new ModelError("The model endpoint is unreachable", true, err);
	if (err instanceof OpenAI.APIError) {
		const status = err.status ?? 0;
		const retryable = status === 408 || status === 409 || status === 429 || status >= 500;
		return new ModelError(`The model endpoint answered ${status}`, retryable, err);
	}
	return new ModelError("The model call failed", false, err);
}

export function createOpenAIModel(options: OpenAIModelOptions): Model {
	const client = new OpenAI({
		apiKey: options.apiKey,
		...(options.baseURL ? { baseURL: options.baseURL } : {}),
		maxRetries: 0,
		timeout: options.timeoutMs ?? 60_000
	});
	return {
		name: options.model,
		async complete(request: ModelRequest, { signal }): Promise<ModelResponse> {
			const tools: ChatCompletionTool[] = request.tools.map(t => ({
				type: "function",
				function: { name: t.name, description: t.description, parameters: t.parameters as unknown as Record<string, unknown> }
			}));
			let completion: OpenAI.Chat.Completions.ChatCompletion;
			try {
				completion = await client.chat.completions.create(
					{
						model: options.model,
						messages: request.messages.map(toOpenAI),
						...(tools.length ? { tools, tool_choice: "auto" as const } : {}),
						...(options.temperature !== undefined ? { temperature: options.temperature } : {})
					},
					{ signal }
				);
			} catch (err) {
				throw classify(err);
			}
			const choice = completion.choices?.[0];
			if (!choice?.message) throw new ModelError("The model answered with no choice", true);
			const toolCalls = (choice.message.tool_calls ?? []).flatMap(c =>
				c.type === "function" ? [{ id: c.id, name: c.function.name, arguments: c.function.arguments ?? "" }] : []
			);
			return {
				message: { content: choice.message.content ?? null, toolCalls },
				model: completion.model || options.model,
				...(completion.usage
					? { usage: { promptTokens: completion.usage.prompt_tokens, completionTokens: completion.usage.completion_tokens } }
					: {})
			};
		}
	};
}
