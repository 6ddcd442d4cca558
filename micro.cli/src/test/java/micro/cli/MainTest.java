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

	private final String registryAddress = "127.0.0.1:" + ThreadLocalRandom.current().nextInt(20000, 60000);
	private MdnsRegistry registry;
	private Micro micro;
	private Server server;

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
		long deadline = System.currentTimeMillis() + 10_000;
		while (registry.getService("go.micro.srv.greeter").isEmpty() && System.currentTimeMillis() < deadline) {
			Thread.sleep(50);
		}
	}

	@AfterAll
	void stop() {
		server.stop();
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
		assertEquals(1, usage.exit());
		assertTrue(usage.err().startsWith("require service and endpoint"), usage.err());

		Result metadata = micro("call", "--metadata", "novalue", "go.micro.srv.greeter", "Greeter.Hello");
		assertEquals(new Result(1, "", "invalid metadata \"novalue\": expected key=value\n"), metadata);
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
		assertEquals(1, micro().exit());
		assertEquals("No command provided to micro. Please refer to 'micro --help'\n", micro().err());
		assertEquals(1, micro("lst").exit());
		assertEquals(1, micro("list").exit());
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
}
