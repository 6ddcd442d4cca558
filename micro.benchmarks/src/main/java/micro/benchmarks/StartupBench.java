package micro.benchmarks;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import micro.client.CallOptions;
import micro.client.Request;
import micro.codec.RawBody;
import micro.config.MicroConfig;
import micro.registry.Node;
import micro.registry.RegistryException;
import micro.registry.Service;
import micro.registry.mdns.internal.MdnsOptions;
import micro.registry.mdns.internal.MdnsRegistry;
import micro.runtime.Micro;

/**
 * What a user of the built distribution waits for:
 * <ul>
 * <li>{@code bin/micro server}, with go.micro.srv.example in {@code load/}, from the process start to the first
 * successful call of {@code Example.Call} (polled from this JVM: an mDNS look-up, as the command line does, then a
 * call to the node found), then SIGTERM and the wait for the exit;</li>
 * <li>the wall time of the one-shot commands {@code list services}, {@code get service} and {@code call} against a
 * running server, JVM start included, next to {@code java -version} and a Hello World as the floor.</li>
 * </ul>
 * Every server gets an mDNS port of its own on loopback, so nothing else on the machine answers or disturbs it. The
 * distribution is copied into a temporary folder first, so the class-data sharing archive that the first command makes
 * is part of the run and the build output stays untouched.
 * <p>
 * Arguments: the distribution folder ({@code micro.distribution/target/micro}) and the results file. System
 * properties: {@code bench.startup.runs} (server starts, default 10), {@code bench.startup.commands} (runs of each
 * command, default 10; 0 measures the server only), {@code bench.startup.baseline} (another distribution folder,
 * for example one built from an earlier commit, measured in the same run for a before/after table). {@code MICRO_JAVA_OPTS} in the environment reaches bin/micro, to try JVM options.
 */
public final class StartupBench {
	static final String SERVICE = "go.micro.srv.example";
	static final String ENDPOINT = "Example.Call";
	static final String REQUEST = "{\"name\":\"John\"}";
	static final String ANSWER = "Hello John";
	static final Duration SERVER_DEADLINE = Duration.ofSeconds(60);
	private static final Pattern REPORTED = Pattern.compile("(\\d+) bundles started in (\\d+) ms");

	/** One server start: the times in nanoseconds, the server's own report, its CPU time when it first answered. */
	record ServerRun(long firstCallNanos, long reportedMillis, long cpuMillis, long stopNanos) {
	}

	private final Path home;
	private final Path logs;
	private final Path javaHome = Path.of(System.getProperty("java.home"));
	private final List<Process> live = new java.util.concurrent.CopyOnWriteArrayList<>();
	private final Micro caller = Micro.builder().config(MicroConfig.of(Map.of(MicroConfig.REGISTRY, "memory")))
			.withoutBroker().build();

	StartupBench(Path home) {
		this.home = home;
		this.logs = home.getParent();
	}

	/** Kills every process this benchmark started that still runs (bin/micro may wait on a training JVM). */
	private void destroyAll() {
		for (Process p : live) {
			p.descendants().forEach(ProcessHandle::destroyForcibly);
			p.destroyForcibly();
		}
	}

