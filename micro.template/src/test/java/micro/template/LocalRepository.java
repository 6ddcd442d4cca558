package micro.template;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.stream.Stream;

/**
 * A local Maven repository for the builds of generated projects: every entry of the real local repository linked,
 * except micro's own artifacts, which are this reactor's freshly packaged jars and poms. Nothing is installed into the
 * shared repository.
 * <p>
 * Shared with micro.distribution's end-to-end tests through this module's test jar. The test that uses it runs in a
 * reactor's {@code integration-test} phase, after micro.core and micro.protoc were packaged, with the system
 * properties {@code maven.repo.local} (the real local repository), {@code micro.root} (the reactor's folder) and
 * {@code micro.version} set by its Failsafe configuration.
 */
public final class LocalRepository {
	private LocalRepository() {
	}

	/** Makes the repository in the folder {@code at} (created) and returns it. */
	public static Path withThisBuild(Path at) throws IOException {
		Path real = Path.of(property("maven.repo.local"));
		Path root = Path.of(property("micro.root")).toAbsolutePath().normalize();
		String version = property("micro.version");
		Files.createDirectories(at);
		try (Stream<Path> entries = Files.list(real)) {
			for (Path e : entries.toList()) {
				if (!e.getFileName().toString().equals("micro")) {
					Files.createSymbolicLink(at.resolve(e.getFileName().toString()), e);
				}
			}
		}
		Path micro = Files.createDirectories(at.resolve("micro"));
		if (Files.isDirectory(real.resolve("micro"))) {
			try (Stream<Path> entries = Files.list(real.resolve("micro"))) {
				for (Path e : entries.toList()) {
					if (!e.getFileName().toString().equals("jvm")) {
						Files.createSymbolicLink(micro.resolve(e.getFileName().toString()), e);
					}
				}
			}
		}
		Path jvm = Files.createDirectories(micro.resolve("jvm"));
		add(jvm, "micro.parent", version, root.resolve("pom.xml"), null);
		for (String module : List.of("micro.core", "micro.protoc")) {
			Path jar = root.resolve(module).resolve("target").resolve(module + "-" + version + ".jar");
			if (!Files.exists(jar)) {
				throw new IllegalStateException(jar + " is not built: run this test in the integration-test"
						+ " phase of a reactor build (mvn -pl <module> -am verify), after " + module + " was packaged");
			}
			add(jvm, module, version, root.resolve(module).resolve("pom.xml"), jar);
		}
		return at;
	}

	private static void add(Path jvm, String artifact, String version, Path pom, Path jar) throws IOException {
		Path dir = Files.createDirectories(jvm.resolve(artifact).resolve(version));
		Files.copy(pom, dir.resolve(artifact + "-" + version + ".pom"), StandardCopyOption.REPLACE_EXISTING);
		if (jar != null) {
			Files.copy(jar, dir.resolve(artifact + "-" + version + ".jar"), StandardCopyOption.REPLACE_EXISTING);
		}
	}

	private static String property(String name) {
		String value = System.getProperty(name);
		if (value == null || value.isBlank()) {
			throw new IllegalStateException("system property " + name + " is not set (the failsafe configuration sets it)");
		}
		return value;
	}
}
