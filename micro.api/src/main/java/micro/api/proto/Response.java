package micro.api.proto;

import java.util.Map;

/** {@code go.api.Response}: status (0 means 200), headers to add, body written verbatim. */
public record Response(int statusCode, Map<String, Pair> header, String body) {
	public Response {
		header = header == null ? Map.of() : Map.copyOf(header);
		body = body == null ? "" : body;
	}
}
