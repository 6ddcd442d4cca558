package micro.api.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import micro.api.ApiRequest;
import micro.api.proto.Pair;
import micro.api.proto.Request;

/** The HTTP → {@code go.api.Request} mapping of gm:api/handler/api/util.go (§2.7). */
final class GoApi {
	private GoApi() {
	}

	static Request toRequest(ApiRequest r) {
		Map<String, Pair> header = new LinkedHashMap<>();
		r.headers().forEach((k, v) -> {
			String name = micro.metadata.Metadata.titleCase(k);
			header.put(name, new Pair(name, v));
		});
		List<String> forwarded = new ArrayList<>();
		Pair previous = header.get("X-Forwarded-For");
		if (previous != null) {
			forwarded.add(String.join(", ", previous.values()));
		}
		String ip = r.remoteAddress();
		if (!ip.isEmpty()) {
			forwarded.add(ip);
		}
		if (!forwarded.isEmpty()) {
			header.put("X-Forwarded-For", new Pair("X-Forwarded-For", List.of(String.join(", ", forwarded))));
		}
		header.put("Host", new Pair("Host", List.of(r.host())));

		String contentType = RpcHandler.bareType(r.contentType());
		if (contentType.isEmpty()) {
			contentType = "text/plain";
		}
		Map<String, Pair> post = new LinkedHashMap<>();
		String body;
		if (contentType.equals("application/x-www-form-urlencoded")) {
			pairs(Payloads.queryValues(new String(r.body(), StandardCharsets.UTF_8))).forEach(post::put);
			body = "";
		} else {
			body = new String(r.body(), StandardCharsets.UTF_8);
		}
		return new Request(r.method(), r.path(), header, pairs(Payloads.queryValues(r.query())), post, body, r.uri());
	}

	static Map<String, Pair> pairs(Map<String, List<String>> values) {
		Map<String, Pair> out = new LinkedHashMap<>();
		values.forEach((k, v) -> out.put(k, new Pair(k, v)));
		return out;
	}
}
