package micro.server.internal;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import micro.broker.Broker;
import micro.broker.BrokerMessage;
import micro.broker.MessageHandler;
import micro.broker.Subscription;

/** Delivers published messages synchronously to the subscribers of the topic. */
final class TestBroker implements Broker {
	record Sub(String topic, String queue, MessageHandler handler) {
	}

	final List<Sub> subscriptions = new CopyOnWriteArrayList<>();

	@Override
	public String name() {
		return "test";
	}

	@Override
	public String address() {
		return "127.0.0.1:1";
	}

	@Override
	public void publish(String topic, BrokerMessage message) {
		for (Sub s : subscriptions) {
			if (s.topic().equals(topic)) {
				try {
					s.handler().handle(topic, message);
				} catch (Exception e) {
					throw new IllegalStateException(e);
				}
			}
		}
	}

	@Override
	public Subscription subscribe(String topic, String queue, MessageHandler handler) {
		return add(new Sub(topic, queue, handler));
	}

	private Subscription add(Sub s) {
		subscriptions.add(s);
		return new Subscription() {
			@Override
			public String topic() {
				return s.topic();
			}

			@Override
			public String queue() {
				return s.queue();
			}

			@Override
			public void close() {
				subscriptions.remove(s);
			}
		};
	}
}
