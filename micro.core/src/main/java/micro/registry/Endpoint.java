package micro.registry;

import java.util.Map;

/** go-micro's {@code registry.Endpoint}: {@code Type.Method}, request and response value trees, metadata. */
public record Endpoint(String name, Value request, Value response, Map<String, String> metadata) {
	public Endpoint {
		metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
	}
}
