package micro.template;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.JarFile;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import micro.client.CallOptions;
import micro.client.ClientStream;
import micro.client.Request;
import micro.config.MicroConfig;
import micro.registry.Endpoint;
import micro.registry.internal.MemoryRegistry;
import micro.runtime.Micro;
import micro.server.Server;
import micro.server.ServerOptions;

/**
 * {@code micro new} for each type, built by Maven as a user builds it ({@code mvn package}: protoc, protoc-gen-micro,
 * javac, the project's own tests, bnd), then the built srv bundle's handler served and called.
 * <p>
 * The generated poms find micro.core and micro.protoc in the local Maven repository. The build of this module does not
 * install them there (parallel builds share it), so the test gives the generated builds a local repository of their
 * own: a folder whose entries link to the real local repository's, except {@code micro/jvm}, which holds the jars
 * this reactor just packaged (see the README). The four projects build in one Maven run (an aggregator pom), and a
 * broken proto in a second.
 */
class GeneratedProjectsIT {
	@TempDir
	static Path work;
	private static Path repository;
	private static List<String> maven;
	private static String output;
	private static ProjectBuild.Result result;

	@BeforeAll
	static void generateAndBuild() throws Exception {
		repository = LocalRepository.withThisBuild(work.resolve("repository"));
		maven = List.of("mvn", "-o", "-Dmaven.repo.local=" + repository);
		Path projects = Files.createDirectories(work.resolve("projects"));
		newProject(projects.resolve("example"));
		newProject(projects.resolve("fn"), "--type", "function");
		newProject(projects.resolve("example-api"), "--type", "api", "--alias", "example");
		newProject(projects.resolve("example-web"), "--type", "web", "--alias", "example", "--plugin",
				"registry=etcd");
		Files.writeString(projects.resolve("pom.xml"), """
				<project xmlns="http://maven.apache.org/POM/4.0.0">
				  <modelVersion>4.0.0</modelVersion>
				  <groupId>test</groupId><artifactId>projects</artifactId><version>1</version><packaging>pom</packaging>
				  <modules><module>example</module><module>fn</module><module>example-api</module><module>example-web</module></modules>
				</project>
				""");
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		result = new ProjectBuild(projects, maven).build(List.of("package"), new PrintStream(out, true,
				StandardCharsets.UTF_8), false);
		output = out.toString(StandardCharsets.UTF_8);
	}

	private static void newProject(Path dir, String... flags) {
		List<String> args = new ArrayList<>(List.of(flags));
		args.add(dir.toString());
		ByteArrayOutputStream err = new ByteArrayOutputStream();
		int exit = new NewCommand().run(args, new PrintStream(new ByteArrayOutputStream()), new PrintStream(err));
		assertEquals(0, exit, err.toString());
	}

	@AfterAll
	static void keepTheLogOnFailure() throws IOException {
		if (result != null && !result.success()) {
			Files.copy(result.log(), Path.of("target", "generated-projects-build.log"), StandardCopyOption.REPLACE_EXISTING);
		}
	}

	@Test
	void everyTypeBuildsAndItsOwnTestsPass() throws IOException {
		assertTrue(result.success(), output + String.join("\n", result.errors()));
		assertTrue(output.contains("Building projects: compiling the proto…\n"), output);
		assertTrue(output.contains("Building projects: testing…\n"), output);
		assertTrue(output.contains("Built projects (the output is in "), output);
		String log = Files.readString(result.log());
		for (String name : List.of("go.micro.srv.example.handler.ExampleTest", "go.micro.function.fn.handler.FnTest",
				"go.micro.api.example.handler.ExampleTest", "go.micro.web.example.web.ExampleWebTest")) {
			assertTrue(log.contains("Failures: 0, Errors: 0, Skipped: 0, Time elapsed: ")
					&& log.contains(" -- in " + name), name + " did not run:\n" + log);
		}
		assertBundle("example", "go.micro.srv.example", "go.micro.srv.example.handler.Example");
		assertBundle("fn", "go.micro.function.fn", "go.micro.function.fn.handler.Fn");
		assertBundle("example-api", "go.micro.api.example", "go.micro.api.example.handler.Example");
		String web = assertBundle("example-web", "go.micro.web.example", "go.micro.web.example.web.ExampleWeb");
		assertTrue(web.contains("micro.registry=etcd"), web);
	}

