package micro.api;

import micro.broker.Broker;
import micro.client.CallOptions;
import micro.client.Client;

/** What the gateway gives a handler for one request. */
public interface ApiContext {
	/** The gateway's RPC client. */
	Client client();

	/**
	 * The options for calls made for this request: the timeout (the request's {@code Timeout} header in seconds,
	 * capped, or the configured default) and the request's headers as metadata.
	 */
	CallOptions callOptions();

	/** The namespace with its type, for example {@code go.micro.api}: the prefix of service names and event topics. */
	String namespace();

	/** The broker, or null when the gateway has none. */
	Broker broker();
}
