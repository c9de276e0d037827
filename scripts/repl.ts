/**
 * `npm run repl`: with TRANSPORTER set, a service-less node that joins the running cluster; without,
 * the embedded product itself, with the REPL attached.
 */
import { ServiceBroker } from "moleculer";
import { getConfigOrExit } from "../config";
import { createBrokerOptions } from "../moleculer.config";
import { selectServices } from "../services";

async function main(): Promise<void> {
	const cfg = getConfigOrExit();
	const joining = !!cfg.transporter;
	const broker = new ServiceBroker(createBrokerOptions(cfg, { nodeID: joining ? `repl-${process.pid}` : undefined }));
	if (!joining) for (const schema of selectServices(cfg.services)) broker.createService(schema);
	await broker.start();
	broker.repl();
}

main().catch(err => {
	process.stderr.write(`Failed to start the REPL: ${(err as Error)?.stack ?? err}\n`);
	process.exit(1);
});
