package micro.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code micro run <project folder>} before the build: the Maven command, and no build without a server. */
class ProjectRunTest {
	@TempDir
	Path folder;

	@Test
	void mavenIsMvnOrTheCommandInMicroMaven() {
		assertEquals(List.of("mvn"), ProjectRun.maven(Map.of()));
		assertEquals(List.of("mvn"), ProjectRun.maven(Map.of("MICRO_MAVEN", " ")));
		assertEquals(List.of("./mvnw", "-o", "-Dmaven.repo.local=/tmp/r"),
				ProjectRun.maven(Map.of("MICRO_MAVEN", " ./mvnw  -o -Dmaven.repo.local=/tmp/r ")));
	}

	@Test
	void aProjectIsNotBuiltWhenNoServerIsRunning() throws Exception {
		Files.writeString(folder.resolve("pom.xml"), "<project/>");
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		ByteArrayOutputStream err = new ByteArrayOutputStream();
		int exit = Main.run(List.of("--registry=memory", "run", folder.toString()), Map.of("MICRO_MAVEN", "false"),
				new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
		assertEquals(1, exit);
		assertEquals("no micro server is running (go.micro.runtime not found in the memory registry); start one with:"
				+ " micro server\n", err.toString(StandardCharsets.UTF_8));
		assertEquals("", out.toString(StandardCharsets.UTF_8));
		assertFalse(Files.exists(folder.resolve("target")), "no build was started");
	}

	@Test
	void aJarOrAFolderWithoutPomIsLeftToTheServer() throws Exception {
		// nothing is built and no registry is opened (the config is null: using it would fail)
		ProjectRun.buildIfProject(List.of(folder.toString()), null, Map.of(), System.out);
		ProjectRun.buildIfProject(List.of(folder.resolve("x.jar").toString()), null, Map.of(), System.out);
		ProjectRun.buildIfProject(List.of(), null, Map.of(), System.out);
		assertFalse(Files.exists(folder.resolve("target")));
	}
}
