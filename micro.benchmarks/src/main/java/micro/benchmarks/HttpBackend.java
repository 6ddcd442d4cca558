package micro.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * The benchmarks' HTTP backend (Jetty, "hello"; after 1 ms on {@code /slow}), by default in a JVM of its own, as a
 * backend runs in production and as nginx runs beside it. In the benchmark's JVM the backend's Jetty classes would
 * also be the gateway's, so each one's code profile (the JIT's view of which classes pass through Jetty's call sites)
 * and each one's garbage collections would be the other's. {@code -Dbench.backend.inline=true} keeps it in this JVM
 * (as before 2026-11-25), for comparison. {@link #main} prints the port on one line and serves until its input closes.
 */
final class HttpBackend implements AutoCloseable {
	final int port;
	/** The backend's JVM, or null when it runs in this one. */
	private final Process process;
	private final Server inline;

	private HttpBackend(Process process, Server inline, int port) {
		this.process = process;
		this.inline = inline;
		this.port = port;
	}

	static HttpBackend start() throws Exception {
		if (Boolean.getBoolean("bench.backend.inline")) {
			Server s = ApiBench.backend();
			return new HttpBackend(null, s, port(s));
		}
		String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
		List<String> command = new ArrayList<>(List.of(java, "-Xms256m", "-Xmx256m", "-XX:+UseG1GC", "-cp",
				System.getProperty("java.class.path"), HttpBackend.class.getName()));
		Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
		BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
		String line = out.readLine();
		if (line == null || !line.startsWith("port ")) {
			p.destroyForcibly();
			throw new IOException("the backend JVM did not start: " + line);
		}
		return new HttpBackend(p, null, Integer.parseInt(line.substring(5).trim()));
	}

	private static int port(Server backend) {
		return ((ServerConnector) backend.getConnectors()[0]).getLocalPort();
	}

	/** The backend's own JVM, for its CPU time; null when it runs in this JVM. */
	ProcessHandle process() {
		return process == null ? null : process.toHandle();
	}

	/** Where it runs, for the report. */
	String describe() {
		return process == null ? "in the benchmark's JVM" : "in a JVM of its own";
	}

	@Override
	public void close() throws Exception {
		if (inline != null) {
			inline.stop();
			return;
		}
		process.getOutputStream().close();
		if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
			process.destroyForcibly();
		}
	}

	public static void main(String[] args) throws Exception {
		Server backend = ApiBench.backend();
		System.out.println("port " + port(backend));
		System.out.flush();
		while (System.in.read() >= 0) {
			// serve until the benchmark closes our input (or dies)
		}
		backend.stop();
		System.exit(0);
	}
}
