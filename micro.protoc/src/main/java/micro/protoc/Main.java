package micro.protoc;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.compiler.PluginProtos.CodeGeneratorRequest;

/**
 * The protoc plugin executable: reads a {@code CodeGeneratorRequest} on standard input and writes the
 * {@code CodeGeneratorResponse} on standard output. protoc runs it as {@code --plugin=protoc-gen-micro=<script>}
 * {@code --micro_out=<dir>}; Maven's protobuf-maven-plugin as a {@code <protocPlugin>} with this main class.
 */
public final class Main {
	private Main() {
	}

	public static void main(String[] args) throws IOException {
		if (args.length > 0) {
			System.err.println("protoc-gen-micro: a protoc plugin, run by protoc:");
			System.err.println("  protoc --plugin=protoc-gen-micro=<script running java -jar micro.protoc.jar>"
					+ " --java_out=DIR --micro_out=DIR FILE.proto");
			System.exit(args[0].equals("--help") || args[0].equals("-h") ? 0 : 2);
			return;
		}
		System.exit(run(System.in, System.out));
	}

	/** Reads a request, writes the response; 0, or 1 when the input is not a request. */
	static int run(InputStream in, OutputStream out) throws IOException {
		CodeGeneratorRequest request;
		try {
			request = CodeGeneratorRequest.parseFrom(in.readAllBytes());
		} catch (InvalidProtocolBufferException e) {
			System.err.println("protoc-gen-micro: standard input is not a CodeGeneratorRequest (" + e.getMessage()
					+ "); this program is run by protoc");
			return 1;
		}
		new MicroGenerator().generate(request).writeTo(out);
		out.flush();
		return 0;
	}
}
