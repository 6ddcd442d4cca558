package micro.distribution.plugin;

import java.util.Dictionary;
import java.util.Hashtable;

import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;

import micro.broker.Broker;
import micro.broker.BrokerMessage;
import micro.broker.MessageHandler;
import micro.broker.Subscription;

/**
 * The activator of a small plugin bundle that {@code CliIT} builds from these classes: it registers a {@link Broker}
 * named {@value #NAME} ({@code micro.broker=ittest}) that delivers nothing, as a real plugin registers its broker.
 */
public final class TestBrokerActivator implements BundleActivator {
	public static final String NAME = "ittest";

	@Override
	public void start(BundleContext context) {
		Dictionary<String, Object> properties = new Hashtable<>();
		properties.put(Broker.NAME_PROPERTY, NAME);
		context.registerService(Broker.class, new QuietBroker(), properties);
	}

	@Override
	public void stop(BundleContext context) {
		// the framework unregisters the broker
	}

	static final class QuietBroker implements Broker {
		@Override
		public String name() {
			return NAME;
		}

		@Override
		public String address() {
			return "";
		}

		@Override
		public void publish(String topic, BrokerMessage message) {
			// a test plugin: messages go nowhere
		}

		@Override
		public Subscription subscribe(String topic, String queue, MessageHandler handler) {
			return new Subscription() {
				@Override
				public String topic() {
					return topic;
				}

				@Override
				public String queue() {
					return queue;
				}

				@Override
				public void close() {
					// nothing to release
				}
			};
		}
	}
}
