package micro.api.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.TimeZone;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.eclipse.jetty.server.CustomRequestLog;
import org.eclipse.jetty.server.RequestLog;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.websocket.client.WebSocketClient;
import org.eclipse.jetty.websocket.server.ServerWebSocketContainer;

import micro.api.ApiHandler;
import micro.broker.Broker;
import micro.client.Client;
import micro.registry.Registry;
import micro.registry.cache.RegistryCache;

/**
 * The API gateway (§2): one HTTP listener on Jetty 12 that routes requests to services through the registry with the
 * configured handler and resolver. Usable without OSGi:
 *
 * <pre>
 * ApiGateway api = new ApiGateway(ApiOptions.defaults("127.0.0.1:0"), micro.client(), micro.registry(), micro.broker());
 * api.start();
 * </pre>
 *
 * {@link #stop()} stops accepting, lets requests in flight finish (up to {@code api_shutdown_timeout}), then closes.
 */
public final class ApiGateway implements AutoCloseable {
	private static final System.Logger LOG = System.getLogger(ApiGateway.class.getName());

	private final ApiOptions options;
	private final Client client;
	private final Registry registry;
	private final Broker broker;
	private final Map<String, ApiHandler> plugins = new ConcurrentHashMap<>();
	private final EndpointRouter router;
	private final String version;
	private Server server;
	private ServerConnector connector;
	private RegistryCache cache;
	private ExecutorService streams;
	private HttpProxy proxy;
	/** Where access log lines go: stdout, as in Go (read when a line is written, so a redirected System.out counts). */
	private RequestLog.Writer accessLog = line -> System.out.println(line);

	/**
	 * @param client   the calls of the rpc, api and event handlers and of {@code /rpc}
	 * @param registry where services are looked up (through a cache of the gateway's own)
	 * @param broker   handed to plugin handlers; may be null (the event handler publishes through the client)
	 */
	public ApiGateway(ApiOptions options, Client client, Registry registry, Broker broker) {
		this.options = Objects.requireNonNull(options, "options");
		this.client = Objects.requireNonNull(client, "client");
		this.registry = Objects.requireNonNull(registry, "registry");
		this.broker = broker;
		this.router = new EndpointRouter(registry);
		this.version = readVersion();
	}

	public ApiOptions options() {
		return options;
	}

	/** The micro version reported by {@code GET /}. */
	public String version() {
		return version;
	}

