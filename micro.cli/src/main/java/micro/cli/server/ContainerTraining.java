package micro.cli.server;

import java.io.OutputStream;
import java.io.PrintStream;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import micro.cli.Main;
import micro.client.CallOptions;
import micro.client.Request;
import micro.codec.RawBody;
import micro.config.MicroConfig;
import micro.registry.Node;
import micro.registry.Service;
import micro.registry.mdns.internal.MdnsOptions;
import micro.registry.mdns.internal.MdnsRegistry;
import micro.runtime.Micro;

/**
 * A training run for the server's class-data sharing archive: starts the container of {@code micro.home} as
 * {@code micro server} does, waits until its {@code go.micro.runtime} service answers a call over MUCP (so the classes
 * of serving a request are loaded too: transport, codecs, Jackson), stops it and exits, so that bin/micro can dump the
 * loaded classes ({@code -XX:ArchiveClassesAtExit}). JDK 17 archives the classes of bundle class loaders as well, and
 * a class from the archive is neither parsed nor verified again: every later {@code micro server} starts faster.
 * <p>
 * It runs apart from anything else: mDNS on a loopback port of its own, servers and broker on ephemeral loopback
 * ports, and an empty folder instead of {@code load/}, so no bundle of the user's starts.
 */
public final class ContainerTraining {
	static final String RUNTIME_SERVICE = "go.micro.runtime";
	private static final Duration DEADLINE = Duration.ofSeconds(30);

	private ContainerTraining() {
	}

	public static void main(String[] args) throws Exception {
		String home = System.getProperty(Main.HOME_PROPERTY);
		if (home == null) {
			System.err.println("micro.home is not set: bin/micro runs the training");
			System.exit(2);
		}
		System.exit(train(Path.of(home).toAbsolutePath()) ? 0 : 1);
	}

	/**
	 * Returns whether the runtime service answered within 30 s; either way the container is stopped and what was loaded
	 * can be archived (bin/micro keeps the archive for exit code 0 or 1, so a training that cannot call is not repeated).
	 */
	static boolean train(Path home) throws Exception {
		String registryAddress = "127.0.0.1:" + freeUdpPort();
		Map<String, String> flags = Map.of(MicroConfig.REGISTRY, "mdns", MicroConfig.REGISTRY_ADDRESS, registryAddress,
				MicroConfig.SERVER_ADDRESS, "127.0.0.1:0", MicroConfig.BROKER_ADDRESS, "127.0.0.1:0");
		Path emptyLoad = Files.createTempDirectory("micro-training-load-");
		PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
		Container.Running running = new Container(home, quiet).start(flags, false,
				Map.of("felix.fileinstall.dir", emptyLoad.toString()));
		try (MdnsRegistry registry = new MdnsRegistry(MdnsOptions.defaults().withAddress(registryAddress));
				Micro micro = Micro.builder().config(MicroConfig.of(Map.of(MicroConfig.REGISTRY, "memory")))
						.withoutBroker().build()) {
			CallOptions options = CallOptions.DEFAULTS.withTimeout(Duration.ofSeconds(2)).withRetries(0);
			long deadline = System.nanoTime() + DEADLINE.toNanos();
			while (System.nanoTime() < deadline) {
				for (Service service : registry.getService(RUNTIME_SERVICE)) {
					for (Node node : service.nodes()) {
						try {
							micro.client().call(new Request(RUNTIME_SERVICE, "Runtime.List", RawBody.of("{}"),
									"application/json"), RawBody.class, options.withAddress(node.address()));
							return true;
						} catch (RuntimeException notYet) {
							// registered before its handler is served: look again
						}
					}
				}
				Thread.sleep(20);
			}
			return false;
		} finally {
			running.stop();
			Container.deleteTree(emptyLoad);
		}
	}

	private static int freeUdpPort() throws java.io.IOException {
		try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
	}
}
