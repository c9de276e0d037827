/**
 * `GET /console`: the seller console page and its two assets, served by the `api` service from
 * memory (read once at load, so a missing file fails the start, not a seller's request).
 *
 * The page talks only to its own origin (the `/ws/seller` socket), so the Content-Security-Policy
 * allows nothing else: no inline script, no third-party origin, no framing. Customer text is
 * rendered with textContent by page.js; the policy is the second line of defence.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import path from "node:path";
import type { ServiceBroker } from "moleculer";
import type { ApiRouteSchema } from "moleculer-web";
import { brokerConfig } from "../adapters/broker-config";
import { sellerForToken } from "./console/auth";

export const CONSOLE_PAGE_PATH = "/console";

export const CONSOLE_CSP = [
	"default-src 'none'",
	"script-src 'self'",
	"style-src 'self'",
	// 'self' covers ws:/wss: of the same host and port in CSP 3.
	"connect-src 'self'",
	// data: only for the empty favicon, which spares the browser a request that would 404.
	"img-src 'self' data:",
	"base-uri 'none'",
	"form-action 'none'",
	"frame-ancestors 'none'"
].join("; ");

interface Asset {
	body: Buffer;
	type: string;
	etag: string;
}

const DIR = path.join(__dirname, "console");

function load(file: string, type: string): Asset {
	const body = readFileSync(path.join(DIR, file));
	return { body, type, etag: `"${createHash("sha256").update(body).digest("base64url").slice(0, 27)}"` };
}

const assets = {
	page: load("page.html", "text/html; charset=utf-8"),
	script: load("page.js", "text/javascript; charset=utf-8"),
	style: load("page.css", "text/css; charset=utf-8")
};

function serve(asset: Asset) {
	return (req: IncomingMessage, res: ServerResponse) => {
		res.setHeader("Content-Type", asset.type);
		res.setHeader("Content-Security-Policy", CONSOLE_CSP);
		res.setHeader("X-Content-Type-Options", "nosniff");
		res.setHeader("Referrer-Policy", "no-referrer");
		// Revalidated on every load, so a new deploy reaches open consoles at their next reload.
		res.setHeader("Cache-Control", "no-cache");
		res.setHeader("ETag", asset.etag);
		if (req.headers["if-none-match"] === asset.etag) {
			res.statusCode = 304;
			res.end();
			return;
		}
		res.statusCode = 200;
		res.setHeader("Content-Length", asset.body.length);
		res.end(asset.body);
	};
}

/**
 * `GET /console/session` with `Authorization: Bearer <token>`: 200 and who the token belongs to,
 * or 401. A browser cannot read why a WebSocket upgrade failed, so the page asks here when its
 * reconnects stop opening: a revoked token signs the seller out instead of reconnecting forever.
 * The token travels in a header, never in this URL.
 */
function session(this: { broker?: ServiceBroker }, req: IncomingMessage & { $service?: { broker: ServiceBroker } }, res: ServerResponse): void {
	const broker = req.$service?.broker ?? this.broker!;
	const auth = req.headers.authorization ?? "";
	const seller = auth.startsWith("Bearer ") ? sellerForToken(brokerConfig(broker).sellers, auth.slice(7)) : null;
	res.setHeader("Content-Type", "application/json; charset=utf-8");
	res.setHeader("Cache-Control", "no-store");
	res.setHeader("X-Content-Type-Options", "nosniff");
	if (!seller) {
		res.statusCode = 401;
		res.setHeader("WWW-Authenticate", 'Bearer realm="console"');
		res.end(JSON.stringify({ error: "UNAUTHORIZED", message: "The token is not a seller's" }));
		return;
	}
	res.statusCode = 200;
	res.end(JSON.stringify({ seller: { id: seller.id, name: seller.name, brands: seller.brands } }));
}

export const consolePageRoutes: ApiRouteSchema[] = [
	{
		path: CONSOLE_PAGE_PATH,
		mappingPolicy: "restrict",
		whitelist: [],
		bodyParsers: { json: false, urlencoded: false },
		logging: false,
		aliases: {
			"GET /": serve(assets.page),
			"GET /page.js": serve(assets.script),
			"GET /page.css": serve(assets.style),
			"GET /session": session
		}
	} as ApiRouteSchema
];
