package micro.template;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Builds a project folder with Maven, showing the step it is at (compiling the proto, compiling, testing, making the
 * bundle, packaging), and keeps the whole output in {@code target/micro-build.log}. On a failure it names the step and
 * shows the errors Maven and protoc reported. For {@code micro run <folder>} and the tests of {@code micro new}.
 */
public final class ProjectBuild {
	/** The log of the last build, relative to the project folder. */
	public static final String LOG = "target/micro-build.log";

	private static final Pattern MOJO = Pattern.compile("^\\[INFO\\] --- ([\\w.-]+):[\\w.-]+:([\\w-]+) .*@ (\\S+) ---");
	private static final Map<String, String> STEPS = Map.ofEntries(Map.entry("compile@protobuf", "compiling the proto"),
			Map.entry("compile@maven-compiler-plugin", "compiling"),
			Map.entry("testCompile@maven-compiler-plugin", "compiling the tests"),
			Map.entry("test@maven-surefire-plugin", "testing"), Map.entry("bnd-process@bnd-maven-plugin", "making the bundle"),
			Map.entry("jar@maven-jar-plugin", "packaging"), Map.entry("install@maven-install-plugin", "installing"));
	/** Maven's closing advice, which says nothing about the project. */
	private static final Pattern NOISE = Pattern.compile("^\\[ERROR\\] (-> \\[Help|To see the full|Re-run Maven|For more"
			+ " information|\\[Help \\d|After correcting|  mvn <args>|$)");

	/**
	 * @param success   whether Maven succeeded
	 * @param step      the step it was at when it ended
	 * @param errors    Maven's and protoc's error lines (without the advice Maven adds), for the user
	 * @param log       the whole output
	 * @param exitCode  Maven's exit code
	 */
	public record Result(boolean success, String step, List<String> errors, Path log, int exitCode) {
	}

	private final Path project;
	private final List<String> maven;

	/** Builds with {@code mvn} from the PATH. */
	public ProjectBuild(Path project) {
		this(project, List.of("mvn"));
	}

	/**
	 * @param maven the command that runs Maven, with any options for every build (for example
	 *              {@code mvn -o -Dmaven.repo.local=…})
	 */
	public ProjectBuild(Path project, List<String> maven) {
		if (!Files.isRegularFile(project.resolve("pom.xml"))) {
			throw new IllegalArgumentException(project + " is not a Maven project: it has no pom.xml");
		}
		this.project = project;
		this.maven = List.copyOf(maven);
	}

	/**
	 * Runs Maven with these goals (for example {@code package}), showing progress on {@code out}: on a terminal one
	 * line redrawn, else one line per step. A failure is reported on {@code out} too.
	 *
	 * @throws IOException when Maven cannot be started
	 */
	public Result build(List<String> goals, PrintStream out, boolean terminal) throws IOException, InterruptedException {
		return build(goals, out, out, terminal);
	}

	/**
	 * As {@link #build(List, PrintStream, boolean)}, with the failure (the step, the errors, where the log is) reported
	 * on {@code failure} ({@code micro run} makes it its error message).
	 */
	public Result build(List<String> goals, PrintStream out, PrintStream failure, boolean terminal)
			throws IOException, InterruptedException {
		List<String> command = new ArrayList<>(maven);
		command.add("-B");
		command.addAll(goals);
		Process process;
		try {
			process = new ProcessBuilder(command).directory(project.toFile()).redirectErrorStream(true).start();
		} catch (IOException e) {
			throw new IOException("cannot run " + maven.get(0) + " (is Maven installed and on the PATH?): "
					+ e.getMessage(), e);
		}
		process.getOutputStream().close();
		String name = project.toAbsolutePath().normalize().getFileName().toString();
		StringBuilder log = new StringBuilder();
		List<String> errors = new ArrayList<>();
		String step = "starting Maven";
		show(out, terminal, name, step, 0);
		int lines = 0;
		try (BufferedReader in = new BufferedReader(
				new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
			for (String line; (line = in.readLine()) != null;) {
				log.append(line).append('\n');
				lines++;
				Matcher m = MOJO.matcher(line);
				if (m.find()) {
					String next = step(m.group(1), m.group(2));
					if (next != null && !next.equals(step)) {
						step = next;
						show(out, terminal, name, step, lines);
					}
				} else if (terminal && lines % 20 == 0) {
					show(out, terminal, name, step, lines);
				}
				if (line.startsWith("[ERROR]") && !NOISE.matcher(line).find()) {
					errors.add(line.substring("[ERROR]".length()).strip());
				}
			}
		}
		if (!process.waitFor(10, TimeUnit.MINUTES)) {
			process.destroyForcibly();
		}
		int exit = process.exitValue();
		Path logFile = project.resolve(LOG);
		Files.createDirectories(logFile.getParent());
		Files.writeString(logFile, log, StandardCharsets.UTF_8);
		boolean ok = exit == 0;
		if (terminal) {
			out.print("\r\033[K");
		}
		if (ok) {
			out.println("Built " + name + " (the output is in " + logFile + ")");
		} else {
			out.flush();
			failure.println("Building " + name + " failed while " + step + ":");
			for (String e : errors.subList(0, Math.min(errors.size(), 30))) {
				failure.println("  " + e);
			}
			failure.println("The whole output is in " + logFile);
		}
		return new Result(ok, step, List.copyOf(errors), logFile, exit);
	}

	private static final String SPINNER = "|/-\\";

	private static void show(PrintStream out, boolean terminal, String name, String step, int lines) {
		if (terminal) {
			out.print("\r\033[K" + SPINNER.charAt(lines / 20 % SPINNER.length()) + " Building " + name + ": " + step
					+ "…");
		} else {
			out.println("Building " + name + ": " + step + "…");
		}
		out.flush();
	}

	private static String step(String plugin, String goal) {
		String key = goal + "@" + (plugin.startsWith("protobuf") ? "protobuf" : plugin);
		return STEPS.get(key);
	}
}
