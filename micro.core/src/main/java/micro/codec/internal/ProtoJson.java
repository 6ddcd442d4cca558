package micro.codec.internal;

import java.io.IOException;

import com.google.protobuf.Message;
import com.google.protobuf.MessageOrBuilder;
import com.google.protobuf.util.JsonFormat;

/**
 * JSON of protobuf messages with proto field names, as Go's jsonpb with {@code OrigName}. Kept apart so that
 * protobuf-java-util is only loaded when a protobuf message meets the JSON codec.
 */
final class ProtoJson {
	private static final JsonFormat.Printer PRINTER = JsonFormat.printer().preservingProtoFieldNames()
			.omittingInsignificantWhitespace();
	private static final JsonFormat.Parser PARSER = JsonFormat.parser().ignoringUnknownFields();

	private ProtoJson() {
	}

	static String print(MessageOrBuilder message) throws IOException {
		return PRINTER.print(message);
	}

	static Message parse(String json, Message defaultInstance) throws IOException {
		Message.Builder builder = defaultInstance.newBuilderForType();
		PARSER.merge(json, builder);
		return builder.build();
	}
}
