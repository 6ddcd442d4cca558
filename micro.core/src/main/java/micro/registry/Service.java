package micro.registry;

import java.util.List;
import java.util.Map;

/**
 * go-micro's {@code registry.Service}: one name and version with its endpoints and nodes. The JSON keys are exactly
 * go-micro's ({@code name, version, metadata, endpoints, nodes}), so a record written by a Go service reads here and
 * the other way round.
 */
public record Service(String name, String version, Map<String, String> metadata, List<Endpoint> endpoints,
		List<Node> nodes) {

	public Service {
		metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
		endpoints = endpoints == null ? List.of() : List.copyOf(endpoints);
		nodes = nodes == null ? List.of() : List.copyOf(nodes);
		version = version == null ? "" : version;
	}

	/** The same service with other nodes. */
	public Service withNodes(List<Node> newNodes) {
		return new Service(name, version, metadata, endpoints, newNodes);
	}
}
