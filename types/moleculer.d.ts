import type { Store } from "../adapters/store/store";

declare module "moleculer" {
	interface ServiceBroker {
		/** Added by the Store middleware. */
		store: Store;
		/** Added by the channels middleware. */
		sendToChannel(channel: string, payload: unknown, opts?: { headers?: Record<string, string>; raw?: boolean }): Promise<void>;
		channelAdapter: {
			connected: boolean;
			parseMessageHeaders(raw: unknown): Record<string, string> | null;
		};
	}
}
