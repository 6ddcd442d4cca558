package micro.api;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What a handler answers: status, headers (each with all its values) and body. */
public record ApiResponse(int status, Map<String, List<String>> headers, byte[] body) {
	public ApiResponse {
		Map<String, List<String>> h = new LinkedHashMap<>();
		if (headers != null) {
			headers.forEach((k, v) -> h.put(k, List.copyOf(v)));
		}
		headers = Collections.unmodifiableMap(h);
		body = body == null ? new byte[0] : body;
	}

	/** A response with one {@code Content-Type} header. */
	public static ApiResponse of(int status, String contentType, byte[] body) {
		return new ApiResponse(status, contentType == null ? Map.of() : Map.of("Content-Type", List.of(contentType)),
				body);
	}

	/** A JSON response. */
	public static ApiResponse json(int status, String json) {
		return of(status, "application/json", json.getBytes(StandardCharsets.UTF_8));
	}
}
