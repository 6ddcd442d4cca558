package micro.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import micro.config.MicroConfig;
import micro.registry.mdns.internal.MdnsOptions;
import micro.registry.mdns.internal.MdnsRegistry;
import micro.runtime.Micro;
import micro.server.Context;
import micro.server.Server;
import micro.server.ServerOptions;
import micro.server.ServerStream;

/**
 * The command line against a real service: a server made with the runtime facade, registered in mDNS on loopback (on a
 * port of its own, so nothing else on the machine interferes), and {@link Main#run} as the terminal runs it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MainTest {
	public record Hello(String name) {
	}

	public record Reply(String msg) {
	}

	public static class Greeter {
		public Reply Hello(Context context, Hello request) {
			String greeting = context.metadata().get("Greeting");
			return new Reply((greeting == null ? "Hello" : greeting) + " " + request.name());
		}
	}

	public record Count(long count) {
	}

	public record Number(long n) {
	}

	public static class Counter {
		public void Count(Count request, ServerStream stream) {
			for (long i = 0; i < request.count(); i++) {
				stream.send(new Number(i));
			}
		}
	}

	private final String registryAddress = "127.0.0.1:" + ThreadLocalRandom.current().nextInt(20000, 60000);
	private MdnsRegistry registry;
	private Micro micro;
	private Server server;
	private Server counter;

	record Result(int exit, String out, String err) {
	}

	private Result micro(String... args) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		ByteArrayOutputStream err = new ByteArrayOutputStream();
		int exit = Main.run(List.of(args), Map.of("MICRO_REGISTRY_ADDRESS", registryAddress),
				new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
		return new Result(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
	}

	@BeforeAll
	void startAService() throws Exception {
		MicroConfig config = MicroConfig.of(Map.of(MicroConfig.REGISTRY_ADDRESS, registryAddress));
		registry = new MdnsRegistry(MdnsOptions.fromConfig(config));
		micro = Micro.builder().config(config).registry(registry).withoutBroker().build();
		server = micro.newServer(ServerOptions.named("go.micro.srv.greeter"));
		server.handle(new Greeter());
		server.start();
		counter = micro.newServer(ServerOptions.named("go.micro.srv.counter"));
		counter.handle(new Counter());
		counter.start();
		awaitRegistered("go.micro.srv.greeter", "go.micro.srv.counter");
	}

	/** Waits (at most 10 s) until the registry lists every one of these services. */
	private void awaitRegistered(String... services) throws Exception {
		long deadline = System.currentTimeMillis() + 10_000;
		for (String service : services) {
			while (registry.getService(service).isEmpty() && System.currentTimeMillis() < deadline) {
				Thread.sleep(50);
			}
		}
	}

	@AfterAll
	void stop() {
		server.stop();
		counter.stop();
		micro.close();
		registry.close();
	}

	@Test
	void listAndGetService() {
		Result list = micro("list", "services");
		assertEquals(0, list.exit(), list.toString());
		assertTrue(list.out().lines().anyMatch("go.micro.srv.greeter"::equals), list.out());

		Result get = micro("get", "service", "go.micro.srv.greeter");
		assertEquals(0, get.exit(), get.toString());
		assertTrue(get.out().startsWith("service  go.micro.srv.greeter\n\nversion latest\n\nID\tAddress\tMetadata\n"
				+ server.nodeId() + "\t" + server.address() + "\t"), get.out());
		assertTrue(get.out().endsWith("\nEndpoint: Greeter.Hello\n\nRequest: {\n\tname string\n}\n\nResponse: {\n\tmsg string\n}\n\n"),
				get.out());

		Result missing = micro("get", "service", "go.micro.srv.none");
		assertEquals(new Result(1, "", "Service not found\n"), missing);
	}

	@Test
	void callPrintsTabIndentedJsonWithMetadataAndAddress() {
		assertEquals(new Result(0, "{\n\t\"msg\": \"Hello John\"\n}\n", ""),
				micro("call", "go.micro.srv.greeter", "Greeter.Hello", "{\"name\": \"John\"}"));
		assertEquals(new Result(0, "{\n\t\"msg\": \"Hi Jane\"\n}\n", ""),
				micro("call", "--metadata", "Greeting=Hi", "go.micro.srv.greeter", "Greeter.Hello", "{\"name\":", "\"Jane\"}"));
		assertEquals(new Result(0, "{\"msg\":\"Hello Raw\"}\n", ""), micro("--client_request_timeout=2s", "call",
				"--address=" + server.address(), "-o", "raw", "go.micro.srv.greeter", "Greeter.Hello", "{\"name\":\"Raw\"}"));
	}

	@Test
	void callErrorsGoToStderrWithExitCodeOne() {
		Result endpoint = micro("call", "go.micro.srv.greeter", "Greeter.Nothing", "{}");
		assertEquals(1, endpoint.exit());
		assertEquals("", endpoint.out());
		// go-micro's router answers an unknown method with a bare detail
		assertEquals("error calling go.micro.srv.greeter.Greeter.Nothing: {\"detail\":\"rpc: can't find method Nothing\"}\n",
				endpoint.err());

		Result service = micro("--client_retries=0", "call", "go.micro.srv.none", "Greeter.Hello", "{}");
		assertEquals(1, service.exit());
		assertTrue(service.err().startsWith("error calling go.micro.srv.none.Greeter.Hello: {\"id\":\"go.micro.client\""),
				service.err());

		Result json = micro("call", "go.micro.srv.greeter", "Greeter.Hello", "{\"name\": }");
		assertEquals(1, json.exit());
		assertTrue(json.err().startsWith("invalid JSON request: Unexpected character ('}'"), json.err());

		Result usage = micro("call", "go.micro.srv.greeter");
		assertEquals(2, usage.exit());
		assertTrue(usage.err().startsWith("require service and endpoint"), usage.err());

		Result metadata = micro("call", "--metadata", "novalue", "go.micro.srv.greeter", "Greeter.Hello");
		assertEquals(new Result(2, "", "invalid metadata \"novalue\": expected key=value\n"), metadata);
	}

	@Test
	void runWithoutAServerSaysHowToStartOne() {
		Result run = micro("run", ".");
		assertEquals(new Result(1, "", "no micro server is running (go.micro.runtime not found in the mdns registry);"
				+ " start one with: micro server\n"), run);
		Result missing = micro("run", "/no/such/bundle.jar");
		assertEquals(new Result(1, "", "no such file or folder: /no/such/bundle.jar\n"), missing);
	}

	@Test
	void commandLineMistakes() {
		assertEquals(2, micro().exit());
		assertEquals("No command provided to micro. Please refer to 'micro --help'\n", micro().err());
		assertEquals(2, micro("lst").exit());
		assertEquals(2, micro("list").exit());
		assertEquals(1, micro("--registry=consul", "list", "services").exit());
		assertTrue(micro("--registry=consul", "list", "services").err().startsWith("unknown registry \"consul\""));
		// etcd is a plugin the distribution unpacks under lib/plugins; without a distribution it is not there
		assertEquals(1, micro("--registry=etcd", "list", "services").exit());
		assertTrue(micro("--registry=etcd", "list", "services").err()
				.startsWith("registry \"etcd\" is not installed for the command line"));
		assertEquals(1, micro("--selector=dns", "call", "a", "b").exit());
		Result version = micro("--version");
		assertTrue(version.out().matches("micro version \\S+\n"), version.out());
		Result help = micro("help", "call");
		assertEquals(0, help.exit());
		assertTrue(help.out().startsWith("usage: micro call"), help.out());
		assertTrue(micro("--help").out().contains("[$MICRO_REGISTRY_ADDRESS]"));
	}

	@Test
	void streamPrintsEveryMessageAndEndsCleanly() {
		assertEquals(new Result(0, "{\n\t\"n\": 0\n}\n{\n\t\"n\": 1\n}\n{\n\t\"n\": 2\n}\n", ""),
				micro("stream", "go.micro.srv.counter", "Counter.Count", "{\"count\": 3}"));
		assertEquals(new Result(0, "{\"n\":0}\n", ""),
				micro("stream", "-o", "raw", "go.micro.srv.counter", "Counter.Count", "{\"count\": 1}"));
		Result bad = micro("stream", "go.micro.srv.counter", "Counter.Count", "{count: 1}");
		assertEquals(1, bad.exit());
		assertTrue(bad.err().startsWith("invalid JSON request: "), bad.err());
		assertEquals(2, micro("stream", "go.micro.srv.counter").exit());
	}

	@Test
	void healthAndStatsOfEveryNode() {
		Result health = micro("health", "go.micro.srv.greeter");
		assertEquals(new Result(0, "service  go.micro.srv.greeter\n\nversion latest\n\nnode\t\taddress:port\t\tstatus\n"
				+ server.nodeId() + "\t\t" + server.address() + "\t\tok\n", ""), health);
		Result json = micro("health", "--output", "json", "go.micro.srv.greeter");
		assertTrue(json.out().startsWith("[\n\t{\n\t\t\"service\": \"go.micro.srv.greeter\""), json.out());
		assertTrue(json.out().contains("\"status\": \"ok\""), json.out());

		Result stats = micro("stats", "go.micro.srv.greeter");
		assertEquals(0, stats.exit(), stats.toString());
		assertTrue(stats.out().startsWith("service  go.micro.srv.greeter\n\nversion latest\n\n"
				+ "node\t\taddress:port\t\tstarted\tuptime\tmemory\tthreads\tgc\n" + server.nodeId() + "\t\t"), stats.out());
		assertTrue(stats.out().matches("(?s).*\t\t[A-Z][a-z]{2} \\d{1,2} \\d\\d:\\d\\d:\\d\\d\t\\S+s\t\\d+\\.\\d\\dmb\t\\d+\t\\S+\n"),
				stats.out());
		assertEquals(new Result(1, "", "Service not found\n"), micro("stats", "go.micro.srv.none"));
		assertEquals(2, micro("health", "--outputt", "json", "go.micro.srv.greeter").exit());
	}

	@Test
	void listNodesAndJsonOutputs() {
		Result nodes = micro("list", "nodes");
		assertEquals(0, nodes.exit(), nodes.toString());
		assertTrue(nodes.out().startsWith("SERVICE\tVERSION\tID\tADDRESS\tMETADATA\n"), nodes.out());
		assertTrue(nodes.out().contains("go.micro.srv.greeter\tlatest\t" + server.nodeId() + "\t" + server.address() + "\t"),
				nodes.out());
		Result services = micro("list", "services", "--output", "json");
		assertTrue(services.out().startsWith("[\n\t\""), services.out());
		assertTrue(services.out().contains("\t\"go.micro.srv.greeter\""), services.out());
		Result get = micro("get", "service", "-o", "json", "go.micro.srv.greeter");
		assertTrue(get.out().contains("\"name\": \"go.micro.srv.greeter\""), get.out());
		assertTrue(get.out().contains("\"address\": \"" + server.address() + "\""), get.out());
		Result bad = micro("list", "services", "--output", "yaml");
		assertEquals(new Result(2, "", "invalid output \"yaml\": expected json or text\n"), bad);
	}

	@Test
	void registerDeregisterAndPublish() {
		String service = "{\"name\": \"go.micro.srv.manual\", \"version\": \"1\", \"nodes\": [{\"id\": \"m-1\","
				+ " \"address\": \"127.0.0.1:9\"}]}";
		assertEquals(new Result(0, "ok\n", ""), micro("register", "service", service));
		assertEquals(new Result(0, "ok\n", ""), micro("deregister", "service", service));
		Result bad = micro("register", "service", "{\"name\": }");
		assertEquals(1, bad.exit());
		assertTrue(bad.err().startsWith("invalid service JSON: "), bad.err());
		assertEquals(1, micro("register", "service", "{\"version\": \"1\"}").exit());
		assertEquals(2, micro("register", "nodes").exit());
		assertEquals(new Result(0, "ok\n", ""), micro("publish", "--metadata", "k=v", "go.micro.test.topic", "{\"say\": \"hi\"}"));
		Result malformed = micro("publish", "topic", "{say}");
		assertEquals(1, malformed.exit());
		assertTrue(malformed.err().startsWith("invalid JSON message: "), malformed.err());
	}

	@Test
	void helpForEveryCommandAndCompletion() {
		for (String command : List.of("call", "stream", "publish", "health", "stats", "list", "get", "register",
				"deregister", "plugin", "run", "kill", "status", "cli", "completion")) {
			Result r = micro(command, "--help");
			assertEquals(0, r.exit(), command);
			assertTrue(r.out().startsWith("usage: micro " + command), r.out());
		}
		Result bash = micro("completion", "bash");
		assertTrue(bash.out().contains("complete -o default -F _micro micro"), bash.out());
		assertEquals(2, micro("completion", "fish").exit());
		Result complete = micro("__complete", "call");
		assertTrue(complete.out().lines().anyMatch("go.micro.srv.greeter"::equals), complete.out());
		assertEquals(new Result(0, "Greeter.Hello\n", ""), micro("__complete", "call", "go.micro.srv.greeter"));
	}

	@Test
	void pluginAndStatusWithoutAServer() {
		Result plugins = micro("plugin", "list");
		assertEquals(1, plugins.exit());
		assertTrue(plugins.err().startsWith("no micro server is running"), plugins.err());
		assertEquals(2, micro("plugin", "frob").exit());
		Result maven = micro("plugin", "install", "no.such:artifact:1.0");
		assertEquals(1, maven.exit());
		assertTrue(maven.err().startsWith("no.such:artifact:1.0 is not in the local Maven repository"), maven.err());
	}

	@Test
	void newMakesAProjectWithoutTouchingTheRegistry() throws Exception {
		java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("micro-new");
		try {
			Result made = micro("new", "--type", "api", dir.resolve("greeter").toString());
			assertEquals(0, made.exit(), made.err());
			assertTrue(made.out().startsWith("Creating api go.micro.api.greeter in "), made.out());
			assertTrue(java.nio.file.Files.exists(dir.resolve("greeter/src/main/proto/greeter.proto")));
			Result again = micro("new", dir.resolve("greeter").toString());
			assertEquals(1, again.exit());
			assertEquals(dir.resolve("greeter") + " already exists\n", again.err());
			assertTrue(micro("help", "new").out().contains("--plugin value"));
		} finally {
			try (var files = java.nio.file.Files.walk(dir)) {
				files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
			}
		}
	}

	/**
	 * The walkthrough's {@code micro api} next to a running {@code micro server}, whose own gateway has the default
	 * address: the error says what holds it and what to do.
	 */
	@Test
	void apiOnATakenAddressSaysWhatToDo() throws Exception {
		try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
			String address = "127.0.0.1:" + taken.getLocalPort();
			Result alone = micro("api", "--address", address, "--handler", "rpc");
			assertEquals(1, alone.exit(), alone.toString());
			assertTrue(alone.err().startsWith("micro api failed: cannot start the API gateway on " + address), alone.err());
			assertTrue(alone.err().contains("\n" + address + " is in use: stop what listens there, or give this gateway "
					+ "another address (--address=127.0.0.1:8081)."), alone.err());

			Server gateway = micro.newServer(ServerOptions.named("go.micro.api"));
			gateway.handle(new Greeter());
			gateway.start();
			try {
				awaitRegistered("go.micro.api");
				Result nextToAServer = micro("api", "--address", address, "--handler", "rpc", "--namespace",
						"go.micro.srv");
				assertEquals(1, nextToAServer.exit(), nextToAServer.toString());
				assertTrue(nextToAServer.err().contains(address + " is in use, and a gateway (go.micro.api) is registered "
						+ "already: most likely the one a running `micro server` starts there."), nextToAServer.err());
				assertTrue(nextToAServer.err().contains("(MICRO_API_HANDLER=rpc MICRO_API_NAMESPACE=go.micro.srv micro "
						+ "server)"), nextToAServer.err());
			} finally {
				gateway.stop();
			}
		}
	}
}
