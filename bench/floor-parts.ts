/**
 * What both end-to-end floors do the same way, so they differ only in what the bench compares:
 * the signed webhook in (body read, HMAC checked, the one message handed on, 200) and the text
 * reply out (one POST to the Graph API on a keep-alive agent).
 */
import http from "node:http";
import { verifySignature } from "../gateway/whatsapp/signature";

export interface InboundText {
	phoneNumberId: string;
	from: string;
	id: string;
	text: string;
}

/** POSTs a text reply as the product's Graph client does; rejects on anything but 200. */
export function postTextReply(agent: http.Agent, graph: URL, token: string, phoneNumberId: string, to: string, text: string): Promise<void> {
	const body = Buffer.from(JSON.stringify({ messaging_product: "whatsapp", recipient_type: "individual", to, type: "text", text: { body: text } }));
	return new Promise((resolve, reject) => {
		const req = http.request(
			{
				host: graph.hostname,
				port: graph.port,
				path: `${graph.pathname.replace(/\/+$/, "")}/${phoneNumberId}/messages`,
				method: "POST",
				agent,
				headers: { "content-type": "application/json", "content-length": body.length, authorization: `Bearer ${token}` }
			},
			res => {
				res.resume();
				res.on("end", () => (res.statusCode === 200 ? resolve() : reject(new Error(`Graph HTTP ${res.statusCode}`))));
			}
		);
		req.on("error", reject);
		req.end(body);
	});
}

/** The webhook endpoint on 127.0.0.1:`port`: 401 for a bad signature, 500 if `onMessage` fails, else 200 once it is done. */
export function listenForWebhooks(port: number, secret: string, onMessage: (m: InboundText) => Promise<void>): void {
	http
		.createServer((req, res) => {
			const chunks: Buffer[] = [];
			req.on("data", c => chunks.push(c));
			req.on("end", async () => {
				try {
					const raw = Buffer.concat(chunks);
					if (!verifySignature(secret, req.headers["x-hub-signature-256"], raw).ok) {
						res.writeHead(401).end();
						return;
					}
					const value = JSON.parse(raw.toString()).entry[0].changes[0].value;
					const message = value.messages[0];
					await onMessage({ phoneNumberId: value.metadata.phone_number_id, from: message.from, id: message.id, text: message.text?.body ?? "" });
					res.writeHead(200, { "content-type": "application/json" }).end('{"ok":true}');
				} catch {
					res.writeHead(500).end();
				}
			});
		})
		.listen(port, "127.0.0.1", () => process.stdout.write("ready\n"));
}