	/** The bundle's manifest, after checking its name and its handler's component. */
	private static String assertBundle(String folder, String symbolicName, String component) throws IOException {
		Path jar = work.resolve("projects").resolve(folder).resolve("target/" + symbolicName + "-0.1.0-SNAPSHOT.jar");
		assertTrue(Files.exists(jar), jar + " was not built");
		try (JarFile j = new JarFile(jar.toFile())) {
			assertEquals(symbolicName, j.getManifest().getMainAttributes().getValue("Bundle-SymbolicName"));
			assertTrue(j.getManifest().getMainAttributes().getValue("Service-Component").contains(component), component);
			assertFalse(j.getManifest().getMainAttributes().getValue("Import-Package").contains("micro.runtime"));
			StringBuilder manifest = new StringBuilder();
			j.getManifest().getMainAttributes().forEach((k, v) -> manifest.append(k).append(": ").append(v).append('\n'));
			return manifest.toString();
		}
	}

	@Test
	void theBuiltServiceAnswersLikeTheGoTemplate() throws Exception {
		assertTrue(result.success(), "the build failed");
		Path jar = work.resolve("projects/example/target/go.micro.srv.example-0.1.0-SNAPSHOT.jar");
		try (URLClassLoader bundle = new URLClassLoader(new URL[] { jar.toUri().toURL() }, getClass().getClassLoader());
				Micro micro = Micro.builder().config(MicroConfig.of(Map.of(MicroConfig.REGISTRY, "memory")))
						.registry(new MemoryRegistry()).withoutBroker().build()) {
			Object handler = bundle.loadClass("go.micro.srv.example.handler.Example").getConstructor().newInstance();
			Server server = micro.newServer(ServerOptions.named("go.micro.srv.example"));
			// as the whiteboard does: no name, no metadata; the generated interface names the endpoints
			server.handle(null, handler, Map.of());
			server.start();
			try {
				assertEquals(List.of("Example.Call", "Example.PingPong", "Example.Stream"), micro.registry()
						.getService("go.micro.srv.example").get(0).endpoints().stream().map(Endpoint::name).sorted()
						.toList());
				Map<?, ?> reply = micro.client().call(new Request("go.micro.srv.example", "Example.Call",
						Map.of("name", "John")), Map.class, CallOptions.DEFAULTS);
				assertEquals(Map.of("msg", "Hello John"), reply);
				List<Object> counts = new ArrayList<>();
				try (ClientStream stream = micro.client().stream(new Request("go.micro.srv.example", "Example.Stream",
						Map.of()), CallOptions.DEFAULTS)) {
					stream.send(Map.of("count", 3));
					for (Map<?, ?> m; (m = stream.recv(Map.class)) != null;) {
						counts.add(m.get("count"));
					}
				}
				// proto3 JSON leaves out a zero value, as go-micro's JSON codec does
				assertEquals(List.of("null", "1", "2"), counts.stream().map(String::valueOf).toList());
			} finally {
				server.stop();
			}
		}
	}

	@Test
	void aBrokenProtoFailsTheBuildWithProtocsMessage() throws Exception {
		Path broken = work.resolve("broken");
		newProject(broken);
		Path proto = broken.resolve("src/main/proto/broken.proto");
		Files.writeString(proto, Files.readString(proto).replace("rpc Call(Request)", "rpc Call(Missing)"));
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		ProjectBuild.Result r = new ProjectBuild(broken, maven).build(List.of("package"),
				new PrintStream(out, true, StandardCharsets.UTF_8), false);
		String shown = out.toString(StandardCharsets.UTF_8);
		assertFalse(r.success());
		assertEquals("compiling the proto", r.step());
		assertTrue(shown.contains("Building broken failed while compiling the proto:"), shown);
		assertTrue(shown.contains("broken.proto") && shown.contains("\"Missing\" is not defined"), shown);
		assertTrue(shown.contains("The whole output is in " + broken.resolve(ProjectBuild.LOG)), shown);
		assertTrue(Files.readString(r.log()).contains("BUILD FAILURE"));
		try (Stream<Path> jars = Files.list(broken.resolve("target"))) {
			assertTrue(jars.noneMatch(p -> p.toString().endsWith(".jar")));
		}
	}
}
