package micro.codec.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

import micro.codec.Frame;
import micro.errors.MicroError;
import micro.server.Server;

/**
 * {@code application/json-rpc} (go-micro's codec/jsonrpc): a request is
 * {@code {"method":"Example.Call","params":[<body>],"id":"<id>"}}, a response
 * {@code {"id":"<id>","result":<body>,"error":null|"<text>"}}; each ends with a newline as Go's encoder writes it.
 * The body inside is the {@code application/json} form. A {@code RawBody} is the JSON of the body alone.
 */
public final class JsonRpcCodec extends EnvelopeCodec {
	public static final String CONTENT_TYPE = "application/json-rpc";

	private static final byte[] NULL = "null".getBytes(StandardCharsets.US_ASCII);

	public JsonRpcCodec(JsonCodec json) {
		super(json);
	}

	@Override
	public String contentType() {
		return CONTENT_TYPE;
	}

	@Override
	byte[] wrap(Frame frame, byte[] inner) throws IOException {
		if (inner.length == 0) {
			inner = NULL;
		}
		ByteArrayOutputStream out = new ByteArrayOutputStream(inner.length + 64);
		if (frame.kind() == Frame.Kind.REQUEST) {
			ascii(out, "{\"method\":");
			out.write(quote(frame.endpoint()));
			ascii(out, ",\"params\":[");
			out.write(inner);
			ascii(out, "],\"id\":");
			out.write(quote(frame.id()));
		} else {
			ascii(out, "{\"id\":");
			out.write(quote(frame.id()));
			ascii(out, ",\"result\":");
			out.write(inner);
			ascii(out, ",\"error\":");
			out.write(frame.error().isEmpty() ? NULL : quote(frame.error()));
		}
		ascii(out, "}\n");
		return out.toByteArray();
	}

	@Override
	byte[] unwrap(Frame frame, byte[] data) {
		if (data == null || JsonCodec.isBlank(data)) {
			throw malformed("empty frame");
		}
		JsonNode root;
		try {
			root = JsonCodec.MAPPER.readTree(data);
		} catch (IOException e) {
			throw malformed(e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage());
		}
		if (root == null || !root.isObject()) {
			throw malformed("not a JSON object");
		}
		JsonNode id = root.get("id");
		frame.id(id == null || id.isNull() ? "" : id.asText());
		JsonNode inner;
		if (frame.kind() == Frame.Kind.REQUEST) {
			JsonNode method = root.get("method");
			if (method == null || !method.isTextual()) {
				throw malformed("no method");
			}
			frame.endpoint(method.asText());
			JsonNode params = root.get("params");
			// Go reads params into a one-element array: [] leaves the body empty, as a missing params does
			inner = params != null && params.isArray() ? params.get(0) : params;
		} else {
			JsonNode error = root.get("error");
			if (error != null && !error.isNull()) {
				String text = error.isTextual() ? error.asText() : "invalid error " + error;
				frame.error(text.isEmpty() ? "unspecified error" : text);
			}
			inner = root.get("result");
		}
		if (inner == null || inner.isNull()) {
			return new byte[0];
		}
		try {
			return JsonCodec.MAPPER.writeValueAsBytes(inner);
		} catch (JsonProcessingException e) {
			throw malformed(e.getOriginalMessage());
		}
	}

	private static byte[] quote(String s) throws JsonProcessingException {
		return JsonCodec.MAPPER.writeValueAsBytes(s);
	}

	private static void ascii(ByteArrayOutputStream out, String s) {
		out.writeBytes(s.getBytes(StandardCharsets.US_ASCII));
	}

	private static MicroError malformed(String why) {
		return MicroError.badRequest(Server.ERROR_ID, "invalid json-rpc frame: " + why);
	}
}
