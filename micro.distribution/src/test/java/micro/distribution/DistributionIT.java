package micro.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import micro.distribution.Distribution.Result;

/**
 * The built distribution end to end: {@code bin/micro server} started as a process, driven through {@code bin/micro}
 * as a user would ({@link Distribution}: mDNS on loopback, on a port of its own).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DistributionIT {
	private static final String EXAMPLE = "go.micro.srv.example";

	private final Distribution distribution = new Distribution();
	private final Path home = distribution.home;
	private Process server;
	private Path dropped;

	private Result micro(String... args) throws IOException, InterruptedException {
		return distribution.micro(args);
	}

	private Result waitFor(String what, Predicate<Result> done, String... args) throws Exception {
		return distribution.waitFor(what, done, args);
	}

	private String serverLog() throws IOException {
		return distribution.serverLog();
	}

	@Test
	@Order(1)
	void theDistributionIsComplete() {
		for (String path : List.of("bin/micro", "conf/config.properties", "conf/micro.cfg", "load", "lib", "bundle",
				"examples")) {
			assertTrue(Files.exists(home.resolve(path)), path);
		}
		assertTrue(Files.isExecutable(home.resolve("bin/micro")));
		for (String bundle : List.of("org.apache.felix.scr", "org.apache.felix.configadmin", "org.apache.felix.fileinstall",
				"org.apache.felix.gogo.shell", "org.apache.aries.spifly", "slf4j-simple", "micro.core", "micro.registry.mdns",
				"micro.cli")) {
			assertTrue(list(home.resolve("bundle")).stream().anyMatch(n -> n.startsWith(bundle)), bundle + " in bundle/");
		}
		assertTrue(list(home.resolve("examples")).stream().anyMatch(n -> n.startsWith("micro.example")));
		assertTrue(Files.exists(home.resolveSibling("micro.tar.gz")), "the tar.gz is built");
	}

	private static List<String> list(Path folder) {
		try (Stream<Path> files = Files.list(folder)) {
			return files.map(p -> p.getFileName().toString()).toList();
		} catch (IOException e) {
			throw new java.io.UncheckedIOException(e);
		}
	}

	@Test
	@Order(2)
	void versionHelpAndUsageErrors() throws Exception {
		Result version = micro("--version");
		assertEquals(0, version.exit());
		assertTrue(version.out().startsWith("micro version "), version.out());
		Result help = micro("--help");
		assertEquals(0, help.exit());
		assertTrue(help.out().contains("--registry_address value"), help.out());
		Result unknownCommand = micro("frobnicate");
		assertEquals(2, unknownCommand.exit());
		assertTrue(unknownCommand.err().contains("No help topic for 'frobnicate'"), unknownCommand.err());
		Result unknownFlag = micro("--registery=mdns", "list", "services");
		assertEquals(2, unknownFlag.exit());
		assertTrue(unknownFlag.err().contains("flag provided but not defined: -registery"), unknownFlag.err());
		Result unknownRegistry = micro("--registry=consul", "list", "services");
		assertEquals(1, unknownRegistry.exit());
		assertTrue(unknownRegistry.err().contains("unknown registry \"consul\""), unknownRegistry.err());
	}

	@Test
	@Order(3)
	void runWithoutAServerSaysHowToStartOne() throws Exception {
		Result r = micro("run", home.resolve("examples").toString());
		assertEquals(1, r.exit(), r.toString());
		assertEquals("no micro server is running (go.micro.runtime not found in the mdns registry); start one with: micro server\n",
				r.err());
		assertEquals("", r.out());
	}

	@Test
	@Order(4)
	void theServerStartsAndRegistersTheRuntime() throws Exception {
		// the server's own gateway takes micro api's variables (the other way to run the seed's walkthrough)
		server = distribution.startServer(Map.of("MICRO_API_HANDLER", "rpc", "MICRO_API_NAMESPACE", "go.micro.srv"));
		assertTrue(server.isAlive());
		assertFalse(serverLog().contains("did not start"), serverLog());
		// the first start with this JDK and folder made the server's class-data sharing archive (a training run)
		assertTrue(list(home.resolve("lib/cds")).stream().anyMatch(n -> n.startsWith("micro-server-") && n.endsWith(".jsa")),
				"lib/cds/micro-server-*.jsa: " + list(home.resolve("lib/cds")) + "\n" + serverLog());
	}

	@Test
	@Order(5)
	void runInstallsAndStartsTheExample() throws Exception {
		String jar = list(home.resolve("examples")).stream().filter(n -> n.endsWith(".jar")).findFirst().orElseThrow();
		// relative to the working folder (the distribution's), as a user types it
		Result r = micro("run", "examples/" + jar);
		assertEquals(0, r.exit(), r.toString() + serverLog());
		assertTrue(r.out().startsWith("installed micro.example "), r.out());
		assertTrue(r.out().contains(": ACTIVE\nservice " + EXAMPLE), r.out());
		waitFor(EXAMPLE + " is listed", x -> x.out().lines().anyMatch(EXAMPLE::equals), "list", "services");
	}

	@Test
	@Order(6)
	void listAndGetService() throws Exception {
		Result list = micro("list", "services");
		assertEquals(0, list.exit());
		List<String> names = list.out().lines().toList();
		assertEquals(names.stream().sorted().toList(), names, "sorted");
		assertTrue(names.contains(EXAMPLE) && names.contains("go.micro.runtime"), names.toString());

		Result get = micro("get", "service", EXAMPLE);
		assertEquals(0, get.exit(), get.toString());
		assertTrue(get.out().startsWith("service  " + EXAMPLE + "\n\nversion latest\n\nID\tAddress\tMetadata\n" + EXAMPLE + "-"),
				get.out());
		assertTrue(get.out().contains("\t127.0.0.1:"), get.out());
		assertTrue(get.out().contains("registry=mdns"), get.out());
		assertTrue(get.out().contains("\nEndpoint: Example.Call\n\nRequest: {\n\tname string\n}\n\nResponse: {\n\tmsg string\n}\n"),
				get.out());

		Result missing = micro("get", "service", "go.micro.srv.nothing");
		assertEquals(1, missing.exit());
		assertEquals("Service not found\n", missing.err());
	}

	@Test
	@Order(7)
	void callPrintsTheResponseIndentedWithTabs() throws Exception {
		Result r = micro("call", EXAMPLE, "Example.Call", "{\"name\": \"John\"}");
		assertEquals(0, r.exit(), r.toString());
		assertEquals("{\n\t\"msg\": \"Hello John\"\n}\n", r.out());
		Result raw = micro("call", "--output", "raw", "--metadata", "Trace=1", EXAMPLE, "Example.Call", "{\"name\": \"Raw\"}");
		assertEquals(0, raw.exit(), raw.toString());
		assertEquals("{\"msg\":\"Hello Raw\"}\n", raw.out());
	}

	/** The seed's walkthrough: MICRO_API_HANDLER=rpc MICRO_API_NAMESPACE=go.micro.srv micro api, then curl. */
	@Test
	@Order(7)
	void microApiServesTheExample() throws Exception {
		int port;
		try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
			port = s.getLocalPort();
		}
		Path log = Files.createTempFile("micro-api", ".log");
		ProcessBuilder pb = new ProcessBuilder(home.resolve("bin/micro").toString(), "api").directory(home.toFile())
				.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
				.redirectErrorStream(true).redirectOutput(log.toFile());
		pb.environment().put("MICRO_REGISTRY_ADDRESS", distribution.registryAddress);
		pb.environment().put("MICRO_API_HANDLER", "rpc");
		pb.environment().put("MICRO_API_NAMESPACE", "go.micro.srv");
		pb.environment().put("MICRO_API_ADDRESS", "127.0.0.1:" + port);
		Process api = pb.start();
		try {
			java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
			java.net.http.HttpRequest call = seedCurl("127.0.0.1:" + port);
			String body = null;
			long deadline = System.currentTimeMillis() + 30_000;
			while (System.currentTimeMillis() < deadline) {
				try {
					java.net.http.HttpResponse<String> r = http.send(call, java.net.http.HttpResponse.BodyHandlers.ofString());
					if (r.statusCode() == 200) {
						body = r.body();
						break;
					}
				} catch (IOException notYet) {
					// the gateway is still starting
				}
				Thread.sleep(200);
			}
			assertEquals("{\"msg\":\"Hello John\"}", body, Files.readString(log));
			waitFor("go.micro.api is registered", r -> r.out().lines().anyMatch("go.micro.api"::equals), "list", "services");
			api.destroy();
			assertTrue(api.waitFor(20, TimeUnit.SECONDS), "micro api exits on SIGTERM\n" + Files.readString(log));
		} finally {
			api.destroyForcibly();
			Files.deleteIfExists(log);
		}
	}

	/** The seed's {@code curl -XPOST -H 'Content-Type: application/json' -d '{"name": "John"}' …/example/call}. */
	private static java.net.http.HttpRequest seedCurl(String address) {
		return java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://" + address + "/example/call"))
				.header("Content-Type", "application/json")
				.POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"name\": \"John\"}")).build();
	}

	/**
	 * The seed's walkthrough next to {@code micro server}: its own gateway, started with {@code MICRO_API_HANDLER=rpc
	 * MICRO_API_NAMESPACE=go.micro.srv}, answers the curl; {@code micro api} on that gateway's address says what holds
	 * it and what to do.
	 */
	@Test
	@Order(7)
	void theServersGatewayTakesTheApiVariables() throws Exception {
		java.util.regex.Matcher listening = java.util.regex.Pattern
				.compile("API gateway listening on (127\\.0\\.0\\.1:\\d+) \\(handler rpc, namespace go\\.micro\\.srv,")
				.matcher(serverLog());
		assertTrue(listening.find(), serverLog());
		String address = listening.group(1);
		java.net.http.HttpResponse<String> r = java.net.http.HttpClient.newHttpClient().send(seedCurl(address),
				java.net.http.HttpResponse.BodyHandlers.ofString());
		assertEquals(200, r.statusCode(), r.body());
		assertEquals("{\"msg\":\"Hello John\"}", r.body());

		Result taken = micro("api", "--address", address, "--handler", "rpc");
		assertEquals(1, taken.exit(), taken.toString());
		assertTrue(taken.err().contains("\n" + address + " is in use, and a gateway (go.micro.api) is registered already: "
				+ "most likely the one a running `micro server` starts there."), taken.toString());
	}

	@Test
	@Order(8)
	void badCallsFailClearlyAndTheServerStillAnswers() throws Exception {
		Result malformed = micro("call", EXAMPLE, "Example.Call", "{\"name\": John}");
		assertEquals(1, malformed.exit());
		assertTrue(malformed.err().startsWith("invalid JSON request: Unrecognized token 'John'"), malformed.err());
		assertEquals("", malformed.out());

		Result unknownService = micro("call", "go.micro.srv.nothing", "Example.Call", "{}");
		assertEquals(1, unknownService.exit());
		assertTrue(unknownService.err().startsWith("error calling go.micro.srv.nothing.Example.Call: {\"id\":"),
				unknownService.err());
		assertTrue(unknownService.err().contains("not found"), unknownService.err());

		Result unknownEndpoint = micro("call", EXAMPLE, "Example.Nothing", "{}");
		assertEquals(1, unknownEndpoint.exit());
		assertTrue(unknownEndpoint.err().startsWith("error calling " + EXAMPLE + ".Example.Nothing: {\""),
				unknownEndpoint.err());
		assertTrue(unknownEndpoint.err().contains("can't find method Nothing"), unknownEndpoint.err());

		Result again = micro("call", EXAMPLE, "Example.Call", "{\"name\": \"Again\"}");
		assertEquals("{\n\t\"msg\": \"Hello Again\"\n}\n", again.out(), again.toString());
	}

	@Test
	@Order(9)
	void statusAndKill() throws Exception {
		Result status = micro("status");
		assertEquals(0, status.exit(), status.toString());
		assertTrue(status.out().startsWith("ID\tNAME\tVERSION\tSTATE\tSERVICES\n0\torg.apache.felix.framework\t"), status.out());
		assertTrue(status.out().lines().anyMatch(l -> l.contains("\tmicro.example\t") && l.endsWith("\tACTIVE\t" + EXAMPLE)),
				status.out());

		Result kill = micro("kill", EXAMPLE);
		assertEquals(0, kill.exit(), kill.toString());
		assertTrue(kill.out().startsWith("killed micro.example "), kill.out());
		waitFor(EXAMPLE + " is gone", r -> r.out().lines().noneMatch(EXAMPLE::equals), "list", "services");

		Result again = micro("kill", EXAMPLE);
		assertEquals(1, again.exit());
		assertEquals("no bundle or service named " + EXAMPLE + " is running\n", again.err());

		Result notABundle = micro("run", home.resolve("conf").toString());
		assertEquals(1, notABundle.exit());
		assertTrue(notABundle.err().startsWith("no bundle jar in "), notABundle.err());
	}

	@Test
	@Order(10)
	void aBundleThatDoesNotResolveIsReportedWithWhatItMisses() throws Exception {
		Path folder = Files.createTempDirectory("micro-broken");
		Path jar = folder.resolve("target/broken-1.0.jar");
		Files.createDirectories(jar.getParent());
		Manifest manifest = new Manifest();
		manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
		manifest.getMainAttributes().putValue("Bundle-ManifestVersion", "2");
		manifest.getMainAttributes().putValue("Bundle-SymbolicName", "micro.it.broken");
		manifest.getMainAttributes().putValue("Bundle-Version", "1.0.0");
		manifest.getMainAttributes().putValue("Import-Package", "no.such.api;version=\"[1,2)\"");
		try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest)) {
			// the manifest is the whole bundle
		}
		try {
			// a project folder: the bundle is found in target/
			Result r = micro("run", folder.toString());
			assertEquals(1, r.exit(), r.toString());
			assertEquals("", r.out());
			assertTrue(r.err().startsWith("installed micro.it.broken 1.0.0 (bundle "), r.err());
			assertTrue(r.err().contains("): INSTALLED, it does not resolve\n"), r.err());
			assertTrue(r.err().contains("missing requirement osgi.wiring.package; (&(osgi.wiring.package=no.such.api)"), r.err());
			assertTrue(r.err().contains("micro kill micro.it.broken"), r.err());
			Result kill = micro("kill", "micro.it.broken");
			assertEquals(0, kill.exit(), kill.toString());
			assertTrue(kill.out().startsWith("killed micro.it.broken 1.0.0"), kill.out());
		} finally {
			Files.delete(jar);
			Files.delete(jar.getParent());
			Files.delete(folder);
		}
	}

	@Test
	@Order(11)
	void aBundleDroppedIntoLoadIsHotInstalled() throws Exception {
		String jar = list(home.resolve("examples")).stream().filter(n -> n.endsWith(".jar")).findFirst().orElseThrow();
		dropped = home.resolve("load").resolve(jar);
		Files.copy(home.resolve("examples").resolve(jar), dropped);
		waitFor(EXAMPLE + " is served from load/", r -> r.out().lines().anyMatch(EXAMPLE::equals), "list", "services");
		assertEquals("{\n\t\"msg\": \"Hello Load\"\n}\n", micro("call", EXAMPLE, "Example.Call", "{\"name\": \"Load\"}").out());
		Files.delete(dropped);
		waitFor(EXAMPLE + " is gone with its file", r -> r.out().lines().noneMatch(EXAMPLE::equals), "list", "services");
	}

	@Test
	@Order(12)
	void sigtermStopsTheServer() throws Exception {
		server.destroy();
		assertTrue(server.waitFor(20, TimeUnit.SECONDS), "the server exits on SIGTERM\n" + serverLog());
		waitFor("the runtime is deregistered", r -> r.out().lines().noneMatch("go.micro.runtime"::equals), "list",
				"services");
	}

	@AfterAll
	void stopTheServer() throws Exception {
		distribution.close();
		if (dropped != null) {
			Files.deleteIfExists(dropped);
		}
	}
}
