package micro.server;

import java.io.IOException;
import java.util.Map;

import org.osgi.annotation.versioning.ProviderType;

/**
 * One micro service: a listener on the transport, its handlers and subscribers, and its registration (node id
 * {@code <name>-<uuid>}, re-registered every interval with the TTL, deregistered on stop). Made by a
 * {@link ServerFactory}; the runtime makes one per service name for the handlers registered as OSGi services.
 * <p>
 * Handlers: every public method of a handler object becomes the endpoint {@code Type.Method}, where {@code Type} is
 * the class's simple name unless a name is given (or the handler is a {@link DescribedHandler}). Method shapes:
 * <ul>
 * <li>unary: {@code Rsp m(Req)} or {@code Rsp m(Context, Req)};</li>
 * <li>server streaming: {@code void m(Req, ServerStream)} (optionally with {@link Context} first);</li>
 * <li>client or bidirectional streaming: {@code void m(ServerStream)} (optionally with {@link Context} first).</li>
 * </ul>
 * Request and response types are protobuf messages, records or POJOs; the registry describes them by their proto field
 * names or field names.
 */
@ProviderType
public interface Server {
	/** The error id of errors made by the server itself. */
	String ERROR_ID = "go.micro.server";

	ServerOptions options();

	/** The node id: {@code <name>-<uuid>}. */
	String nodeId();

	/** The advertised address once started, host:port. */
	String address();

	/** Adds a handler named after its class. */
	default void handle(Object handler) {
		handle(null, handler, Map.of());
	}

	/**
	 * Adds a handler.
	 *
	 * @param name             the {@code Type} part of its endpoints, or null for the class's simple name
	 * @param endpointMetadata metadata per method name (for example the API gateway's {@code handler}, {@code path})
	 */
	void handle(String name, Object handler, Map<String, Map<String, String>> endpointMetadata);

	/** Removes a handler added before. */
	void unhandle(Object handler);

	/**
	 * Adds a subscriber: a public method of one parameter (the message), optionally with a {@link Context} first. A
	 * queue name makes the subscribers of that queue share the messages; null broadcasts.
	 */
	void subscribe(String topic, Object subscriber, String queue);

	void unsubscribe(Object subscriber);

	boolean isStarted();

	void start() throws IOException;

	/** Deregisters, unsubscribes, lets in-flight requests finish, and closes the listener. */
	void stop();
}
