package micro.client;

/**
 * One call: the service, the endpoint ({@code Type.Method}), the body and its content type (default
 * {@code application/json}).
 */
public record Request(String service, String endpoint, Object body, String contentType) {
	public static final String DEFAULT_CONTENT_TYPE = "application/json";

	public Request {
		if (service == null || service.isBlank()) {
			throw new IllegalArgumentException("a request needs a service");
		}
		if (endpoint == null || endpoint.isBlank()) {
			throw new IllegalArgumentException("a request needs an endpoint");
		}
		contentType = contentType == null || contentType.isBlank() ? DEFAULT_CONTENT_TYPE : contentType;
	}

	public Request(String service, String endpoint, Object body) {
		this(service, endpoint, body, null);
	}
}
