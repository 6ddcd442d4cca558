package micro.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import micro.distribution.Distribution.Result;

/**
 * The built distribution with {@code --registry=etcd} against a real etcd (Debian's {@code etcd-server}, started here
 * on free loopback ports): the command line reads a record written the way Go writes it, reports a wrong address
 * clearly, {@code micro server} registers its runtime in etcd and removes it on SIGTERM, and a running server on mDNS
 * is switched to etcd and falls back to mDNS when the plugin is removed (commands and servers through
 * {@link Distribution}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EtcdDistributionIT {
	private static final String GO_RECORD = "{\"name\":\"go.micro.srv.example\",\"version\":\"latest\",\"metadata\":null,"
			+ "\"endpoints\":[{\"name\":\"Example.Call\","
			+ "\"request\":{\"name\":\"Request\",\"type\":\"Request\",\"values\":[{\"name\":\"name\",\"type\":\"string\",\"values\":null}]},"
			+ "\"response\":{\"name\":\"Response\",\"type\":\"Response\",\"values\":[{\"name\":\"msg\",\"type\":\"string\",\"values\":null}]},"
			+ "\"metadata\":{}}],"
			+ "\"nodes\":[{\"id\":\"go.micro.srv.example-2c5f\",\"address\":\"192.168.1.10:54321\","
			+ "\"metadata\":{\"broker\":\"http\",\"protocol\":\"mucp\",\"registry\":\"etcd\",\"server\":\"mucp\",\"transport\":\"http\"}}]}";

	private final Distribution distribution = new Distribution();
	private final Path home = distribution.home;
	private Path work;
	private Process etcd;
	private String endpoint;
	private Process server;
	private Path serverLog;

	@BeforeAll
	void startEtcd() throws Exception {
		work = Files.createTempDirectory("micro-etcd-it");
		int client = freePort();
		int peer = freePort();
		endpoint = "127.0.0.1:" + client;
		String clientUrl = "http://" + endpoint;
		String peerUrl = "http://127.0.0.1:" + peer;
		etcd = new ProcessBuilder(binary("etcd"), "--data-dir", work.resolve("data").toString(), "--listen-client-urls",
				clientUrl, "--advertise-client-urls", clientUrl, "--listen-peer-urls", peerUrl,
				"--initial-advertise-peer-urls", peerUrl, "--initial-cluster", "default=" + peerUrl)
				.redirectErrorStream(true).redirectOutput(work.resolve("etcd.log").toFile()).start();
		long deadline = System.currentTimeMillis() + 20_000;
		while (System.currentTimeMillis() < deadline) {
			if (etcdctl(null, "endpoint", "health").exit() == 0) {
				return;
			}
			Thread.sleep(200);
		}
		fail("etcd did not start:\n" + Files.readString(work.resolve("etcd.log")));
	}

	@AfterAll
	void stopAll() throws Exception {
		if (server != null && server.isAlive()) {
			server.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
		}
		if (etcd != null) {
			etcd.destroy();
			etcd.waitFor(10, TimeUnit.SECONDS);
		}
		if (work != null) {
			try (Stream<Path> files = Files.walk(work)) {
				files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
			}
		}
	}

	private Result etcdctl(String stdin, String... args) throws Exception {
		List<String> command = new ArrayList<>(List.of(binary("etcdctl"), "--endpoints=" + endpoint));
		command.addAll(List.of(args));
		ProcessBuilder pb = new ProcessBuilder(command).directory(home.toFile());
		pb.environment().put("ETCDCTL_API", "3");
		Path out = Files.createTempFile(work, "out", ".txt");
		Path err = Files.createTempFile(work, "err", ".txt");
		pb.redirectOutput(out.toFile()).redirectError(err.toFile());
		Process p = pb.start();
		if (stdin != null) {
			p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
		}
		p.getOutputStream().close();
		assertTrue(p.waitFor(30, TimeUnit.SECONDS), String.join(" ", command) + " finished");
		return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
	}

	private Result micro(Map<String, String> env, String... args) throws Exception {
		return distribution.micro(env, 30, args);
	}

	@Test
	@Order(1)
	void theDistributionCarriesThePlugin() throws Exception {
		try (Stream<Path> bundles = Files.list(home.resolve("bundle"))) {
			assertTrue(bundles.anyMatch(p -> p.getFileName().toString().startsWith("micro.registry.etcd")));
		}
		assertTrue(Files.isDirectory(home.resolve("lib/plugins/etcd/lib")));
	}

	@Test
	@Order(2)
	void listAndGetAGoRecordThroughEtcd() throws Exception {
		assertEquals(0, etcdctl(GO_RECORD, "put", "/micro/registry/go.micro.srv.example/go.micro.srv.example-2c5f")
				.exit());

		Result list = micro(Map.of(), "--registry=etcd", "--registry_address=" + endpoint, "list", "services");
		assertEquals(0, list.exit(), list.toString());
		assertEquals("go.micro.srv.example\n", list.out());

		// the environment's spelling, and an http:// prefix (which Go refuses) tolerated
		Result get = micro(Map.of("MICRO_REGISTRY", "etcd", "MICRO_REGISTRY_ADDRESS", "http://" + endpoint), "get",
				"service", "go.micro.srv.example");
		assertEquals(0, get.exit(), get.toString());
		assertTrue(get.out().startsWith("service  go.micro.srv.example\n\nversion latest\n\nID\tAddress\tMetadata\n"
				+ "go.micro.srv.example-2c5f\t192.168.1.10:54321\t"), get.out());
		assertTrue(get.out().contains("registry=etcd"), get.out());
		assertTrue(get.out().contains("\nEndpoint: Example.Call\n\nRequest: {\n\tname string\n}\n"), get.out());
	}

	@Test
	@Order(3)
	void aWrongAddressFailsClearly() throws Exception {
		int closed = freePort();
		long start = System.nanoTime();
		Result r = micro(Map.of(), "--registry=etcd", "--registry_address=127.0.0.1:" + closed, "list", "services");
		long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
		assertEquals(1, r.exit(), r.toString());
		assertTrue(r.err().contains("etcd at 127.0.0.1:" + closed + " unreachable"), r.err());
		assertTrue(seconds < 15, "answered in " + seconds + " s");
		Result bad = micro(Map.of(), "--registry=etcd", "--registry_address=127.0.0.1:notaport", "list", "services");
		assertEquals(1, bad.exit());
		assertTrue(bad.err().contains("invalid etcd address"), bad.err());
	}

	@Test
	@Order(4)
	void theServerRegistersInEtcdAndLeavesOnSigterm() throws Exception {
		serverLog = Files.createTempFile(work, "server", ".log");
		ProcessBuilder pb = new ProcessBuilder(home.resolve("bin/micro").toString(), "server",
				"--server_address=127.0.0.1:0").directory(home.toFile())
				.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).redirectErrorStream(true)
				.redirectOutput(serverLog.toFile());
		pb.environment().put("MICRO_REGISTRY", "etcd");
		pb.environment().put("MICRO_REGISTRY_ADDRESS", endpoint);
		server = pb.start();
		try {
			// the first start with a fresh folder runs the class-data sharing training first: seconds more on a busy machine
			distribution.waitFor(Map.of(), 90_000, "go.micro.runtime is registered in etcd",
					r -> r.out().lines().anyMatch("go.micro.runtime"::equals), "--registry=etcd",
					"--registry_address=" + endpoint, "list", "services");
		} catch (AssertionError e) {
			throw new AssertionError(e.getMessage() + Files.readString(serverLog), e);
		}
		assertFalse(Files.readString(serverLog).contains("did not start"), Files.readString(serverLog));
		Result keys = etcdctl(null, "get", "--prefix", "/micro/registry/go.micro.runtime/", "--keys-only");
		assertTrue(keys.out().startsWith("/micro/registry/go.micro.runtime/go.micro.runtime-"), keys.out());

		server.destroy();
		assertTrue(server.waitFor(20, TimeUnit.SECONDS), "the server exits on SIGTERM");
		assertEquals("", etcdctl(null, "get", "--prefix", "/micro/registry/go.micro.runtime/", "--keys-only").out()
				.trim(), "deregistered");
	}

	private static final String EXAMPLE = "go.micro.srv.example";
	private static final String HELLO = "{\n\t\"msg\": \"Hello John\"\n}\n";

	/**
	 * A running {@code micro server} on mDNS (the default) with the example service is switched to etcd without a
	 * restart: the etcd bundle is already installed (from {@code bundle/}, idle), and a {@code micro.cfg} dropped into
	 * {@code load/} selects it. The service is then registered in etcd and calls go on. {@code micro plugin remove
	 * etcd} takes the container back to mDNS at its address by itself (the log says so) and calls go on;
	 * {@code micro plugin install} of the jar brings etcd back, still configured.
	 */
	@Test
	@Order(5)
	void aRunningServerSwitchesToEtcdAndFallsBackWhenThePluginIsRemoved() throws Exception {
		Map<String, String> viaEtcd = Map.of("MICRO_REGISTRY", "etcd", "MICRO_REGISTRY_ADDRESS", endpoint);
		Path config = home.resolve("load").resolve("micro.cfg");
		assertEquals(0, etcdctl(null, "del", "--prefix", "/micro/registry/").exit(), "the earlier tests' records removed");
		try {
			distribution.startServer();
			Result run = micro(Map.of(), "run", "examples/" + distribution.jar("examples", "micro.example").getFileName());
			assertEquals(0, run.exit(), run + distribution.serverLog());
			distribution.waitFor("the example answers over mDNS", r -> r.out().equals(HELLO), "call", EXAMPLE,
					"Example.Call", "{\"name\": \"John\"}");
			assertTrue(micro(Map.of(), "plugin", "list").out().lines().anyMatch(l -> l.startsWith("registry\tetcd\t")),
					"the etcd plugin is installed");

			// the file becomes the whole micro configuration (FileInstall replaces the one the server started with), so it
			// repeats the loopback addresses the server was given; written aside and renamed, so it is read complete
			Path staged = home.resolve("load").resolve("micro.cfg.part");
			Files.writeString(staged, "registry = etcd\nregistry.target = (micro.registry=etcd)\nregistry_address = "
					+ endpoint + "\nserver_address = 127.0.0.1:0\napi_address = 127.0.0.1:0\n");
			Files.move(staged, config, StandardCopyOption.ATOMIC_MOVE);

			distribution.waitFor(viaEtcd, 60_000, "the example is registered in etcd",
					r -> r.out().lines().anyMatch(EXAMPLE::equals), "list", "services");
			Result keys = etcdctl(null, "get", "--prefix", "/micro/registry/" + EXAMPLE + "/", "--keys-only");
			assertTrue(keys.out().startsWith("/micro/registry/" + EXAMPLE + "/" + EXAMPLE + "-"), keys.out());
			assertTrue(micro(viaEtcd, "get", "service", EXAMPLE).out().contains("registry=etcd"));
			distribution.waitFor(viaEtcd, 20_000, "calls go on through etcd", r -> r.out().equals(HELLO), "call",
					EXAMPLE, "Example.Call", "{\"name\": \"John\"}");
			distribution.waitFor("the example left mDNS", r -> r.exit() == 0 && r.out().lines().noneMatch(EXAMPLE::equals),
					"list", "services");

			// removing the selected plugin: back to mDNS by itself, at the address the server was started with
			Result removed = micro(viaEtcd, "plugin", "remove", "etcd");
			assertEquals(0, removed.exit(), removed + distribution.serverLog());
			assertTrue(removed.out().contains("micro.registry.etcd"), removed.out());
			distribution.waitFor("back on mDNS", r -> r.out().lines().anyMatch(EXAMPLE::equals), "list", "services");
			distribution.waitFor("calls go on through mDNS", r -> r.out().equals(HELLO), "call", EXAMPLE,
					"Example.Call", "{\"name\": \"John\"}");
			String log = distribution.serverLog();
			assertTrue(log.contains("micro: registry etcd went away with bundle micro.registry.etcd ")
					&& log.contains("falling back to registry mdns at " + distribution.registryAddress), log);
			assertEquals("", etcdctl(null, "get", "--prefix", "/micro/registry/", "--keys-only").out().trim(),
					"every node left etcd");
			assertTrue(micro(Map.of(), "plugin", "list").out().lines().noneMatch(l -> l.contains("etcd")));

			// installed again, and still configured: etcd again
			Path jar = distribution.jar("bundle", "micro.registry.etcd");
			Result installed = micro(Map.of(), "plugin", "install", jar.toString());
			assertEquals(0, installed.exit(), installed + distribution.serverLog());
			distribution.waitFor(viaEtcd, 30_000, "selected again: the example is in etcd",
					r -> r.out().lines().anyMatch(EXAMPLE::equals), "list", "services");
			distribution.waitFor(viaEtcd, 20_000, "calls go on through etcd again", r -> r.out().equals(HELLO),
					"call", EXAMPLE, "Example.Call", "{\"name\": \"John\"}");
			assertTrue(distribution.serverLog().contains(
					"micro: registry etcd is back (bundle micro.registry.etcd); selected again at " + endpoint),
					distribution.serverLog());
		} finally {
			distribution.close();
			Files.deleteIfExists(config);
		}
	}

	private static String binary(String name) {
		for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(File.pathSeparator)) {
			if (Files.isExecutable(Path.of(dir, name))) {
				return Path.of(dir, name).toString();
			}
		}
		if (Files.isExecutable(Path.of("/usr/bin", name))) {
			return "/usr/bin/" + name;
		}
		fail("the " + name + " binary was not found: install it with `apt-get install etcd-server etcd-client`");
		return null;
	}

	private static int freePort() throws IOException {
		try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return s.getLocalPort();
		}
	}
}