	public static void main(String[] args) throws Exception {
		if (args.length != 2) {
			System.err.println("usage: StartupBench <distribution folder (micro.distribution/target/micro)> <results.md>");
			System.exit(2);
		}
		Path distribution = distribution(args[0]);
		String baselineFolder = System.getProperty("bench.startup.baseline");
		Path baselineDistribution = baselineFolder == null || baselineFolder.isBlank() ? null : distribution(baselineFolder);
		int serverRuns = Integer.getInteger("bench.startup.runs", 10);
		int commandRuns = Integer.getInteger("bench.startup.commands", 10);
		String loadAtStart = loadAverage();
		ZonedDateTime date = ZonedDateTime.now(ZoneOffset.UTC);
		Path work = Files.createTempDirectory("micro-startup-bench-");
		List<StartupBench> benches = new ArrayList<>();
		// a benchmark stopped with Ctrl-C must not leave servers behind
		Thread cleanup = new Thread(() -> benches.forEach(StartupBench::destroyAll), "startup-bench-cleanup");
		Runtime.getRuntime().addShutdownHook(cleanup);
		String text;
		try {
			benches.add(new StartupBench(copyDistribution(distribution, work.resolve("micro"))));
			if (baselineDistribution != null) {
				benches.add(new StartupBench(copyDistribution(baselineDistribution, work.resolve("baseline/micro"))));
			}
			List<Measured> measured = measure(benches, serverRuns, commandRuns);
			String tables = tables(measured.get(0));
			if (measured.size() > 1) {
				tables += comparison(baselineDistribution, measured.get(1), measured.get(0));
			}
			text = header(date, loadAtStart, loadAverage(), serverRuns, commandRuns) + tables;
		} finally {
			benches.forEach(b -> b.caller.close());
			deleteTree(work);
		}
		Files.writeString(Path.of(args[1]), text);
		System.out.print(text);
		System.exit(0);
	}

	private static Path distribution(String folder) {
		Path distribution = Path.of(folder).toAbsolutePath();
		if (!Files.isExecutable(distribution.resolve("bin/micro"))) {
			System.err.println("no distribution in " + distribution + ": build it with mvn -o -q package -DskipTests");
			System.exit(2);
		}
		return distribution;
	}

	/** What one distribution measured; the peers ({@code java -version}, Hello World) are shared. */
	record Measured(long firstCommandNanos, long firstServerNanos, List<ServerRun> runs, Bench.Histogram javaVersion,
			Bench.Histogram hello, Map<String, Bench.Histogram> commands) {
	}

	/**
	 * With a baseline, the server starts alternate between the two distributions (this, baseline, this, …) so that
	 * both see the same load on a shared machine; the commands run one distribution after the other.
	 */
	private static List<Measured> measure(List<StartupBench> benches, int serverRuns, int commandRuns) throws Exception {
		List<Long> firstCommands = new ArrayList<>();
		List<Long> firstServers = new ArrayList<>();
		List<List<ServerRun>> runs = new ArrayList<>();
		for (StartupBench bench : benches) {
			// the first command of a fresh distribution also makes the class-data sharing archive (a training run)
			firstCommands.add(bench.timeCommand(Map.of(), List.of("--registry=memory", "list", "services")));
			// one warm-up start (it also makes the server's archive, where there is one), so that this JVM's poller
			// and the OS file cache do not count against the first run
			firstServers.add(bench.serverRun(bench.logs.resolve("server-warmup.log")).firstCallNanos());
			runs.add(new ArrayList<>());
		}
		for (int i = 0; i < serverRuns; i++) {
			for (int b = 0; b < benches.size(); b++) {
				ServerRun run = benches.get(b).serverRun(benches.get(b).logs.resolve("server-" + i + ".log"));
				runs.get(b).add(run);
				System.err.printf("%s server start %d: first call after %d ms%n", b == 0 ? "this" : "baseline", i + 1,
						run.firstCallNanos() / 1_000_000);
			}
		}
		List<Measured> measured = new ArrayList<>();
		if (commandRuns == 0) {
			for (int b = 0; b < benches.size(); b++) {
				measured.add(new Measured(firstCommands.get(b), firstServers.get(b), runs.get(b), null, null, Map.of()));
			}
			return measured;
		}
		StartupBench first = benches.get(0);
		Bench.Histogram javaVersion = first.timeProcess(commandRuns, "version", Map.of(), first.java(), "-version");
		Bench.Histogram hello = first.timeProcess(commandRuns, ANSWER, Map.of(), first.java(), "-XX:TieredStopAtLevel=1",
				"-XX:+UseSerialGC", "-XX:-UsePerfData", "-Xshare:auto", "-cp", classesOf(Hello.class),
				Hello.class.getName());
		for (int b = 0; b < benches.size(); b++) {
			measured.add(new Measured(firstCommands.get(b), firstServers.get(b), runs.get(b), javaVersion, hello,
					benches.get(b).commands(commandRuns)));
		}
		return measured;
	}

