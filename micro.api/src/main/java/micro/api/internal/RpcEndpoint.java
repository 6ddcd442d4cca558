package micro.api.internal;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import micro.api.ApiRequest;
import micro.api.ApiResponse;
import micro.client.CallOptions;
import micro.client.Client;
import micro.client.Request;
import micro.codec.RawBody;
import micro.errors.MicroError;

/**
 * {@code POST /rpc} (micro:internal/handler/rpc.go): a generic call described by the body, JSON
 * {@code {"service","endpoint"|"method","address","request"}} or the same fields as a urlencoded form (with
 * {@code request} as a JSON string). The answer is the raw JSON result.
 */
final class RpcEndpoint {
	static final String ERROR_ID = "go.micro.rpc";

	private final Client client;

	RpcEndpoint(Client client) {
		this.client = client;
	}

	ApiResponse handle(ApiRequest r, CallOptions options) {
		if (r.method().equals("OPTIONS")) {
			return new ApiResponse(200, Map.of(), null);
		}
		if (!r.method().equals("POST")) {
			throw MicroError.methodNotAllowed(ERROR_ID, "method not allowed: /rpc takes POST");
		}
		String service;
		String endpoint;
		String address;
		JsonNode request;
		if (RpcHandler.bareType(r.contentType()).equals("application/x-www-form-urlencoded")) {
			Map<String, List<String>> form = Payloads.queryValues(r.bodyUtf8());
			service = first(form, "service");
			endpoint = first(form, "endpoint");
			if (endpoint.isEmpty()) {
				endpoint = first(form, "method");
			}
			address = first(form, "address");
			String req = first(form, "request");
			request = req.isEmpty() ? null : Payloads.parseJson(req.getBytes(java.nio.charset.StandardCharsets.UTF_8), ERROR_ID);
		} else {
			JsonNode body = Payloads.parseJson(r.body(), ERROR_ID);
			if (!body.isObject()) {
				throw MicroError.badRequest(ERROR_ID, "the body must be a JSON object with service, endpoint and request");
			}
			service = body.path("service").asText("");
			endpoint = body.path("endpoint").asText("");
			if (endpoint.isEmpty()) {
				endpoint = body.path("method").asText("");
			}
			address = body.path("address").asText("");
			request = body.get("request");
			if (request != null && request.isTextual()) {
				String text = request.asText();
				request = text.isBlank() ? null
						: Payloads.parseJson(text.getBytes(java.nio.charset.StandardCharsets.UTF_8), ERROR_ID);
			}
		}
		if (service.isEmpty()) {
			throw MicroError.badRequest(ERROR_ID, "invalid service");
		}
		if (endpoint.isEmpty()) {
			throw MicroError.badRequest(ERROR_ID, "invalid endpoint");
		}
		byte[] payload;
		try {
			payload = request == null || request.isNull() ? "{}".getBytes() : Payloads.JSON.writeValueAsBytes(request);
		} catch (IOException e) {
			throw MicroError.badRequest(ERROR_ID, e.getMessage());
		}
		CallOptions o = address.isEmpty() ? options : options.withAddress(address);
		RawBody result;
		try {
			result = client.call(new Request(service, endpoint, new RawBody(payload), "application/json"), RawBody.class, o);
		} catch (MicroError e) {
			if (e.code() == 0) {
				throw MicroError.internalServerError(ERROR_ID, "error during request: " + e.detail());
			}
			throw e;
		}
		return ApiResponse.of(200, "application/json", result == null ? new byte[0] : result.bytes());
	}

	private static String first(Map<String, List<String>> form, String key) {
		List<String> v = form.get(key);
		return v == null || v.isEmpty() ? "" : v.get(0);
	}
}
