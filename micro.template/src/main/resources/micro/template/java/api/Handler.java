package {{javaPackage}}.handler;

import java.lang.System.Logger.Level;
import java.util.Map;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import {{javaPackage}}.{{title}}Service;
import {{javaPackage}}.proto.{{title}}Handler;
import go.api.Pair;
import go.api.Request;
import go.api.Response;
import micro.client.CallOptions;
import micro.client.Client;
import micro.errors.MicroError;
import micro.server.Context;
import micro.server.HandlerProperties;

/**
 * The API {@value {{title}}Service#NAME}: the gateway's {@code api} handler sends {@code /{{alias}}/call} here as a
 * {@code go.api.Request}. It takes {@code name} from the form or the query, calls {@value #BACKEND} and answers with
 * {@code {"message": …}}.
 */
@Component(service = {{title}}Handler.class, property = {
		HandlerProperties.SERVICE + "=" + {{title}}Service.NAME,
		HandlerProperties.VERSION + "=latest" })
public class {{title}} implements {{title}}Handler {
	/** The service this API calls (what {@code micro new {{alias}}} makes). */
	public static final String BACKEND = "{{backend}}";
	private static final System.Logger LOG = System.getLogger({{title}}.class.getName());

	private final Client client;

	@Activate
	public {{title}}(@Reference Client client) {
		this.client = client;
	}

	@Override
	public Response Call(Context context, Request request) {
		LOG.log(Level.INFO, "Received {{title}}.Call API request");
		String name = first(request.getPostMap(), "name");
		if (name == null) {
			name = first(request.getGetMap(), "name");
		}
		if (name == null || name.isEmpty()) {
			throw MicroError.badRequest({{title}}Service.NAME, "no content: give a name");
		}
		Map<?, ?> reply = client.call(new micro.client.Request(BACKEND, "{{title}}.Call", Map.of("name", name)),
				Map.class, CallOptions.DEFAULTS);
		return Response.newBuilder().setStatusCode(200)
				.setBody("{\"message\":" + json(String.valueOf(reply.get("msg"))) + "}").build();
	}

	private static String first(Map<String, Pair> values, String key) {
		Pair pair = values.get(key);
		return pair == null || pair.getValuesCount() == 0 ? null : pair.getValues(0);
	}

	/** A JSON string. */
	private static String json(String s) {
		StringBuilder b = new StringBuilder("\"");
		for (char c : s.toCharArray()) {
			if (c == '"' || c == '\\') {
				b.append('\\').append(c);
			} else if (c < 0x20) {
				b.append(String.format("\\u%04x", (int) c));
			} else {
				b.append(c);
			}
		}
		return b.append('"').toString();
	}
}
