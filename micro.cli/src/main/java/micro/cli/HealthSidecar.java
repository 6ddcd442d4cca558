package micro.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import micro.client.CallOptions;
import micro.client.Client;
import micro.client.Request;
import micro.codec.RawBody;
import micro.errors.MicroError;

/**
 * {@code micro health} without a service: an HTTP health check for a service, for load balancers and orchestrators
 * (micro v2.9.3 {@code service/health/health.go}). {@code GET /health} calls {@code Debug.Health} of the checked service
 * (at {@code --check_address} when given, else on a node the registry names) and answers {@code 200 OK} or
 * {@code 500 NOT_HEALTHY}. Go listens on {@code :8088}, every interface; this binds {@code 127.0.0.1:8088} unless the
 * address names a host ({@code --address 0.0.0.0:8088} to serve other machines).
 */
public final class HealthSidecar implements AutoCloseable {
	public static final String DEFAULT_ADDRESS = "127.0.0.1:8088";
	private static final ObjectMapper JSON = new ObjectMapper();

	private final String service;
	private final String checkAddress;
	private final Supplier<Client> client;
	private final HttpServer server;

	/**
	 * @param address      {@code host:port}, {@code :port} (loopback) or null for {@value #DEFAULT_ADDRESS}
	 * @param checkAddress the node to call; null or blank to select one through the registry
	 */
	public HealthSidecar(String address, String service, String checkAddress, Supplier<Client> client) throws IOException {
		this.service = service;
		this.checkAddress = checkAddress == null || checkAddress.isBlank() ? null : checkAddress;
		this.client = client;
		this.server = HttpServer.create(bind(address), 16);
		server.createContext("/health", this::check);
		server.start();
	}

	static InetSocketAddress bind(String address) {
		String a = address == null || address.isBlank() ? DEFAULT_ADDRESS : address.trim();
		int colon = a.lastIndexOf(':');
		if (colon < 0) {
			throw new UsageException("invalid address \"" + a + "\": expected host:port or :port");
		}
		String host = colon == 0 ? "127.0.0.1" : a.substring(0, colon);
		try {
			return new InetSocketAddress(host, Integer.parseInt(a.substring(colon + 1)));
		} catch (IllegalArgumentException e) {
			throw new UsageException("invalid address \"" + a + "\": expected host:port or :port");
		}
	}

	/** host:port the sidecar listens on. */
	public String address() {
		InetSocketAddress a = server.getAddress();
		return a.getAddress().getHostAddress() + ":" + a.getPort();
	}

	private void check(HttpExchange exchange) throws IOException {
		int code;
		String body;
		if (!exchange.getRequestMethod().equals("GET") && !exchange.getRequestMethod().equals("HEAD")) {
			code = 405;
			body = "method not allowed";
		} else {
			String failure = null;
			try {
				CallOptions options = CallOptions.DEFAULTS.withRetries(0);
				RawBody rsp = client.get().call(new Request(service, "Debug.Health", RawBody.of("{}"),
						Request.DEFAULT_CONTENT_TYPE), RawBody.class, checkAddress == null ? options : options.withAddress(checkAddress));
				String status = JSON.readTree(rsp.bytes()).path("status").asText("");
				if (!status.equals("ok")) {
					failure = "status " + rsp.utf8();
				}
			} catch (IOException e) {
				failure = "Debug.Health answered something that is not JSON: " + e.getMessage();
			} catch (RuntimeException e) {
				failure = MicroError.from(Client.ERROR_ID, e).toJson();
			}
			code = failure == null ? 200 : 500;
			body = failure == null ? "OK" : "NOT_HEALTHY: " + failure;
		}
		byte[] bytes = (body + "\n").getBytes(StandardCharsets.UTF_8);
		exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
		exchange.sendResponseHeaders(code, exchange.getRequestMethod().equals("HEAD") ? -1 : bytes.length);
		try (OutputStream out = exchange.getResponseBody()) {
			if (!exchange.getRequestMethod().equals("HEAD")) {
				out.write(bytes);
			}
		}
	}

	@Override
	public void close() {
		server.stop(0);
	}
}
