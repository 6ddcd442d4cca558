package micro.api.internal;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.util.thread.Invocable;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import micro.errors.MicroError;

/**
 * Builds the JSON request of the rpc handler (§2.6): query parameters (with qson's nesting, {@code a[b]=1} and
 * {@code a.b=1}), path fields and form fields, merged (RFC 7386) with the JSON body, which wins.
 */
final class Payloads {
	static final ObjectMapper JSON = new ObjectMapper();
	private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

	private Payloads() {
	}

	/** How much of a refused body is read and dropped before the connection is given up. */
	static final long DRAIN_LIMIT = 1024 * 1024;

	/**
	 * Reads and drops what is left of a request body refused as too large (up to {@link #DRAIN_LIMIT}), so that the
	 * 413 reaches a client that is still sending: a server that closes with unread data in its buffer resets the
	 * connection, and the client loses the answer along with it.
	 */
	static void drain(java.io.InputStream in) {
		byte[] buf = new byte[8192];
		long left = DRAIN_LIMIT;
		try {
			int n;
			while (left > 0 && (n = in.read(buf)) >= 0) {
				left -= n;
			}
		} catch (java.io.IOException gone) {
			// the client gave up; nothing to answer
		}
	}

	/** {@link #drain(java.io.InputStream)} without blocking: drops what arrives, then runs {@code then}. */
	static void drain(Content.Source body, Runnable then) {
		new Runnable() {
			private long left = DRAIN_LIMIT;

			@Override
			public void run() {
				while (true) {
					Content.Chunk chunk = body.read();
					if (chunk == null) {
						body.demand(Invocable.from(Invocable.InvocationType.NON_BLOCKING, this));
						return;
					}
					left -= chunk.remaining();
					boolean end = chunk.isLast() || Content.Chunk.isFailure(chunk);
					chunk.release();
					if (end || left <= 0) {
						then.run();
						return;
					}
				}
			}
		}.run();
	}

	/** Parses a query string or urlencoded form into a nested object; values that read as JSON scalars become them. */
	static ObjectNode parseQuery(String query, String errorId) {
		ObjectNode out = NODES.objectNode();
		if (query == null || query.isEmpty()) {
			return out;
		}
		for (String pair : query.split("&")) {
			if (pair.isEmpty()) {
				continue;
			}
			int eq = pair.indexOf('=');
			String key;
			String value;
			try {
				key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
				value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
			} catch (IllegalArgumentException e) {
				throw MicroError.badRequest(errorId, "invalid query or form encoding: " + e.getMessage());
			}
			if (key.isEmpty()) {
				continue;
			}
			put(out, keyPath(key), scalar(value));
		}
		return out;
	}

	/** {@code a[b][c]} and {@code a.b.c} → {@code [a, b, c]}. */
	static List<String> keyPath(String key) {
		List<String> path = new ArrayList<>();
		for (String dotted : key.replace("]", "").split("\\[")) {
			for (String part : dotted.split("\\.")) {
				if (!part.isEmpty()) {
					path.add(part);
				}
			}
		}
		if (path.isEmpty()) {
			path.add(key);
		}
		return path;
	}

	/** Puts a value at a nested key; a key given twice collects its values in an array. */
	static void put(ObjectNode root, List<String> path, JsonNode value) {
		ObjectNode node = root;
		for (int i = 0; i < path.size() - 1; i++) {
			JsonNode child = node.get(path.get(i));
			if (!(child instanceof ObjectNode)) {
				child = node.putObject(path.get(i));
			}
			node = (ObjectNode) child;
		}
		String last = path.get(path.size() - 1);
		JsonNode existing = node.get(last);
		if (existing == null) {
			node.set(last, value);
		} else if (existing instanceof ArrayNode a) {
			a.add(value);
		} else {
			ArrayNode a = node.putArray(last);
			a.add(existing);
			a.add(value);
		}
	}

	/** {@code 12} → 12, {@code true} → true, anything else stays a string. */
	static JsonNode scalar(String value) {
		if (!value.isEmpty() && (value.equals("true") || value.equals("false")
				|| value.matches("-?(0|[1-9][0-9]{0,17})(\\.[0-9]+)?([eE][-+]?[0-9]+)?"))) {
			try {
				return JSON.readTree(value);
			} catch (JsonProcessingException notScalar) {
				return NODES.textNode(value);
			}
		}
		return NODES.textNode(value);
	}

	/** Path fields of a template; {@code user.id} nests as {@code {"user":{"id":…}}}. */
	static ObjectNode fields(Map<String, String> pathFields) {
		ObjectNode out = NODES.objectNode();
		pathFields.forEach((k, v) -> put(out, List.of(k.split("\\.")), NODES.textNode(v)));
		return out;
	}

	/** Parses a JSON body; malformed JSON is a 400. */
	static JsonNode parseJson(byte[] body, String errorId) {
		try {
			JsonNode n = JSON.readTree(body);
			return n == null ? NODES.missingNode() : n;
		} catch (IOException e) {
			throw MicroError.badRequest(errorId, "invalid JSON body: " + firstLine(e.getMessage()));
		}
	}

	/** RFC 7386 merge: the patch's members replace the target's, objects merge recursively. */
	static JsonNode merge(JsonNode target, JsonNode patch) {
		if (!(patch instanceof ObjectNode p)) {
			return patch;
		}
		ObjectNode out = target instanceof ObjectNode t ? t.deepCopy() : NODES.objectNode();
		Iterator<Map.Entry<String, JsonNode>> it = p.fields();
		while (it.hasNext()) {
			Map.Entry<String, JsonNode> e = it.next();
			JsonNode current = out.get(e.getKey());
			out.set(e.getKey(), e.getValue() instanceof ObjectNode ? merge(current, e.getValue()) : e.getValue());
		}
		return out;
	}

	/** The body placed under a field ({@code body: "book"}); {@code *} or empty means the whole body. */
	static JsonNode underField(String field, JsonNode body) {
		if (field == null || field.isEmpty() || field.equals("*")) {
			return body;
		}
		ObjectNode out = NODES.objectNode();
		put(out, List.of(field.split("\\.")), body);
		return out;
	}

	static Map<String, List<String>> queryValues(String query) {
		Map<String, List<String>> out = new LinkedHashMap<>();
		if (query == null || query.isEmpty()) {
			return out;
		}
		for (String pair : query.split("&")) {
			if (pair.isEmpty()) {
				continue;
			}
			int eq = pair.indexOf('=');
			try {
				String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
				String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
				out.computeIfAbsent(k, x -> new ArrayList<>()).add(v);
			} catch (IllegalArgumentException malformed) {
				// a malformed pair is left out, as Go's url.ParseQuery keeps the others
			}
		}
		return out;
	}

	static String firstLine(String s) {
		if (s == null) {
			return "";
		}
		int nl = s.indexOf('\n');
		return nl < 0 ? s : s.substring(0, nl);
	}
}
