package micro.broker.internal;

import java.io.IOException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import micro.broker.BrokerMessage;

/**
 * go-micro's {@code broker.Message} as JSON: {@code {"Header":{…},"Body":"<base64>"}}, the header keys sorted as Go
 * writes a map and the body in standard base64 with padding, as Go writes a {@code []byte}.
 */
public final class BrokerEnvelope {
	private static final ObjectMapper MAPPER = new ObjectMapper();

	private BrokerEnvelope() {
	}

	public static byte[] encode(BrokerMessage message) {
		ObjectNode o = MAPPER.createObjectNode();
		ObjectNode header = o.putObject("Header");
		new TreeMap<>(message.header()).forEach(header::put);
		o.put("Body", Base64.getEncoder().encodeToString(message.body()));
		try {
			return MAPPER.writeValueAsBytes(o);
		} catch (JsonProcessingException e) {
			throw new IllegalStateException(e);
		}
	}

	/**
	 * Reads an envelope; {@code null} or missing {@code Header} and {@code Body} read as empty.
	 *
	 * @throws IOException when it is not such a JSON object
	 */
	public static BrokerMessage decode(byte[] json) throws IOException {
		JsonNode n;
		try {
			n = MAPPER.readTree(json);
		} catch (JsonProcessingException e) {
			throw new IOException("invalid message JSON: " + e.getOriginalMessage(), e);
		}
		if (n == null || !n.isObject()) {
			throw new IOException("invalid message JSON: expected an object {\"Header\":{...},\"Body\":\"<base64>\"}");
		}
		Map<String, String> header = new LinkedHashMap<>();
		JsonNode h = n.get("Header");
		if (h != null && !h.isNull()) {
			if (!h.isObject()) {
				throw new IOException("invalid message JSON: \"Header\" must be an object");
			}
			var fields = h.fields();
			while (fields.hasNext()) {
				var e = fields.next();
				if (!e.getValue().isNull()) {
					header.put(e.getKey(), e.getValue().asText());
				}
			}
		}
		byte[] body = new byte[0];
		JsonNode b = n.get("Body");
		if (b != null && !b.isNull()) {
			if (!b.isTextual()) {
				throw new IOException("invalid message JSON: \"Body\" must be a base64 string");
			}
			try {
				body = Base64.getDecoder().decode(b.asText());
			} catch (IllegalArgumentException e) {
				throw new IOException("invalid message JSON: \"Body\" is not base64: " + e.getMessage(), e);
			}
		}
		return new BrokerMessage(header, body);
	}
}
