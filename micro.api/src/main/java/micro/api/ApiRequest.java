package micro.api;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * An HTTP request as the gateway received it: method, path (not decoded further than the URI allows), raw query
 * string (without {@code ?}, empty when none), host, remote address, headers (looked up without regard to case, every
 * value kept) and the whole body.
 */
public record ApiRequest(String method, String path, String query, String host, String remoteAddress,
		Map<String, List<String>> headers, byte[] body) {

	public ApiRequest {
		query = query == null ? "" : query;
		host = host == null ? "" : host;
		remoteAddress = remoteAddress == null ? "" : remoteAddress;
		TreeMap<String, List<String>> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
		if (headers != null) {
			headers.forEach((k, v) -> h.put(k, List.copyOf(v)));
		}
		headers = Collections.unmodifiableMap(h);
		body = body == null ? new byte[0] : body;
	}

	/** The first value of a header, or null. */
	public String header(String name) {
		List<String> v = headers.get(name);
		return v == null || v.isEmpty() ? null : v.get(0);
	}

	/** The {@code Content-Type} header, or an empty string. */
	public String contentType() {
		String ct = header("Content-Type");
		return ct == null ? "" : ct;
	}

	/** The request-URI: the path plus {@code ?query} when there is one. */
	public String uri() {
		return query.isEmpty() ? path : path + "?" + query;
	}

	public String bodyUtf8() {
		return new String(body, StandardCharsets.UTF_8);
	}
}
