package micro.template;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NewCommandTest {
	@TempDir
	Path dir;

	private record Run(int exit, String out, String err) {
	}

	private Run run(String... args) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		ByteArrayOutputStream err = new ByteArrayOutputStream();
		int exit = new NewCommand().run(List.of(args), new PrintStream(out, true, StandardCharsets.UTF_8),
				new PrintStream(err, true, StandardCharsets.UTF_8));
		return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
	}

	private String read(String path) throws IOException {
		return Files.readString(dir.resolve(path));
	}

	@Test
	void theDefaultsMakeTheSrvServiceOfTheDocs() throws IOException {
		Run r = run(dir.resolve("example").toString());
		assertEquals(0, r.exit(), r.err());
		assertTrue(r.out().startsWith("Creating service go.micro.srv.example in " + dir.resolve("example") + "\n\n.\n"),
				r.out());
		assertTrue(r.out().contains("├── pom.xml\n├── bnd.bnd\n├── src\n│   ├── main\n│   │   ├── proto\n"
				+ "│   │   │   └── example.proto\n│   │   └── java/go/micro/srv/example\n"), r.out());
		assertTrue(r.out().contains("└── .gitignore\n"), r.out());
		assertTrue(r.out().contains("mvn package\n"), r.out());
		assertTrue(r.out().contains("micro call go.micro.srv.example Example.Call '{\"name\": \"John\"}'\n"), r.out());

		String proto = read("example/src/main/proto/example.proto");
		assertTrue(proto.contains("package go.micro.srv.example;"), proto);
		assertTrue(proto.contains("service Example {\n\trpc Call(Request) returns (Response) {}\n"
				+ "\trpc Stream(StreamingRequest) returns (stream StreamingResponse) {}\n"
				+ "\trpc PingPong(stream Ping) returns (stream Pong) {}\n}"), proto);
		assertTrue(proto.contains("message Message {\n\tstring say = 1;\n}"), proto);
		String pom = read("example/pom.xml");
		assertTrue(pom.contains("<artifactId>go.micro.srv.example</artifactId>"), pom);
		assertTrue(pom.contains("<mainClass>micro.protoc.Main</mainClass>"), pom);
		assertTrue(pom.contains("<micro.version>0.1.0-SNAPSHOT</micro.version>"), pom);
		assertFalse(pom.contains("{{"), pom);
		assertFalse(pom.contains("jackson"), "only the web app uses Jackson");
		assertTrue(read("example/bnd.bnd").contains("Bundle-SymbolicName: go.micro.srv.example\n"));
		String handler = read("example/src/main/java/go/micro/srv/example/handler/Example.java");
		assertTrue(handler.contains("public class Example implements ExampleHandler {"), handler);
		assertTrue(read("example/src/main/java/go/micro/srv/example/subscriber/Example.java")
				.contains("HandlerProperties.TOPIC + \"=\" + ExampleService.NAME"));
		assertTrue(Files.exists(dir.resolve("example/src/test/java/go/micro/srv/example/handler/ExampleTest.java")));
		assertTrue(read("example/README.md").contains("micro new " + dir.resolve("example")));
		assertTrue(read("example/Dockerfile").contains("COPY target/go.micro.srv.example-0.1.0-SNAPSHOT.jar /micro/load/"));
		assertEquals("target/\n*.iml\n.idea/\n.classpath\n.project\n.settings/\n", read("example/.gitignore"));
		try (Stream<Path> files = Files.walk(dir.resolve("example"))) {
			for (Path f : files.filter(Files::isRegularFile).toList()) {
				assertFalse(Files.readString(f).contains("{{"), f + " has a template tag left");
			}
		}
	}

	@Test
	void flagsNameTheService() throws IOException {
		Run r = run("--namespace=com.example", "--type", "service", "--alias", "my-greeter",
				dir.resolve("greeter").toString());
		assertEquals(0, r.exit(), r.err());
		assertTrue(r.out().startsWith("Creating service com.example.service.my-greeter in "), r.out());
		String proto = read("greeter/src/main/proto/my-greeter.proto");
		assertTrue(proto.contains("package com.example.service.mygreeter;"), proto);
		assertTrue(proto.contains("option java_package = \"com.example.service.mygreeter.proto\";"), proto);
		assertTrue(proto.contains("service MyGreeter {"), proto);
		assertTrue(Files.exists(dir.resolve("greeter/src/main/java/com/example/service/mygreeter/handler/MyGreeter.java")));

		Run fqdn = run("--fqdn", "acme.billing", "-type=function", dir.resolve("billing").toString());
		assertEquals(0, fqdn.exit(), fqdn.err());
		assertTrue(fqdn.out().startsWith("Creating function acme.billing in "), fqdn.out());
		String fnc = read("billing/src/main/proto/billing.proto");
		assertTrue(fnc.contains("service Billing {\n\trpc Call(Request) returns (Response) {}\n}"), fnc);
		assertFalse(fnc.contains("Stream"), fnc);
	}

	@Test
	void apiProjectsCarryTheGoApiMessagesAndNoSubscriber() throws IOException {
		Run r = run("--type", "api", dir.resolve("example").toString());
		assertEquals(0, r.exit(), r.err());
		assertTrue(r.out().startsWith("Creating api go.micro.api.example in "), r.out());
		assertTrue(read("example/src/main/proto/example.proto").contains(
				"import \"proto/imports/api.proto\";"));
		assertTrue(read("example/src/main/proto/example.proto").contains(
				"rpc Call(go.api.Request) returns (go.api.Response) {}"));
		String api = read("example/src/main/proto/proto/imports/api.proto");
		assertTrue(api.contains("package go.api;") && api.contains("map<string, Pair> post = 5;"), api);
		assertTrue(read("example/src/main/java/go/micro/api/example/handler/Example.java")
				.contains("public static final String BACKEND = \"go.micro.srv.example\";"));
		assertFalse(Files.exists(dir.resolve("example/src/main/java/go/micro/api/example/subscriber")));
		assertTrue(r.out().contains("curl 'http://localhost:8080/example/call?name=John'"), r.out());
	}

	@Test
	void webProjectsHaveAPageAndNoProtoAndTheirPluginsAreRequirements() throws IOException {
		Run r = run("--type", "web", "--plugin", "registry=etcd:broker=kafka", "--plugin=transport=nats",
				dir.resolve("example").toString());
		assertEquals(0, r.exit(), r.err());
		assertTrue(r.out().startsWith("Creating web go.micro.web.example in "), r.out());
		assertTrue(read("example/src/main/resources/html/index.html").contains("<h1>Example</h1>"));
		assertFalse(Files.exists(dir.resolve("example/src/main/proto")));
		String pom = read("example/pom.xml");
		assertFalse(pom.contains("protobuf-maven-plugin"), pom);
		assertTrue(pom.contains("<artifactId>jackson-databind</artifactId>"), pom);
		String bnd = read("example/bnd.bnd");
		assertTrue(bnd.contains("Require-Capability: osgi.service;filter:=\"(&(objectClass=micro.registry.Registry)"
				+ "(micro.registry=etcd))\";effective:=active,\\\n  osgi.service;filter:=\"(&(objectClass="
				+ "micro.broker.Broker)(micro.broker=kafka))\";effective:=active,\\\n  osgi.service;filter:=\"(&("
				+ "objectClass=micro.transport.Transport)(micro.transport=nats))\";effective:=active\n"), bnd);
		assertTrue(read("example/README.md").contains("micro server --registry=etcd --broker=kafka --transport=nats"));
	}

	@Test
	void anExistingFolderIsRefusedAndLeftAlone() throws IOException {
		Path existing = Files.createDirectories(dir.resolve("taken"));
		Files.writeString(existing.resolve("keep.txt"), "mine");
		Run r = run(existing.toString());
		assertEquals(1, r.exit());
		assertEquals(existing + " already exists\n", r.err());
		assertEquals("mine", Files.readString(existing.resolve("keep.txt")));
		try (Stream<Path> files = Files.list(existing)) {
			assertEquals(1, files.count());
		}
	}

	@Test
	void invalidNamesAndFlagsAreRefusedWithTheReason() {
		Run alias = run("--alias", "9lives", dir.resolve("a").toString());
		assertEquals(1, alias.exit());
		assertTrue(alias.err().startsWith("invalid alias \"9lives\": an alias starts with a letter"), alias.err());
		Run folder = run(dir.resolve("my_service").toString());
		assertEquals(1, folder.exit());
		assertTrue(folder.err().startsWith("invalid alias \"my_service\" (the folder's name)"), folder.err());
		assertTrue(folder.err().contains("--alias"), folder.err());
		assertEquals("unknown type \"grpc\": use srv (or service), api, web, or fnc (or function)\n",
				run("--type", "grpc", dir.resolve("b").toString()).err());
		assertEquals("Incorrect Usage. flag provided but not defined: -gopath\n",
				run("--gopath", dir.resolve("c").toString()).err());
		assertTrue(run("--plugin", "registry", dir.resolve("d").toString()).err()
				.startsWith("invalid plugin \"registry\": expected kind=name"));
		assertTrue(run("--plugin", "store=redis", dir.resolve("e").toString()).err()
				.contains("the kind must be registry, broker or transport"));
		assertEquals("specify service name: micro new <dir>\n", run().err());
		assertEquals("flag needs an argument: -alias\n", run("--alias").err());
		assertTrue(run("--namespace", "go micro", dir.resolve("f").toString()).err().startsWith("invalid namespace"));
		for (String name : List.of("a", "b", "c", "d", "e", "f", "my_service")) {
			assertFalse(Files.exists(dir.resolve(name)), name + " was created");
		}
	}

	@Test
	void helpPrintsTheUsage() {
		Run r = run("--help");
		assertEquals(0, r.exit());
		assertTrue(r.out().startsWith("NAME:\n   micro new - Create a service template\n"), r.out());
	}

	@Test
	void javaPackagesAreJavaIdentifiers() {
		ProjectOptions o = new ProjectOptions(Path.of("new"), "com.2fa", null, "srv", null, null, null);
		assertEquals("com._2fa.srv.new_", o.javaPackage());
		assertEquals("New", o.title());
		assertEquals("com.2fa.srv.new", o.protoPackage());
		assertThrows(IllegalArgumentException.class,
				() -> new ProjectOptions(Path.of("x"), null, ServiceType.API, "srv", null, null, null));
	}

	@Test
	void theTreeJoinsFoldersThatHoldOneFolder() {
		assertEquals(".\n├── a.txt\n├── src/main/java\n│   ├── A.java\n│   └── b\n│       └── B.java\n└── z.txt\n",
				Tree.render(List.of("a.txt", "src/main/java/A.java", "src/main/java/b/B.java", "z.txt")));
	}
}
