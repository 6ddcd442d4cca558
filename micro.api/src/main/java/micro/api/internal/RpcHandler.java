package micro.api.internal;

import java.io.IOException;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

import micro.api.ApiContext;
import micro.api.ApiHandler;
import micro.api.ApiRequest;
import micro.api.ApiResponse;
import micro.api.ApiRoute;
import micro.client.Request;
import micro.codec.Codec;
import micro.codec.Frame;
import micro.codec.RawBody;
import micro.errors.MicroError;

/**
 * The {@code rpc} handler (§2.6): the HTTP request becomes a call of the routed endpoint and the raw response is the
 * HTTP body. Protobuf-family bodies are forwarded as they are; everything else is JSON built from the query, the path
 * fields, form fields and the body. Unlike Go, urlencoded forms are converted (Go checks a misspelled content type),
 * malformed JSON is a 400, and multipart bodies are refused with 415.
 */
final class RpcHandler implements ApiHandler {
	static final String NAME = "rpc";
	/** Content types whose bodies are forwarded as bytes. */
	static final Set<String> PROTO_TYPES = Set.of("application/grpc", "application/grpc+proto", "application/proto",
			"application/protobuf", "application/proto-rpc", "application/octet-stream");

	@Override
	public ApiResponse handle(ApiRequest request, ApiRoute route, ApiContext context) {
		String errorId = context.namespace();
		String contentType = bareType(request.contentType());
		String callType;
		Object body;
		if (PROTO_TYPES.contains(contentType)) {
			callType = switch (contentType) {
			case "application/proto-rpc", "application/octet-stream" -> contentType;
			default -> "application/protobuf";
			};
			byte[] bytes = request.body();
			if (contentType.equals("application/proto-rpc") && bytes.length > 0) {
				bytes = envelopeBody(contentType, bytes, errorId);
			}
			body = new RawBody(bytes);
		} else {
			callType = contentType.equals("application/json-rpc") ? contentType : "application/json";
			body = new RawBody(jsonPayload(request, route, contentType, errorId));
		}
		RawBody response = context.client().call(new Request(route.service(), route.endpoint(), body, callType),
				RawBody.class, context.callOptions());
		if (response == null || response.bytes().length == 0) {
			return new ApiResponse(204, Map.of(), null);
		}
		String answerType = contentType.isEmpty() || !(PROTO_TYPES.contains(contentType) || isJsonType(contentType))
				? "application/json"
				: contentType;
		return ApiResponse.of(200, answerType, response.bytes());
	}

	/** The JSON request: path fields and query, merged with the body (or the form) for methods with a body. */
	byte[] jsonPayload(ApiRequest request, ApiRoute route, String contentType, String errorId) {
		JsonNode fields = Payloads.merge(Payloads.fields(route.pathFields()),
				Payloads.parseQuery(request.query(), errorId));
		boolean hasBody = switch (request.method()) {
		case "POST", "PUT", "PATCH", "DELETE" -> true;
		default -> false;
		};
		JsonNode out = fields;
		if (hasBody && request.body().length > 0) {
			JsonNode body;
			if (contentType.equals("application/x-www-form-urlencoded")) {
				body = Payloads.parseQuery(request.bodyUtf8(), errorId);
			} else if (contentType.startsWith("multipart/")) {
				throw MicroError.of(errorId, 415, "multipart bodies are not supported: send JSON or a urlencoded form");
			} else {
				byte[] bytes = contentType.equals("application/json-rpc")
						? envelopeBody(contentType, request.body(), errorId)
						: request.body();
				// a json-rpc request without params is an empty object
				body = bytes.length == 0 ? Payloads.JSON.createObjectNode() : Payloads.parseJson(bytes, errorId);
			}
			body = Payloads.underField(route.bodyField(), body);
			out = body.isObject() || fields.isEmpty() ? Payloads.merge(fields, body) : body;
		}
		try {
			return Payloads.JSON.writeValueAsBytes(out);
		} catch (IOException e) {
			throw MicroError.internalServerError(errorId, e.getMessage());
		}
	}

	/**
	 * The body inside an {@code application/json-rpc} ({@code {"method","params":[body],"id"}}) or
	 * {@code application/proto-rpc} (header and body netstrings) request, read by micro.core's codec as Go's handler
	 * reads it with go-micro's; a malformed envelope is the client's 400.
	 */
	static byte[] envelopeBody(String contentType, byte[] envelope, String errorId) {
		try {
			return Codec.builtIn(contentType).decodeEnvelope(new Frame(Frame.Kind.REQUEST), envelope);
		} catch (MicroError e) {
			throw MicroError.badRequest(errorId, e.detail());
		} catch (IOException e) {
			throw MicroError.badRequest(errorId, "invalid " + contentType + " body: " + e.getMessage());
		}
	}

	static boolean isJsonType(String contentType) {
		return contentType.equals("application/json") || contentType.equals("application/json-rpc")
				|| contentType.equals("application/grpc+json");
	}

	/** The media type without parameters, lower case. */
	static String bareType(String contentType) {
		if (contentType == null) {
			return "";
		}
		int semi = contentType.indexOf(';');
		return (semi < 0 ? contentType : contentType.substring(0, semi)).trim().toLowerCase(Locale.ROOT);
	}
}
