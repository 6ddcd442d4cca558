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
import java.util.Arrays;
import java.util.Collections;
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
 * same for every HTTP peer) at concurrency 1 and 8; throughput with wrk at concurrency 64. Peers that form a ratio are
 * measured in alternating rounds (A B, B A, A B …) and each ratio is judged by the median of its per-round values, so
 * that the machine's drift between runs (nginx's own throughput moves ±30% on two cores) moves both sides together.
 * Writes a markdown table.
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
	private static final int SECONDS = Integer.getInteger("bench.throughput.seconds", 5);
	/** wrk at concurrency 64 against every HTTP peer once before the rounds, seconds. */
	private static final int THROUGHPUT_WARMUP = Integer.getInteger("bench.throughput.warmup", 5);
	// odd round counts, so that the median of the per-round ratios is one round's ratio and drops an outlier round
	private static final int ROUNDS = Integer.getInteger("bench.api.rounds", 9);
	private static final int LATENCY_ROUNDS = Integer.getInteger("bench.api.latencyRounds", 3);
	/** A regular expression: only the peers whose names it finds are measured (for tuning one of them). */
	private static final String ONLY = System.getProperty("bench.api.peers");

	// each role is one peer per backend kind, named "<role> (fast)" and "<role> (slow)"
	private static final String DIRECT = "backend, direct";
	private static final String NGINX = "nginx → backend";
	private static final String HTTP = "micro api http → backend";
	private static final String RPC_DIRECT = "rpc, direct client call";
	private static final String RPC = "micro api rpc → service";
	private static final List<String> ROLES = List.of(DIRECT, NGINX, HTTP, RPC_DIRECT, RPC);
	private static final List<String> KINDS = List.of("fast", "slow");
	private static final List<Integer> LATENCY_CONCURRENCIES = List.of(1, 8);
	/** Latency groups: each group's first peer is the baseline the others' added latency is counted from. */
	private static final List<List<String>> LATENCY_GROUPS = List.of(List.of(DIRECT, NGINX, HTTP),
			List.of(RPC_DIRECT, RPC));
	/** Throughput pairs, the reference first; the direct backend forms no ratio and is measured once. */
	private static final List<List<String>> THROUGHPUT_GROUPS = List.of(List.of(DIRECT), List.of(NGINX, HTTP),
			List.of(RPC_DIRECT, RPC));

	public static void main(String[] args) throws Exception {
		requirePositive("bench.api.rounds", ROUNDS);
		requirePositive("bench.api.latencyRounds", LATENCY_ROUNDS);
		requirePositive("bench.throughput.seconds", SECONDS);
		List<String> names = KINDS.stream().flatMap(kind -> ROLES.stream().map(role -> name(role, kind))).toList();
		if (names.stream().noneMatch(ApiBench::selected)) {
			throw new IllegalArgumentException("bench.api.peers=" + ONLY + " finds none of the peers " + names);
		}
		loadBefore = loadAverage(); // before this run's own threads count in it
		Path out = Path.of(args.length > 0 ? args[0] : "results/api.md");
		Path work = Files.createTempDirectory("api-bench");
		HttpBackend backend = HttpBackend.start();
		backendPlace = backend.describe();
		int backendPort = backend.port;
		Process nginx = null;
		MemoryRegistry registry = new MemoryRegistry();
		Map<String, Peer> peers = new LinkedHashMap<>();
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

			for (String kind : KINDS) {
				String path = "/web/" + kind;
				peers.put(name(DIRECT, kind), Peer.get(backendPort, path));
				peers.put(name(NGINX, kind), Peer.get(nginxPort, path));
				peers.put(name(HTTP, kind), Peer.get(http.port(), path));
				peers.put(name(RPC_DIRECT, kind), Peer.rpc(client, kind.equals("fast") ? "Bench.Call" : "Bench.Slow"));
				peers.put(name(RPC, kind), Peer.post(rpc.port(), kind.equals("fast") ? "/bench/call" : "/bench/slow",
						"{\"text\":\"hello\"}"));
			}
			peers.keySet().removeIf(name -> !selected(name));
			// one warm-up pass over every peer first, so that the peer measured first does not pay for the JIT alone
			for (Peer peer : peers.values()) {
				Bench.latency(peer::call, WARMUP, 1, Duration.ofSeconds(30));
				Bench.throughput(peer::call, 8, Duration.ofMillis(500), Duration.ofMillis(500));
				if (peer.wrkPort > 0) {
					// the load of the throughput rounds too: without it the gateways' first round ran their code at
					// concurrency 64 still partly interpreted (0.42–0.66× nginx's against 0.72–0.87× in later rounds)
					wrk(work, peer, THROUGHPUT_WARMUP);
				}
				peer.close();
			}
			Figures figures = new Figures(inRounds(peers, LATENCY_GROUPS, LATENCY_ROUNDS, ApiBench::latency),
					inRounds(peers, THROUGHPUT_GROUPS, ROUNDS, peer -> throughput(work, peer)));
			String report = figures.peerTable() + "\n" + Targets.of(figures);
			if (ONLY != null) {
				// a partial run (while tuning one peer): on standard output only, the full results file stays
				System.out.println(report);
			} else {
				write(out, report);
			}
		} finally {
			peers.values().forEach(Peer::close);
			gateways.forEach(ApiGateway::stop);
			if (nginx != null) {
				nginx.destroy();
				nginx.waitFor(5, TimeUnit.SECONDS);
			}
			backend.close();
		}
		System.exit(0);
	}

	static String name(String role, String kind) {
		return role + " (" + kind + ")";
	}

	private static boolean selected(String name) {
		return ONLY == null || Pattern.compile(ONLY).matcher(name).find();
	}

	private static void requirePositive(String property, int value) {
		if (value < 1) {
			throw new IllegalArgumentException(property + " must be at least 1, not " + value);
		}
	}

	/** One measurement of a peer, which {@link #inRounds} repeats. */
	@FunctionalInterface
	interface Measurement<T> {
		T of(Peer peer) throws Exception;
	}

	/**
	 * Measures the peers of each group in rounds, in the group's order in even rounds and in reverse in odd ones (A B,
	 * B A, A B …), so that warm-up and drift of the machine favour none of them. A peer left alone in its group (the
	 * others filtered out by {@code bench.api.peers}) forms no ratio and is measured once. Returns every peer's figure
	 * of each round.
	 */
	static <T> Map<String, List<T>> inRounds(Map<String, Peer> peers, List<List<String>> roleGroups, int rounds,
			Measurement<T> measurement) throws Exception {
		Map<String, List<T>> figures = new LinkedHashMap<>();
		for (String kind : KINDS) {
			for (List<String> roles : roleGroups) {
				List<String> group = roles.stream().map(role -> name(role, kind)).filter(peers::containsKey).toList();
				int groupRounds = group.size() > 1 ? rounds : 1;
				for (int round = 0; round < groupRounds; round++) {
					List<String> order = new ArrayList<>(group);
					if (round % 2 == 1) {
						Collections.reverse(order);
					}
					for (String name : order) {
						Peer peer = peers.get(name);
						T figure = measurement.of(peer);
						peer.close(); // so that every measurement starts with new connections, as the first did
						figures.computeIfAbsent(name, n -> new ArrayList<>()).add(figure);
						System.out.println("round " + (round + 1) + "/" + groupRounds + ", " + name + ": " + figure);
					}
				}
			}
		}
		return figures;
	}

	/** p50 and p99 at concurrency 1 and p50 at concurrency 8, in nanoseconds. */
	record Latency(long p50, long p99, long p50EightCallers) {
		double p50Micros(int concurrency) {
			return (concurrency == 1 ? p50 : p50EightCallers) / 1e3;
		}

		@Override
		public String toString() {
			return String.format("p50 %.1f µs, p99 %.1f µs, c=8 p50 %.1f µs", p50 / 1e3, p99 / 1e3,
					p50EightCallers / 1e3);
		}
	}

	static Latency latency(Peer peer) throws Exception {
		Bench.Result one = Bench.latency(peer::call, WARMUP, CALLS, Duration.ofSeconds(30));
		Bench.Result eight = Bench.throughput(peer::call, 8, Duration.ofSeconds(1), Duration.ofSeconds(3));
		return new Latency(one.latency().percentile(50), one.latency().percentile(99), eight.latency().percentile(50));
	}

	record Throughput(double perSecond) {
		@Override
		public String toString() {
			return String.format("%.0f req/s", perSecond);
		}
	}

	/** wrk at concurrency 64 for an HTTP peer; the harness's 64 threads (after a 2 s warm-up) for the direct RPC call. */
	static Throughput throughput(Path work, Peer peer) throws Exception {
		return new Throughput(peer.wrkPort > 0 ? wrk(work, peer)
				: Bench.throughput(peer::call, 64, Duration.ofSeconds(2), Duration.ofSeconds(SECONDS)).callsPerSecond());
	}

	/** Every peer's figures of every round, by peer name. */
	record Figures(Map<String, List<Latency>> latencies, Map<String, List<Throughput>> throughputs) {
		/** Whether all these roles' peers of this kind were measured (with bench.api.peers, some are not). */
		boolean has(String kind, String... roles) {
			return Arrays.stream(roles).allMatch(role -> latencies.containsKey(name(role, kind)));
		}

		/** The peer's p50 in each round, µs. */
		double[] p50(String role, String kind, int concurrency) {
			return latencies.get(name(role, kind)).stream().mapToDouble(l -> l.p50Micros(concurrency)).toArray();
		}

		/** The peer's p50 minus the baseline's, in each round, µs. */
		double[] addedP50(String role, String baselineRole, String kind, int concurrency) {
			double[] peer = p50(role, kind, concurrency);
			double[] baseline = p50(baselineRole, kind, concurrency);
			double[] added = new double[peer.length];
			Arrays.setAll(added, i -> peer[i] - baseline[i]);
			return added;
		}

		double[] perSecond(String role, String kind) {
			return throughputs.get(name(role, kind)).stream().mapToDouble(Throughput::perSecond).toArray();
		}

		/** One row per peer, each figure the median over its rounds. */
		String peerTable() {
			StringBuilder table = new StringBuilder(
					"| peer | p50 c=1 µs | p99 c=1 µs | p50 c=8 µs | throughput c=64 req/s |\n|---|---:|---:|---:|---:|\n");
			for (String name : latencies.keySet()) {
				List<Latency> rounds = latencies.get(name);
				table.append(String.format("| %s | %.1f | %.1f | %.1f | %.0f |%n", name,
						median(rounds.stream().mapToDouble(Latency::p50).toArray()) / 1e3,
						median(rounds.stream().mapToDouble(Latency::p99).toArray()) / 1e3,
						median(rounds.stream().mapToDouble(Latency::p50EightCallers).toArray()) / 1e3,
						median(throughputs.get(name).stream().mapToDouble(Throughput::perSecond).toArray())));
			}
			return table.toString();
		}
	}

	/**
	 * A ratio taken in every round from figures measured back to back (numerator ÷ denominator), judged by the median
	 * of these per-round ratios: drift of the machine between rounds then moves both sides of each ratio together.
	 */
	record RoundRatios(String label, double[] numerators, double[] denominators) {
		double ratio(int round) {
			return numerators[round] / denominators[round];
		}

		double median() {
			double[] ratios = new double[numerators.length];
			Arrays.setAll(ratios, this::ratio);
			return ApiBench.median(ratios);
		}

		String round(int round) {
			return String.format("%s / %s = %.3f", figure(numerators[round]), figure(denominators[round]), ratio(round));
		}

		private static String figure(double value) {
			return String.format(Math.abs(value) < 1000 ? "%.1f" : "%.0f", value);
		}
	}

	static double median(double[] values) {
		double[] sorted = values.clone();
		Arrays.sort(sorted);
		int middle = sorted.length / 2;
		return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
	}

	/** The targets of issue 4, from the ratios whose peers were all measured, and the per-round table behind them. */
	static final class Targets {
		private final StringBuilder rows = new StringBuilder(
				"| target | measured (median of the per-round ratios) | met |\n|---|---|---|\n");
		private final List<RoundRatios> ratios = new ArrayList<>();

		static String of(Figures f) {
			Targets t = new Targets();
			for (String kind : KINDS) {
				for (int c : LATENCY_CONCURRENCIES) {
					if (f.has(kind, DIRECT, NGINX, HTTP)) {
						t.addedAgainstNginx(f, kind, c);
					}
					if (kind.equals("slow") && f.has(kind, DIRECT, HTTP)) {
						t.addedShare(f, "http", HTTP, DIRECT, kind, c);
					}
					if (f.has(kind, RPC_DIRECT, RPC)) {
						t.addedShare(f, "rpc", RPC, RPC_DIRECT, kind, c);
					}
				}
			}
			for (String kind : KINDS) {
				if (f.has(kind, NGINX, HTTP)) {
					t.throughput(kind, "http throughput", 0.8, "nginx's", f.perSecond(HTTP, kind),
							f.perSecond(NGINX, kind));
				}
				if (f.has(kind, RPC_DIRECT, RPC)) {
					t.throughput(kind, "rpc throughput", 0.35, "a direct call", f.perSecond(RPC, kind),
							f.perSecond(RPC_DIRECT, kind));
				}
			}
			return t.ratios.isEmpty() ? "" : t.rows + "\n" + t.roundsTable();
		}

		private RoundRatios ratio(String label, double[] numerators, double[] denominators) {
			RoundRatios r = new RoundRatios(label, numerators, denominators);
			ratios.add(r);
			return r;
		}

		private static String where(String kind, int concurrency) {
			return " (" + kind + ", c=" + concurrency + ")";
		}

		private void addedAgainstNginx(Figures f, String kind, int concurrency) {
			String where = where(kind, concurrency);
			double[] nginxAdded = f.addedP50(NGINX, DIRECT, kind, concurrency);
			// nginx adding nothing measurable counts as 1 ns, so that the ratio stays finite
			Arrays.setAll(nginxAdded, round -> Math.max(nginxAdded[round], 1e-3));
			RoundRatios r = ratio("http added p50 ÷ nginx's added p50" + where + ", µs",
					f.addedP50(HTTP, DIRECT, kind, concurrency), nginxAdded);
			row("http added p50 ≤ 2× nginx's" + where, String.format("ours %.1f µs, nginx %.1f µs: %.2f×",
					median(r.numerators()), median(r.denominators()), r.median()), r.median() <= 2);
		}

		/**
		 * Added latency as a share of the direct p50: under 15% is a target with the 1 ms backend; with the fast one the
		 * added µs are shown.
		 */
		private void addedShare(Figures f, String what, String role, String directRole, String kind, int concurrency) {
			String where = where(kind, concurrency);
			RoundRatios r = ratio(what + " added p50 ÷ direct p50" + where + ", µs",
					f.addedP50(role, directRole, kind, concurrency), f.p50(directRole, kind, concurrency));
			if (kind.equals("slow")) {
				row(what + " added p50 < 15% with the 1 ms backend (c=" + concurrency + ")",
						String.format("%.1f%%", 100 * r.median()), r.median() < 0.15);
			} else {
				row(what + " added p50" + where, String.format("%.1f µs over a direct call", median(r.numerators())),
						null);
			}
		}

		/** The throughput targets hold for the fast backend; the slow one's ratio is shown without a verdict. */
		private void throughput(String kind, String what, double target, String reference, double[] ours,
				double[] references) {
			String where = where(kind, 64);
			RoundRatios r = ratio(what + " ÷ " + reference + where + ", req/s", ours, references);
			String measured = String.format("%.2f×", r.median());
			if (kind.equals("fast")) {
				row(what + " ≥ " + target + "× " + reference + where, measured, r.median() >= target);
			} else {
				row(what + " against " + reference + where, measured, null);
			}
		}

		/** A row; {@code met} null for a figure shown without a target. */
		private void row(String target, String measured, Boolean met) {
			rows.append("| ").append(target).append(" | ").append(measured).append(" | ")
					.append(met == null ? "" : met ? "yes" : "no").append(" |\n");
		}

		private String roundsTable() {
			int columns = ratios.stream().mapToInt(r -> r.numerators().length).max().orElse(0);
			StringBuilder table = new StringBuilder("| ratio, per round: ours / reference = ratio |");
			StringBuilder rule = new StringBuilder("|---|");
			for (int round = 1; round <= columns; round++) {
				table.append(" round ").append(round).append(" |");
				rule.append("---|");
			}
			table.append(" median ratio |\n").append(rule).append("---:|\n");
			for (RoundRatios r : ratios) {
				table.append("| ").append(r.label()).append(" |");
				for (int round = 0; round < columns; round++) {
					table.append(' ').append(round < r.numerators().length ? r.round(round) : "").append(" |");
				}
				table.append(String.format(" %.3f |%n", r.median()));
			}
			return table.toString();
		}
	}

	/** The results file: the run's conditions, the peer table and the targets. */
	private static void write(Path out, String report) throws IOException {
		String text = "# API gateway benchmark\n\n" + LocalDateTime.now().withNano(0) + ", " + Runtime.getRuntime().availableProcessors()
				+ " processors, load average before: " + loadBefore + ", JVM " + System.getProperty("java.vm.version")
				+ ", " + nginxVersion() + "\n\n"
				+ "Everything on 127.0.0.1 on the same machine: the backend (Jetty, \"hello\"; the slow one after 1 ms) "
				+ backendPlace + ", both gateways and the rpc service in the benchmark's JVM, nginx (worker_processes auto,"
				+ " upstream keepalive 64) and wrk (2 threads) as processes."
				+ " Added latency = peer p50 − direct p50. Peers that form a ratio alternate, the order reversed every"
				+ " other round (A B, B A, …), after one warm-up pass over every peer (" + WARMUP + " calls, 1 s at c=8, "
				+ THROUGHPUT_WARMUP + " s of wrk at c=64): latency in " + LATENCY_ROUNDS + " rounds of " + WARMUP + " warm-up and "
				+ CALLS + " calls at c=1 and 1 + 3 s at c=8, throughput in " + ROUNDS + " rounds of " + SECONDS
				+ " s per peer (the direct backend once). The peer table holds each figure's median over its rounds; the"
				+ " targets are judged on the median of the per-round ratios.\n\n" + report;
		Files.createDirectories(out.toAbsolutePath().getParent());
		Files.writeString(out, text);
		System.out.println(text);
	}

	private static String loadBefore;
	private static String backendPlace;
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
		return wrk(work, peer, SECONDS);
	}

	static double wrk(Path work, Peer peer, int seconds) throws Exception {
		List<String> cmd = new ArrayList<>(List.of("wrk", "-t2", "-c64", "-d" + seconds + "s"));
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
			this.connections = ThreadLocal.withInitial(this::connect);
		}

		private Connection connect() {
			Connection c = new Connection(wrkPort, request());
			all.add(c);
			return c;
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
			Connection connection = connections.get();
			if (connection.isClosed()) { // by close() after an earlier measurement, on a thread that calls again
				connection = connect();
				connections.set(connection);
			}
			connection.exchange();
		}

		/** Closes the connections opened so far; a later call opens a new one. */
		@Override
		public void close() {
			all.forEach(Connection::close);
			all.clear();
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

		boolean isClosed() {
			return socket.isClosed();
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
