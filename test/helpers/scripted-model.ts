/**
 * A scripted `Model` for agent tests: it answers each call with the next step of its script and
 * records every request it received. A step is a response, a function of the request, an error to
 * throw, or "hang" (never answers; the runner's timeout must abort it).
 */
import type { ChatToolCall, Model, ModelRequest, ModelResponse, TurnInput } from "../../agents/runner";

export type ScriptStep = ModelResponse | ((request: ModelRequest) => ModelResponse) | Error | "hang";

export class ScriptedModel implements Model {
	readonly requests: ModelRequest[] = [];
	readonly aborted: number[] = [];
	private index = 0;
	constructor(
		private readonly script: ScriptStep[],
		readonly name = "gpt-4o-mini"
	) {}

	get calls(): number {
		return this.requests.length;
	}

	async complete(request: ModelRequest, { signal }: { signal: AbortSignal }): Promise<ModelResponse> {
		this.requests.push(structuredClone(request));
		const call = this.requests.length;
		const step = this.script[Math.min(this.index++, this.script.length - 1)];
		if (step === undefined) throw new Error("the script is empty");
		if (step === "hang")
			return new Promise((_, reject) =>
				signal.addEventListener("abort", () => {
					this.aborted.push(call);
					reject(new Error("aborted"));
				})
			);
		if (step instanceof Error) throw step;
		return typeof step === "function" ? step(request) : step;
	}
}

let n = 0;
export const toolCall = (name: string, args: unknown): ChatToolCall => ({
	id: `call_${++n}`,
	name,
	arguments: typeof args === "string" ? args : JSON.stringify(args)
});
export const callsTools = (...calls: ChatToolCall[]): ModelResponse => ({
	message: { content: null, toolCalls: calls },
	usage: { promptTokens: 100, completionTokens: 20 }
});
export const says = (content: string): ModelResponse => ({
	message: { content, toolCalls: [] },
	usage: { promptTokens: 120, completionTokens: 30 }
});

/** A turn of the fashion test customer saying `text`; `over` replaces any field. */
export function turnInput(text: string, over: Partial<TurnInput> = {}, turn = 3): TurnInput {
	return {
		conversationId: "fashion:15550001111",
		brand: "fashion",
		waId: "15550001111",
		turn,
		messages: [{ messageId: `m${turn}`, at: 1_000, text }],
		greet: false,
		cart: [],
		awaitingConfirmation: false,
		shown: [],
		sentiment: [0.5],
		misunderstood: 0,
		orderId: null,
		...over
	};
}
