package micro.broker;

/** A running subscription; {@link #close()} unsubscribes. */
public interface Subscription extends AutoCloseable {
	String topic();

	/** The queue name, or null for a broadcast subscription. */
	String queue();

	@Override
	void close();
}
