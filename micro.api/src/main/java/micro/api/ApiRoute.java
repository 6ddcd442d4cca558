package micro.api;

import java.util.List;
import java.util.Map;

import micro.registry.Service;

/**
 * Where a request goes: the full service name, the endpoint ({@code Type.Method}, or the HTTP method for the proxying
 * handlers), the handler that serves it, the fields captured by a path template ({@code /v1/users/{id}} gives
 * {@code id}), the body field of the endpoint ({@code *} or empty for the whole body), the registry entries of the
 * service and the metadata of the matched endpoint (for example {@code stream=true}).
 */
public record ApiRoute(String service, String endpoint, String handler, Map<String, String> pathFields,
		String bodyField, List<Service> services, Map<String, String> endpointMetadata) {

	public ApiRoute {
		pathFields = pathFields == null ? Map.of() : Map.copyOf(pathFields);
		bodyField = bodyField == null ? "" : bodyField;
		services = services == null ? List.of() : List.copyOf(services);
		endpointMetadata = endpointMetadata == null ? Map.of() : Map.copyOf(endpointMetadata);
	}

	/** True when the endpoint streams ({@code stream=true} in its registry metadata). */
	public boolean streaming() {
		return "true".equalsIgnoreCase(endpointMetadata.get("stream"));
	}
}
