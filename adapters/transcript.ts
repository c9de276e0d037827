/**
 * A conversation's transcript: an append-only store list beside its snapshot. The conversation's
 * writer appends the customer's and the AI's lines, the sales assistant a human seller's; both may
 * append at once (a list append is atomic in either store).
 *
 * A writer that retries after a lost race appends its lines again, so reading skips an id already
 * seen; a line's `seq` is its position in the list, which is why seqs can have gaps but never move.
 */
import type { BatchOp, Store } from "./store/store";
import type { TranscriptEntry, TranscriptLine } from "../contracts/conversation";

export const transcriptKey = (conversationId: string) => `conv:log:${conversationId}`;
/** Longer texts are cut: the transcript is for reading back, WhatsApp already holds the original. */
export const TRANSCRIPT_TEXT_MAX = 4096;

export async function appendTranscript(store: Store, conversationId: string, entries: readonly TranscriptEntry[], retentionMs?: number): Promise<void> {
	const ops = transcriptAppendOps(conversationId, entries, retentionMs);
	if (ops.length) await store.batch(ops);
}

/**
 * The store steps that append `entries` in order, for a writer that batches them with others.
 * With `retentionMs` the transcript then lives that long from this append (see CONVERSATION_RETENTION_DAYS).
 */
export function transcriptAppendOps(conversationId: string, entries: readonly TranscriptEntry[], retentionMs?: number): BatchOp[] {
	const key = transcriptKey(conversationId);
	const ops: BatchOp[] = entries.map(e => {
		const text = e.text.length > TRANSCRIPT_TEXT_MAX ? `${e.text.slice(0, TRANSCRIPT_TEXT_MAX - 1)}…` : e.text;
		return { op: "append", key, value: { ...e, text } };
	});
	if (ops.length && retentionMs !== undefined) ops.push({ op: "expire", key, ttlMs: retentionMs });
	return ops;
}

export interface ReadOptions {
	/** Only lines after this seq (a console catching up). */
	afterSeq?: number;
	/** Only the last `last` lines (the model's history, the REPL). */
	last?: number;
}

/**
 * Extra entries read beyond twice the lines asked for. A writer retrying a step appends its lines
 * again right after the first ones, so the window holds both occurrences and the repeat is skipped;
 * only a repeat appended more than this many lines later would show once more, at its later seq.
 */
const TAIL_SLACK = 16;

/** Unique lines of `raw`, whose first item sits at list position `first` (0-based). */
function linesOf(raw: TranscriptEntry[], first: number): TranscriptLine[] {
	const seen = new Set<string>();
	const lines: TranscriptLine[] = [];
	raw.forEach((e, i) => {
		if (seen.has(e.id)) return;
		seen.add(e.id);
		lines.push({ ...e, seq: first + i + 1 });
	});
	return lines;
}

export async function readTranscript(store: Store, conversationId: string, opts: ReadOptions = {}): Promise<TranscriptLine[]> {
	// Every turn reads the model's history: only the end of the list, however long the conversation.
	if (opts.last !== undefined && opts.afterSeq === undefined) {
		const { length, items } = await store.tail<TranscriptEntry>(transcriptKey(conversationId), opts.last * 2 + TAIL_SLACK);
		return linesOf(items, length - items.length).slice(-opts.last);
	}
	const lines = linesOf(await store.range<TranscriptEntry>(transcriptKey(conversationId), 0, -1), 0);
	const after = opts.afterSeq !== undefined ? lines.filter(l => l.seq > opts.afterSeq!) : lines;
	return opts.last !== undefined ? after.slice(-opts.last) : after;
}

/** The seq of each given entry id (first occurrence), for ids present in the transcript. */
export async function seqsOf(store: Store, conversationId: string, ids: readonly string[]): Promise<Map<string, number>> {
	// The whole list: a repeat appended long after its first occurrence must still give the first seq.
	const wanted = new Set(ids);
	const out = new Map<string, number>();
	for (const line of await readTranscript(store, conversationId)) if (wanted.has(line.id) && !out.has(line.id)) out.set(line.id, line.seq);
	return out;
}
