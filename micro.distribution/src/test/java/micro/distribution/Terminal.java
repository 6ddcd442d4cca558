package micro.distribution;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A command line run in a pseudo-terminal of {@code script(1)}, so that JLine sees a real terminal (raw mode, tab
 * completion): keys are typed into it and what it prints is collected as the screen.
 */
final class Terminal implements AutoCloseable {
	private static final long SCREEN_TIMEOUT_MILLIS = 20_000;
	/** After a tab: the completion asks the registry. */
	private static final long COMPLETION_PAUSE_MILLIS = 700;

	private final Process process;
	private final OutputStream keys;
	private final StringBuilder screen = new StringBuilder();
	private final Thread reader;

	/** Runs the command line in that folder, with these variables added (and no {@code MICRO_REGISTRY_ADDRESS} else). */
	Terminal(Path folder, Map<String, String> env, String commandLine) throws IOException {
		ProcessBuilder pb = new ProcessBuilder("script", "-qfec", commandLine, "/dev/null").directory(folder.toFile())
				.redirectErrorStream(true);
		pb.environment().remove("MICRO_REGISTRY_ADDRESS");
		pb.environment().put("TERM", "xterm");
		pb.environment().putAll(env);
		process = pb.start();
		keys = process.getOutputStream();
		reader = new Thread(this::read, "terminal screen");
		reader.start();
	}

	private void read() {
		try (InputStream in = process.getInputStream()) {
			byte[] buf = new byte[4096];
			int n;
			while ((n = in.read(buf)) > 0) {
				synchronized (screen) {
					screen.append(new String(buf, 0, n, StandardCharsets.UTF_8));
				}
			}
		} catch (IOException e) {
			// the process ended
		}
	}

	/** Types the text key by key, pausing after each tab for the completion. */
	void type(String text) throws Exception {
		for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
			keys.write(b);
			keys.flush();
			if (b == '\t') {
				Thread.sleep(COMPLETION_PAUSE_MILLIS);
			}
		}
	}

	/** Waits until the text shows up on the screen. */
	void await(String text) throws InterruptedException {
		long deadline = System.currentTimeMillis() + SCREEN_TIMEOUT_MILLIS;
		while (System.currentTimeMillis() < deadline) {
			if (screen().contains(text)) {
				return;
			}
			Thread.sleep(50);
		}
		throw new AssertionError("\"" + text + "\" did not show up:\n" + screen());
	}

	/** Waits for the command to end; returns its exit code. */
	int awaitExit(long seconds) throws InterruptedException {
		assertTrue(process.waitFor(seconds, TimeUnit.SECONDS), "the command ended:\n" + screen());
		reader.join(5000);
		return process.exitValue();
	}

	String screen() {
		synchronized (screen) {
			return screen.toString();
		}
	}

	@Override
	public void close() throws InterruptedException {
		process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
		reader.join(5000);
	}
}
