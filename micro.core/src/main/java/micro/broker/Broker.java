package micro.broker;

import java.io.IOException;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Publish/subscribe. Plugins register an implementation as an OSGi service with the property {@value #NAME_PROPERTY}
 * ({@code http} is built in, as in go-micro v2.5+; {@code kafka} is a plugin).
 */
@ProviderType
public interface Broker {
	String NAME_PROPERTY = "micro.broker";

	String name();

	/** The address subscribers are reached at (for the HTTP broker, its listener). */
	String address();

	/** Publishes; delivery may happen after this returns. */
	void publish(String topic, BrokerMessage message) throws IOException;

	/**
	 * Subscribes to a topic. With a queue name, each message goes to one subscriber of that queue; without one
	 * (null), every subscriber gets every message.
	 */
	Subscription subscribe(String topic, String queue, MessageHandler handler) throws IOException;
}
