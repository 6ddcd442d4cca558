package micro.api.proto;

import java.util.Map;

/**
 * {@code go.api.Request}: the HTTP request as the {@code api} handler sends it. {@code header}, {@code get} and
 * {@code post} are keyed by header name (canonical), query parameter and form field.
 */
public record Request(String method, String path, Map<String, Pair> header, Map<String, Pair> get,
		Map<String, Pair> post, String body, String url) {
	public Request {
		method = method == null ? "" : method;
		path = path == null ? "" : path;
		header = header == null ? Map.of() : Map.copyOf(header);
		get = get == null ? Map.of() : Map.copyOf(get);
		post = post == null ? Map.of() : Map.copyOf(post);
		body = body == null ? "" : body;
		url = url == null ? "" : url;
	}
}
