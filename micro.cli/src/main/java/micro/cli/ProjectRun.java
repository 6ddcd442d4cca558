package micro.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import micro.config.MicroConfig;
import micro.registry.Registry;
import micro.template.ProjectBuild;

/**
 * {@code micro run <project folder>} on the command line: a folder with a {@code pom.xml} is built with Maven first
 * ({@code mvn package} through micro.template's {@link ProjectBuild}: the step it is at as progress, the whole output
 * kept in {@code target/micro-build.log}), then the server installs the bundle of its {@code target/} as for any
 * folder. Maven is {@code mvn} from the PATH, or the command in {@code MICRO_MAVEN} (for example {@code ./mvnw} or
 * {@code mvn -o}).
 */
final class ProjectRun {
	/** The variable naming the Maven command, with any options for every build. */
	static final String MAVEN_VARIABLE = "MICRO_MAVEN";

	private ProjectRun() {
	}

	/**
	 * Builds the folder {@code args} names when it is a Maven project; a jar, or a folder without a {@code pom.xml},
	 * is left as it is.
	 *
	 * @throws CliException when no server is running (checked before the build, which takes a while) or the build
	 *                      fails: the step, Maven's and protoc's errors and where the log is
	 */
	static void buildIfProject(List<String> args, MicroConfig config, Map<String, String> env, PrintStream out) {
		if (args.size() != 1) {
			return;
		}
		Path folder = Path.of(args.get(0)).toAbsolutePath().normalize();
		if (!Files.isRegularFile(folder.resolve("pom.xml"))) {
			return;
		}
		Registry registry = Registries.open(config);
		try {
			new RemoteRuntime(registry, null).requireServer();
		} finally {
			Registries.close(registry);
		}
		ByteArrayOutputStream failure = new ByteArrayOutputStream();
		ProjectBuild.Result result;
		try {
			result = new ProjectBuild(folder, maven(env)).build(List.of("package"), out,
					new PrintStream(failure, true, StandardCharsets.UTF_8), System.console() != null);
		} catch (IOException e) {
			throw new CliException(e.getMessage(), e);
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			throw new CliException("interrupted while building " + folder, e);
		}
		if (!result.success()) {
			throw new CliException(failure.toString(StandardCharsets.UTF_8).stripTrailing());
		}
	}

	/** {@code MICRO_MAVEN} split into words, or {@code mvn}. */
	static List<String> maven(Map<String, String> env) {
		String command = env.get(MAVEN_VARIABLE);
		if (command == null || command.isBlank()) {
			return List.of("mvn");
		}
		return Arrays.asList(command.strip().split("\\s+"));
	}
}
