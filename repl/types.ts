import type { ServiceBroker } from "moleculer";

/** Parsed REPL input: positional arguments by name, flags in `options`. */
export interface ReplArgs {
	options: Record<string, unknown>;
	[arg: string]: unknown;
}

/**
 * A REPL command. `run` is a plain async function returning the text to print, so tests call it
 * directly with a broker; `toMoleculerCommands` adapts it to moleculer-repl.
 */
export interface ReplCommand {
	command: string;
	description: string;
	alias?: string[];
	options?: { option: string; description: string }[];
	run(broker: ServiceBroker, args: ReplArgs): Promise<string>;
}
