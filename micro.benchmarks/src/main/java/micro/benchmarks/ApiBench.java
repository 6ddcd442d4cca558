package micro.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

import micro.api.internal.ApiGateway;
import micro.api.internal.ApiOptions;
import micro.client.Client;
import micro.codec.RawBody;
import micro.config.MicroConfig;
import micro.registry.Node;
import micro.registry.Service;
import micro.registry.internal.MemoryRegistry;
import micro.runtime.Micro;
import micro.server.ServerOptions;

/**
 * The API gateway's added latency and throughput: the {@code http} handler against nginx (Debian's, started here)
 * proxying the same HTTP backend, and the {@code rpc} handler against calling the service directly, each with a backend
 * that answers at once and one that takes 1 ms. Latency is measured with a minimal keep-alive HTTP/1.1 client (the
 * same for every HTTP peer) at concurrency 1 and 8; throughput with wrk at concurrency 64. Writes a markdown table.
 */
public final class ApiBench {
	/** The bench service's request and response. */
	public record Text(String text) {
	}

	/** go.micro.srv.bench: Bench.Call answers at once, Bench.Slow after 1 ms. */
	public static final class Echo {
		public Text Call(Text t) {
			return t;
		}

		public Text Slow(Text t) throws InterruptedException {
			sleepOneMilli();
			return t;
		}
	}

	static void sleepOneMilli() throws InterruptedException {
		long end = System.nanoTime() + 1_000_000;
		Thread.sleep(0, 900_000);
		while (System.nanoTime() < end) {
			Thread.onSpinWait();
		}
	}

	private static final int WARMUP = Integer.getInteger("bench.latency.warmup", 2000);
	private static final int CALLS = Integer.getInteger("bench.latency.calls", 5000);
	private static final int SECONDS = Integer.getInteger("bench.throughput.seconds", 8);
	/** A regular expression: only the peers whose names it finds are measured (for tuning one of them). */
	private static final String ONLY = System.getProperty("bench.api.peers");

	public static void main(String[] args) throws Exception {
		loadBefore = loadAverage(); // before this run's own threads count in it
		Path out = Path.of(args.length > 0 ? args[0] : "results/api.md");
		Path work = Files.createTempDirectory("api-bench");
		Server backend = backend();
		int backendPort = ((ServerConnector) backend.getConnectors()[0]).getLocalPort();
		Process nginx = null;
		MemoryRegistry registry = new MemoryRegistry();
		try (Micro micro = Micro.builder().config(MicroConfig.of(Map.of())).registry(registry).withoutBroker().build()) {
			var echo = micro.newServer(ServerOptions.named("go.micro.srv.bench"));
			echo.handle("Bench", new Echo(), Map.of());
			echo.start();
			registry.register(new Service("go.micro.api.web", "latest", Map.of(), List.of(),
					List.of(new Node("go.micro.api.web-1", "127.0.0.1:" + backendPort, Map.of()))), Duration.ofHours(1));
			ApiGateway http = gateway(micro, Map.of(ApiOptions.API_HANDLER, "http"));
			ApiGateway rpc = gateway(micro, Map.of(ApiOptions.API_HANDLER, "rpc", ApiOptions.API_NAMESPACE, "go.micro.srv"));
			int nginxPort = freePort();
			nginx = nginx(work, nginxPort, backendPort);
			Client client = micro.client();

			Map<String, Peer> peers = new LinkedHashMap<>();
			for (String kind : List.of("fast", "slow")) {
				String path = kind.equals("fast") ? "/web/fast" : "/web/slow";
				peers.put("backend, direct (" + kind + ")", Peer.get(backendPort, path));
				peers.put("nginx → backend (" + kind + ")", Peer.get(nginxPort, path));
				peers.put("micro api http → backend (" + kind + ")", Peer.get(http.port(), path));
				String endpoint = kind.equals("fast") ? "Bench.Call" : "Bench.Slow";
				peers.put("rpc, direct client call (" + kind + ")", Peer.rpc(client, endpoint));
				peers.put("micro api rpc → service (" + kind + ")", Peer.post(rpc.port(),
						kind.equals("fast") ? "/bench/call" : "/bench/slow", "{\"text\":\"hello\"}"));
			}
			if (ONLY != null) {
				peers.keySet().removeIf(name -> !Pattern.compile(ONLY).matcher(name).find());
			}
			// one warm-up pass over every peer first, so that the peer measured first does not pay for the JIT alone
			for (Peer peer : peers.values()) {
				Bench.latency(peer::call, WARMUP, 1, Duration.ofSeconds(30));
				Bench.throughput(peer::call, 8, Duration.ofMillis(500), Duration.ofMillis(500));
			}
			Map<String, long[]> p50 = new LinkedHashMap<>();
			StringBuilder table = new StringBuilder("| peer | p50 c=1 µs | p99 c=1 µs | p50 c=8 µs | throughput c=64 req/s |\n|---|---:|---:|---:|---:|\n");
			for (Map.Entry<String, Peer> e : peers.entrySet()) {
				Peer peer = e.getValue();
				Bench.Result one = Bench.latency(peer::call, WARMUP, CALLS, Duration.ofSeconds(30));
				Bench.Result eight = Bench.throughput(peer::call, 8, Duration.ofSeconds(1), Duration.ofSeconds(3));
				double rps = peer.wrkPort > 0 ? wrk(work, peer) : Bench.throughput(peer::call, 64, Duration.ofSeconds(2),
						Duration.ofSeconds(SECONDS)).callsPerSecond();
				peer.close();
				long a = one.latency().percentile(50);
				long b = eight.latency().percentile(50);
				p50.put(e.getKey(), new long[] { a, b });
				table.append(String.format("| %s | %.1f | %.1f | %.1f | %.0f |%n", e.getKey(), a / 1e3,
						one.latency().percentile(99) / 1e3, b / 1e3, rps));
				throughput.put(e.getKey(), rps);
				System.out.println(e.getKey() + ": p50 " + a / 1000 + " µs, c=8 p50 " + b / 1000 + " µs, " + Math.round(rps) + " req/s");
			}
			if (ONLY != null) {
				// a partial run (while tuning one peer): the table on standard output, no targets, no results file
				System.out.println(table);
			} else {
				report(out, table, p50);
			}
		} finally {
			gateways.forEach(ApiGateway::stop);
			if (nginx != null) {
				nginx.destroy();
				nginx.waitFor(5, TimeUnit.SECONDS);
			}
			backend.stop();
		}
		System.exit(0);
	}

