package micro.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import micro.distribution.plugin.TestBrokerActivator;

/**
 * The commands of issue 3 end to end, through {@code bin/micro} against a running {@code micro server} with the example
 * service: stream, publish (seen by the example's subscriber), health (table and HTTP sidecar), stats, list nodes, the
 * JSON outputs, register/deregister, plugin list/install/remove of a plugin bundle built here, the interactive shell in
 * a pseudo-terminal ({@code script}) with tab completion and on a pipe, and a server that is not running. The registry
 * is mDNS on loopback on a port of its own, as in {@link DistributionIT}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CliIT {
	private static final String EXAMPLE = "go.micro.srv.example";

	private final Path home = Path.of(System.getProperty("micro.distribution", "target/micro")).toAbsolutePath();
	private final String registryAddress = "127.0.0.1:" + ThreadLocalRandom.current().nextInt(20000, 60000);
	private Process server;
	private Path serverLog;
	private Path work;

	record Result(int exit, String out, String err) {
	}

	private Result micro(String... args) throws IOException, InterruptedException {
		return micro(Map.of(), null, args);
	}

	private Result micro(Map<String, String> env, String input, String... args) throws IOException, InterruptedException {
		List<String> command = new ArrayList<>();
		command.add(home.resolve("bin/micro").toString());
		command.addAll(List.of(args));
		ProcessBuilder pb = new ProcessBuilder(command).directory(home.toFile());
		pb.environment().put("MICRO_REGISTRY_ADDRESS", registryAddress);
		pb.environment().putAll(env);
		Path out = Files.createTempFile(work, "out", ".txt");
		Path err = Files.createTempFile(work, "err", ".txt");
		pb.redirectOutput(out.toFile()).redirectError(err.toFile());
		Process p = pb.start();
		try (OutputStream stdin = p.getOutputStream()) {
			if (input != null) {
				stdin.write(input.getBytes(StandardCharsets.UTF_8));
			}
		}
		assertTrue(p.waitFor(30, TimeUnit.SECONDS), "micro " + String.join(" ", args) + " finished");
		return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
	}

	private Result waitFor(String what, Predicate<Result> done, String... args) throws Exception {
		long deadline = System.currentTimeMillis() + 20_000;
		Result r = micro(args);
		while (!done.test(r) && System.currentTimeMillis() < deadline) {
			Thread.sleep(200);
			r = micro(args);
		}
		assertTrue(done.test(r), what + "; last answer: " + r + "\nserver log:\n" + serverLog());
		return r;
	}

	private String serverLog() throws IOException {
		return serverLog == null || !Files.exists(serverLog) ? "" : Files.readString(serverLog);
	}

	@BeforeAll
	void startTheServerWithTheExample() throws Exception {
		work = Files.createTempDirectory("micro-cli-it");
		serverLog = work.resolve("server.log");
		ProcessBuilder pb = new ProcessBuilder(home.resolve("bin/micro").toString(), "server",
				"--server_address=127.0.0.1:0", "--registry_address", registryAddress).directory(home.toFile())
				.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
				.redirectErrorStream(true).redirectOutput(serverLog.toFile());
		pb.environment().remove("MICRO_REGISTRY_ADDRESS");
		server = pb.start();
		waitFor("go.micro.runtime is registered", r -> r.out().lines().anyMatch("go.micro.runtime"::equals), "list",
				"services");
		String jar = list(home.resolve("examples")).stream().filter(n -> n.endsWith(".jar")).findFirst().orElseThrow();
		Result run = micro("run", "examples/" + jar);
		assertEquals(0, run.exit(), run + serverLog());
		waitFor(EXAMPLE + " is listed", r -> r.out().lines().anyMatch(EXAMPLE::equals), "list", "services");
	}

	private static List<String> list(Path folder) throws IOException {
		try (Stream<Path> files = Files.list(folder)) {
			return files.map(p -> p.getFileName().toString()).toList();
		}
	}

	@Test
	@Order(1)
	void streamSendsTheRequestAfterOpeningAndPrintsEveryMessage() throws Exception {
		Result r = micro("stream", EXAMPLE, "Example.Stream", "{\"count\": 3}");
		assertEquals(new Result(0, "{\n\t\"count\": 0\n}\n{\n\t\"count\": 1\n}\n{\n\t\"count\": 2\n}\n", ""), r);
		// bidirectional: one ping, one pong, then this side closes and the stream ends
		assertEquals(new Result(0, "{\"stroke\":7}\n", ""),
				micro("stream", "--output", "raw", EXAMPLE, "Example.PingPong", "{\"stroke\": 7}"));
		Result negative = micro("stream", EXAMPLE, "Example.Stream", "{\"count\": -1}");
		assertEquals(1, negative.exit());
		assertTrue(negative.err().startsWith("error streaming " + EXAMPLE + ".Example.Stream: {"), negative.err());
		assertTrue(negative.err().contains("count must not be negative"), negative.err());
	}

	@Test
	@Order(2)
	void publishReachesTheExampleSubscriber() throws Exception {
		assertEquals(new Result(0, "ok\n", ""),
				micro("publish", "--metadata", "Origin=cli", EXAMPLE, "{\"say\": \"hello from the command line\"}"));
		long deadline = System.currentTimeMillis() + 10_000;
		while (!serverLog().contains("Handler Received message: hello from the command line")
				&& System.currentTimeMillis() < deadline) {
			Thread.sleep(100);
		}
		assertTrue(serverLog().contains("Handler Received message: hello from the command line"), serverLog());
		Result malformed = micro("publish", EXAMPLE, "{\"say\": nope}");
		assertEquals(1, malformed.exit());
		assertTrue(malformed.err().startsWith("invalid JSON message: "), malformed.err());
		assertEquals(2, micro("publish", EXAMPLE).exit());
	}

	@Test
	@Order(3)
	void healthAndStatsTables() throws Exception {
		Result health = micro("health", EXAMPLE);
		assertEquals(0, health.exit(), health.toString());
		assertTrue(health.out().matches("service  " + EXAMPLE.replace(".", "\\.") + "\n\nversion latest\n\n"
				+ "node\t\taddress:port\t\tstatus\n" + EXAMPLE.replace(".", "\\.") + "-\\S+\t\t127\\.0\\.0\\.1:\\d+\t\tok\n"),
				health.out());
		Result json = micro("health", "-o", "json", EXAMPLE);
		assertTrue(json.out().contains("\"status\": \"ok\""), json.out());

		Result stats = micro("stats", EXAMPLE);
		assertEquals(0, stats.exit(), stats.toString());
		assertTrue(stats.out().startsWith("service  " + EXAMPLE + "\n\nversion latest\n\n"
				+ "node\t\taddress:port\t\tstarted\tuptime\tmemory\tthreads\tgc\n"), stats.out());
		assertTrue(stats.out().matches("(?s).*\t\t127\\.0\\.0\\.1:\\d+\t\t[A-Z][a-z]{2} \\d{1,2} \\d\\d:\\d\\d:\\d\\d\t\\S+s\t\\d+\\.\\d\\dmb\t\\d+\t\\S+\n"),
				stats.out());
		Result statsJson = micro("stats", "--output=json", EXAMPLE);
		assertTrue(statsJson.out().contains("\"threads\": "), statsJson.out());

		Result missing = micro("health", "go.micro.srv.nothing");
		assertEquals(new Result(1, "", "Service not found\n"), missing);
	}

	@Test
	@Order(4)
	void theHealthSidecarAnswersForAService() throws Exception {
		int port = ThreadLocalRandom.current().nextInt(20000, 60000);
		Process ok = sidecar(port, EXAMPLE);
		Process bad = sidecar(port + 1, "go.micro.srv.nothing");
		try {
			HttpClient http = HttpClient.newHttpClient();
			HttpResponse<String> healthy = await(http, port);
			assertEquals(200, healthy.statusCode());
			assertEquals("OK\n", healthy.body());
			HttpResponse<String> unhealthy = await(http, port + 1);
			assertEquals(500, unhealthy.statusCode());
			assertTrue(unhealthy.body().startsWith("NOT_HEALTHY"), unhealthy.body());
		} finally {
			ok.destroy();
			bad.destroy();
			ok.waitFor(10, TimeUnit.SECONDS);
			bad.waitFor(10, TimeUnit.SECONDS);
		}
		Result usage = micro("health");
		assertEquals(2, usage.exit());
		assertTrue(usage.err().startsWith("health check service required"), usage.err());
	}

	private Process sidecar(int port, String service) throws IOException {
		ProcessBuilder pb = new ProcessBuilder(home.resolve("bin/micro").toString(), "health", "--check_service", service,
				"--address", "127.0.0.1:" + port).directory(home.toFile())
				.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
				.redirectErrorStream(true).redirectOutput(work.resolve("sidecar-" + port + ".log").toFile());
		pb.environment().put("MICRO_REGISTRY_ADDRESS", registryAddress);
		return pb.start();
	}

	private static HttpResponse<String> await(HttpClient http, int port) throws Exception {
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"))
				.timeout(Duration.ofSeconds(10)).build();
		long deadline = System.currentTimeMillis() + 15_000;
		while (true) {
			try {
				return http.send(request, HttpResponse.BodyHandlers.ofString());
			} catch (IOException notYet) {
				if (System.currentTimeMillis() > deadline) {
					throw notYet;
				}
				Thread.sleep(100);
			}
		}
	}

	@Test
	@Order(5)
	void listNodesJsonOutputsAndRegistration() throws Exception {
		Result nodes = micro("list", "nodes");
		assertEquals(0, nodes.exit(), nodes.toString());
		assertTrue(nodes.out().startsWith("SERVICE\tVERSION\tID\tADDRESS\tMETADATA\n"), nodes.out());
		assertTrue(nodes.out().lines().anyMatch(l -> l.startsWith(EXAMPLE + "\tlatest\t" + EXAMPLE + "-")), nodes.out());
		Result services = micro("list", "services", "-o", "json");
		assertTrue(services.out().startsWith("[\n\t\"") && services.out().contains("\t\"" + EXAMPLE + "\""), services.out());
		Result get = micro("get", "service", "--output", "json", EXAMPLE);
		assertTrue(get.out().contains("\"name\": \"Example.Call\""), get.out());
		String service = "{\"name\": \"go.micro.srv.manual\", \"nodes\": [{\"id\": \"manual-1\", \"address\": \"127.0.0.1:9\"}]}";
		assertEquals(new Result(0, "ok\n", ""), micro("register", "service", service));
		assertEquals(new Result(0, "ok\n", ""), micro("deregister", "service", service));
		Result bad = micro("register", "service", "{\"name\": ");
		assertEquals(1, bad.exit());
		assertTrue(bad.err().startsWith("invalid service JSON: "), bad.err());
		Result flag = micro("list", "services", "--json");
		assertEquals(2, flag.exit());
		assertTrue(flag.err().startsWith("Incorrect Usage. flag provided but not defined: -json"), flag.err());
	}

	@Test
	@Order(6)
	void pluginsAreListedInstalledAndRemoved() throws Exception {
		Result before = micro("plugin", "list");
		assertEquals(0, before.exit(), before.toString());
		assertTrue(before.out().startsWith("KIND\tNAME\tSELECTED\tBUNDLE\tVERSION\tSTATE\n"), before.out());
		assertTrue(before.out().lines().anyMatch(l -> l.startsWith("registry\tmdns\t*\tmicro.registry.mdns (")
				&& l.endsWith("\tACTIVE")), before.out());

		Path jar = pluginJar(work.resolve("repo/micro/it/micro.broker.ittest/1.0.0/micro.broker.ittest-1.0.0.jar"),
				"micro.broker.ittest", "org.osgi.framework,micro.broker");
		Result install = micro("plugin", "install", jar.toString());
		assertEquals(0, install.exit(), install + serverLog());
		assertTrue(install.out().startsWith("installed micro.broker.ittest 1.0.0 (bundle "), install.out());
		Result listed = micro("plugin", "list", "--output", "json");
		assertTrue(listed.out().contains("\"name\": \"" + TestBrokerActivator.NAME + "\""), listed.out());
		assertTrue(micro("plugin", "list").out().lines().anyMatch(l -> l.startsWith("broker\tittest\t\tmicro.broker.ittest (")),
				"listed, not selected");

		// Maven coordinates, from the local repository given to the command line
		Result maven = micro(Map.of("MICRO_JAVA_OPTS", "-Dmaven.repo.local=" + work.resolve("repo")), null, "plugin",
				"install", "micro.it:micro.broker.ittest:1.0.0");
		assertEquals(0, maven.exit(), maven.toString());
		assertTrue(maven.out().startsWith("updated micro.broker.ittest 1.0.0"), maven.out());

		Result remove = micro("plugin", "remove", TestBrokerActivator.NAME);
		assertEquals(0, remove.exit(), remove.toString());
		assertTrue(remove.out().startsWith("killed micro.broker.ittest 1.0.0"), remove.out());
		assertTrue(micro("plugin", "list").out().lines().noneMatch(l -> l.contains("ittest")));
		Result again = micro("plugin", "remove", TestBrokerActivator.NAME);
		assertEquals(1, again.exit());
		assertEquals("no plugin named ittest is installed (see: micro plugin list)\n", again.err());
		Result builtIn = micro("plugin", "remove", "memory");
		assertEquals(1, builtIn.exit());
		assertTrue(builtIn.err().startsWith("memory is built into micro.core and cannot be removed"), builtIn.err());

		// a plugin that does not resolve is named with what it misses, not left silently INSTALLED
		Path broken = pluginJar(work.resolve("broken/micro.broker.broken.jar"), "micro.broker.broken",
				"org.osgi.framework,micro.broker,org.apache.kafka.clients.producer");
		Result unresolved = micro("plugin", "install", broken.toString());
		assertEquals(1, unresolved.exit());
		assertTrue(unresolved.err().contains(": INSTALLED, it does not resolve\n"), unresolved.err());
		assertTrue(unresolved.err().contains("missing requirement osgi.wiring.package; (osgi.wiring.package=org.apache.kafka.clients.producer)"),
				unresolved.err());
		assertTrue(micro("plugin", "list").out().lines().anyMatch(l -> l.startsWith("broker\tbroken\t\tmicro.broker.broken (")
				&& l.endsWith("\tINSTALLED")));
		assertEquals(0, micro("plugin", "remove", "micro.broker.broken").exit());
	}

	/** A plugin bundle made of {@link TestBrokerActivator} and its inner classes. */
	private static Path pluginJar(Path jar, String symbolicName, String imports) throws IOException {
		Files.createDirectories(jar.getParent());
		Manifest manifest = new Manifest();
		Attributes main = manifest.getMainAttributes();
		main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
		main.putValue("Bundle-ManifestVersion", "2");
		main.putValue("Bundle-SymbolicName", symbolicName);
		main.putValue("Bundle-Version", "1.0.0");
		main.putValue("Bundle-Activator", TestBrokerActivator.class.getName());
		main.putValue("Import-Package", imports);
		String folder = TestBrokerActivator.class.getPackageName().replace('.', '/');
		try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest)) {
			for (String name : List.of("TestBrokerActivator", "TestBrokerActivator$QuietBroker",
					"TestBrokerActivator$QuietBroker$1")) {
				out.putNextEntry(new JarEntry(folder + "/" + name + ".class"));
				try (InputStream in = TestBrokerActivator.class.getResourceAsStream(name.substring(name.lastIndexOf('/') + 1)
						+ ".class")) {
					in.transferTo(out);
				}
				out.closeEntry();
			}
		}
		return jar;
	}

	@Test
	@Order(7)
	void theInteractiveShellInAPseudoTerminalCompletesAndCalls() throws Exception {
		// script(1) gives bin/micro cli a real pseudo-terminal: JLine's system terminal, raw mode, tab completion
		ProcessBuilder pb = new ProcessBuilder("script", "-qfec", home.resolve("bin/micro") + " cli", "/dev/null")
				.directory(home.toFile()).redirectErrorStream(true);
		pb.environment().put("MICRO_REGISTRY_ADDRESS", registryAddress);
		pb.environment().put("HOME", work.toString());
		pb.environment().put("TERM", "xterm");
		Process shell = pb.start();
		StringBuilder screen = new StringBuilder();
		Thread reader = new Thread(() -> {
			try (InputStream in = shell.getInputStream()) {
				byte[] buf = new byte[4096];
				int n;
				while ((n = in.read(buf)) > 0) {
					synchronized (screen) {
						screen.append(new String(buf, 0, n, StandardCharsets.UTF_8));
					}
				}
			} catch (IOException e) {
				// the process ended
			}
		});
		reader.start();
		OutputStream keys = shell.getOutputStream();
		awaitScreen(screen, "micro> ", 1);
		type(keys, "cal\tgo.micro.srv.ex\tExample.C\t{\"name\": \"Shell User\"}\r");
		awaitScreen(screen, "Hello Shell User", 1);
		type(keys, "li\tserv\t\r");
		awaitScreen(screen, "go.micro.runtime", 1);
		type(keys, "frobnicate\r");
		awaitScreen(screen, "unknown command", 1);
		type(keys, "exit\r");
		assertTrue(shell.waitFor(15, TimeUnit.SECONDS), screen.toString());
		reader.join(5000);
		assertEquals(0, shell.exitValue(), screen.toString());
		String text = screen.toString();
		assertTrue(text.contains("\"msg\": \"Hello Shell User\""), text);
		assertTrue(Files.exists(work.resolve(".micro_history")), "the history is kept");
		assertTrue(Files.readString(work.resolve(".micro_history")).contains("call go.micro.srv.example Example.Call"),
				Files.readString(work.resolve(".micro_history")));
	}

	private static void type(OutputStream keys, String text) throws Exception {
		for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
			keys.write(b);
			keys.flush();
			if (b == '\t') {
				Thread.sleep(700); // the completion asks the registry
			}
		}
	}

	private static void awaitScreen(StringBuilder screen, String text, int times) throws Exception {
		long deadline = System.currentTimeMillis() + 20_000;
		while (System.currentTimeMillis() < deadline) {
			synchronized (screen) {
				if (screen.toString().split(java.util.regex.Pattern.quote(text), -1).length - 1 >= times) {
					return;
				}
			}
			Thread.sleep(50);
		}
		synchronized (screen) {
			throw new AssertionError("\"" + text + "\" did not show up:\n" + screen);
		}
	}

	@Test
	@Order(8)
	void theShellOnAPipe() throws Exception {
		Result r = micro(Map.of("HOME", work.toString()), "list services\ncall " + EXAMPLE
				+ " Example.Call {\"name\": \"Pipe Line\"}\nfrob\nget service go.micro.srv.nothing\nquit\n", "cli");
		assertEquals(0, r.exit(), r.toString());
		assertTrue(r.out().contains(EXAMPLE + "\n"), r.out());
		assertTrue(r.out().contains("{\n\t\"msg\": \"Hello Pipe Line\"\n}"), r.out());
		assertTrue(r.out().contains("unknown command"), r.out());
		assertTrue(r.out().contains("Service not found"), r.out());
	}

	@Test
	@Order(9)
	void completionScripts() throws Exception {
		Result bash = micro("completion", "bash");
		assertEquals(0, bash.exit());
		assertTrue(bash.out().contains("complete -o default -F _micro micro"), bash.out());
		Result zsh = micro("completion", "zsh");
		assertTrue(zsh.out().startsWith("#compdef micro"), zsh.out());
		Result endpoints = micro("__complete", "call", EXAMPLE);
		assertEquals(new Result(0, "Example.Call\nExample.Handle\nExample.PingPong\nExample.Stream\n", ""), endpoints);
	}

	@Test
	@Order(10)
	void theSameCommandsInTheContainersGogoShell() throws Exception {
		// a second server with its Gogo shell on a pseudo-terminal, on a registry port of its own
		String ownRegistry = "127.0.0.1:" + ThreadLocalRandom.current().nextInt(20000, 60000);
		ProcessBuilder pb = new ProcessBuilder("script", "-qfec", home.resolve("bin/micro")
				+ " server --server_address=127.0.0.1:0 --registry_address=" + ownRegistry, "/dev/null")
				.directory(home.toFile()).redirectErrorStream(true);
		pb.environment().remove("MICRO_REGISTRY_ADDRESS");
		pb.environment().put("TERM", "xterm");
		Process gogo = pb.start();
		StringBuilder screen = new StringBuilder();
		Thread reader = new Thread(() -> {
			try (InputStream in = gogo.getInputStream()) {
				byte[] buf = new byte[4096];
				int n;
				while ((n = in.read(buf)) > 0) {
					synchronized (screen) {
						screen.append(new String(buf, 0, n, StandardCharsets.UTF_8));
					}
				}
			} catch (IOException e) {
				// the process ended
			}
		});
		reader.start();
		try {
			OutputStream keys = gogo.getOutputStream();
			awaitScreen(screen, "g! ", 1);
			awaitScreen(screen, "go.micro.runtime: mucp server listening", 1);
			type(keys, "micro:health go.micro.runtime\r");
			awaitScreen(screen, "\t\tok", 1);
			type(keys, "micro:plugin list\r");
			awaitScreen(screen, "registry\tmdns\t*\tmicro.registry.mdns", 1);
			type(keys, "micro:stats --output json go.micro.runtime\r");
			awaitScreen(screen, "\"threads\": ", 1);
			type(keys, "micro:publish some.topic '{\"a\": 1}'\r");
			awaitScreen(screen, "\nok", 1);
			type(keys, "help micro:stream\r");
			awaitScreen(screen, "usage: micro stream", 1);
			type(keys, "stop 0\r");
			assertTrue(gogo.waitFor(20, TimeUnit.SECONDS), screen.toString());
		} finally {
			gogo.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
			reader.join(5000);
		}
	}

	@Test
	@Order(11)
	void withoutAServerTheRuntimeCommandsSaySo() throws Exception {
		server.destroy();
		assertTrue(server.waitFor(20, TimeUnit.SECONDS), serverLog());
		waitFor("the runtime is deregistered", r -> r.out().lines().noneMatch("go.micro.runtime"::equals), "list",
				"services");
		Result plugins = micro("plugin", "list");
		assertEquals(new Result(1, "", "no micro server is running (go.micro.runtime not found in the mdns registry);"
				+ " start one with: micro server\n"), plugins);
		Result call = micro("--client_retries=0", "call", EXAMPLE, "Example.Call", "{}");
		assertEquals(1, call.exit());
		assertTrue(call.err().startsWith("error calling " + EXAMPLE + ".Example.Call: "), call.err());
	}

	@AfterAll
	void stop() throws Exception {
		if (server != null && server.isAlive()) {
			server.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
		}
		if (work != null) {
			try (Stream<Path> files = Files.walk(work)) {
				files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
			}
		}
	}
}
