/**
 * Every REPL command of the product. A service that wants commands of its own adds a
 * `repl/<service>.ts` exporting a `ReplCommand[]` and lists it here; commands reach services
 * through `broker.call`, so they work from a REPL node that joined the cluster as well.
 */
import type { ServiceBroker } from "moleculer";
import { healthCommands } from "./health";
import { dlqCommands } from "./dlq";
import { whatsappCommands } from "./whatsapp";
import { catalogCommands } from "./catalog";
import { ordersCommands } from "./orders";
import { conversationCommands } from "./conversations";
import { escalationCommands } from "./escalations";
import type { ReplArgs, ReplCommand } from "./types";

export const replCommands: ReplCommand[] = [...healthCommands, ...dlqCommands, ...whatsappCommands, ...catalogCommands, ...ordersCommands, ...conversationCommands, ...escalationCommands];

/** moleculer-repl's shape; errors are printed, never thrown into the REPL loop. */
export function toMoleculerCommands(commands: ReplCommand[] = replCommands) {
	return commands.map(c => ({
		command: c.command,
		description: c.description,
		alias: c.alias,
		options: c.options,
		async action(broker: ServiceBroker, args: ReplArgs) {
			try {
				console.log(await c.run(broker, { ...args, options: args?.options ?? {} }));
			} catch (err) {
				const e = err as Error & { type?: string };
				console.log(`error: ${e.type ? `${e.type}: ` : ""}${e.message}`);
			}
		}
	}));
}