	/** The targets of the issue, computed from the peers' figures, and the results file. */
	private static void report(Path out, StringBuilder table, Map<String, long[]> p50) throws IOException {
		StringBuilder ratios = new StringBuilder("\n| target | measured | met |\n|---|---|---|\n");
		for (String kind : List.of("fast", "slow")) {
			for (int c = 0; c < 2; c++) {
				long direct = p50.get("backend, direct (" + kind + ")")[c];
				long ng = p50.get("nginx → backend (" + kind + ")")[c] - direct;
				long ours = p50.get("micro api http → backend (" + kind + ")")[c] - direct;
				String conc = c == 0 ? "1" : "8";
				ratios.append(String.format("| http added p50 ≤ 2× nginx's (%s, c=%s) | ours %.1f µs, nginx %.1f µs: %.2f× | %s |%n",
						kind, conc, ours / 1e3, ng / 1e3, ng <= 0 ? Double.NaN : (double) ours / ng, ours <= 2 * Math.max(ng, 1) ? "yes" : "no"));
				long rdirect = p50.get("rpc, direct client call (" + kind + ")")[c];
				long rours = p50.get("micro api rpc → service (" + kind + ")")[c] - rdirect;
				if (kind.equals("slow")) {
					ratios.append(String.format("| http added p50 < 15%% with the 1 ms backend (c=%s) | %.1f%% | %s |%n", conc,
							100.0 * ours / direct, ours < 0.15 * direct ? "yes" : "no"));
					ratios.append(String.format("| rpc added p50 < 15%% with the 1 ms backend (c=%s) | %.1f%% | %s |%n", conc,
							100.0 * rours / rdirect, rours < 0.15 * rdirect ? "yes" : "no"));
				} else {
					ratios.append(String.format("| rpc handler added p50 (fast, c=%s) | %.1f µs over a direct call | |%n",
							conc, rours / 1e3));
				}
			}
		}
		double ngT = throughput.get("nginx → backend (fast)");
		double ourT = throughput.get("micro api http → backend (fast)");
		double directRpc = throughput.get("rpc, direct client call (fast)");
		double ourRpc = throughput.get("micro api rpc → service (fast)");
		ratios.append(String.format("| http throughput ≥ 0.8× nginx's (c=64) | %.2f× | %s |%n", ourT / ngT, ourT >= 0.8 * ngT ? "yes" : "no"));
		ratios.append(String.format("| rpc throughput ≥ 0.35× a direct call (c=64) | %.2f× | %s |%n", ourRpc / directRpc,
				ourRpc >= 0.35 * directRpc ? "yes" : "no"));
		String text = "# API gateway benchmark\n\n" + LocalDateTime.now().withNano(0) + ", " + Runtime.getRuntime().availableProcessors()
				+ " processors, load average before: " + loadBefore + ", JVM " + System.getProperty("java.vm.version")
				+ ", " + nginxVersion() + "\n\n"
				+ "Everything on 127.0.0.1 on the same machine: the backend (Jetty, \"hello\"; the slow one after 1 ms) and both"
				+ " gateways in this JVM, nginx (worker_processes auto, upstream keepalive 64) and wrk (2 threads) as processes."
				+ " Added latency = peer p50 − direct p50.\n\n" + table + ratios;
		Files.createDirectories(out.toAbsolutePath().getParent());
		Files.writeString(out, text);
		System.out.println(text);
	}