	private Map<String, Bench.Histogram> commands(int commandRuns) throws Exception {
		Map<String, Bench.Histogram> commands = new java.util.LinkedHashMap<>();
		try (RunningServer server = startServer(logs.resolve("server-commands.log"))) {
			Map<String, String> env = server.env();
			commands.put("micro list services", timeProcess(commandRuns, SERVICE, env, micro(), "list", "services"));
			commands.put("micro get service " + SERVICE,
					timeProcess(commandRuns, "service  " + SERVICE, env, micro(), "get", "service", SERVICE));
			commands.put("micro call " + SERVICE + " " + ENDPOINT + " '" + REQUEST + "'",
					timeProcess(commandRuns, ANSWER, env, micro(), "call", SERVICE, ENDPOINT, REQUEST));
		}
		return commands;
	}

	// ---------------------------------------------------------------- server

	/** A server process with its own mDNS port, and a registry on that port to find its services. */
	private record RunningServer(Process process, long startNanos, Map<String, String> env, MdnsRegistry registry,
			Path log) implements AutoCloseable {
		@Override
		public void close() throws Exception {
			try {
				stop(process);
			} finally {
				registry.close();
			}
		}
	}

	private RunningServer startServer(Path log) throws Exception {
		String registryAddress = "127.0.0.1:" + freeUdpPort();
		Map<String, String> env = Map.of("MICRO_REGISTRY_ADDRESS", registryAddress);
		ProcessBuilder builder = processBuilder(env, micro(), "server")
				.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
				.redirectErrorStream(true)
				.redirectOutput(log.toFile());
		MdnsRegistry registry = new MdnsRegistry(MdnsOptions.defaults().withAddress(registryAddress));
		long start = System.nanoTime();
		Process process = builder.start();
		live.add(process);
		RunningServer server = new RunningServer(process, start, env, registry, log);
		try {
			awaitFirstCall(server);
		} catch (Exception | Error e) {
			try {
				server.close();
			} catch (Exception ignored) {
				// the failure to start is what matters
			}
			throw e;
		}
		return server;
	}

	private ServerRun serverRun(Path log) throws Exception {
		RunningServer server = startServer(log);
		long firstCall = System.nanoTime() - server.startNanos();
		long cpu = server.process().toHandle().info().totalCpuDuration().map(Duration::toMillis).orElse(-1L);
		long stopStart = System.nanoTime();
		server.close();
		long stop = System.nanoTime() - stopStart;
		Matcher reported = REPORTED.matcher(Files.readString(log));
		return new ServerRun(firstCall, reported.find() ? Long.parseLong(reported.group(2)) : -1, cpu, stop);
	}

	/** Polls until Example.Call answers: an mDNS look-up (100 ms), then a call to every node found. */
	private void awaitFirstCall(RunningServer server) throws Exception {
		long deadline = server.startNanos() + SERVER_DEADLINE.toNanos();
		CallOptions options = CallOptions.DEFAULTS.withTimeout(Duration.ofSeconds(2)).withRetries(0);
		while (System.nanoTime() < deadline) {
			if (!server.process().isAlive()) {
				throw new IllegalStateException("micro server exited with " + server.process().exitValue() + ":\n"
						+ Files.readString(server.log()));
			}
			List<Service> services;
			try {
				services = server.registry().getService(SERVICE);
			} catch (RegistryException e) {
				services = List.of();
			}
			for (Service service : services) {
				for (Node node : service.nodes()) {
					try {
						RawBody answer = caller.client().call(new Request(SERVICE, ENDPOINT, RawBody.of(REQUEST),
								"application/json"), RawBody.class, options.withAddress(node.address()));
						if (answer.utf8().contains(ANSWER)) {
							return;
						}
					} catch (RuntimeException notYet) {
						// registered before its handler runs, or a node of an earlier run: look again
					}
				}
			}
			Thread.sleep(10);
		}
		throw new IllegalStateException("no answer from " + SERVICE + " within " + SERVER_DEADLINE + ":\n"
				+ Files.readString(server.log()));
	}

