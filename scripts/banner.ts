import { DEFAULT_HOST, DEFAULT_PORT, DEFAULT_SELLERS_FILE, type Config } from "../config";

/** What a developer needs after `npm start`: where things are, and the dev secrets in use. */
export function banner(cfg: Config, services: string[]): string {
	const base = `http://${cfg.host === "0.0.0.0" ? "localhost" : cfg.host}:${cfg.port}`;
	const lines = [
		"",
		"Agent Store is running",
		`  mode          ${cfg.transporter ? `cluster (${cfg.transporter})` : "embedded (one process)"}; store ${cfg.redisUrl ? "Redis" : "in-memory"}`,
		`  services      ${services.join(", ")}`,
		`  WhatsApp      ${cfg.whatsapp.accessToken ? `live (${cfg.whatsapp.apiUrl})` : "sandbox (outbound messages go to the outbox)"}`,
		`  brain         ${cfg.openai.apiKey ? `OpenAI-compatible (${cfg.openai.model})` : "offline (deterministic, no network)"}`
	];
	if (services.includes("api"))
		lines.push(
			"",
			`  health        ${base}/health/live  ${base}/health/ready`,
			`  metrics       ${base}/metrics`
		);
	// The page's socket is served by the console service of the same node.
	if (services.includes("api") && services.includes("console")) lines.push(`  console       ${base}/console`);
	if (services.includes("whatsapp") && services.includes("api")) {
		lines.push(`  webhook       ${base}/webhooks/whatsapp`);
		if (!cfg.whatsapp.accessToken) {
			// The chat signs its webhooks: it needs this instance's app secret (and port, if not the default).
			const env = [
				...(cfg.devDefaults.WHATSAPP_APP_SECRET ? [`WHATSAPP_APP_SECRET=${cfg.whatsapp.appSecret}`] : []),
				...(cfg.port !== DEFAULT_PORT ? [`PORT=${cfg.port}`] : []),
				...(cfg.host !== DEFAULT_HOST ? [`HOST=${cfg.host}`] : [])
			];
			lines.push(
				`  sandbox       ${base}/sandbox/outbox`,
				"",
				"  chat as a customer (in another terminal):",
				`    ${[...env, "npm run chat -- --brand", cfg.brands[0].id, "--from 15550001234"].join(" ")}`
			);
		}
	}
	const dev = Object.entries(cfg.devDefaults);
	if (dev.length) {
		lines.push("", "  development secrets (set these variables in production):");
		for (const [k, v] of dev) lines.push(`    ${k}=${v}`);
		// Each node draws its own: a webhook signed for one is refused by the next.
		if (cfg.transporter) lines.push("    (cluster mode: every node generated its own; set them to the same values on every node)");
	}
	if (cfg.sellers.length) {
		// A real team's tokens are their passwords: never in the logs. The demo sellers' are for trying it out.
		const demo = cfg.sellersFile === DEFAULT_SELLERS_FILE;
		lines.push("", demo ? "  human sellers (demo console tokens):" : `  human sellers (console tokens in ${cfg.sellersFile}):`);
		for (const s of cfg.sellers) lines.push(`    ${s.name.padEnd(14)} ${demo ? `${s.token}  ` : ""}brands: ${s.brands.join(", ")}`);
	}
	lines.push("", "  operators: npm run repl", "");
	return lines.join("\n") + "\n";
}
