package micro.api.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

import com.fasterxml.jackson.databind.JsonNode;

import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

import micro.api.ApiContext;
import micro.api.ApiHandler;
import micro.api.ApiRequest;
import micro.api.ApiResponse;
import micro.api.ApiRoute;
import micro.broker.Broker;
import micro.client.CallOptions;
import micro.client.Client;
import micro.config.MicroConfig;
import micro.errors.MicroError;
import micro.metadata.Metadata;
import micro.registry.Endpoint;
import micro.registry.Node;
import micro.registry.RegistryException;
import micro.registry.Service;
import micro.registry.cache.RegistryCache;

/**
 * Serves one request: the fixed routes ({@code /}, {@code /favicon.ico}, {@code /stats}, {@code /rpc}), then routing
 * (endpoint metadata first, then the resolver) and the handler. CORS is applied first when enabled.
 */
final class GatewayHandler extends Handler.Abstract {
	/** Request headers that are not passed on as call metadata: they frame HTTP or carry MUCP's own fields. */
	private static final Set<String> NOT_METADATA = Set.of("connection", "keep-alive", "proxy-connection",
			"transfer-encoding", "te", "trailer", "upgrade", "content-length", "content-type", "expect", "timeout",
			"micro-service", "micro-endpoint", "micro-method", "micro-id", "micro-error", "micro-stream", "micro-topic");
	private static final Set<String> PROXYING = Set.of("http", "proxy", "web", "event");
	/** The handlers served on Jetty's selector threads: nothing they do on the way of a request blocks. */
	private static final Set<String> NON_BLOCKING = Set.of("http", "proxy", "web");
	/**
	 * Thrown where a request served on a selector thread would have to block (a registry lookup, an RPC, a WebSocket
	 * to open): it is served again from the start on a pool thread. Preallocated, without a stack: it is control flow.
	 */
	private static final WouldBlock WOULD_BLOCK = new WouldBlock();

	private static final class WouldBlock extends RuntimeException {
		private static final long serialVersionUID = 1L;

		WouldBlock() {
			super("would block", null, false, false);
		}
	}

	private final ApiGateway gateway;
	private final ApiOptions options;
	private final Client client;
	private final RegistryCache cache;
	private final Broker broker;
	private final EndpointRouter router;
	private final HttpProxy proxy;
	private final WebSockets webSockets;
	private final Cors cors;
	private final Stats stats = new Stats();
	private final RpcEndpoint rpcEndpoint;
	private final Map<String, ApiHandler> builtIns;
	/** {@code options.prefix()}, made once: it is needed on every request. */
	private final String prefix;
	/** Whether Jetty calls {@link #handle} on its selector threads (see {@link #getInvocationType()}). */
	private final boolean nonBlocking;

	GatewayHandler(ApiGateway gateway, ApiOptions options, Client client, RegistryCache cache, Broker broker,
			EndpointRouter router, HttpProxy proxy, WebSockets webSockets) {
		this.gateway = gateway;
		this.options = options;
		this.client = client;
		this.cache = cache;
		this.broker = broker;
		this.router = router;
		this.proxy = proxy;
		this.webSockets = webSockets;
		this.prefix = options.prefix();
		this.nonBlocking = servesOnSelectors(options);
		this.cors = new Cors(options.corsAllowedOrigins(), options.corsAllowCredentials());
		this.rpcEndpoint = new RpcEndpoint(client);
		this.builtIns = Map.of(RpcHandler.NAME, new RpcHandler(), ApiRequestHandler.NAME, new ApiRequestHandler(),
				EventHandler.NAME, new EventHandler());
	}

	/**
	 * Non-blocking for the proxying handlers: Jetty then runs a request on the selector thread that read it, and the
	 * proxy's backend connections live on the same selectors, so a proxied request costs no thread hand-off. What
	 * would block there is served on a pool thread instead ({@link #WOULD_BLOCK}).
	 */
	/** Whether the gateway's handler serves requests on Jetty's selector threads (the proxying handlers). */
	static boolean servesOnSelectors(ApiOptions options) {
		return NON_BLOCKING.contains(options.handler());
	}

	@Override
	public InvocationType getInvocationType() {
		return nonBlocking ? InvocationType.NON_BLOCKING : InvocationType.BLOCKING;
	}

	@Override
	public boolean handle(Request request, Response response, Callback callback) {
		if (options.enableStats()) {
			Request.addCompletionListener(request, failure -> stats.record(response.getStatus()));
		}
		answer(request, response, callback, !nonBlocking);
		return true;
	}

