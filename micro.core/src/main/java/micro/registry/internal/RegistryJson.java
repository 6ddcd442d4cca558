package micro.registry.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import micro.registry.Endpoint;
import micro.registry.Node;
import micro.registry.Service;
import micro.registry.Value;

/**
 * The JSON of go-micro's registry model (micro-v2.md §7.3), key for key: {@code name, version, metadata, endpoints,
 * nodes}; {@code id, address, metadata}; {@code name, request, response, metadata}; {@code name, type, values}.
 * <p>
 * Writing follows what Go's {@code encoding/json} produces for the structs go-micro fills: a leaf value's
 * {@code values} is {@code null} (a nil slice), an absent request or response is {@code null}, maps are objects.
 * Reading accepts {@code null} and missing fields everywhere, and ignores unknown ones.
 */
public final class RegistryJson {
	private static final ObjectMapper MAPPER = new ObjectMapper();

	private RegistryJson() {
	}

	public static String write(Service service) {
		return toString(toTree(service));
	}

	public static String writeList(List<Service> services) {
		ArrayNode a = MAPPER.createArrayNode();
		services.forEach(s -> a.add(toTree(s)));
		return toString(a);
	}

	public static ObjectNode toTree(Service s) {
		ObjectNode o = MAPPER.createObjectNode();
		o.put("name", s.name());
		o.put("version", s.version());
		o.set("metadata", map(s.metadata()));
		ArrayNode endpoints = o.putArray("endpoints");
		s.endpoints().forEach(e -> endpoints.add(toTree(e)));
		ArrayNode nodes = o.putArray("nodes");
		s.nodes().forEach(n -> nodes.add(toTree(n)));
		return o;
	}

	public static ObjectNode toTree(Node n) {
		ObjectNode o = MAPPER.createObjectNode();
		o.put("id", n.id());
		o.put("address", n.address());
		o.set("metadata", map(n.metadata()));
		return o;
	}

	public static ObjectNode toTree(Endpoint e) {
		ObjectNode o = MAPPER.createObjectNode();
		o.put("name", e.name());
		o.set("request", e.request() == null ? o.nullNode() : toTree(e.request()));
		o.set("response", e.response() == null ? o.nullNode() : toTree(e.response()));
		o.set("metadata", map(e.metadata()));
		return o;
	}

	public static ObjectNode toTree(Value v) {
		ObjectNode o = MAPPER.createObjectNode();
		o.put("name", v.name());
		o.put("type", v.type());
		if (v.values().isEmpty()) {
			o.putNull("values");
		} else {
			ArrayNode values = o.putArray("values");
			v.values().forEach(child -> values.add(toTree(child)));
		}
		return o;
	}

	private static ObjectNode map(Map<String, String> m) {
		ObjectNode o = MAPPER.createObjectNode();
		// sorted keys, as Go writes maps
		new java.util.TreeMap<>(m).forEach(o::put);
		return o;
	}

	private static String toString(JsonNode n) {
		try {
			return MAPPER.writeValueAsString(n);
		} catch (JsonProcessingException e) {
			throw new IllegalStateException(e);
		}
	}

	/** Reads one service. */
	public static Service readService(String json) throws IOException {
		JsonNode n = parse(json);
		if (!n.isObject()) {
			throw new IOException("a registry service must be a JSON object");
		}
		return service(n);
	}

	/** Reads a JSON array of services (null reads as empty). */
	public static List<Service> readServices(String json) throws IOException {
		JsonNode n = parse(json);
		if (n.isNull()) {
			return List.of();
		}
		if (!n.isArray()) {
			throw new IOException("a list of registry services must be a JSON array");
		}
		List<Service> out = new ArrayList<>();
		for (JsonNode s : n) {
			out.add(service(s));
		}
		return out;
	}

	private static JsonNode parse(String json) throws IOException {
		if (json == null || json.isBlank()) {
			throw new IOException("empty registry JSON");
		}
		try {
			return MAPPER.readTree(json);
		} catch (JsonProcessingException e) {
			throw new IOException("invalid registry JSON: " + e.getOriginalMessage(), e);
		}
	}

	public static Service service(JsonNode n) throws IOException {
		requireObject(n, "service");
		List<Endpoint> endpoints = new ArrayList<>();
		for (JsonNode e : array(n.get("endpoints"), "endpoints")) {
			endpoints.add(endpoint(e));
		}
		List<Node> nodes = new ArrayList<>();
		for (JsonNode x : array(n.get("nodes"), "nodes")) {
			nodes.add(node(x));
		}
		return new Service(text(n, "name"), text(n, "version"), strings(n.get("metadata")), endpoints, nodes);
	}

	public static Node node(JsonNode n) throws IOException {
		requireObject(n, "node");
		return new Node(text(n, "id"), text(n, "address"), strings(n.get("metadata")));
	}

	public static Endpoint endpoint(JsonNode n) throws IOException {
		requireObject(n, "endpoint");
		return new Endpoint(text(n, "name"), value(n.get("request")), value(n.get("response")),
				strings(n.get("metadata")));
	}

	public static Value value(JsonNode n) throws IOException {
		if (n == null || n.isNull()) {
			return null;
		}
		requireObject(n, "value");
		List<Value> values = new ArrayList<>();
		for (JsonNode child : array(n.get("values"), "values")) {
			Value v = value(child);
			if (v != null) {
				values.add(v);
			}
		}
		return new Value(text(n, "name"), text(n, "type"), values);
	}

	private static void requireObject(JsonNode n, String what) throws IOException {
		if (n == null || !n.isObject()) {
			throw new IOException("a registry " + what + " must be a JSON object, not " + (n == null ? "nothing" : n.getNodeType()));
		}
	}

	private static Iterable<JsonNode> array(JsonNode n, String field) throws IOException {
		if (n == null || n.isNull()) {
			return List.of();
		}
		if (!n.isArray()) {
			throw new IOException("registry field \"" + field + "\" must be an array");
		}
		return n;
	}

	private static String text(JsonNode n, String field) {
		JsonNode v = n.get(field);
		return v == null || v.isNull() ? "" : v.asText();
	}

	/** A string map; null values are dropped, other scalars are taken as text. */
	private static Map<String, String> strings(JsonNode n) throws IOException {
		if (n == null || n.isNull()) {
			return Map.of();
		}
		if (!n.isObject()) {
			throw new IOException("registry metadata must be an object");
		}
		Map<String, String> m = new LinkedHashMap<>();
		n.fields().forEachRemaining(e -> {
			if (!e.getValue().isNull()) {
				m.put(e.getKey(), e.getValue().isValueNode() ? e.getValue().asText() : e.getValue().toString());
			}
		});
		return m;
	}
}