	private static final Map<String, Double> throughput = new LinkedHashMap<>();
	private static String loadBefore;
	private static final List<ApiGateway> gateways = new ArrayList<>();

	static ApiGateway gateway(Micro micro, Map<String, String> settings) throws Exception {
		Map<String, String> c = new LinkedHashMap<>(settings);
		c.put(ApiOptions.API_ADDRESS, "127.0.0.1:0");
		c.put(ApiOptions.API_ENABLE_CORS, "false");
		c.put(ApiOptions.API_ENABLE_ACCESS_LOG, "false");
		ApiGateway g = new ApiGateway(ApiOptions.from(MicroConfig.of(c)), micro.client(), micro.registry(), null);
		g.start();
		gateways.add(g);
		return g;
	}

	static Server backend() throws Exception {
		QueuedThreadPool threads = new QueuedThreadPool(200, 8);
		threads.setName("backend");
		Server s = new Server(threads);
		ServerConnector c = new ServerConnector(s);
		c.setHost("127.0.0.1");
		c.setPort(0);
		s.addConnector(c);
		byte[] hello = "hello".getBytes(StandardCharsets.UTF_8);
		s.setHandler(new Handler.Abstract() {
			@Override
			public boolean handle(Request request, Response response, Callback callback) throws Exception {
				if (request.getHttpURI().getPath().endsWith("/slow")) {
					sleepOneMilli();
				}
				response.getHeaders().put("Content-Type", "text/plain");
				response.write(true, java.nio.ByteBuffer.wrap(hello), callback);
				return true;
			}
		});
		s.start();
		return s;
	}

