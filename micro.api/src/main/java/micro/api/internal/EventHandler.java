package micro.api.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

import micro.api.ApiContext;
import micro.api.ApiHandler;
import micro.api.ApiRequest;
import micro.api.ApiResponse;
import micro.api.ApiRoute;
import micro.api.proto.Event;
import micro.errors.MicroError;

/**
 * The {@code event} handler (§2.6): the request is published as a {@code go.api.Event} on a topic named after the
 * path; the answer is an empty 200. The event is published as protobuf ({@code application/protobuf}), as Go's client
 * does with its default codec, so a go-micro subscriber taking {@code *proto.Event} reads it; a Java subscriber takes
 * an {@link Event} (the protobuf codec reads it with {@link Event#parseFrom}), or the bytes.
 */
final class EventHandler implements ApiHandler {
	static final String NAME = "event";
	static final String PROTOBUF = "application/protobuf";
	private static final Pattern VERSION = Pattern.compile("^v[0-9]+$");

	@Override
	public ApiResponse handle(ApiRequest request, ApiRoute route, ApiContext context) {
		String[] topicAndName = topic(context.namespace(), request.path());
		String topic = topicAndName[0];
		String name = topicAndName[1];
		String data;
		if (request.method().equals("GET")) {
			try {
				data = Payloads.JSON.writeValueAsString(Payloads.queryValues(request.query()));
			} catch (IOException e) {
				throw MicroError.internalServerError(context.namespace(), e.getMessage());
			}
		} else {
			data = new String(request.body(), StandardCharsets.UTF_8);
		}
		Event event = new Event(name, topic + "-" + name + "-" + UUID.randomUUID(), System.currentTimeMillis() / 1000,
				GoApi.toRequest(request).header(), data);
		context.client().publish(topic, event, PROTOBUF, context.callOptions());
		return new ApiResponse(200, Map.of(), null);
	}

	/** {@code [topic, name]}: {@code /} → {@code [ns, event]}, {@code /foo/bar/baz} → {@code [ns.foo, bar.baz]}. */
	static String[] topic(String namespace, String path) {
		String p = Resolvers.cleanPath(path);
		p = p.startsWith("/") ? p.substring(1) : p;
		if (p.isEmpty() || p.equals(".")) {
			return new String[] { namespace, "event" };
		}
		List<String> parts = Arrays.asList(p.split("/"));
		if (parts.size() >= 2 && VERSION.matcher(parts.get(0)).matches()) {
			return new String[] { namespace + "." + String.join(".", parts.subList(0, 2)),
					String.join(".", parts.subList(1, parts.size())) };
		}
		return new String[] { namespace + "." + parts.get(0), String.join(".", parts.subList(1, parts.size())) };
	}
}
