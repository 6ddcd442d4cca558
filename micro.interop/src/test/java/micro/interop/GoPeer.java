package micro.interop;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The go-micro v2.9.1 peer in {@code go-peer/}: built once per test JVM with {@code go build} (Go caches the work, so a
 * rebuild without changes takes a second) into {@code target/go-peer}.
 *
 * <p>Network safety: go-micro's mDNS binds 0.0.0.0:5353 and multicasts on every interface, so the peer is run with
 * {@code -registry mdns} only inside a {@link NetNamespace}; the peer itself also refuses mdns while a non-loopback
 * interface is up. Outside a namespace it runs with the {@code memory} registry and is called by address.
 */
final class GoPeer {
	static final String SERVICE = "go.micro.srv.goexample";

	private static final Path SOURCE = Path.of("go-peer").toAbsolutePath();
	private static final Path BINARY = Path.of("target", "go-peer").toAbsolutePath();
	private static boolean built;

	private GoPeer() {
	}

	/** The peer binary, built on first use; a missing {@code go} command fails the test with what to do. */
	static synchronized Path binary() {
		if (!built) {
			String go = findGo();
			PeerProcess.Result result = PeerProcess.run("go build",
					List.of(go, "build", "-buildvcs=false", "-o", BINARY.toString(), "."), SOURCE, goEnvironment(),
					Duration.ofMinutes(10));
			if (result.exitCode() != 0) {
				fail("go build of the go-micro peer in " + SOURCE + " failed (exit " + result.exitCode() + ")"
						+ result.transcript());
			}
			built = true;
		}
		return BINARY;
	}

	/** {@code go-peer -registry <registry> <args...>}. */
	static List<String> command(String registry, String... args) {
		List<String> command = new ArrayList<>(List.of(binary().toString(), "-registry", registry));
		command.addAll(List.of(args));
		return command;
	}

	/** Go keeps its caches under $HOME; where a CI environment has no HOME they go to target/. */
	private static Map<String, String> goEnvironment() {
		Map<String, String> env = new HashMap<>();
		String home = System.getenv("HOME");
		if (home == null || home.isEmpty()) {
			Path target = BINARY.getParent();
			if (System.getenv("GOCACHE") == null) {
				env.put("GOCACHE", target.resolve("go-cache").toString());
			}
			if (System.getenv("GOPATH") == null) {
				env.put("GOPATH", target.resolve("go-path").toString());
			}
		}
		return env;
	}

	private static String findGo() {
		List<Path> candidates = new ArrayList<>();
		String path = System.getenv("PATH");
		if (path != null) {
			for (String dir : path.split(File.pathSeparator)) {
				if (!dir.isEmpty()) {
					candidates.add(Path.of(dir, "go"));
				}
			}
		}
		String goroot = System.getenv("GOROOT");
		if (goroot != null && !goroot.isEmpty()) {
			candidates.add(Path.of(goroot, "bin", "go"));
		}
		candidates.add(Path.of("/usr/local/go/bin/go"));
		candidates.add(Path.of("/usr/lib/go/bin/go"));
		for (Path candidate : candidates) {
			if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
				return candidate.toString();
			}
		}
		return fail("the interop tests need the go command (Go 1.21 or newer) to build the go-micro peer in " + SOURCE
				+ ", and found none on PATH, in $GOROOT/bin or /usr/local/go/bin: install Go (apt-get install golang-go)"
				+ " or put it on PATH");
	}
}