	static Process nginx(Path work, int port, int backendPort) throws Exception {
		Path conf = work.resolve("nginx.conf");
		Files.createDirectories(work.resolve("logs"));
		Files.writeString(conf, """
				daemon off;
				worker_processes auto;
				pid %1$s/nginx.pid;
				error_log %1$s/logs/error.log warn;
				events { worker_connections 4096; }
				http {
				  access_log off;
				  keepalive_requests 10000000; keepalive_timeout 300s;
				  client_body_temp_path %1$s/body; proxy_temp_path %1$s/proxy; fastcgi_temp_path %1$s/fastcgi;
				  uwsgi_temp_path %1$s/uwsgi; scgi_temp_path %1$s/scgi;
				  upstream backend { server 127.0.0.1:%3$d; keepalive 64; keepalive_requests 10000000; }
				  server {
				    listen 127.0.0.1:%2$d;
				    location / { proxy_pass http://backend; proxy_http_version 1.1; proxy_set_header Connection ""; }
				  }
				}
				""".formatted(work, port, backendPort));
		Process p = new ProcessBuilder("nginx", "-p", work.toString(), "-c", conf.toString()).redirectErrorStream(true)
				.redirectOutput(work.resolve("logs/nginx.out").toFile()).start();
		long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
		while (System.nanoTime() < end) {
			try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
				return p;
			} catch (IOException notYet) {
				Thread.sleep(50);
			}
		}
		throw new IllegalStateException("nginx did not start: " + Files.readString(work.resolve("logs/nginx.out")));
	}

	static double wrk(Path work, Peer peer) throws Exception {
		List<String> cmd = new ArrayList<>(List.of("wrk", "-t2", "-c64", "-d" + SECONDS + "s"));
		if (peer.body != null) {
			Path script = work.resolve("post.lua");
			Files.writeString(script, "wrk.method = \"POST\"\nwrk.body = '" + peer.body
					+ "'\nwrk.headers[\"Content-Type\"] = \"application/json\"\n");
			cmd.add("-s");
			cmd.add(script.toString());
		}
		cmd.add("http://127.0.0.1:" + peer.wrkPort + peer.path);
		Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
		String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		p.waitFor();
		Matcher m = Pattern.compile("Requests/sec:\\s+([0-9.]+)").matcher(text);
		if (!m.find() || text.contains("Non-2xx")) {
			throw new IllegalStateException("wrk: " + text);
		}
		return Double.parseDouble(m.group(1));
	}

	static int freePort() throws IOException {
		try (var s = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return s.getLocalPort();
		}
	}

	static String loadAverage() {
		try {
			return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
		} catch (IOException e) {
			return "?";
		}
	}

	static String nginxVersion() {
		try {
			Process p = new ProcessBuilder("nginx", "-v").redirectErrorStream(true).start();
			return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
		} catch (IOException e) {
			return "nginx ?";
		}
	}

	/** One peer: an HTTP endpoint called over one keep-alive connection per thread, or the RPC client. */
	static final class Peer implements AutoCloseable {
		final int wrkPort;
		final String path;
		final String body;
		private final Client client;
		private final String endpoint;
		private final ThreadLocal<Connection> connections;
		private final List<Connection> all = new java.util.concurrent.CopyOnWriteArrayList<>();

		private Peer(int port, String path, String body, Client client, String endpoint) {
			this.wrkPort = port;
			this.path = path;
			this.body = body;
			this.client = client;
			this.endpoint = endpoint;
			this.connections = ThreadLocal.withInitial(() -> {
				Connection c = new Connection(port, request());
				all.add(c);
				return c;
			});
		}

		static Peer get(int port, String path) {
			return new Peer(port, path, null, null, null);
		}

		static Peer post(int port, String path, String body) {
			return new Peer(port, path, body, null, null);
		}

		static Peer rpc(Client client, String endpoint) {
			return new Peer(0, null, null, client, endpoint);
		}

		private byte[] request() {
			String r = body == null ? "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
					: "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: "
							+ body.length() + "\r\n\r\n" + body;
			return r.getBytes(StandardCharsets.US_ASCII);
		}

		void call() throws Exception {
			if (client != null) {
				client.call(new micro.client.Request("go.micro.srv.bench", endpoint, RawBody.of("{\"text\":\"hello\"}")),
						RawBody.class, null);
				return;
			}
			connections.get().exchange();
		}

		@Override
		public void close() {
			all.forEach(Connection::close);
		}
	}

	/**
	 * A keep-alive HTTP/1.1 connection that sends one fixed request and reads a Content-Length response. A connection
	 * the server closed while idle (Jetty's idle timeout) is opened again.
	 */
	static final class Connection {
		private final int port;
		private Socket socket;
		private OutputStream out;
		private InputStream in;
		private final byte[] request;
		private final byte[] buf = new byte[16384];

		Connection(int port, byte[] request) {
			this.port = port;
			this.request = request;
			open();
		}

		private void open() {
			try {
				socket = new Socket(InetAddress.getLoopbackAddress(), port);
				socket.setTcpNoDelay(true);
				out = socket.getOutputStream();
				in = socket.getInputStream();
			} catch (IOException e) {
				throw new IllegalStateException(e);
			}
		}

		void exchange() throws IOException {
			try {
				once();
			} catch (java.io.EOFException | java.net.SocketException idleClosed) {
				close();
				open();
				once();
			}
		}

		private void once() throws IOException {
			out.write(request);
			out.flush();
			int n = 0;
			int headerEnd = -1;
			while (headerEnd < 0) {
				int r = in.read(buf, n, buf.length - n);
				if (r < 0) {
					throw new java.io.EOFException("connection closed");
				}
				n += r;
				for (int i = 3; i < n; i++) {
					if (buf[i - 3] == '\r' && buf[i - 2] == '\n' && buf[i - 1] == '\r' && buf[i] == '\n') {
						headerEnd = i + 1;
						break;
					}
				}
			}
			String head = new String(buf, 0, headerEnd, StandardCharsets.ISO_8859_1);
			if (!head.startsWith("HTTP/1.1 200")) {
				throw new IOException("unexpected answer: " + head.lines().findFirst().orElse(""));
			}
			Matcher m = Pattern.compile("(?i)content-length:\\s*(\\d+)").matcher(head);
			if (!m.find()) {
				throw new IOException("no Content-Length: " + head);
			}
			int length = Integer.parseInt(m.group(1));
			int have = n - headerEnd;
			while (have < length) {
				int r = in.read(buf, 0, buf.length);
				if (r < 0) {
					throw new IOException("connection closed");
				}
				have += r;
			}
		}

		void close() {
			try {
				socket.close();
			} catch (IOException ignored) {
				// done with it
			}
		}
	}
}
