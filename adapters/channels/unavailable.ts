/**
 * The channels adapters return silently from `publish` while they stop: the caller believes the
 * message was accepted and it is gone. Our adapters throw this instead, so the caller can answer
 * "try again" (a webhook answers non-200 and Meta retries).
 */
export class ChannelUnavailableError extends Error {
	readonly retryable = true;
	readonly code = 503;
	readonly type = "CHANNEL_UNAVAILABLE";
	constructor(channel: string) {
		super(`Channel '${channel}' cannot accept messages: the adapter is not connected`);
		this.name = "ChannelUnavailableError";
	}
}

export function assertCanPublish(adapter: { stopping?: boolean; connected: boolean }, channel: string): void {
	if (adapter.stopping || !adapter.connected) throw new ChannelUnavailableError(channel);
}
