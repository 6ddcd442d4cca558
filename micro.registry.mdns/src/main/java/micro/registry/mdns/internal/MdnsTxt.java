package micro.registry.mdns.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import micro.registry.Endpoint;
import micro.registry.Value;

/**
 * go-micro's mDNS TXT payload ({@code mdnsTxt} in gm:registry/mdns_registry.go): the JSON
 * {@code {"Service","Version","Endpoints","Metadata"}} (capitalised keys at the top, go-micro's lowercase
 * {@code registry.Endpoint} keys inside), zlib-compressed, lowercase hex, cut into TXT strings of at most 255 chars.
 */
record MdnsTxt(String service, String version, List<Endpoint> endpoints, Map<String, String> metadata) {

	/** A TXT string's limit, and go-micro's chunk size. */
	static final int CHUNK = 255;
	/** Inflating stops here: a registry entry this large is an attack or a bug. */
	private static final int MAX_JSON_BYTES = 4 << 20;

	private static final ObjectMapper JSON = new ObjectMapper();
	private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

	MdnsTxt {
		endpoints = endpoints == null ? List.of() : List.copyOf(endpoints);
		metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
	}

	/** The TXT payload could not be decoded; the message says which step failed. */
	static final class MalformedTxtException extends Exception {
		private static final long serialVersionUID = 1L;

		MalformedTxtException(String message) {
			super(message);
		}
	}

	// ---- encoding ----

	/** The TXT strings, as go-micro's {@code encode}. */
	List<String> encode() {
		byte[] compressed = zlib(json());
		String hex = hex(compressed);
		List<String> chunks = new ArrayList<>();
		for (int i = 0; i < hex.length(); i += CHUNK) {
			chunks.add(hex.substring(i, Math.min(hex.length(), i + CHUNK)));
		}
		return chunks;
	}

	/** The JSON as Go's encoding/json writes it: fields in declaration order, nil slices as {@code null}. */
	byte[] json() {
		ObjectNode root = NODES.objectNode();
		root.put("Service", service);
		root.put("Version", version);
		if (endpoints.isEmpty()) {
			root.putNull("Endpoints");
		} else {
			ArrayNode list = root.putArray("Endpoints");
			for (Endpoint endpoint : endpoints) {
				ObjectNode e = list.addObject();
				e.put("name", endpoint.name());
				e.set("request", valueJson(endpoint.request()));
				e.set("response", valueJson(endpoint.response()));
				e.set("metadata", mapJson(endpoint.metadata()));
			}
		}
		root.set("Metadata", mapJson(metadata));
		try {
			return JSON.writeValueAsBytes(root);
		} catch (IOException e) {
			throw new IllegalStateException("cannot write registry JSON", e);
		}
	}

	private static JsonNode valueJson(Value value) {
		if (value == null) {
			return NODES.nullNode();
		}
		ObjectNode v = NODES.objectNode();
		v.put("name", value.name());
		v.put("type", value.type());
		if (value.values().isEmpty()) {
			v.putNull("values");
		} else {
			ArrayNode children = v.putArray("values");
			value.values().forEach(child -> children.add(valueJson(child)));
		}
		return v;
	}

	private static JsonNode mapJson(Map<String, String> map) {
		ObjectNode m = NODES.objectNode();
		new java.util.TreeMap<>(map).forEach(m::put); // Go writes map keys sorted
		return m;
	}

