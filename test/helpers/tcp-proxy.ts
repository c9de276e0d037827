/**
 * A TCP proxy on loopback in front of a server (NATS, Redis), to stage an outage for the clients
 * behind it: `cut()` closes every connection and refuses new ones, `restore()` listens again on
 * the same port, as a server coming back would.
 */
import { createConnection, createServer, type Server, type Socket } from "node:net";

export interface TcpProxy {
	port: number;
	/** `scheme://127.0.0.1:<proxy port>` */
	url(scheme: string): string;
	cut(): Promise<void>;
	restore(): Promise<void>;
	close(): Promise<void>;
}

export async function tcpProxy(targetPort: number, host = "127.0.0.1"): Promise<TcpProxy> {
	const sockets = new Set<Socket>();
	const track = (s: Socket) => {
		sockets.add(s);
		s.on("close", () => sockets.delete(s));
		s.on("error", () => s.destroy());
	};
	const make = (): Server =>
		createServer(client => {
			const upstream = createConnection({ host, port: targetPort });
			track(client);
			track(upstream);
			client.pipe(upstream);
			upstream.pipe(client);
			client.on("close", () => upstream.destroy());
			upstream.on("close", () => client.destroy());
		});
	const listen = (server: Server, port: number) =>
		new Promise<number>((resolve, reject) => {
			server.once("error", reject);
			server.listen(port, host, () => {
				server.off("error", reject);
				resolve((server.address() as { port: number }).port);
			});
		});
	let server: Server | null = make();
	const port = await listen(server, 0);
	const cut = async () => {
		const closing = server;
		server = null;
		for (const s of sockets) s.destroy();
		if (closing) await new Promise<void>(resolve => closing.close(() => resolve()));
	};
	return {
		port,
		url: scheme => `${scheme}://${host}:${port}`,
		cut,
		async restore() {
			if (server) return;
			server = make();
			await listen(server, port);
		},
		close: cut
	};
}
