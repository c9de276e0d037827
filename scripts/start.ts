/**
 * `npm start`: the product in one process. With no TRANSPORTER this is the embedded default
 * (in-memory stores and channels, sandbox WhatsApp, offline brain); with TRANSPORTER the same
 * services join the cluster, and SERVICES limits which ones this process runs.
 */
import { ServiceBroker } from "moleculer";
import { getConfigOrExit } from "../config";
import { createBrokerOptions } from "../moleculer.config";
import { selectServices, UnknownServiceError } from "../services";
import { banner } from "./banner";

async function main(): Promise<void> {
	const cfg = getConfigOrExit();
	let schemas;
	try {
		schemas = selectServices(cfg.services);
	} catch (err) {
		if (err instanceof UnknownServiceError) {
			process.stderr.write(`Configuration error: ${err.message}\n`);
			process.exit(1);
		}
		throw err;
	}

	const broker = new ServiceBroker(createBrokerOptions(cfg));
	for (const schema of schemas) broker.createService(schema);

	let stopping = false;
	const shutdown = async (signal: string) => {
		if (stopping) return;
		stopping = true;
		broker.logger.info(`${signal} received: finishing in-flight work, then stopping`);
		const force = setTimeout(() => {
			broker.logger.error("Shutdown took too long; exiting");
			process.exit(1);
		}, cfg.shutdownTimeoutMs + 5000);
		force.unref();
		try {
			await broker.stop();
			process.exit(0);
		} catch (err) {
			broker.logger.error("Error while stopping", err);
			process.exit(1);
		}
	};
	process.on("SIGTERM", () => void shutdown("SIGTERM"));
	process.on("SIGINT", () => void shutdown("SIGINT"));

	await broker.start();
	process.stdout.write(banner(cfg, schemas.map(s => s.name)));
}

main().catch(err => {
	process.stderr.write(`Failed to start: ${(err as Error)?.stack ?? err}\n`);
	process.exit(1);
});
