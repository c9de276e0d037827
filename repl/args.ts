/** Reading what moleculer-repl hands a command. */
import type { ReplArgs } from "./types";

/**
 * The words after the first `skip` of the command line. moleculer-repl maps one word per declared
 * argument, so free text ("black leather jacket") is read from the raw command when there is one.
 */
export function restWords(args: ReplArgs, skip: number, positional: string[]): string[] {
	if (typeof args.rawCommand === "string") {
		const words = args.rawCommand.trim().split(/\s+/);
		const out: string[] = [];
		for (let i = 0; i < words.length; i++) {
			if (words[i]!.startsWith("--")) {
				// Every option of these commands takes a value, except the ones written --flag=value.
				if (!words[i]!.includes("=")) i++;
				continue;
			}
			out.push(words[i]!);
		}
		return out.slice(skip);
	}
	return positional.flatMap(name => {
		const v = args[name];
		return Array.isArray(v) ? v.map(String) : typeof v === "string" || typeof v === "number" ? [String(v)] : [];
	});
}
