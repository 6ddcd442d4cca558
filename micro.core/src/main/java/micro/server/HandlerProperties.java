package micro.server;

/**
 * The OSGi service properties of the whiteboard: a handler object registered with {@link #SERVICE} is served by the
 * runtime under that service name; one registered with {@link #TOPIC} subscribes to the topic.
 */
public final class HandlerProperties {
	/** The micro service name the handler belongs to, for example {@code go.micro.srv.example}. */
	public static final String SERVICE = "micro.service";
	/** Optional: the {@code Type} part of the endpoints instead of the class's simple name. */
	public static final String HANDLER = "micro.handler";
	/** Optional: the service version (default {@code latest}). */
	public static final String VERSION = "micro.service.version";
	/** A subscriber's topic. */
	public static final String TOPIC = "micro.topic";
	/** Optional: a subscriber's queue. */
	public static final String QUEUE = "micro.queue";

	private HandlerProperties() {
	}
}
