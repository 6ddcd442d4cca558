package micro.api;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * One way of turning an HTTP request into a call (go-micro's {@code api/handler.Handler}). The gateway has routed the
 * request already: the {@link ApiRoute} names the service and endpoint. A handler is called from a request thread and
 * may block; the request body is read in full (up to the gateway's body limit) before it is called.
 * <p>
 * Under OSGi, register an implementation as a service with {@value #NAME_PROPERTY}{@code =<name>}; a handler bundle
 * installed into a running container is used from its next request on.
 */
@ConsumerType
public interface ApiHandler {
	/** The OSGi service property that names a handler. */
	String NAME_PROPERTY = "micro.api.handler";

	/**
	 * Handles one request.
	 *
	 * @throws micro.errors.MicroError to answer with that error's JSON and HTTP status; any other exception answers 500
	 */
	ApiResponse handle(ApiRequest request, ApiRoute route, ApiContext context) throws Exception;
}
