package {{javaPackage}}.handler;

import java.io.IOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;

import micro.client.CallOptions;
import micro.client.Client;
import micro.client.Request;

/** {@code /{{alias}}/call}: {@code {"name": …}} in, the backend's greeting as {@code {"msg": …, "ref": <ns>}} out. */
public final class {{title}}Handler {
	/** The service this web app calls (what {@code micro new {{alias}}} makes). */
	public static final String BACKEND = "{{backend}}";

	private final Client client;
	private final ObjectMapper json = new ObjectMapper();

	public {{title}}Handler(Client client) {
		if (client == null) {
			throw new IllegalArgumentException("the web handler needs a client");
		}
		this.client = client;
	}

	/**
	 * @throws IOException when the body is not a JSON object
	 * @throws micro.errors.MicroError when the backend call fails
	 */
	public byte[] call(byte[] body) throws IOException {
		Map<?, ?> request = body.length == 0 ? Map.of() : json.readValue(body, Map.class);
		Object name = request.get("name");
		Map<?, ?> reply = client.call(new Request(BACKEND, "{{title}}.Call", Map.of("name", name == null ? "" : name)),
				Map.class, CallOptions.DEFAULTS);
		Instant now = Instant.now();
		Map<String, Object> out = new LinkedHashMap<>();
		out.put("msg", reply.get("msg"));
		out.put("ref", now.getEpochSecond() * 1_000_000_000L + now.getNano());
		return json.writeValueAsBytes(out);
	}
}
