package micro.interop;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A peer process started by a test (the Go peer or a Java child JVM): its output lines are collected as they come, so
 * the test can wait for a line such as {@code READY ...} and show everything the peer said when an assertion fails.
 */
final class PeerProcess implements AutoCloseable {
	private final String label;
	private final Process process;
	private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
	private final StringBuffer transcript = new StringBuffer();
	private final Thread stdoutReader;
	private final Thread stderrReader;

	private PeerProcess(String label, Process process) {
		this.label = label;
		this.process = process;
		this.stdoutReader = drain(process.getInputStream(), true);
		this.stderrReader = drain(process.getErrorStream(), false);
	}

	static PeerProcess start(String label, List<String> command) {
		return start(label, command, null);
	}

	static PeerProcess start(String label, List<String> command, Path directory) {
		return start(label, command, directory, Map.of());
	}

	static PeerProcess start(String label, List<String> command, Path directory, Map<String, String> environment) {
		try {
			ProcessBuilder builder = new ProcessBuilder(command);
			if (directory != null) {
				builder.directory(directory.toFile());
			}
			builder.environment().putAll(environment);
			return new PeerProcess(label, builder.start());
		} catch (IOException e) {
			throw new AssertionError("cannot start " + label + " (" + String.join(" ", command) + "): " + e.getMessage(), e);
		}
	}

	/**
	 * Runs a command to its end and returns its exit code and output.
	 *
	 * @throws AssertionError when it does not end in time (it is killed then)
	 */
	static Result run(String label, List<String> command, Duration timeout) {
		return run(label, command, null, timeout);
	}

	static Result run(String label, List<String> command, Path directory, Duration timeout) {
		return run(label, command, directory, Map.of(), timeout);
	}

	static Result run(String label, List<String> command, Path directory, Map<String, String> environment,
			Duration timeout) {
		try (PeerProcess p = start(label, command, directory, environment)) {
			if (!p.process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
				throw new AssertionError(label + " did not finish within " + timeout + ": " + p.transcript());
			}
			p.stdoutReader.join(5_000);
			p.stderrReader.join(5_000);
			StringBuilder stdout = new StringBuilder();
			for (String line : p.lines) {
				stdout.append(line).append('\n');
			}
			return new Result(p.process.exitValue(), stdout.toString().strip(), p.transcript());
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			throw new AssertionError(label + " interrupted", e);
		}
	}

	/** The exit code, the standard output and everything printed on both streams (for failure messages). */
	record Result(int exitCode, String stdout, String transcript) {
	}

	/** Waits for the next standard output line that starts with {@code prefix}; earlier lines are passed over. */
	String awaitLine(String prefix, Duration timeout) {
		long end = System.nanoTime() + timeout.toNanos();
		try {
			while (System.nanoTime() < end) {
				String line = lines.poll(50, TimeUnit.MILLISECONDS);
				if (line != null && line.startsWith(prefix)) {
					return line;
				}
				if (line == null && !process.isAlive() && lines.isEmpty()) {
					throw new AssertionError(label + " exited with " + process.exitValue() + " before printing \"" + prefix
							+ "\": " + transcript());
				}
			}
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
		}
		throw new AssertionError(label + " printed no \"" + prefix + "\" line within " + timeout + ": " + transcript());
	}

	/** Asks the process to stop (SIGTERM) and waits for it; exit code, or -1 when it had to be killed. */
	int stop(Duration timeout) {
		process.destroy();
		try {
			if (process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
				stdoutReader.join(2_000);
				return process.exitValue();
			}
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
		}
		process.destroyForcibly();
		return -1;
	}

	/** The value of {@code key=value} in a line such as {@code READY id=... address=...}. */
	static String field(String line, String key) {
		for (String part : line.split(" ")) {
			if (part.startsWith(key + "=")) {
				return part.substring(key.length() + 1);
			}
		}
		throw new AssertionError("no " + key + "= in \"" + line + "\"");
	}

	/** Writes one line to the process's standard input. */
	void send(String line) {
		try {
			process.getOutputStream().write((line + "\n").getBytes(StandardCharsets.UTF_8));
			process.getOutputStream().flush();
		} catch (IOException e) {
			throw new AssertionError("cannot write to " + label + ": " + e.getMessage() + transcript(), e);
		}
	}

	/** Waits for the process to end by itself; its exit code. */
	int awaitExit(Duration timeout) {
		try {
			if (process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
				return process.exitValue();
			}
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
		}
		throw new AssertionError(label + " did not exit within " + timeout + transcript());
	}

	boolean isAlive() {
		return process.isAlive();
	}

	String transcript() {
		return "\n--- " + label + " ---\n" + transcript + "--- end of " + label + " ---";
	}

	@Override
	public void close() {
		if (process.isAlive()) {
			stop(Duration.ofSeconds(5));
		}
	}

	private Thread drain(InputStream stream, boolean stdout) {
		Thread t = new Thread(() -> {
			try (BufferedReader r = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
				String line;
				while ((line = r.readLine()) != null) {
					transcript.append(stdout ? "" : "[stderr] ").append(line).append('\n');
					if (stdout) {
						lines.add(line);
					}
				}
			} catch (IOException e) {
				transcript.append("[reader failed: ").append(e).append("]\n");
			}
		}, label + (stdout ? " stdout" : " stderr"));
		t.setDaemon(true);
		t.start();
		return t;
	}
}
