package micro.protoc;

import java.io.IOException;
import java.util.HashSet;
import java.util.Set;

import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.compiler.PluginProtos.CodeGeneratorRequest;
import com.google.protobuf.compiler.PluginProtos.CodeGeneratorResponse;

/**
 * protoc-gen-micro for Java: for each service of the files protoc asks for, a client {@code <Service>Client} over
 * {@code micro.client.Client} and a handler interface {@code <Service>Handler} whose methods have the server's handler
 * shapes and which carries the endpoint metadata of the {@code google.api.http} options. Both go into the Java package
 * of protoc's {@code java_out} classes, next to them. Problems are reported in the response's {@code error}, which
 * protoc prints with the file's name.
 */
public final class MicroGenerator {
	public MicroGenerator() {
	}

	public CodeGeneratorResponse generate(CodeGeneratorRequest request) {
		CodeGeneratorResponse.Builder response = CodeGeneratorResponse.newBuilder()
				.setSupportedFeatures(CodeGeneratorResponse.Feature.FEATURE_PROTO3_OPTIONAL_VALUE);
		if (!request.getParameter().isBlank()) {
			return response.setError("protoc-gen-micro takes no options, not \"" + request.getParameter() + "\"").build();
		}
		JavaTypes types;
		try {
			types = new JavaTypes(request.getProtoFileList());
		} catch (RuntimeException e) {
			return response.setError(e.getMessage()).build();
		}
		Set<String> wanted = new HashSet<>(request.getFileToGenerateList());
		Set<String> written = new HashSet<>();
		for (FileDescriptorProto file : request.getProtoFileList()) {
			if (!wanted.contains(file.getName())) {
				continue;
			}
			for (int i = 0; i < file.getServiceCount(); i++) {
				try {
					ServiceGenerator service = new ServiceGenerator(file, i, types);
					for (CodeGeneratorResponse.File out : service.files()) {
						if (!written.add(out.getName())) {
							return response.clear().setError(file.getName() + ": " + out.getName()
									+ " would be written twice: two services of that name in one Java package").build();
						}
						response.addFile(out);
					}
				} catch (IOException | RuntimeException e) {
					return response.clear().setError(file.getName() + ": " + e.getMessage()).build();
				}
			}
		}
		return response.build();
	}
}
