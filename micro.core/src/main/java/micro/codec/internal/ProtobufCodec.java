package micro.codec.internal;

import java.io.IOException;
import java.lang.reflect.Type;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.MessageLite;

import micro.errors.MicroError;
import micro.server.Server;

/**
 * {@code application/protobuf} (go-micro's default): the raw protobuf bytes of a generated message, or of a type that
 * has the same {@code static parseFrom(byte[])} and {@code toByteArray()} pair (such as micro.api's
 * {@code go.api.Event} record).
 */
public final class ProtobufCodec extends BodyCodec {
	public static final String CONTENT_TYPE = "application/protobuf";

	public ProtobufCodec() {
		super(CONTENT_TYPE);
	}

	@Override
	byte[] writeValue(Object body) throws IOException {
		if (body instanceof MessageLite m) {
			return m.toByteArray();
		}
		if (body instanceof Message.Builder b) {
			return b.build().toByteArray();
		}
		if (ProtoSupport.hasProtobufShape(body.getClass())) {
			return ProtoSupport.toByteArray(body);
		}
		throw new IOException(CONTENT_TYPE + " can only encode protobuf messages, not " + body.getClass().getName()
				+ " (use application/json for records and POJOs)");
	}

	@Override
	Object readValue(byte[] b, Type type) throws IOException {
		if (type == Object.class || type == null) {
			return b;
		}
		try {
			if (ProtoSupport.isMessageType(type)) {
				return ProtoSupport.defaultInstance((Class<?>) type).getParserForType().parseFrom(b);
			}
			if (ProtoSupport.hasProtobufShape(type)) {
				return ProtoSupport.parseFrom((Class<?>) type, b);
			}
		} catch (InvalidProtocolBufferException e) {
			throw MicroError.badRequest(Server.ERROR_ID, "invalid protobuf body: " + e.getMessage());
		}
		throw new IOException(CONTENT_TYPE + " can only decode into protobuf messages, not " + type.getTypeName()
				+ " (use application/json for records and POJOs)");
	}
}
