package micro.protoc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.google.protobuf.ByteString;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.MethodOptions;
import com.google.protobuf.UnknownFieldSet;
import com.google.protobuf.compiler.PluginProtos.CodeGeneratorRequest;
import com.google.protobuf.compiler.PluginProtos.CodeGeneratorResponse;

/**
 * The plugin run by the real protoc (the executable Maven resolved, path in {@code protoc.path}), as protoc runs it:
 * a process reading the request on stdin; and the errors a user sees.
 */
class ProtocPluginTest {
	@TempDir
	static Path dir;
	private static Path protoc;
	private static Path plugin;

	@BeforeAll
	static void tools() throws IOException {
		Path original = Path.of(System.getProperty("protoc.path", "protoc.path not set"));
		assertTrue(Files.isRegularFile(original), "no protoc at " + original);
		// the local repository keeps it without the execute bit
		protoc = Files.copy(original, dir.resolve("protoc"), StandardCopyOption.REPLACE_EXISTING);
		assertTrue(protoc.toFile().setExecutable(true));
		plugin = dir.resolve("protoc-gen-micro");
		String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
		Files.writeString(plugin, "#!/bin/sh\nexec '" + java + "' -cp '" + System.getProperty("java.class.path")
				+ "' micro.protoc.Main \"$@\"\n");
		assertTrue(plugin.toFile().setExecutable(true));
		// the executable comes without the well-known types; protobuf-java carries them (as the Maven plugin finds them)
		for (String name : List.of("google/protobuf/empty.proto", "google/protobuf/descriptor.proto")) {
			Path to = dir.resolve("include").resolve(name);
			Files.createDirectories(to.getParent());
			try (var in = com.google.protobuf.Empty.class.getClassLoader().getResourceAsStream(name)) {
				assertTrue(in != null, name + " not in protobuf-java");
				Files.copy(in, to, StandardCopyOption.REPLACE_EXISTING);
			}
		}
	}

	private record Run(int exit, String output) {
	}

	private static Run protoc(Path out, String... args) throws Exception {
		List<String> command = new ArrayList<>(List.of(protoc.toString(), "--plugin=protoc-gen-micro=" + plugin,
				"-I", "src/test/proto", "-I", "src/main/resources", "-I", dir.resolve("include").toString(),
				"--micro_out=" + out));
		command.addAll(List.of(args));
		Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
		String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertTrue(p.waitFor(60, TimeUnit.SECONDS));
		return new Run(p.exitValue(), output);
	}

	@Test
	void protocRunsThePluginAndItReadsTheHttpOptionsProtocSends() throws Exception {
		Path out = Files.createDirectories(dir.resolve("out"));
		Run run = protoc(out, "greeter/greeter.proto");
		assertEquals(0, run.exit(), run.output());
		for (String name : List.of("GreeterClient.java", "GreeterHandler.java")) {
			assertEquals(Files.readString(GoldenFilesTest.SOURCES.resolve("micro/protoc/sample/" + name)),
					Files.readString(out.resolve("micro/protoc/sample/" + name)), name);
		}
	}

	@Test
	void protocErrorsReachTheUser() throws Exception {
		Path broken = Files.createDirectories(dir.resolve("broken"));
		Files.writeString(broken.resolve("broken.proto"),
				"syntax = \"proto3\";\nservice Broken {\n\trpc Call(Missing) returns (Missing) {}\n}\n");
		List<String> command = List.of(protoc.toString(), "--plugin=protoc-gen-micro=" + plugin, "-I", broken.toString(),
				"--micro_out=" + broken, "broken.proto");
		Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
		String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertTrue(p.waitFor(60, TimeUnit.SECONDS));
		assertNotEquals(0, p.exitValue());
		assertTrue(output.contains("broken.proto:3") && output.contains("\"Missing\" is not defined"), output);
	}

	@Test
	void anOptionIsRefusedThroughProtoc() throws Exception {
		Path out = Files.createDirectories(dir.resolve("opt"));
		Run run = protoc(out, "--micro_opt=lang=go", "legacy.proto");
		assertNotEquals(0, run.exit());
		assertTrue(run.output().contains("protoc-gen-micro takes no options, not \"lang=go\""), run.output());
	}

	@Test
	void standardInputThatIsNotARequestIsRefused() throws IOException {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		assertEquals(1, Main.run(new ByteArrayInputStream(new byte[] { (byte) 0xff, 1, 2 }), out));
		assertEquals(0, out.size());
		CodeGeneratorRequest empty = CodeGeneratorRequest.getDefaultInstance();
		assertEquals(0, Main.run(new ByteArrayInputStream(empty.toByteArray()), out));
		assertEquals(0, CodeGeneratorResponse.parseFrom(out.toByteArray()).getFileCount());
	}

	@Test
	void anHttpOptionThatIsNotAnHttpRuleIsReportedWithItsMethod() throws IOException {
		// a length-delimited field whose bytes claim a longer field than they hold
		MethodOptions options = MethodOptions.newBuilder().setUnknownFields(UnknownFieldSet.newBuilder()
				.addField(HttpRules.HTTP_EXTENSION, UnknownFieldSet.Field.newBuilder()
						.addLengthDelimited(ByteString.copyFrom(new byte[] { 0x12, 0x7f, 'x' })).build())
				.build()).build();
		CodeGeneratorRequest request = GoldenFilesTest.sampleRequest();
		CodeGeneratorRequest.Builder broken = request.toBuilder();
		for (int i = 0; i < broken.getProtoFileCount(); i++) {
			FileDescriptorProto file = broken.getProtoFile(i);
			if (file.getName().equals("legacy.proto")) {
				FileDescriptorProto.Builder b = file.toBuilder();
				b.getServiceBuilder(0).getMethodBuilder(0).setOptions(options);
				broken.setProtoFile(i, b);
			}
		}
		CodeGeneratorResponse response = new MicroGenerator().generate(broken.build());
		assertTrue(response.getError().startsWith("legacy.proto: service Legacy, method Call: the google.api.http"
				+ " option is not an HttpRule"), response.getError());
		assertEquals(0, response.getFileCount());
	}

	@Test
	void aMessageTypeMissingFromTheRequestIsReported() throws IOException {
		CodeGeneratorRequest request = GoldenFilesTest.sampleRequest();
		CodeGeneratorRequest.Builder broken = request.toBuilder().clearProtoFile();
		for (FileDescriptorProto file : request.getProtoFileList()) {
			if (!file.getName().equals("google/protobuf/empty.proto")) {
				broken.addProtoFile(file);
			}
		}
		CodeGeneratorResponse response = new MicroGenerator().generate(broken.build());
		assertEquals("greeter/greeter.proto: message type .google.protobuf.Empty is not in the request's files",
				response.getError());
		assertFalse(response.getError().isEmpty());
	}
}