	/** Adds a handler under a name (the OSGi whiteboard calls this for every {@link ApiHandler} service). */
	public void addHandler(String name, ApiHandler handler) {
		plugins.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(handler, "handler"));
	}

	/** Removes a handler if it is still the one registered under that name. */
	public void removeHandler(String name, ApiHandler handler) {
		plugins.remove(name, handler);
	}

	/** Sends the access log lines elsewhere (tests); takes effect at the next {@link #start()}. */
	void accessLogTo(RequestLog.Writer writer) {
		accessLog = Objects.requireNonNull(writer, "writer");
	}

	/**
	 * Apache's combined log format, as Go writes it (gorilla's {@code CombinedLoggingHandler} around the whole gateway,
	 * §2.2): client address, user, local time in English, request line, status, body bytes, Referer and User-Agent.
	 */
	static String accessLogFormat() {
		// Jetty's EXTENDED_NCSA_FORMAT (%O is the body's bytes) with Go's local time instead of GMT
		return "%{client}a - %u %{" + CustomRequestLog.DEFAULT_DATE_FORMAT + "|" + TimeZone.getDefault().getID()
				+ "|en}t \"%r\" %s %O \"%{Referer}i\" \"%{User-Agent}i\"";
	}

	ApiHandler plugin(String name) {
		return plugins.get(name);
	}

	/** Binds {@code api_address} and starts serving. */
	public synchronized void start() throws Exception {
		if (server != null) {
			throw new IllegalStateException("the API gateway is running already");
		}
		InetSocketAddress bind = parseAddress(options.address());
		boolean onSelectors = GatewayHandler.servesOnSelectors(options);
		QueuedThreadPool threads = new GatewayThreadPool(256, 8, onSelectors);
		threads.setName("micro-api");
		Server s = new Server(threads);
		GatewayConnector c = new GatewayConnector(s, onSelectors);
		c.setHost(bind.getHostString().isEmpty() ? null : bind.getHostString());
		c.setPort(bind.getPort());
		s.addConnector(c);
		HttpProxy proxy = new HttpProxy(options.maxBody(), c);
		this.proxy = proxy;
		WebSocketClient backendSockets = new WebSocketClient();
		s.addBean(backendSockets);
		streams = Executors.newCachedThreadPool(r -> {
			Thread t = new Thread(r, "micro-api-stream");
			t.setDaemon(true);
			return t;
		});
		WebSockets webSockets = new WebSockets(ServerWebSocketContainer.ensure(s), backendSockets, streams,
				options.maxBody());
		// a cache of the gateway's own, as Go's API router has (micro.core's: TTL, watches, stale on failure)
		cache = new RegistryCache(registry);
		GatewayHandler handler = new GatewayHandler(this, options, client, cache, broker, router, proxy, webSockets);
		GracefulHandler graceful = new GracefulHandler(handler);
		// idle keep-alive connections need not hold a shutdown up (Jetty waits 1 s by default)
		graceful.setShutdownIdleTimeout(200);
		s.setHandler(graceful);
		if (options.enableAccessLog()) {
			// the outermost wrapper, as in Go: every request is logged, whatever answered it
			s.setRequestLog(new CustomRequestLog(accessLog, accessLogFormat()));
		}
		s.setStopTimeout(options.shutdownTimeout().toMillis());
		s.setStopAtShutdown(false);
		router.start();
		try {
			s.start();
		} catch (Exception e) {
			router.close();
			cache.close();
			s.stop();
			throw new IOException("cannot start the API gateway on " + options.address() + ": " + e.getMessage(), e);
		}
		server = s;
		connector = c;
		LOG.log(System.Logger.Level.INFO, "API gateway listening on " + address() + " (handler " + options.handler()
				+ ", namespace " + options.prefix() + ", resolver " + options.resolver() + ")");
	}

	/** The bound port. */
	public int port() {
		ServerConnector c = connector;
		if (c == null) {
			throw new IllegalStateException("the API gateway is not running");
		}
		return c.getLocalPort();
	}

	/** {@code host:port} as bound ({@code [::]:8080} style hosts are kept as given). */
	public String address() {
		String host = connector == null ? null : connector.getHost();
		return (host == null ? "" : host.contains(":") ? "[" + host + "]" : host) + ":" + port();
	}

	public synchronized boolean isRunning() {
		return server != null && server.isRunning();
	}

	/** Stops gracefully: no new connections, requests in flight finish within the shutdown timeout. */
	public synchronized void stop() {
		Server s = server;
		server = null;
		if (proxy != null) {
			// idle backend connections first: they are the connector's too, and its graceful stop waits for them
			proxy.close();
		}
		if (s != null) {
			try {
				s.stop();
			} catch (Exception e) {
				LOG.log(System.Logger.Level.WARNING, "stopping the API gateway: " + e.getMessage());
			}
		}
		router.close();
		if (cache != null) {
			cache.close();
			cache = null;
		}
		proxy = null;
		if (streams != null) {
			streams.shutdownNow();
			streams = null;
		}
	}

	@Override
	public void close() {
		stop();
	}

	/** {@code :8080}, {@code 127.0.0.1:0}, {@code [::1]:8080}, {@code localhost:8080}; an empty host binds all. */
	static InetSocketAddress parseAddress(String address) {
		String a = address.trim();
		int colon = a.lastIndexOf(':');
		if (colon < 0 || (a.startsWith("[") && !a.contains("]:"))) {
			throw new IllegalArgumentException("invalid api_address \"" + address + "\": use host:port or :port");
		}
		String host = a.substring(0, colon);
		if (host.startsWith("[") && host.endsWith("]")) {
			host = host.substring(1, host.length() - 1);
		}
		int port;
		try {
			port = Integer.parseInt(a.substring(colon + 1));
		} catch (NumberFormatException e) {
			throw new IllegalArgumentException("invalid api_address \"" + address + "\": bad port");
		}
		if (port < 0 || port > 65535) {
			throw new IllegalArgumentException("invalid api_address \"" + address + "\": port out of range");
		}
		return InetSocketAddress.createUnresolved(host, port);
	}

	private static String readVersion() {
		try (InputStream in = ApiGateway.class.getResourceAsStream("version.properties")) {
			if (in != null) {
				Properties p = new Properties();
				p.load(in);
				return p.getProperty("version", "latest");
			}
		} catch (IOException ignored) {
			// fall through to the default
		}
		return "latest";
	}
}
