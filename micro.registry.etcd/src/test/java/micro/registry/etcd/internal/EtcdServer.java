package micro.registry.etcd.internal;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real etcd (Debian's {@code etcd-server}) for a test class, on 127.0.0.1 with free client and peer ports and a
 * temporary data dir. It can be stopped and started again on the same ports (with the same data, or wiped) to play an
 * outage. Use as {@code @RegisterExtension static final EtcdServer ETCD = new EtcdServer();}.
 */
public final class EtcdServer implements BeforeAllCallback, AfterAllCallback {
	private static final String INSTALL_HINT = "the etcd binary was not found: install it with"
			+ " `apt-get install etcd-server etcd-client` (CI installs it), or point -Detcd.binary at it";

	private Path baseDir;
	private Path dataDir;
	private Path logFile;
	private int clientPort;
	private int peerPort;
	private Process process;
	private final boolean tls;
	private Path tlsDir;

	/** A plain-text etcd. */
	public EtcdServer() {
		this(false);
	}

	private EtcdServer(boolean tls) {
		this.tls = tls;
	}

	/**
	 * An etcd that serves TLS only and asks for client certificates ({@code --client-cert-auth}), with a CA, a server
	 * certificate for 127.0.0.1 and a client certificate made by {@code openssl}: see {@link #tlsFile(String)}.
	 */
	public static EtcdServer withTls() {
		return new EtcdServer(true);
	}

	@Override
	public void beforeAll(ExtensionContext context) throws Exception {
		baseDir = Files.createTempDirectory("etcd-test");
		dataDir = baseDir.resolve("data");
		logFile = baseDir.resolve("etcd.log");
		clientPort = freePort();
		peerPort = freePort();
		if (tls) {
			tlsDir = Files.createDirectories(baseDir.resolve("tls"));
			makeCertificates();
		}
		start();
	}

	/** {@code ca.pem}, {@code server.pem}, {@code server.key}, {@code client.pem}, {@code client.key} (PKCS#8). */
	public Path tlsFile(String name) {
		return tlsDir.resolve(name);
	}

	private void makeCertificates() throws IOException, InterruptedException {
		openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem", "-days", "2",
				"-subj", "/CN=micro test CA");
		Files.writeString(tlsDir.resolve("server.ext"), "subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n");
		Files.writeString(tlsDir.resolve("client.ext"), "extendedKeyUsage=clientAuth\n");
		for (String who : List.of("server", "client")) {
			openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", who + ".key", "-out", who + ".csr", "-subj",
					"/CN=" + (who.equals("server") ? "127.0.0.1" : "micro"));
			openssl("x509", "-req", "-in", who + ".csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-out",
					who + ".pem", "-days", "2", "-extfile", who + ".ext");
		}
	}

	private void openssl(String... args) throws IOException, InterruptedException {
		List<String> command = new ArrayList<>();
		command.add(binary("openssl"));
		command.addAll(List.of(args));
		Path log = tlsDir.resolve("openssl.log");
		Process p = new ProcessBuilder(command).directory(tlsDir.toFile()).redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
		if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
			fail("openssl " + String.join(" ", args) + " failed:\n" + Files.readString(log));
		}
	}

	@Override
	public void afterAll(ExtensionContext context) throws Exception {
		stop();
		if (baseDir != null) {
			try (Stream<Path> files = Files.walk(baseDir)) {
				files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
			}
		}
	}

	/** {@code 127.0.0.1:<client port>}. */
	public String endpoint() {
		return "127.0.0.1:" + clientPort;
	}

	public int clientPort() {
		return clientPort;
	}

	public boolean running() {
		return process != null && process.isAlive();
	}

	/** Starts etcd (again) on the same ports and data dir, and waits until it reports healthy. */
	public synchronized void start() throws IOException, InterruptedException {
		if (running()) {
			return;
		}
		String client = (tls ? "https" : "http") + "://127.0.0.1:" + clientPort;
		String peer = "http://127.0.0.1:" + peerPort;
		List<String> command = new ArrayList<>(List.of(binary("etcd"), "--name", "default", "--data-dir",
				dataDir.toString(), "--listen-client-urls", client, "--advertise-client-urls", client,
				"--listen-peer-urls", peer, "--initial-advertise-peer-urls", peer, "--initial-cluster",
				"default=" + peer, "--initial-cluster-state", "new"));
		if (tls) {
			command.addAll(List.of("--cert-file", tlsFile("server.pem").toString(), "--key-file",
					tlsFile("server.key").toString(), "--trusted-ca-file", tlsFile("ca.pem").toString(),
					"--client-cert-auth"));
		}
		process = new ProcessBuilder(command).redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile())).start();
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
		while (System.nanoTime() < deadline) {
			if (!process.isAlive()) {
				fail("etcd exited with " + process.exitValue() + ":\n" + logTail());
			}
			if (healthy()) {
				return;
			}
			Thread.sleep(100);
		}
		stop();
		fail("etcd did not become healthy within 20 s:\n" + logTail());
	}

	/** Stops etcd (SIGTERM, then SIGKILL after 10 s); the data dir stays. */
	public synchronized void stop() throws InterruptedException {
		if (process == null) {
			return;
		}
		process.destroy();
		if (!process.waitFor(10, TimeUnit.SECONDS)) {
			process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
		}
		process = null;
	}

	/** Stops etcd and deletes its data: the next {@link #start()} is a brand-new etcd (no keys, no leases). */
	public synchronized void stopAndWipe() throws InterruptedException, IOException {
		stop();
		try (Stream<Path> files = Files.walk(dataDir)) {
			files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
		}
	}

	/** Runs {@code etcdctl --endpoints=<this> args…} and returns its standard output; fails the test on an error. */
	public String etcdctl(String... args) throws IOException, InterruptedException {
		return etcdctlWithInput(null, args);
	}

	/** As {@link #etcdctl}, with the given text on standard input (for values that start with a dash or hold quotes). */
	public String etcdctlWithInput(String input, String... args) throws IOException, InterruptedException {
		List<String> command = new ArrayList<>();
		command.add(binary("etcdctl"));
		command.add("--endpoints=" + endpoint());
		if (tls) {
			command.addAll(List.of("--cacert", tlsFile("ca.pem").toString(), "--cert", tlsFile("client.pem").toString(),
					"--key", tlsFile("client.key").toString()));
		}
		command.addAll(List.of(args));
		ProcessBuilder pb = new ProcessBuilder(command);
		pb.environment().put("ETCDCTL_API", "3");
		Path err = Files.createTempFile(baseDir, "etcdctl", ".err");
		pb.redirectError(err.toFile());
		Process p = pb.start();
		if (input != null) {
			p.getOutputStream().write(input.getBytes(StandardCharsets.UTF_8));
		}
		p.getOutputStream().close();
		byte[] out = p.getInputStream().readAllBytes();
		if (!p.waitFor(20, TimeUnit.SECONDS)) {
			p.destroyForcibly();
			fail("etcdctl " + String.join(" ", args) + " did not finish");
		}
		if (p.exitValue() != 0) {
			fail("etcdctl " + String.join(" ", args) + " failed: " + Files.readString(err));
		}
		return new String(out, StandardCharsets.UTF_8);
	}

	private boolean healthy() {
		if (tls) {
			try {
				etcdctl("endpoint", "health");
				return true;
			} catch (IOException | InterruptedException | AssertionError e) {
				return false;
			}
		}
		try {
			HttpURLConnection c = (HttpURLConnection) URI.create("http://127.0.0.1:" + clientPort + "/health").toURL()
					.openConnection();
			c.setConnectTimeout(500);
			c.setReadTimeout(1000);
			try (InputStream in = c.getInputStream()) {
				String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
				return c.getResponseCode() == 200 && body.contains("\"true\"");
			} finally {
				c.disconnect();
			}
		} catch (IOException e) {
			return false;
		}
	}

	private String logTail() {
		try {
			List<String> lines = Files.readAllLines(logFile);
			return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
		} catch (IOException e) {
			return "(no log: " + e + ")";
		}
	}

	/** The binary from -Detcd.binary (for etcd) or the PATH; fails with the install hint when it is missing. */
	static String binary(String name) {
		String configured = System.getProperty(name + ".binary");
		if (configured != null && Files.isExecutable(Path.of(configured))) {
			return configured;
		}
		String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
		List<String> dirs = new ArrayList<>(List.of(path.split(File.pathSeparator)));
		dirs.addAll(List.of("/usr/bin", "/usr/local/bin", "/usr/sbin"));
		for (String dir : dirs) {
			Path candidate = Path.of(dir, name);
			if (Files.isExecutable(candidate)) {
				return candidate.toString();
			}
		}
		fail(INSTALL_HINT.replace("the etcd binary", "the " + name + " binary"));
		return null;
	}

	static int freePort() throws IOException {
		try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return s.getLocalPort();
		}
	}
}
