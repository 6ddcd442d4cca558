package micro.api.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;

import com.fasterxml.jackson.databind.JsonNode;

import micro.errors.MicroError;

/**
 * The bodies inside the RPC-style envelopes a client may post: {@code application/json-rpc}
 * ({@code {"method","params":[body],"id"}}) and {@code application/proto-rpc} (two netstrings, header then body).
 */
final class Envelopes {
	private Envelopes() {
	}

	static byte[] jsonRpcParams(byte[] bytes, String errorId) {
		JsonNode root = Payloads.parseJson(bytes, errorId);
		if (!root.isObject()) {
			throw MicroError.badRequest(errorId, "invalid application/json-rpc body: not a JSON object");
		}
		JsonNode params = root.get("params");
		if (params != null && params.isArray()) {
			params = params.size() == 0 ? null : params.get(0);
		}
		try {
			return params == null ? "{}".getBytes() : Payloads.JSON.writeValueAsBytes(params);
		} catch (IOException e) {
			throw MicroError.badRequest(errorId, e.getMessage());
		}
	}

	static byte[] protoRpcBody(byte[] bytes, String errorId) {
		ByteBuffer b = ByteBuffer.wrap(bytes);
		if (b.remaining() < 4) {
			throw MicroError.badRequest(errorId, "invalid application/proto-rpc body: no header");
		}
		int headerLength = b.getInt();
		if (headerLength < 0 || headerLength > b.remaining() - 4) {
			throw MicroError.badRequest(errorId, "invalid application/proto-rpc body: bad header length");
		}
		b.position(b.position() + headerLength);
		int bodyLength = b.getInt();
		if (bodyLength < 0 || bodyLength > b.remaining()) {
			throw MicroError.badRequest(errorId, "invalid application/proto-rpc body: bad body length");
		}
		return Arrays.copyOfRange(bytes, b.position(), b.position() + bodyLength);
	}
}
