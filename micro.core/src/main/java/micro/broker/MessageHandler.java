package micro.broker;

import org.osgi.annotation.versioning.ConsumerType;

/** Receives the messages of a subscription. An exception means the message was not handled. */
@ConsumerType
@FunctionalInterface
public interface MessageHandler {
	void handle(String topic, BrokerMessage message) throws Exception;
}
