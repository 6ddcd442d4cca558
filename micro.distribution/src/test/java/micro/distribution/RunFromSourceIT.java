package micro.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import micro.distribution.Distribution.Result;
import micro.template.LocalRepository;
import micro.template.ProjectBuild;

/**
 * The flow from nothing to a running service, with the built distribution: {@code micro new} → {@code micro
 * run <folder>} (Maven builds the project, the server hot-installs the bundle) → {@code micro call}; {@code micro run}
 * again after an edit updates the bundle in place; {@code micro kill}. The api, fnc and web types are built in one
 * Maven run (to keep the class short) and installed by their jars. A project whose proto is broken fails at "compiling
 * the proto" with protoc's message, and the server keeps serving.
 * <p>
 * The builds run offline against a local repository holding this reactor's jars ({@link LocalRepository}, from
 * micro.template's test jar), given to {@code micro run} as {@code MICRO_MAVEN}, as a user may give any Maven command.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RunFromSourceIT {
	private static final String SRV = "go.micro.srv.example";
	private static final long BUILD_TIMEOUT_SECONDS = 240;

	@TempDir
	static Path work;
	private final Distribution distribution = new Distribution();
	private List<String> maven;
	private Map<String, String> env;

	@BeforeAll
	void startTheServer() throws Exception {
		Path repository = LocalRepository.withThisBuild(work.resolve("repository"));
		maven = List.of("mvn", "-o", "-Dmaven.repo.local=" + repository);
		env = Map.of("MICRO_MAVEN", String.join(" ", maven));
		distribution.startServer();
	}

	@AfterAll
	void stopTheServer() throws Exception {
		distribution.close();
	}

	private Result micro(String... args) throws Exception {
		return distribution.micro(env, BUILD_TIMEOUT_SECONDS, args);
	}

	private void newProject(String folder, String... flags) throws Exception {
		String[] args = new String[flags.length + 2];
		args[0] = "new";
		System.arraycopy(flags, 0, args, 1, flags.length);
		args[args.length - 1] = work.resolve(folder).toString();
		Result r = micro(args);
		assertEquals(0, r.exit(), r.toString());
	}

	private String call(String service, String endpoint, String json) throws Exception {
		Result r = micro("call", service, endpoint, json);
		assertEquals(0, r.exit(), r + distribution.serverLog());
		return r.out();
	}

	@Test
	@Order(1)
	void newThenRunBuildsInstallsAndServes() throws Exception {
		Result created = micro("new", work.resolve("example").toString());
		assertEquals(0, created.exit(), created.toString());
		assertTrue(created.out().startsWith("Creating service " + SRV + " in "), created.out());

		Result run = micro("run", work.resolve("example").toString());
		assertEquals(0, run.exit(), run + distribution.serverLog());
		assertTrue(run.out().startsWith("Building example: starting Maven…\nBuilding example: compiling the proto…\n"),
				run.out());
		assertTrue(run.out().contains("Building example: testing…\n"), run.out());
		assertTrue(run.out().contains("Built example (the output is in " + work.resolve("example/target/micro-build.log")
				+ ")\ninstalled " + SRV + " "), run.out());
		assertTrue(run.out().contains("): ACTIVE\nservice " + SRV + "\n"), run.out());
		assertTrue(Files.readString(work.resolve("example/target/micro-build.log")).contains("BUILD SUCCESS"));

		assertEquals("{\n\t\"msg\": \"Hello John\"\n}\n", call(SRV, "Example.Call", "{\"name\":\"John\"}"));
	}

	@Test
	@Order(2)
	void runningItAgainAfterAnEditUpdatesTheBundleInPlace() throws Exception {
		// a user changes the greeting and its test
		for (String file : List.of("src/main/java/go/micro/srv/example/handler/Example.java",
				"src/test/java/go/micro/srv/example/handler/ExampleTest.java")) {
			Path path = work.resolve("example").resolve(file);
			Files.writeString(path, Files.readString(path).replace("\"Hello ", "\"Howdy "));
		}
		String before = bundleId(micro("status").out(), SRV);

		Result run = micro("run", work.resolve("example").toString());
		assertEquals(0, run.exit(), run + distribution.serverLog());
		assertTrue(run.out().contains("\nupdated " + SRV + " "), run.out());
		assertTrue(run.out().contains("(bundle " + before + "): ACTIVE\nservice " + SRV + "\n"), run.out());
		assertEquals(before, bundleId(micro("status").out(), SRV), "the same bundle, updated");

		assertFalse(distribution.serverLog().contains("Exception"), distribution.serverLog());
		distribution.waitFor("the new greeting is served", r -> r.out().equals("{\n\t\"msg\": \"Howdy John\"\n}\n"),
				"call", SRV, "Example.Call", "{\"name\":\"John\"}");
	}

	/** The id column of a bundle's row in {@code micro status}. */
	private static String bundleId(String status, String name) {
		return status.lines().filter(l -> l.contains("\t" + name + "\t")).map(l -> l.split("\t")[0]).findFirst()
				.orElseThrow(() -> new AssertionError(name + " is not in\n" + status));
	}

	@Test
	@Order(3)
	void apiFunctionAndWebProjectsRun() throws Exception {
		newProject("more/fn", "--type", "fnc");
		newProject("more/example-api", "--type", "api", "--alias", "example");
		newProject("more/example-web", "--type", "web", "--alias", "example");
		Files.writeString(work.resolve("more/pom.xml"), """
				<project xmlns="http://maven.apache.org/POM/4.0.0">
				  <modelVersion>4.0.0</modelVersion>
				  <groupId>test</groupId><artifactId>more</artifactId><version>1</version><packaging>pom</packaging>
				  <modules><module>fn</module><module>example-api</module><module>example-web</module></modules>
				</project>
				""");
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		ProjectBuild.Result built = new ProjectBuild(work.resolve("more"), maven).build(List.of("package"),
				new PrintStream(out, true, StandardCharsets.UTF_8), false);
		assertTrue(built.success(), out.toString(StandardCharsets.UTF_8));

		Map<String, String> folders = Map.of("go.micro.fnc.fn", "fn", "go.micro.api.example", "example-api",
				"go.micro.web.example", "example-web");
		for (String name : List.of("go.micro.fnc.fn", "go.micro.api.example", "go.micro.web.example")) {
			String folder = folders.get(name);
			Path jar = work.resolve("more").resolve(folder).resolve("target/" + name + "-0.1.0-SNAPSHOT.jar");
			Result run = micro("run", jar.toString());
			assertEquals(0, run.exit(), run + distribution.serverLog());
			assertTrue(run.out().startsWith("installed " + name + " "), run.out());
			assertTrue(run.out().contains("): ACTIVE"), run.out());
		}

		assertEquals("{\n\t\"msg\": \"Hello Fn\"\n}\n", call("go.micro.fnc.fn", "Fn.Call", "{\"name\":\"Fn\"}"));

		// the api answers a go.api.Request from the gateway; it asks go.micro.srv.example, updated above
		String api = call("go.micro.api.example", "Example.Call",
				"{\"get\":{\"name\":{\"key\":\"name\",\"values\":[\"Api\"]}}}");
		assertTrue(api.contains("200") && api.contains("Howdy Api"), api);

		// the web app registers its HTTP address; its page and its /call are served there
		Result web = distribution.waitFor("the web app is registered", r -> r.out().contains("\ngo.micro.web.example-"),
				"get", "service", "go.micro.web.example");
		String address = web.out().lines().filter(l -> l.startsWith("go.micro.web.example-")).map(l -> l.split("\t")[1])
				.findFirst().orElseThrow();
		HttpClient http = HttpClient.newHttpClient();
		HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create("http://" + address + "/")).build(),
				HttpResponse.BodyHandlers.ofString());
		assertEquals(200, page.statusCode());
		assertTrue(page.body().contains("<h1>Example</h1>"), page.body());
		HttpResponse<String> greeting = http.send(HttpRequest.newBuilder(URI.create("http://" + address + "/call"))
				.POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"Web\"}")).build(), HttpResponse.BodyHandlers.ofString());
		assertEquals(200, greeting.statusCode(), greeting.body());
		assertTrue(greeting.body().contains("Howdy Web"), greeting.body());
	}

	@Test
	@Order(4)
	void aBrokenProtoFailsTheRunAtThatStepAndTheServerKeepsServing() throws Exception {
		newProject("broken");
		Path proto = work.resolve("broken/src/main/proto/broken.proto");
		Files.writeString(proto, Files.readString(proto).replace("rpc Call(Request)", "rpc Call(Missing)"));

		Result run = micro("run", work.resolve("broken").toString());
		assertEquals(1, run.exit(), run.toString());
		assertTrue(run.out().contains("Building broken: compiling the proto…\n"), run.out());
		assertTrue(run.err().startsWith("Building broken failed while compiling the proto:\n"), run.err());
		assertTrue(run.err().contains("broken.proto") && run.err().contains("\"Missing\" is not defined"), run.err());
		assertTrue(run.err().endsWith("The whole output is in " + work.resolve("broken/target/micro-build.log") + "\n"),
				run.err());
		assertFalse(micro("status").out().contains("go.micro.srv.broken"));

		assertEquals("{\n\t\"msg\": \"Howdy John\"\n}\n", call(SRV, "Example.Call", "{\"name\":\"John\"}"));
	}

	@Test
	@Order(5)
	void killRemovesThem() throws Exception {
		for (String name : List.of(SRV, "go.micro.fnc.fn", "go.micro.api.example", "go.micro.web.example")) {
			Result kill = micro("kill", name);
			assertEquals(0, kill.exit(), kill.toString());
			assertTrue(kill.out().startsWith("killed " + name + " "), kill.out());
		}
		for (String name : List.of(SRV, "go.micro.fnc.fn", "go.micro.api.example", "go.micro.web.example")) {
			distribution.waitFor(name + " is deregistered", r -> r.exit() == 1, "get", "service", name);
		}
		distribution.waitFor("the services are gone", r -> r.out().lines().noneMatch(l -> l.startsWith("go.micro.srv.")
				|| l.startsWith("go.micro.fnc.") || l.startsWith("go.micro.api.") || l.startsWith("go.micro.web.")), "list",
				"services");
		Result call = micro("call", SRV, "Example.Call", "{\"name\":\"John\"}");
		assertEquals(1, call.exit(), call.toString());
	}
}