	/** @param mayBlock whether this thread may wait (else {@link #WOULD_BLOCK} is thrown where it would) */
	private void answer(Request request, Response response, Callback callback, boolean mayBlock) {
		String method = request.getMethod();
		String path = request.getHttpURI().getDecodedPath();
		if (path == null || path.isEmpty()) {
			path = "/";
		}
		String host = host(request);
		String namespace = options.domainNamespace() ? Resolvers.domainNamespace(host) + "." + options.type()
				: prefix;
		try {
			if (options.enableCors()) {
				cors.apply(request, response);
				if (method.equals("OPTIONS")) {
					Responses.write(response, callback, new ApiResponse(200, Map.of(), null));
					return;
				}
			}
			if (path.equals("/")) {
				Responses.write(response, callback, ApiResponse.json(200, "{\"version\": \"" + gateway.version() + "\"}"));
				return;
			}
			if (path.equals("/favicon.ico")) {
				Responses.write(response, callback, new ApiResponse(200, Map.of(), null));
				return;
			}
			if (options.enableStats() && path.equals("/stats")) {
				Responses.write(response, callback, statsPage(request));
				return;
			}
			Duration timeout = timeout(request, namespace);
			if (options.enableRpc() && path.equals("/rpc")) {
				mayBlock(mayBlock);
				ApiRequest r = apiRequest(request, path, host, RpcEndpoint.ERROR_ID);
				Responses.write(response, callback, rpcEndpoint.handle(r, callOptions(request, host, timeout)));
				return;
			}
			serve(request, response, callback, method, path, host, namespace, timeout, mayBlock);
		} catch (WouldBlock e) {
			request.getComponents().getExecutor().execute(() -> answer(request, response, callback, true));
		} catch (MicroError e) {
			Responses.error(response, callback, e.code() == 0
					? MicroError.internalServerError(namespace, "error during request: " + e.detail())
					: e);
		} catch (Exception e) {
			Responses.error(response, callback, MicroError.internalServerError(namespace,
					e.getMessage() == null ? e.toString() : e.getMessage()));
		}
	}

	private static void mayBlock(boolean mayBlock) {
		if (!mayBlock) {
			throw WOULD_BLOCK;
		}
	}

	private void serve(Request request, Response response, Callback callback, String method, String path, String host,
			String namespace, Duration timeout, boolean mayBlock) throws Exception {
		String configured = configuredHandler();
		if (configured.equals(EventHandler.NAME)) {
			// the event handler names its topic after the path; it needs no service
			mayBlock(mayBlock);
			buffered(builtIns.get(EventHandler.NAME), new ApiRoute(namespace, method, EventHandler.NAME, null, null, null, null),
					request, response, callback, path, host, namespace, timeout);
			return;
		}
		ApiRoute route = route(method, path, host, namespace, configured, mayBlock);
		String handlerName = configured.equals("meta") ? dispatchName(route.handler()) : configured;
		boolean upgrade = WebSockets.isUpgrade(request);
		if (upgrade) {
			mayBlock(mayBlock);
		}
		if (upgrade && handlerName.equals("web")) {
			webSockets.tunnel(request, response, callback, pickNode(route, namespace).address());
			return;
		}
		if (upgrade && route.streaming() && handlerName.equals(RpcHandler.NAME)) {
			stream(request, response, callback, route, namespace, timeout);
			return;
		}
		switch (handlerName) {
		case "http", "proxy", "web" -> proxy(request, response, callback, route, namespace, timeout);
		default -> {
			mayBlock(mayBlock);
			ApiHandler h = builtIns.get(handlerName);
			if (h == null) {
				h = gateway.plugin(handlerName);
			}
			if (h == null) {
				h = builtIns.get(RpcHandler.NAME);
			}
			buffered(h, route, request, response, callback, path, host, namespace, timeout);
		}
		}
	}

	/** {@code --handler}: a built-in name, a plugin's name, or else {@code meta}. */
	private String configuredHandler() {
		String h = options.handler();
		if (ApiOptions.BUILT_IN_HANDLERS.contains(h) || gateway.plugin(h) != null) {
			return h;
		}
		return "meta";
	}

