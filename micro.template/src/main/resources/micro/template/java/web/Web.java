package {{javaPackage}}.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import {{javaPackage}}.{{title}}Service;
import {{javaPackage}}.handler.{{title}}Handler;
import micro.client.Client;
import micro.errors.MicroError;
import micro.registry.Node;
import micro.registry.Registry;
import micro.registry.RegistryException;
import micro.registry.Service;

/**
 * The web app {@value {{title}}Service#NAME}, as go-micro's {@code web.NewService}: serves {@code html/} at {@code /}
 * and the handler at {@code /call} (and {@code /{{alias}}/call}) over HTTP, and registers its address in the registry
 * (TTL 90 s, again every 30 s) so that {@code micro web} proxies {@code /{{alias}}/} to it. The page calls {@code call}
 * relative to itself, which works both directly and through the proxy.
 * <p>
 * It reads the runtime's configuration (PID {@code micro}), whose {@code registry.target} selects the server's
 * registry; {@code web.address} (default {@code 127.0.0.1:0}) is where it listens.
 */
@Component(immediate = true, service = {}, configurationPid = "micro", configurationPolicy = ConfigurationPolicy.OPTIONAL)
public class {{title}}Web {
	static final Duration TTL = Duration.ofSeconds(90);
	static final Duration INTERVAL = Duration.ofSeconds(30);
	private static final System.Logger LOG = System.getLogger({{title}}Web.class.getName());

	private final Registry registry;
	private final {{title}}Handler handler;
	private final HttpServer http;
	private final Service service;
	private final ScheduledExecutorService registration;

	@Activate
	public {{title}}Web(@Reference(name = "registry") Registry registry, @Reference(name = "client") Client client,
			Map<String, Object> properties) throws IOException {
		this(registry, client, String.valueOf(properties.getOrDefault("web.address", "127.0.0.1:0")));
	}

	/** Listens on the address ({@code host:port}, port 0 for any) and registers. */
	public {{title}}Web(Registry registry, Client client, String address) throws IOException {
		this.registry = registry;
		this.handler = new {{title}}Handler(client);
		int colon = address.lastIndexOf(':');
		if (colon < 0) {
			throw new IllegalArgumentException("web.address must be host:port, not " + address);
		}
		this.http = HttpServer.create(new InetSocketAddress(address.substring(0, colon),
				Integer.parseInt(address.substring(colon + 1))), 0);
		http.createContext("/", this::page);
		http.createContext("/call", this::call);
		http.createContext("/{{alias}}/call", this::call);
		http.setExecutor(Executors.newCachedThreadPool());
		http.start();
		String host = http.getAddress().getHostString();
		Node node = new Node({{title}}Service.NAME + "-" + UUID.randomUUID(), host + ":" + http.getAddress().getPort(),
				Map.of("server", "http", "transport", "http"));
		this.service = new Service({{title}}Service.NAME, "latest", Map.of(), List.of(), List.of(node));
		this.registration = Executors.newSingleThreadScheduledExecutor(r -> {
			Thread t = new Thread(r, "{{alias}}-web-registration");
			t.setDaemon(true);
			return t;
		});
		registration.scheduleAtFixedRate(this::register, 0, INTERVAL.toSeconds(), TimeUnit.SECONDS);
		LOG.log(Level.INFO, "{0} listening on {1}", {{title}}Service.NAME, node.address());
	}

	/** Where it listens, host:port. */
	public String address() {
		return service.nodes().get(0).address();
	}

	private void register() {
		try {
			registry.register(service, TTL);
		} catch (RegistryException | RuntimeException e) {
			LOG.log(Level.WARNING, "{0}: cannot register: {1}", {{title}}Service.NAME, e.getMessage());
		}
	}

	private void page(HttpExchange exchange) throws IOException {
		String path = exchange.getRequestURI().getPath();
		String name = path.equals("/") ? "index.html" : path.substring(1);
		InputStream in = name.contains("..") ? null : {{title}}Web.class.getResourceAsStream("/html/" + name);
		if (in == null) {
			reply(exchange, 404, "text/plain", "404 page not found\n".getBytes(StandardCharsets.UTF_8));
			return;
		}
		try (in) {
			String type = name.endsWith(".html") ? "text/html; charset=utf-8"
					: name.endsWith(".css") ? "text/css" : name.endsWith(".js") ? "application/javascript"
							: "application/octet-stream";
			reply(exchange, 200, type, in.readAllBytes());
		}
	}

	private void call(HttpExchange exchange) throws IOException {
		if (!exchange.getRequestMethod().equals("POST")) {
			reply(exchange, 405, "text/plain", "POST a JSON object\n".getBytes(StandardCharsets.UTF_8));
			return;
		}
		try {
			reply(exchange, 200, "application/json", handler.call(exchange.getRequestBody().readAllBytes()));
		} catch (MicroError e) {
			reply(exchange, e.httpStatus(), "application/json", e.toJson().getBytes(StandardCharsets.UTF_8));
		} catch (IOException e) {
			MicroError bad = MicroError.badRequest({{title}}Service.NAME, "not a JSON object: " + e.getMessage());
			reply(exchange, 400, "application/json", bad.toJson().getBytes(StandardCharsets.UTF_8));
		}
	}

	private static void reply(HttpExchange exchange, int status, String type, byte[] body) throws IOException {
		exchange.getResponseHeaders().set("Content-Type", type);
		exchange.sendResponseHeaders(status, body.length);
		try (OutputStream out = exchange.getResponseBody()) {
			out.write(body);
		}
	}

	/** Deregisters and stops listening. */
	@Deactivate
	public void stop() {
		registration.shutdownNow();
		try {
			registry.deregister(service);
		} catch (RegistryException | RuntimeException e) {
			LOG.log(Level.WARNING, "{0}: cannot deregister: {1}", {{title}}Service.NAME, e.getMessage());
		}
		http.stop(0);
		((java.util.concurrent.ExecutorService) http.getExecutor()).shutdownNow();
	}
}