	private static byte[] zlib(byte[] data) {
		Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION);
		try {
			deflater.setInput(data);
			deflater.finish();
			ByteArrayOutputStream out = new ByteArrayOutputStream(data.length / 2 + 64);
			byte[] buffer = new byte[4096];
			while (!deflater.finished()) {
				out.write(buffer, 0, deflater.deflate(buffer));
			}
			return out.toByteArray();
		} finally {
			deflater.end();
		}
	}

	private static String hex(byte[] bytes) {
		char[] digits = "0123456789abcdef".toCharArray();
		char[] out = new char[bytes.length * 2];
		for (int i = 0; i < bytes.length; i++) {
			out[2 * i] = digits[(bytes[i] >> 4) & 0xF];
			out[2 * i + 1] = digits[bytes[i] & 0xF];
		}
		return new String(out);
	}

	// ---- decoding ----

	/** Decodes TXT strings as go-micro's {@code decode}: concatenate, unhex, inflate, parse JSON. */
	static MdnsTxt decode(List<String> chunks) throws MalformedTxtException {
		String hex = String.join("", chunks);
		if (hex.isEmpty()) {
			throw new MalformedTxtException("empty TXT record");
		}
		byte[] json = inflate(unhex(hex));
		JsonNode root;
		try {
			root = JSON.readTree(json);
		} catch (com.fasterxml.jackson.core.JsonProcessingException e) {
			throw new MalformedTxtException("bad JSON: " + e.getOriginalMessage());
		} catch (IOException e) {
			throw new MalformedTxtException("bad JSON: " + e.getMessage());
		}
		if (root == null || !root.isObject()) {
			throw new MalformedTxtException("JSON is not an object");
		}
		try {
			String service = text(field(root, "Service"));
			String version = text(field(root, "Version"));
			List<Endpoint> endpoints = new ArrayList<>();
			JsonNode list = field(root, "Endpoints");
			if (list != null && list.isArray()) {
				for (JsonNode e : list) {
					if (e.isObject()) {
						endpoints.add(new Endpoint(text(field(e, "name")), value(field(e, "request")),
								value(field(e, "response")), map(field(e, "metadata"))));
					}
				}
			} else if (list != null && !list.isNull()) {
				throw new MalformedTxtException("Endpoints is not a list");
			}
			return new MdnsTxt(service == null ? "" : service, version == null ? "" : version, endpoints,
					map(field(root, "Metadata")));
		} catch (IllegalArgumentException e) {
			throw new MalformedTxtException(e.getMessage());
		}
	}

	private static byte[] unhex(String hex) throws MalformedTxtException {
		if (hex.length() % 2 != 0) {
			throw new MalformedTxtException("odd length hex");
		}
		byte[] out = new byte[hex.length() / 2];
		for (int i = 0; i < out.length; i++) {
			int hi = Character.digit(hex.charAt(2 * i), 16);
			int lo = Character.digit(hex.charAt(2 * i + 1), 16);
			if (hi < 0 || lo < 0) {
				throw new MalformedTxtException("bad hex at position " + (hi < 0 ? 2 * i : 2 * i + 1));
			}
			out[i] = (byte) (hi << 4 | lo);
		}
		return out;
	}

	private static byte[] inflate(byte[] data) throws MalformedTxtException {
		// zlib framing (RFC 1950): CM=8 and a header checksum; Inflater alone would also take other framings.
		if (data.length < 2 || (data[0] & 0x0F) != 8 || (((data[0] & 0xFF) << 8) | (data[1] & 0xFF)) % 31 != 0) {
			throw new MalformedTxtException("bad zlib header");
		}
		Inflater inflater = new Inflater();
		try {
			inflater.setInput(data);
			ByteArrayOutputStream out = new ByteArrayOutputStream(data.length * 4);
			byte[] buffer = new byte[8192];
			while (!inflater.finished()) {
				int n = inflater.inflate(buffer);
				if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
					throw new MalformedTxtException("truncated zlib data");
				}
				out.write(buffer, 0, n);
				if (out.size() > MAX_JSON_BYTES) {
					throw new MalformedTxtException("zlib data inflates beyond " + MAX_JSON_BYTES + " bytes");
				}
			}
			return out.toByteArray();
		} catch (DataFormatException e) {
			throw new MalformedTxtException("bad zlib data: " + e.getMessage());
		} finally {
			inflater.end();
		}
	}

	/** A field by name, ignoring case as Go's encoding/json does. */
	private static JsonNode field(JsonNode object, String name) {
		JsonNode exact = object.get(name);
		if (exact != null) {
			return exact;
		}
		for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext();) {
			Map.Entry<String, JsonNode> e = it.next();
			if (e.getKey().equalsIgnoreCase(name)) {
				return e.getValue();
			}
		}
		return null;
	}

	private static String text(JsonNode node) {
		if (node == null || node.isNull()) {
			return null;
		}
		if (!node.isTextual()) {
			throw new IllegalArgumentException("expected a string, got " + node.getNodeType());
		}
		return node.asText();
	}

	private static Value value(JsonNode node) {
		if (node == null || node.isNull()) {
			return null;
		}
		if (!node.isObject()) {
			throw new IllegalArgumentException("expected a value object, got " + node.getNodeType());
		}
		List<Value> children = new ArrayList<>();
		JsonNode values = field(node, "values");
		if (values != null && values.isArray()) {
			for (JsonNode child : values) {
				Value v = value(child);
				if (v != null) {
					children.add(v);
				}
			}
		}
		return new Value(text(field(node, "name")), text(field(node, "type")), children);
	}

	private static Map<String, String> map(JsonNode node) {
		Map<String, String> map = new LinkedHashMap<>();
		if (node == null || node.isNull()) {
			return map;
		}
		if (!node.isObject()) {
			throw new IllegalArgumentException("expected a string map, got " + node.getNodeType());
		}
		node.fields().forEachRemaining(e -> map.put(e.getKey(), e.getValue().isNull() ? "" : e.getValue().asText()));
		return map;
	}
}
