package micro.protoc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorSet;
import com.google.protobuf.compiler.PluginProtos.CodeGeneratorRequest;
import com.google.protobuf.compiler.PluginProtos.CodeGeneratorResponse;

/**
 * The generator's output for the sample protos ({@code src/test/proto}, compiled by protoc into a descriptor set by the
 * build) equals the golden files, which are this module's test sources ({@code src/test/java/micro/protoc/sample},
 * {@code .../legacy}): so they are also compiled and called by {@link GeneratedCodeTest}. After an intended change of
 * the output, rewrite them with {@code -Dgolden.update=true}.
 */
class GoldenFilesTest {
	static final Path SOURCES = Path.of("src/test/java");
	static final List<String> SAMPLES = List.of("greeter/greeter.proto", "legacy.proto");

	/** The request protoc sends for the samples: the files to generate and every file they import. */
	static CodeGeneratorRequest sampleRequest() throws IOException {
		FileDescriptorSet set;
		try (InputStream in = GoldenFilesTest.class.getResourceAsStream("/samples.desc")) {
			set = FileDescriptorSet.parseFrom(in);
		}
		CodeGeneratorRequest.Builder request = CodeGeneratorRequest.newBuilder().addAllFileToGenerate(SAMPLES);
		for (FileDescriptorProto file : set.getFileList()) {
			request.addProtoFile(file);
		}
		return request.build();
	}

	@Test
	void theGeneratedFilesAreTheGoldenFiles() throws IOException {
		CodeGeneratorResponse response = new MicroGenerator().generate(sampleRequest());
		assertFalse(response.hasError(), response.getError());
		Set<String> names = new TreeSet<>();
		boolean update = Boolean.getBoolean("golden.update");
		for (CodeGeneratorResponse.File file : response.getFileList()) {
			names.add(file.getName());
			Path golden = SOURCES.resolve(file.getName());
			if (update) {
				Files.createDirectories(golden.getParent());
				Files.writeString(golden, file.getContent(), StandardCharsets.UTF_8);
			}
			assertTrue(Files.exists(golden), "no golden file " + golden);
			assertEquals(Files.readString(golden, StandardCharsets.UTF_8), file.getContent(), file.getName());
		}
		assertEquals(Set.of("micro/protoc/sample/GreeterClient.java", "micro/protoc/sample/GreeterHandler.java",
				"micro/protoc/legacy/LegacyClient.java", "micro/protoc/legacy/LegacyHandler.java"), names);
		assertEquals(CodeGeneratorResponse.Feature.FEATURE_PROTO3_OPTIONAL_VALUE, response.getSupportedFeatures());
	}
}
