package micro.api.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import micro.api.ApiContext;
import micro.api.ApiHandler;
import micro.api.ApiRequest;
import micro.api.ApiResponse;
import micro.api.ApiRoute;
import micro.api.proto.Pair;
import micro.api.proto.Response;
import micro.client.Request;

/**
 * The {@code api} handler (§2.6, §2.7): the whole HTTP request goes to the endpoint as a {@code go.api.Request} and a
 * {@code go.api.Response} comes back as status, headers and body. The call uses the JSON codec, whose field names are
 * those of the proto, so Go services (jsonpb) and Java services (records) read it alike.
 */
final class ApiRequestHandler implements ApiHandler {
	static final String NAME = "api";

	@Override
	public ApiResponse handle(ApiRequest request, ApiRoute route, ApiContext context) {
		Response rsp = context.client().call(
				new Request(route.service(), route.endpoint(), GoApi.toRequest(request), "application/json"),
				Response.class, context.callOptions());
		if (rsp == null) {
			return new ApiResponse(200, Map.of("Content-Type", List.of("application/json")), null);
		}
		Map<String, List<String>> headers = new LinkedHashMap<>();
		for (Pair p : rsp.header().values()) {
			headers.computeIfAbsent(p.key(), k -> new ArrayList<>()).addAll(p.values());
		}
		if (headers.keySet().stream().noneMatch("Content-Type"::equalsIgnoreCase)) {
			headers.put("Content-Type", List.of("application/json"));
		}
		int status = rsp.statusCode() == 0 ? 200 : rsp.statusCode();
		if (status < 100 || status > 599) {
			status = 500;
		}
		return new ApiResponse(status, headers, rsp.body().getBytes(StandardCharsets.UTF_8));
	}
}