	/** The meta handler's dispatch on an endpoint's {@code handler} (§2.6); unknown names go to rpc. */
	private String dispatchName(String handler) {
		String h = handler == null ? "" : handler;
		return switch (h) {
		case "web", "http", "proxy", "rpc", "event", "api" -> h;
		default -> gateway.plugin(h) != null ? h : RpcHandler.NAME;
		};
	}

	/** Endpoint metadata first, then the resolver and the registry (§2.5). */
	ApiRoute route(String method, String path, String host, String namespace, String configured, boolean mayBlock) {
		EndpointRouter.Match m = router.match(method, host, path);
		if (m != null) {
			EndpointRouter.Route r = m.route();
			return new ApiRoute(r.service(), r.endpoint(), r.handler(), m.pathFields(), r.bodyField(), r.services(),
					r.metadata());
		}
		boolean rpcStyle = !PROXYING.contains(configured);
		Resolvers.Resolution res = Resolvers.resolve(options.resolver(), method, path, host, namespace, rpcStyle);
		if (res == null) {
			throw MicroError.internalServerError(namespace, "service not found");
		}
		List<Service> services;
		try {
			services = mayBlock ? cache.getService(res.service()) : cache.getFresh(res.service());
			if (services == null) {
				throw WOULD_BLOCK; // not in the cache: the registry is asked from a pool thread
			}
		} catch (RegistryException e) {
			throw MicroError.internalServerError(namespace, "registry: " + e.getMessage());
		}
		if (services.isEmpty()) {
			throw MicroError.internalServerError(namespace, "service not found");
		}
		String handler = switch (configured) {
		case "meta" -> RpcHandler.NAME;
		default -> configured;
		};
		Map<String, String> endpointMetadata = Map.of();
		for (Service s : rpcStyle ? services : List.<Service>of()) { // proxying needs no endpoint metadata
			for (Endpoint e : s.endpoints()) {
				if (e.name().equals(res.endpoint())) {
					endpointMetadata = e.metadata();
				}
			}
		}
		return new ApiRoute(res.service(), res.endpoint(), handler, null, null, services, endpointMetadata);
	}

	/** A handler that takes the whole body: rpc, api, event and plugins. */
	private void buffered(ApiHandler handler, ApiRoute route, Request request, Response response, Callback callback,
			String path, String host, String namespace, Duration timeout) throws Exception {
		ApiRequest r = apiRequest(request, path, host, namespace);
		CallOptions callOptions = callOptions(request, host, timeout);
		ApiContext context = new Context(client, callOptions, namespace, broker);
		ApiResponse answer = handler.handle(r, route, context);
		Responses.write(response, callback, answer == null ? new ApiResponse(200, Map.of(), null) : answer);
	}

	/** A random node of the routed service (Go's selector.Random); 404 when it has none. */
	private static Node pickNode(ApiRoute route, String namespace) {
		// counted, then indexed: no list built per request
		int count = 0;
		for (Service s : route.services()) {
			count += s.nodes().size();
		}
		if (count == 0) {
			throw MicroError.notFound(namespace, "no node of " + route.service() + " to proxy to");
		}
		int index = count == 1 ? 0 : ThreadLocalRandom.current().nextInt(count);
		for (Service s : route.services()) {
			List<Node> nodes = s.nodes();
			if (index < nodes.size()) {
				return nodes.get(index);
			}
			index -= nodes.size();
		}
		throw new IllegalStateException("the nodes changed while picking one");
	}

	/**
	 * A WebSocket to a streaming endpoint. The query and path fields, when there are any, are the first message; a
	 * {@code Timeout} header bounds each receive, otherwise the stream waits as long as the socket lives.
	 */
	private void stream(Request request, Response response, Callback callback, ApiRoute route, String namespace,
			Duration timeout) throws Exception {
		JsonNode first = Payloads.merge(Payloads.fields(route.pathFields()),
				Payloads.parseQuery(request.getHttpURI().getQuery(), namespace));
		byte[] firstBytes = first.isEmpty() ? null : Payloads.JSON.writeValueAsBytes(first);
		CallOptions o = callOptions(request, host(request), timeout);
		if (request.getHeaders().get("Timeout") == null) {
			o = o.withTimeout(null);
		}
		String ct = RpcHandler.bareType(request.getHeaders().get(HttpHeader.CONTENT_TYPE));
		if (!webSockets.stream(request, response, callback, client, route.service(), route.endpoint(), ct, firstBytes, o)) {
			throw MicroError.badRequest(namespace, "not a valid WebSocket upgrade");
		}
	}

