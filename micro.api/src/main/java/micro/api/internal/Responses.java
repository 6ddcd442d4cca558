package micro.api.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

import micro.api.ApiResponse;
import micro.errors.MicroError;

/** Writes answers to Jetty responses; an error is always its JSON with {@code Content-Type: application/json}. */
final class Responses {
	/** Headers a handler may not set: Jetty frames the response itself. */
	private static final Set<String> FRAMING = Set.of("content-length", "transfer-encoding", "connection");

	private Responses() {
	}

	static void write(Response response, Callback callback, ApiResponse answer) {
		response.setStatus(answer.status());
		for (Map.Entry<String, List<String>> h : answer.headers().entrySet()) {
			if (FRAMING.contains(h.getKey().toLowerCase(java.util.Locale.ROOT))) {
				continue;
			}
			for (String v : h.getValue()) {
				response.getHeaders().add(h.getKey(), v);
			}
		}
		boolean noBody = answer.status() == 204 || answer.status() == 304 || answer.status() < 200;
		response.write(true, noBody ? null : ByteBuffer.wrap(answer.body()), callback);
	}

	/** The error's JSON with its HTTP status (a code that is not an HTTP status gives 500). */
	static void error(Response response, Callback callback, MicroError error) {
		response.setStatus(error.httpStatus());
		response.getHeaders().put("Content-Type", "application/json");
		response.write(true, ByteBuffer.wrap(error.toJson().getBytes(StandardCharsets.UTF_8)), callback);
	}
}
