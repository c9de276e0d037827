/**
 * The model's memory of a conversation: the transcript's tail as prior chat messages, so that after
 * a restart, a coalesced burst or a handback from a human seller the AI continues knowing what was
 * said. Pure: the host reads the transcript and passes the lines in.
 *
 * Bounded twice, newest kept first: by count (a long chat does not grow the prompt without end)
 * and by characters (one pasted essay does not either). A human seller's and the system's lines are
 * the shop's side of the chat, so they go in as assistant messages with a marker the model can read.
 */
import type { TranscriptLine } from "../contracts/conversation";
import type { ChatMessage } from "./runner";

export const HISTORY_MAX_MESSAGES = 12;
export const HISTORY_MAX_CHARS = 4000;
/** One line longer than this is cut: the tail of a long message is rarely what the next turn needs. */
export const HISTORY_LINE_MAX_CHARS = 1000;

export interface HistoryOptions {
	maxMessages?: number;
	maxChars?: number;
	/** Lines of the turn being answered: they are its user message, not history. */
	exclude?: ReadonlySet<string>;
}

function content(line: TranscriptLine): string {
	// As the turn's own message reads (userContent): "[image] a caption", "[order FJ-001x2]".
	const caption = line.text ? ` ${line.text}` : "";
	const text = line.orderItems?.length
		? `[order ${line.orderItems.map(i => `${i.sku}x${i.qty}`).join(" ")}]${caption}`
		: line.media
			? `[${line.media}]${caption}`
			: line.text || (line.choiceId ? `[tap ${line.choiceId}]` : "");
	const cut = text.length > HISTORY_LINE_MAX_CHARS ? `${text.slice(0, HISTORY_LINE_MAX_CHARS - 1)}…` : text;
	if (line.from === "seller") return `[human seller] ${cut}`;
	if (line.from === "system") return `[notice] ${cut}`;
	return cut;
}

export function historyFromTranscript(lines: readonly TranscriptLine[], opts: HistoryOptions = {}): ChatMessage[] {
	const maxMessages = opts.maxMessages ?? HISTORY_MAX_MESSAGES;
	const maxChars = opts.maxChars ?? HISTORY_MAX_CHARS;
	const out: ChatMessage[] = [];
	let chars = 0;
	// The customer never saw a line WhatsApp refused: the model must not think it was said.
	const undelivered = new Set(lines.flatMap(l => (l.undelivered ? [l.undelivered.id] : [])));
	for (let i = lines.length - 1; i >= 0 && out.length < maxMessages; i--) {
		const line = lines[i]!;
		if (opts.exclude?.has(line.id) || line.internal || undelivered.has(line.id)) continue;
		const text = content(line);
		if (!text) continue;
		if (chars + text.length > maxChars) break;
		chars += text.length;
		out.push(line.from === "customer" ? { role: "user", content: text } : { role: "assistant", content: text });
	}
	return out.reverse();
}
