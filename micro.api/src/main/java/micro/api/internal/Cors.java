package micro.api.internal;

import java.util.List;

import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;

/**
 * CORS headers (gm:api/server/cors), with a safe default: Go answers every origin by echoing it together with
 * {@code Access-Control-Allow-Credentials: true}, which lets any site make credentialed calls. Here the default is
 * {@code Access-Control-Allow-Origin: *} without credentials; a configured list of origins is echoed only for a
 * listed origin, with credentials only when {@code api_cors_allow_credentials=true}.
 */
final class Cors {
	static final String ALLOW_METHODS = "POST, PATCH, GET, OPTIONS, PUT, DELETE";
	static final String ALLOW_HEADERS = "Accept, Content-Type, Content-Length, Accept-Encoding, X-CSRF-Token, Authorization, Timeout";

	private final List<String> allowedOrigins;
	private final boolean anyOrigin;
	private final boolean allowCredentials;

	Cors(List<String> allowedOrigins, boolean allowCredentials) {
		this.allowedOrigins = List.copyOf(allowedOrigins);
		this.anyOrigin = allowedOrigins.contains("*");
		this.allowCredentials = allowCredentials;
	}

	void apply(Request request, Response response) {
		HttpFields.Mutable h = response.getHeaders();
		String origin = request.getHeaders().get("Origin");
		if (anyOrigin) {
			h.put("Access-Control-Allow-Origin", "*");
		} else if (origin != null && allowedOrigins.contains(origin)) {
			h.put("Access-Control-Allow-Origin", origin);
			h.ensureField(new HttpField(HttpHeader.VARY, "Origin")); // once, when a request is served again
			if (allowCredentials) {
				h.put("Access-Control-Allow-Credentials", "true");
			}
		}
		h.put("Access-Control-Allow-Methods", ALLOW_METHODS);
		h.put("Access-Control-Allow-Headers", ALLOW_HEADERS);
	}
}
