import type { ServiceBroker } from "moleculer";
import type { DeadLetter } from "../adapters/dead-letters";
import { maskValue } from "../adapters/logging";
import type { ReplArgs, ReplCommand } from "./types";

const USAGE = "usage: dlq list [--channel c] [--group g] [--limit n] | dlq show <id> | dlq replay <id> | dlq replay --all | dlq purge [--channel c] [--group g]";

function filters(args: ReplArgs): { channel?: string; group?: string } {
	const out: { channel?: string; group?: string } = {};
	if (typeof args.options.channel === "string") out.channel = args.options.channel;
	if (typeof args.options.group === "string") out.group = args.options.group;
	return out;
}

function line(e: DeadLetter): string {
	return `${e.id}  ${e.createdAt}  ${e.channel}  ${e.group}  attempts=${e.error.attempts}  ${e.error.code}: ${e.error.message}`;
}

export async function runDlq(broker: ServiceBroker, args: ReplArgs): Promise<string> {
	const sub = typeof args.sub === "string" ? args.sub : "list";
	const id = typeof args.id === "string" ? args.id : undefined;
	switch (sub) {
		case "list": {
			const limitRaw = args.options.limit;
			const limit = limitRaw === undefined ? 50 : Number(limitRaw);
			if (!Number.isInteger(limit) || limit < 1 || limit > 500) return "--limit must be an integer from 1 to 500";
			const { items, total } = await broker.call<{ items: DeadLetter[]; total: number }, object>("dlq.list", { ...filters(args), limit });
			if (!total) return "The dead-letter queue is empty.";
			return [`${total} dead letter(s)${total > items.length ? `, showing ${items.length}` : ""}:`, ...items.map(line)].join("\n");
		}
		case "show": {
			if (!id) return USAGE;
			const entry = await broker.call<DeadLetter, object>("dlq.get", { id });
			// Phone numbers masked as in the logs and the other views; the entry's own id as it is, to replay it by.
			return JSON.stringify({ ...(maskValue(entry) as DeadLetter), id: entry.id }, null, 2);
		}
		case "replay": {
			if (args.options.all) {
				const res = await broker.call<{ replayed: string[]; failed: { id: string; message: string }[] }, object>("dlq.replayAll", filters(args));
				return [`Replayed ${res.replayed.length} dead letter(s).`, ...res.failed.map(f => `failed ${f.id}: ${f.message}`)].join("\n");
			}
			if (!id) return USAGE;
			const res = await broker.call<{ channel: string; group: string }, object>("dlq.replay", { id });
			return `Replayed ${id} on ${res.channel} for ${res.group}.`;
		}
		case "purge": {
			const res = await broker.call<{ purged: number }, object>("dlq.purge", filters(args));
			return `Purged ${res.purged} dead letter(s).`;
		}
		default:
			return USAGE;
	}
}

export const dlqCommands: ReplCommand[] = [
	{
		command: "dlq [sub] [id]",
		description: "Dead letters: list, show <id>, replay <id> | --all, purge",
		options: [
			{ option: "--channel <channel>", description: "only this channel (event type)" },
			{ option: "--group <group>", description: "only this consumer group" },
			{ option: "--limit <n>", description: "at most n entries (list)" },
			{ option: "--all", description: "replay every entry (replay)" }
		],
		run: runDlq
	}
];
