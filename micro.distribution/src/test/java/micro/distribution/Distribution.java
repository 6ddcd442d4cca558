package micro.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * The built distribution driven as a user drives it, for the end-to-end tests: {@code bin/micro server} as a process
 * and {@code bin/micro} commands. The registry is mDNS on loopback as by default, on a port of its own
 * ({@code MICRO_REGISTRY_ADDRESS=127.0.0.1:<port>} for every command, {@code --registry_address} for the server), so
 * that other mDNS users of this machine and parallel builds neither see nor disturb the test.
 */
final class Distribution implements AutoCloseable {
	private static final long COMMAND_TIMEOUT_SECONDS = 30;

	record Result(int exit, String out, String err) {
		/** Asserts that the command succeeded; returns its standard output. */
		String ok() {
			assertEquals(0, exit, toString());
			return out;
		}

		/** Asserts that the command failed with this exit code; returns its standard error. */
		String failed(int expectedExit) {
			assertEquals(expectedExit, exit, toString());
			return err;
		}
	}

	static void assertStartsWith(String prefix, String text) {
		assertTrue(text.startsWith(prefix), () -> "expected to start with \"" + prefix + "\":\n" + text);
	}

	static void assertContains(String part, String text) {
		assertTrue(text.contains(part), () -> "expected to contain \"" + part + "\":\n" + text);
	}

	final Path home = Path.of(System.getProperty("micro.distribution", "target/micro")).toAbsolutePath();
	final String registryAddress = "127.0.0.1:" + ThreadLocalRandom.current().nextInt(20000, 60000);
	private Process server;
	private Path serverLog;

	/** Runs {@code bin/micro} with these arguments in the distribution's folder. */
	Result micro(String... args) throws IOException, InterruptedException {
		return run(Map.of(), null, COMMAND_TIMEOUT_SECONDS, args);
	}

	/** Runs {@code bin/micro} with these variables added. */
	Result micro(Map<String, String> env, String... args) throws IOException, InterruptedException {
		return run(env, null, COMMAND_TIMEOUT_SECONDS, args);
	}

	/** Runs {@code bin/micro} with these variables added, allowing it that many seconds. */
	Result micro(Map<String, String> env, long timeoutSeconds, String... args) throws IOException, InterruptedException {
		return run(env, null, timeoutSeconds, args);
	}

	/** Runs {@code bin/micro} with these variables added and this text on its standard input. */
	Result microWithInput(Map<String, String> env, String input, String... args) throws IOException, InterruptedException {
		return run(env, input, COMMAND_TIMEOUT_SECONDS, args);
	}

	private Result run(Map<String, String> env, String input, long timeoutSeconds, String... args)
			throws IOException, InterruptedException {
		ProcessBuilder pb = command(args);
		pb.environment().putAll(env);
		if (input != null) {
			pb.redirectInput(ProcessBuilder.Redirect.PIPE);
		}
		Path out = Files.createTempFile("micro-out", ".txt");
		Path err = Files.createTempFile("micro-err", ".txt");
		pb.redirectOutput(out.toFile()).redirectError(err.toFile());
		Process p = pb.start();
		try {
			if (input != null) {
				try (OutputStream stdin = p.getOutputStream()) {
					stdin.write(input.getBytes(StandardCharsets.UTF_8));
				}
			}
			assertTrue(p.waitFor(timeoutSeconds, TimeUnit.SECONDS), "micro " + String.join(" ", args) + " finished");
			return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
		} finally {
			p.destroyForcibly();
			Files.delete(out);
			Files.delete(err);
		}
	}

	/** {@code bin/micro} with these arguments in the distribution's folder, the registry address in its environment. */
	private ProcessBuilder command(String... args) {
		List<String> command = new ArrayList<>();
		command.add(home.resolve("bin/micro").toString());
		command.addAll(List.of(args));
		ProcessBuilder pb = new ProcessBuilder(command).directory(home.toFile())
				.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
		pb.environment().put("MICRO_REGISTRY_ADDRESS", registryAddress);
		return pb;
	}

