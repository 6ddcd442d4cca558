package micro.codec.internal;

import java.io.IOException;
import java.lang.reflect.Type;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.MessageLite;

import micro.codec.Codec;
import micro.codec.Frame;
import micro.codec.RawBody;
import micro.errors.MicroError;
import micro.server.Server;

/** {@code application/protobuf} (go-micro's default): the raw protobuf bytes of a generated message. */
public final class ProtobufCodec implements Codec {
	public static final String CONTENT_TYPE = "application/protobuf";

	private static final byte[] EMPTY = new byte[0];

	@Override
	public String contentType() {
		return CONTENT_TYPE;
	}

	@Override
	public byte[] encode(Frame frame, Object body) throws IOException {
		return write(body);
	}

	byte[] write(Object body) throws IOException {
		if (body == null) {
			return EMPTY;
		}
		if (body instanceof MessageLite m) {
			return m.toByteArray();
		}
		if (body instanceof Message.Builder b) {
			return b.build().toByteArray();
		}
		if (body instanceof RawBody r) {
			return r.bytes();
		}
		if (body instanceof byte[] b) {
			return b;
		}
		throw new IOException(CONTENT_TYPE + " can only encode protobuf messages, not " + body.getClass().getName()
				+ " (use application/json for records and POJOs)");
	}

	@Override
	public byte[] decodeEnvelope(Frame frame, byte[] data) {
		return data == null ? EMPTY : data;
	}

	@Override
	public Object decodeBody(byte[] body, Type type) throws IOException {
		byte[] b = body == null ? EMPTY : body;
		if (type == RawBody.class) {
			return new RawBody(b);
		}
		if (type == byte[].class || type == Object.class || type == null) {
			return b;
		}
		if (!ProtoSupport.isMessageType(type)) {
			throw new IOException(CONTENT_TYPE + " can only decode into protobuf messages, not " + type.getTypeName()
					+ " (use application/json for records and POJOs)");
		}
		Message defaultInstance = ProtoSupport.defaultInstance((Class<?>) type);
		try {
			return defaultInstance.getParserForType().parseFrom(b);
		} catch (InvalidProtocolBufferException e) {
			throw MicroError.badRequest(Server.ERROR_ID, "invalid protobuf body: " + e.getMessage());
		}
	}
}