	/** The http/proxy/web handlers: a random node of the service, the full path, the request's timeout. */
	private void proxy(Request request, Response response, Callback callback, ApiRoute route, String namespace,
			Duration timeout) {
		Node node = pickNode(route, namespace);
		proxy.forward(request, response, callback, node.address(), timeout.toMillis(), namespace);
	}

	/** The request's {@code Timeout} header in seconds (a Go duration such as {@code 500ms} also reads), capped. */
	Duration timeout(Request request, String errorId) {
		String header = request.getHeaders().get("Timeout");
		Duration t = options.defaultTimeout();
		if (header != null && !header.isBlank()) {
			String v = header.trim();
			try {
				if (v.matches("\\d+(\\.\\d+)?")) {
					t = Duration.ofNanos((long) (Double.parseDouble(v) * 1e9));
				} else {
					t = MicroConfig.parseDuration(v, ChronoUnit.SECONDS);
				}
			} catch (IllegalArgumentException e) {
				throw MicroError.badRequest(errorId, "invalid Timeout header \"" + v + "\": give seconds, e.g. Timeout: 10");
			}
			if (t.isZero() || t.isNegative()) {
				t = options.defaultTimeout();
			}
		}
		return t.compareTo(options.maxTimeout()) > 0 ? options.maxTimeout() : t;
	}

	/** The call options of a request: its timeout and its headers (plus {@code Host} and {@code Method}) as metadata. */
	private static CallOptions callOptions(Request request, String host, Duration timeout) {
		Map<String, List<String>> values = new LinkedHashMap<>();
		for (HttpField f : request.getHeaders()) {
			String name = f.getName();
			if (NOT_METADATA.contains(name.toLowerCase(Locale.ROOT)) || f.getHeader() == HttpHeader.HOST) {
				continue;
			}
			values.computeIfAbsent(Metadata.titleCase(name), k -> new ArrayList<>()).add(f.getValue());
		}
		Metadata md = new Metadata();
		values.forEach((k, v) -> md.put(k, String.join(",", v)));
		md.put("Host", host);
		md.put("Method", request.getMethod());
		return CallOptions.DEFAULTS.withTimeout(timeout).withMetadata(md);
	}

	private ApiRequest apiRequest(Request request, String path, String host, String errorId) throws IOException {
		Map<String, List<String>> headers = new LinkedHashMap<>();
		for (HttpField f : request.getHeaders()) {
			headers.computeIfAbsent(f.getName(), k -> new ArrayList<>()).add(f.getValue());
		}
		String query = request.getHttpURI().getQuery();
		return new ApiRequest(request.getMethod(), path, query, host, Request.getRemoteAddr(request), headers,
				readBody(request, errorId));
	}

	/** The whole body, or 413 when it is larger than {@code api_max_body}. */
	private byte[] readBody(Request request, String errorId) throws IOException {
		long declared = request.getLength();
		long max = options.maxBody();
		if (declared > max) {
			throw tooLarge(errorId);
		}
		ByteArrayOutputStream out = new ByteArrayOutputStream(declared > 0 ? (int) declared : 256);
		byte[] buf = new byte[8192];
		try (InputStream in = Request.asInputStream(request)) {
			int n;
			while ((n = in.read(buf)) >= 0) {
				if (out.size() + (long) n > max) {
					Payloads.drain(in);
					throw tooLarge(errorId);
				}
				out.write(buf, 0, n);
			}
		}
		return out.toByteArray();
	}

	private MicroError tooLarge(String errorId) {
		return MicroError.of(errorId, 413, "request body larger than " + options.maxBody() + " bytes");
	}

	private ApiResponse statsPage(Request request) throws IOException {
		String json = Payloads.JSON.writeValueAsString(stats.snapshot());
		String ct = request.getHeaders().get(HttpHeader.CONTENT_TYPE);
		if (ct != null && ct.startsWith("application/json")) {
			return ApiResponse.json(200, json);
		}
		return ApiResponse.of(200, "text/html; charset=utf-8", stats.html(json).getBytes(StandardCharsets.UTF_8));
	}

	private static String host(Request request) {
		String h = request.getHeaders().get(HttpHeader.HOST);
		if (h == null || h.isEmpty()) {
			h = request.getHttpURI().getAuthority();
		}
		return h == null ? "" : h;
	}

	private record Context(Client client, CallOptions callOptions, String namespace, Broker broker)
			implements ApiContext {
	}
}
