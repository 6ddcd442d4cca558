package micro.itests;

import static org.junit.Assert.fail;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real etcd (Debian's {@code etcd-server}) for an in-container test, on free loopback ports with a temporary data
 * dir; {@link #close()} stops it and deletes the data.
 */
final class EtcdProcess implements AutoCloseable {
	private final Path dir;
	private final Process process;
	private final String endpoint;

	EtcdProcess() throws Exception {
		dir = Files.createTempDirectory("etcd-it");
		int client = freePort();
		int peer = freePort();
		endpoint = "127.0.0.1:" + client;
		String clientUrl = "http://" + endpoint;
		String peerUrl = "http://127.0.0.1:" + peer;
		process = new ProcessBuilder(binary("etcd"), "--data-dir", dir.resolve("data").toString(),
				"--listen-client-urls", clientUrl, "--advertise-client-urls", clientUrl, "--listen-peer-urls", peerUrl,
				"--initial-advertise-peer-urls", peerUrl, "--initial-cluster", "default=" + peerUrl)
				.redirectErrorStream(true).redirectOutput(dir.resolve("etcd.log").toFile()).start();
	}

	String endpoint() {
		return endpoint;
	}

	/** {@code etcdctl --endpoints=<this> args…}: its standard output, or null when it failed. */
	String etcdctl(String... args) throws IOException, InterruptedException {
		List<String> command = new ArrayList<>(List.of(binary("etcdctl"), "--endpoints=" + endpoint));
		command.addAll(List.of(args));
		ProcessBuilder pb = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD);
		pb.environment().put("ETCDCTL_API", "3");
		Process p = pb.start();
		String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		return p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0 ? out : null;
	}

	@Override
	public void close() throws Exception {
		process.destroy();
		if (!process.waitFor(10, TimeUnit.SECONDS)) {
			process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
		}
		try (Stream<Path> files = Files.walk(dir)) {
			files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
		}
	}

	static String binary(String name) {
		List<String> dirs = new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)));
		dirs.add("/usr/bin");
		for (String d : dirs) {
			if (!d.isEmpty() && Files.isExecutable(Path.of(d, name))) {
				return Path.of(d, name).toString();
			}
		}
		fail("the " + name + " binary was not found: install it with `apt-get install etcd-server etcd-client`");
		return null;
	}

	static int freePort() throws IOException {
		try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return s.getLocalPort();
		}
	}
}
