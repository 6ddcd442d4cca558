package micro.client;

import java.lang.reflect.Type;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The RPC client (go-micro's {@code client.Client}): finds a node of the service through the selector, calls it over
 * the transport with the codec of the request's content type, retries on 408/500, honours {@code MICRO_PROXY}.
 * Registered as an OSGi service by the runtime.
 */
@ProviderType
public interface Client {
	/** The error id of errors made by the client itself. */
	String ERROR_ID = "go.micro.client";

	/**
	 * A unary call. The response is decoded into {@code responseType}; with {@link micro.codec.RawBody} as the type
	 * the response bytes are returned undecoded.
	 *
	 * @throws micro.errors.MicroError on any failure, remote or local
	 */
	<T> T call(Request request, Class<T> responseType, CallOptions options);

	/** As {@link #call(Request, Class, CallOptions)} for a generic response type. */
	Object call(Request request, Type responseType, CallOptions options);

	/** Opens a stream; the request's body is sent as the first message (see {@link ClientStream}). */
	ClientStream stream(Request request, CallOptions options);

	/**
	 * Publishes a message to a topic through the broker, encoded with the content type given (default
	 * {@code application/json}), with the metadata of the options as headers.
	 */
	void publish(String topic, Object message, String contentType, CallOptions options);
}
