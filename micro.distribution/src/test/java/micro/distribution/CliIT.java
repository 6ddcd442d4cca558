package micro.distribution;

import static micro.distribution.Distribution.assertContains;
import static micro.distribution.Distribution.assertStartsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
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

import micro.distribution.Distribution.Result;
import micro.distribution.plugin.TestBrokerActivator;

/**
 * The commands of issue 3 end to end, through {@code bin/micro} against a running {@code micro server} with the example
 * service: stream, publish (seen by the example's subscriber), health (table and HTTP sidecar), stats, list nodes, the
 * JSON outputs, register/deregister, plugin list/install/remove of a plugin bundle built here, the interactive shell in
 * a pseudo-terminal ({@code script}) with tab completion and on a pipe, and a server that is not running. The registry
 * is mDNS on loopback on a port of its own ({@link Distribution}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CliIT {
	private static final String EXAMPLE = "go.micro.srv.example";

	private final Distribution distribution = new Distribution();
	private final Path home = distribution.home;
	private Path work;

	private Result micro(String... args) throws IOException, InterruptedException {
		return distribution.micro(args);
	}

	private String serverLog() throws IOException {
		return distribution.serverLog();
	}

	@BeforeAll
	void startTheServerWithTheExample() throws Exception {
		work = Files.createTempDirectory("micro-cli-it");
		distribution.startServer();
		String jar = list(home.resolve("examples")).stream().filter(n -> n.endsWith(".jar")).findFirst().orElseThrow();
		Result run = micro("run", "examples/" + jar);
		assertEquals(0, run.exit(), run + serverLog());
		distribution.waitFor(EXAMPLE + " is listed", r -> r.out().lines().anyMatch(EXAMPLE::equals), "list", "services");
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
		String negative = micro("stream", EXAMPLE, "Example.Stream", "{\"count\": -1}").failed(1);
		assertStartsWith("error streaming " + EXAMPLE + ".Example.Stream: {", negative);
		assertContains("count must not be negative", negative);
	}

	@Test
	@Order(2)
	void publishReachesTheExampleSubscriber() throws Exception {
		assertEquals(new Result(0, "ok\n", ""),
				micro("publish", "--metadata", "Origin=cli", EXAMPLE, "{\"say\": \"hello from the command line\"}"));
		distribution.awaitServerLog("Handler Received message: hello from the command line");
		assertStartsWith("invalid JSON message: ", micro("publish", EXAMPLE, "{\"say\": nope}").failed(1));
		micro("publish", EXAMPLE).failed(2);
	}

	@Test
	@Order(3)
	void healthAndStatsTables() throws Exception {
		String health = micro("health", EXAMPLE).ok();
		assertTrue(health.matches("service  " + EXAMPLE.replace(".", "\\.") + "\n\nversion latest\n\n"
				+ "node\t\taddress:port\t\tstatus\n" + EXAMPLE.replace(".", "\\.") + "-\\S+\t\t127\\.0\\.0\\.1:\\d+\t\tok\n"),
				health);
		assertContains("\"status\": \"ok\"", micro("health", "-o", "json", EXAMPLE).out());

		String stats = micro("stats", EXAMPLE).ok();
		assertStartsWith("service  " + EXAMPLE + "\n\nversion latest\n\n"
				+ "node\t\taddress:port\t\tstarted\tuptime\tmemory\tthreads\tgc\n", stats);
		assertTrue(stats.matches("(?s).*\t\t127\\.0\\.0\\.1:\\d+\t\t[A-Z][a-z]{2} \\d{1,2} \\d\\d:\\d\\d:\\d\\d\t\\S+s\t\\d+\\.\\d\\dmb\t\\d+\t\\S+\n"),
				stats);
		assertContains("\"threads\": ", micro("stats", "--output=json", EXAMPLE).out());

		assertEquals(new Result(1, "", "Service not found\n"), micro("health", "go.micro.srv.nothing"));
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
			assertStartsWith("NOT_HEALTHY", unhealthy.body());
		} finally {
			ok.destroy();
			bad.destroy();
			ok.waitFor(10, TimeUnit.SECONDS);
			bad.waitFor(10, TimeUnit.SECONDS);
		}
		assertStartsWith("health check service required", micro("health").failed(2));
	}

	private Process sidecar(int port, String service) throws IOException {
		return distribution.background(work.resolve("sidecar-" + port + ".log"), "health", "--check_service", service,
				"--address", "127.0.0.1:" + port);
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
		String nodes = micro("list", "nodes").ok();
		assertStartsWith("SERVICE\tVERSION\tID\tADDRESS\tMETADATA\n", nodes);
		assertTrue(nodes.lines().anyMatch(l -> l.startsWith(EXAMPLE + "\tlatest\t" + EXAMPLE + "-")), nodes);
		String services = micro("list", "services", "-o", "json").out();
		assertTrue(services.startsWith("[\n\t\"") && services.contains("\t\"" + EXAMPLE + "\""), services);
		assertContains("\"name\": \"Example.Call\"", micro("get", "service", "--output", "json", EXAMPLE).out());
		String service = "{\"name\": \"go.micro.srv.manual\", \"nodes\": [{\"id\": \"manual-1\", \"address\": \"127.0.0.1:9\"}]}";
		assertEquals(new Result(0, "ok\n", ""), micro("register", "service", service));
		assertEquals(new Result(0, "ok\n", ""), micro("deregister", "service", service));
		assertStartsWith("invalid service JSON: ", micro("register", "service", "{\"name\": ").failed(1));
		assertStartsWith("Incorrect Usage. flag provided but not defined: -json", micro("list", "services", "--json").failed(2));
	}

	@Test
	@Order(6)
	void pluginsAreListedInstalledAndRemoved() throws Exception {
		String before = micro("plugin", "list").ok();
		assertStartsWith("KIND\tNAME\tSELECTED\tBUNDLE\tVERSION\tSTATE\n", before);
		assertTrue(before.lines().anyMatch(l -> l.startsWith("registry\tmdns\t*\tmicro.registry.mdns (")
				&& l.endsWith("\tACTIVE")), before);

		Path jar = pluginJar(work.resolve("repo/micro/it/micro.broker.ittest/1.0.0/micro.broker.ittest-1.0.0.jar"),
				"micro.broker.ittest", "org.osgi.framework,micro.broker");
		Result install = micro("plugin", "install", jar.toString());
		assertEquals(0, install.exit(), install + serverLog());
		assertStartsWith("installed micro.broker.ittest 1.0.0 (bundle ", install.out());
		assertContains("\"name\": \"" + TestBrokerActivator.NAME + "\"", micro("plugin", "list", "--output", "json").out());
		assertTrue(plugins().anyMatch(l -> l.startsWith("broker\tittest\t\tmicro.broker.ittest (")), "listed, not selected");

		// Maven coordinates, from the local repository given to the command line
		String maven = distribution.micro(Map.of("MICRO_JAVA_OPTS", "-Dmaven.repo.local=" + work.resolve("repo")), "plugin",
				"install", "micro.it:micro.broker.ittest:1.0.0").ok();
		assertStartsWith("updated micro.broker.ittest 1.0.0", maven);

		assertStartsWith("killed micro.broker.ittest 1.0.0", micro("plugin", "remove", TestBrokerActivator.NAME).ok());
		assertTrue(plugins().noneMatch(l -> l.contains("ittest")));
		assertEquals("no plugin named ittest is installed (see: micro plugin list)\n",
				micro("plugin", "remove", TestBrokerActivator.NAME).failed(1));
		assertStartsWith("memory is built into micro.core and cannot be removed", micro("plugin", "remove", "memory").failed(1));

		// a plugin that does not resolve is named with what it misses, not left silently INSTALLED
		Path broken = pluginJar(work.resolve("broken/micro.broker.broken.jar"), "micro.broker.broken",
				"org.osgi.framework,micro.broker,org.apache.kafka.clients.producer");
		String unresolved = micro("plugin", "install", broken.toString()).failed(1);
		assertContains(": INSTALLED, it does not resolve\n", unresolved);
		assertContains("missing requirement osgi.wiring.package; (osgi.wiring.package=org.apache.kafka.clients.producer)",
				unresolved);
		assertTrue(plugins().anyMatch(l -> l.startsWith("broker\tbroken\t\tmicro.broker.broken (") && l.endsWith("\tINSTALLED")));
		micro("plugin", "remove", "micro.broker.broken").ok();
	}

	/** The lines of {@code micro plugin list}. */
	private Stream<String> plugins() throws IOException, InterruptedException {
		return micro("plugin", "list").out().lines();
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
		try (Terminal shell = new Terminal(home, Map.of("MICRO_REGISTRY_ADDRESS", distribution.registryAddress, "HOME",
				work.toString()), home.resolve("bin/micro") + " cli")) {
			shell.await("micro> ");
			shell.type("cal\tgo.micro.srv.ex\tExample.C\t{\"name\": \"Shell User\"}\r");
			shell.await("Hello Shell User");
			shell.type("li\tserv\t\r");
			shell.await("go.micro.runtime");
			shell.type("frobnicate\r");
			shell.await("unknown command");
			shell.type("exit\r");
			assertEquals(0, shell.awaitExit(15), shell.screen());
			assertContains("\"msg\": \"Hello Shell User\"", shell.screen());
		}
		Path history = work.resolve(".micro_history");
		assertTrue(Files.exists(history), "the history is kept");
		assertContains("call go.micro.srv.example Example.Call", Files.readString(history));
	}

	@Test
	@Order(8)
	void theShellOnAPipe() throws Exception {
		String out = distribution.microWithInput(Map.of("HOME", work.toString()), "list services\ncall " + EXAMPLE
				+ " Example.Call {\"name\": \"Pipe Line\"}\nfrob\nget service go.micro.srv.nothing\nquit\n", "cli").ok();
		assertContains(EXAMPLE + "\n", out);
		assertContains("{\n\t\"msg\": \"Hello Pipe Line\"\n}", out);
		assertContains("unknown command", out);
		assertContains("Service not found", out);
	}

	@Test
	@Order(9)
	void completionScripts() throws Exception {
		assertContains("complete -o default -F _micro micro", micro("completion", "bash").ok());
		assertStartsWith("#compdef micro", micro("completion", "zsh").out());
		assertEquals(new Result(0, "Example.Call\nExample.Handle\nExample.PingPong\nExample.Stream\n", ""),
				micro("__complete", "call", EXAMPLE));
	}

	@Test
	@Order(10)
	void theSameCommandsInTheContainersGogoShell() throws Exception {
		// a second server with its Gogo shell on a pseudo-terminal, on a registry port of its own
		String ownRegistry = "127.0.0.1:" + ThreadLocalRandom.current().nextInt(20000, 60000);
		try (Terminal gogo = new Terminal(home, Map.of("MICRO_API_ADDRESS", "127.0.0.1:0"), home.resolve("bin/micro")
				+ " server --server_address=127.0.0.1:0 --registry_address=" + ownRegistry)) {
			gogo.await("g! ");
			gogo.await("go.micro.runtime: mucp server listening");
			gogo.type("micro:health go.micro.runtime\r");
			gogo.await("\t\tok");
			gogo.type("micro:plugin list\r");
			gogo.await("registry\tmdns\t*\tmicro.registry.mdns");
			gogo.type("micro:stats --output json go.micro.runtime\r");
			gogo.await("\"threads\": ");
			gogo.type("micro:publish some.topic '{\"a\": 1}'\r");
			gogo.await("\nok");
			gogo.type("help micro:stream\r");
			gogo.await("usage: micro stream");
			gogo.type("stop 0\r");
			gogo.awaitExit(20);
		}
	}

	@Test
	@Order(11)
	void withoutAServerTheRuntimeCommandsSaySo() throws Exception {
		Process server = distribution.server();
		server.destroy();
		assertTrue(server.waitFor(20, TimeUnit.SECONDS), serverLog());
		distribution.waitFor("the runtime is deregistered", r -> r.out().lines().noneMatch("go.micro.runtime"::equals),
				"list", "services");
		assertEquals(new Result(1, "", "no micro server is running (go.micro.runtime not found in the mdns registry);"
				+ " start one with: micro server\n"), micro("plugin", "list"));
		assertStartsWith("error calling " + EXAMPLE + ".Example.Call: ",
				micro("--client_retries=0", "call", EXAMPLE, "Example.Call", "{}").failed(1));
	}

	@AfterAll
	void stop() throws Exception {
		distribution.close();
		if (work != null) {
			try (Stream<Path> files = Files.walk(work)) {
				files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
			}
		}
	}
}