	/** SIGTERM (bin/micro execs the JVM, so the JVM gets it), then the wait for the exit. */
	private static void stop(Process process) throws InterruptedException {
		process.destroy();
		if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
			process.descendants().forEach(ProcessHandle::destroyForcibly);
			process.destroyForcibly();
			throw new IllegalStateException("micro server did not stop within 30 s of SIGTERM");
		}
	}

	// ---------------------------------------------------------------- one-shot commands

	/** Runs a command {@code calls} times after one warm-up run; each must exit 0 and print {@code expected}. */
	private Bench.Histogram timeProcess(int calls, String expected, Map<String, String> env, String... command)
			throws Exception {
		ProcessBuilder builder = processBuilder(env, command).redirectErrorStream(true);
		Bench.Result result = Bench.latency(() -> runChecked(builder, expected), 1, calls, Duration.ofMinutes(10));
		return result.latency();
	}

	private long timeCommand(Map<String, String> env, List<String> args) throws IOException {
		List<String> command = new ArrayList<>();
		command.add(micro());
		command.addAll(args);
		ProcessBuilder builder = processBuilder(env, command.toArray(String[]::new)).redirectErrorStream(true);
		long start = System.nanoTime();
		runChecked(builder, "");
		return System.nanoTime() - start;
	}

	private static void runChecked(ProcessBuilder builder, String expected) throws IOException {
		Process process = builder.start();
		String output;
		try (InputStream in = process.getInputStream()) {
			output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
		int code;
		try {
			code = process.waitFor();
		} catch (InterruptedException e) {
			process.destroyForcibly();
			Thread.currentThread().interrupt();
			throw new IOException("interrupted", e);
		}
		if (code != 0 || !output.contains(expected)) {
			throw new IllegalStateException(String.join(" ", builder.command()) + " exited with " + code
					+ " without printing \"" + expected + "\":\n" + output);
		}
	}

	private ProcessBuilder processBuilder(Map<String, String> env, String... command) {
		ProcessBuilder builder = new ProcessBuilder(command).directory(home.toFile());
		Map<String, String> environment = builder.environment();
		// only what the run sets: a MICRO_REGISTRY of the caller's shell must not change what is measured
		environment.keySet().removeIf(k -> k.startsWith("MICRO_") && !k.equals("MICRO_JAVA_OPTS"));
		environment.put("JAVA_HOME", javaHome.toString());
		environment.putAll(env);
		return builder;
	}

	private String micro() {
		return home.resolve("bin/micro").toString();
	}

	private String java() {
		return javaHome.resolve("bin/java").toString();
	}

	private static String classesOf(Class<?> type) {
		try {
			return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
		} catch (java.net.URISyntaxException e) {
			throw new IllegalStateException(e);
		}
	}

	// ---------------------------------------------------------------- results

	private static String header(ZonedDateTime date, String loadAtStart, String loadAtEnd, int serverRuns,
			int commandRuns) {
		String javaOpts = System.getenv("MICRO_JAVA_OPTS");
		return "# Start-up benchmark: `micro server` to the first call, and one-shot commands\n\n"
				+ "Made by `micro.benchmarks/bin/bench-startup` (`StartupBench`) on the built distribution, copied to a"
				+ " temporary folder; every server on an mDNS port of its own on loopback. Times are wall times seen"
				+ " from the benchmark's JVM, JVM start included.\n\n"
				+ "| run | |\n|---|---|\n"
				+ "| date | " + date.format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")) + " |\n"
				+ "| machine | nproc " + Runtime.getRuntime().availableProcessors() + ", " + processor() + ", "
				+ System.getProperty("os.name") + " " + System.getProperty("os.version") + " |\n"
				+ "| load average (1 min) | " + loadAtStart + " at start, " + loadAtEnd + " at end: the machine is shared"
				+ " (other builds and tests run on it), so the figures vary from run to run |\n"
				+ "| JVM | " + System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version")
				+ "; bin/micro's own options" + (javaOpts == null || javaOpts.isBlank() ? "" : " plus MICRO_JAVA_OPTS `"
						+ javaOpts + "`") + " |\n"
				+ "| runs | " + serverRuns + " server starts after 1 warm-up; " + commandRuns
				+ " runs of each command after 1 warm-up |\n\n";
	}

	/** The server starts as histograms: first call, the server's own report, CPU at the first call, stop. */
	private static Bench.Histogram[] serverHistograms(List<ServerRun> runs) {
		Bench.Histogram[] h = { new Bench.Histogram(), new Bench.Histogram(), new Bench.Histogram(), new Bench.Histogram() };
		for (ServerRun run : runs) {
			h[0].record(run.firstCallNanos());
			h[1].record(run.reportedMillis() * 1_000_000);
			h[2].record(run.cpuMillis() * 1_000_000);
			h[3].record(run.stopNanos());
		}
		return h;
	}

	private static String tables(Measured m) {
		Bench.Histogram[] server = serverHistograms(m.runs());
		Bench.Histogram firstCall = server[0];
		Bench.Histogram reported = server[1];
		Bench.Histogram cpu = server[2];
		Bench.Histogram stop = server[3];
		Bench.Histogram javaVersion = m.javaVersion();
		Bench.Histogram hello = m.hello();
		StringBuilder out = new StringBuilder();
		out.append("## `micro server` (go.micro.srv.example in `load/`)\n\n")
				.append("| ms | min | p50 | max | target |\n|---|---:|---:|---:|---|\n")
				.append(row("process start to the first successful `Example.Call`", firstCall,
						target(firstCall, 1500)))
				.append(row("the server's own report: \"bundles started in\" (after JVM start, before the services"
						+ " register)", reported, ""))
				.append(row("server CPU time (all threads) at the first call", cpu, ""))
				.append(row("SIGTERM to the process exit", stop, ""))
				.append(String.format(Locale.ROOT, "%nThe first start of the fresh copy (the warm-up, not counted above;"
						+ " where bin/micro makes the server's class-data sharing archive, it includes that training"
						+ " run) reached its first call after %.0f ms.%n", m.firstServerNanos() / 1e6))
				.append("\nThe first call is polled from the benchmark's JVM (mDNS look-up of 100 ms, then a call to"
						+ " the node found), so it is seen within about 100 ms of the service being ready; a user"
						+ " typing `micro call` adds that command's own time (below).\n\n");
		if (javaVersion == null) {
			return out.toString();
		}
		out.append("## One-shot commands against a running server\n\n")
				.append("| ms | min | p50 | max | p50 / `java -version` | p50 / Hello World | target |\n")
				.append("|---|---:|---:|---:|---:|---:|---|\n");
		out.append(row("`java -version`", javaVersion, ratio(javaVersion, javaVersion), ratio(javaVersion, hello), ""));
		out.append(row("Hello World (`java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xshare:auto`)", hello,
				ratio(hello, javaVersion), ratio(hello, hello), ""));
		m.commands().forEach((name, h) -> out.append(row("`" + name + "`", h, ratio(h, javaVersion), ratio(h, hello),
				target(h, 1000))));
		out.append(String.format(Locale.ROOT, "%nThe first command of a fresh distribution (`micro --registry=memory list"
				+ " services`, which also makes the class-data sharing archive in `lib/cds/`) took %.0f ms.%n",
				m.firstCommandNanos() / 1e6));
		return out.toString();
	}

	/** Before and after: the baseline distribution measured in the same run, its server starts alternating. */
	private static String comparison(Path baseline, Measured before, Measured after) {
		Bench.Histogram[] b = serverHistograms(before.runs());
		Bench.Histogram[] a = serverHistograms(after.runs());
		StringBuilder out = new StringBuilder("\n## Against the baseline distribution, in the same run\n\n")
				.append("Baseline: `").append(baseline).append("`. Server starts alternate between the two, so both"
						+ " see the same load.\n\n")
				.append("| p50, ms | baseline | this | this / baseline |\n|---|---:|---:|---:|\n")
				.append(compare("server start to the first successful call", b[0], a[0]))
				.append(compare("server: \"bundles started in\"", b[1], a[1]))
				.append(compare("server CPU time at the first call", b[2], a[2]))
				.append(compare("server: SIGTERM to exit", b[3], a[3]))
				.append(String.format(Locale.ROOT, "| first start of a fresh copy (one run, training included) | %.0f | %.0f"
						+ " | %.2f |%n", before.firstServerNanos() / 1e6, after.firstServerNanos() / 1e6,
						(double) after.firstServerNanos() / before.firstServerNanos()));
		after.commands().forEach((name, h) -> {
			Bench.Histogram old = before.commands().get(name);
			if (old != null) {
				out.append(compare("`" + name + "`", old, h));
			}
		});
		return out.toString();
	}

	private static String compare(String name, Bench.Histogram before, Bench.Histogram after) {
		return String.format(Locale.ROOT, "| %s | %.0f | %.0f | %.2f |%n", name, before.percentile(50) / 1e6,
				after.percentile(50) / 1e6, (double) after.percentile(50) / before.percentile(50));
	}

	private static String row(String name, Bench.Histogram h, String... extra) {
		StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "| %s | %.0f | %.0f | %.0f |", name,
				h.min() / 1e6, h.percentile(50) / 1e6, h.max() / 1e6));
		for (String e : extra) {
			s.append(' ').append(e).append(" |");
		}
		return s.append('\n').toString();
	}

	private static String ratio(Bench.Histogram a, Bench.Histogram b) {
		return String.format(Locale.ROOT, "%.1f", (double) a.percentile(50) / b.percentile(50));
	}

	private static String target(Bench.Histogram h, long millis) {
		return "< " + millis + " ms: " + (h.percentile(50) < millis * 1_000_000 ? "met (p50)" : "missed (p50)")
				+ (h.max() < millis * 1_000_000 ? ", every run" : "");
	}

	// ---------------------------------------------------------------- machine and files

	private static String loadAverage() {
		try {
			return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
		} catch (IOException e) {
			return "unknown";
		}
	}

	private static String processor() {
		try (Stream<String> lines = Files.lines(Path.of("/proc/cpuinfo"))) {
			return lines.filter(l -> l.startsWith("model name")).map(l -> l.substring(l.indexOf(':') + 1).trim())
					.findFirst().orElse("unknown processor");
		} catch (IOException e) {
			return "unknown processor";
		}
	}

	private static int freeUdpPort() throws IOException {
		try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
	}

	/** The distribution without its class-data sharing archives, and go.micro.srv.example in {@code load/}. */
	private static Path copyDistribution(Path from, Path to) throws IOException {
		try (Stream<Path> paths = Files.walk(from)) {
			for (Path p : (Iterable<Path>) paths::iterator) {
				Path relative = from.relativize(p);
				if (relative.startsWith(Path.of("lib", "cds"))) {
					continue;
				}
				Path target = to.resolve(relative.toString());
				if (Files.isDirectory(p)) {
					Files.createDirectories(target);
				} else {
					Files.copy(p, target, StandardCopyOption.COPY_ATTRIBUTES);
				}
			}
		}
		try (Stream<Path> examples = Files.list(to.resolve("examples"))) {
			List<Path> jars = examples.filter(p -> p.getFileName().toString().endsWith(".jar")).toList();
			if (jars.isEmpty()) {
				throw new IllegalStateException("no example bundle in " + to.resolve("examples"));
			}
			for (Path jar : jars) {
				Files.copy(jar, to.resolve("load").resolve(jar.getFileName()));
			}
		}
		return to;
	}

	private static void deleteTree(Path root) {
		try (Stream<Path> paths = Files.walk(root)) {
			paths.sorted(Comparator.reverseOrder()).forEach(p -> {
				try {
					Files.deleteIfExists(p);
				} catch (IOException e) {
					throw new UncheckedIOException(e);
				}
			});
		} catch (IOException | UncheckedIOException e) {
			System.err.println("could not delete " + root + ": " + e.getMessage());
		}
	}
}
