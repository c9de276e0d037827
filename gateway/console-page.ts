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
import type { ApiRouteSchema } from "moleculer-web";

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
			"GET /page.css": serve(assets.style)
		}
	} as ApiRouteSchema
];