	/** Starts {@code bin/micro} with these arguments in the background, what it prints going to the log. */
	Process background(Path log, String... args) throws IOException {
		return command(args).redirectErrorStream(true).redirectOutput(log.toFile()).start();
	}

	/** Repeats the command for up to 20 seconds until its result is as expected. */
	Result waitFor(String what, Predicate<Result> done, String... args) throws Exception {
		return waitFor(20_000, what, done, args);
	}

	/** Repeats the command for up to that many milliseconds until its result is as expected. */
	Result waitFor(long millis, String what, Predicate<Result> done, String... args) throws Exception {
		return waitFor(Map.of(), millis, what, done, args);
	}

	/** Repeats the command, with these variables added, for up to that many milliseconds until its result is as expected. */
	Result waitFor(Map<String, String> env, long millis, String what, Predicate<Result> done, String... args)
			throws Exception {
		long deadline = System.currentTimeMillis() + millis;
		Result r = micro(env, COMMAND_TIMEOUT_SECONDS, args);
		while (!done.test(r) && System.currentTimeMillis() < deadline) {
			Thread.sleep(200);
			r = micro(env, COMMAND_TIMEOUT_SECONDS, args);
		}
		assertTrue(done.test(r), what + "; last answer: " + r + "\nserver log:\n" + serverLog());
		return r;
	}

	/** The jar in a folder of the distribution whose name starts with the prefix. */
	Path jar(String folder, String prefix) throws IOException {
		try (Stream<Path> files = Files.list(home.resolve(folder))) {
			return files.filter(f -> f.getFileName().toString().startsWith(prefix)
					&& f.getFileName().toString().endsWith(".jar")).sorted().findFirst()
					.orElseThrow(() -> new IllegalStateException("no " + prefix + "*.jar in " + home.resolve(folder)));
		}
	}

	/** Starts {@code micro server} and waits until it has registered {@code go.micro.runtime}. */
	Process startServer() throws Exception {
		return startServer(Map.of());
	}

	/** Starts {@code micro server} with these variables added and waits until it has registered the runtime. */
	Process startServer(Map<String, String> env) throws Exception {
		serverLog = Files.createTempFile("micro-server", ".log");
		// the server gets the registry address as a flag (written into its configuration), the commands as a variable
		ProcessBuilder pb = command("server", "--server_address=127.0.0.1:0", "--registry_address", registryAddress)
				.redirectErrorStream(true).redirectOutput(serverLog.toFile());
		pb.environment().remove("MICRO_REGISTRY_ADDRESS");
		// the container runs the API gateway: on loopback, on a free port
		pb.environment().put("MICRO_API_ADDRESS", "127.0.0.1:0");
		pb.environment().putAll(env);
		server = pb.start();
		// the first start with a fresh folder runs the class-data sharing training first: seconds more on a busy machine
		waitFor(90_000, "go.micro.runtime is registered", r -> r.out().lines().anyMatch("go.micro.runtime"::equals),
				"list", "services");
		return server;
	}

	Process server() {
		return server;
	}

	/** What the server printed so far. */
	String serverLog() throws IOException {
		return serverLog == null || !Files.exists(serverLog) ? "" : Files.readString(serverLog);
	}

	/** Waits up to 10 seconds for the text to show up in the server's log. */
	void awaitServerLog(String text) throws IOException, InterruptedException {
		long deadline = System.currentTimeMillis() + 10_000;
		while (!serverLog().contains(text) && System.currentTimeMillis() < deadline) {
			Thread.sleep(100);
		}
		assertContains(text, serverLog());
	}

	/** Stops the server if it still runs and removes its log. */
	@Override
	public void close() throws Exception {
		if (server != null && server.isAlive()) {
			server.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
		}
		if (serverLog != null) {
			Files.deleteIfExists(serverLog);
		}
	}
}
