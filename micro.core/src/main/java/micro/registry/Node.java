package micro.registry;

import java.util.Map;

/** go-micro's {@code registry.Node}: id {@code <service>-<uuid>}, address {@code host:port}, metadata. */
public record Node(String id, String address, Map<String, String> metadata) {
	public Node {
		metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
	}
}
