package micro.codec.internal;

import java.io.IOException;
import java.lang.reflect.Type;

import micro.codec.Codec;
import micro.codec.Frame;
import micro.codec.RawBody;

/**
 * What the body codecs (JSON, protobuf, bytes) share: no envelope, and bytes passed through as they are. Null encodes
 * as an empty body; a {@link RawBody} or a {@code byte[]} is taken as already encoded; asked for a {@code RawBody} or a
 * {@code byte[]}, decoding hands the bytes back undecoded. Everything else is the subclass's format.
 */
abstract class BodyCodec implements Codec {
	static final byte[] EMPTY = new byte[0];
	private final String contentType;

	BodyCodec(String contentType) {
		this.contentType = contentType;
	}

	@Override
	public final String contentType() {
		return contentType;
	}

	@Override
	public final byte[] encode(Frame frame, Object body) throws IOException {
		return write(body);
	}

	/** The encoded form of a body; null is an empty body. */
	final byte[] write(Object body) throws IOException {
		if (body == null) {
			return EMPTY;
		}
		if (body instanceof RawBody r) {
			return r.bytes();
		}
		if (body instanceof byte[] b) {
			return b;
		}
		return writeValue(body);
	}

	@Override
	public final byte[] decodeEnvelope(Frame frame, byte[] data) {
		return data == null ? EMPTY : data;
	}

	@Override
	public final Object decodeBody(byte[] body, Type type) throws IOException {
		byte[] b = body == null ? EMPTY : body;
		if (type == RawBody.class) {
			return new RawBody(b);
		}
		if (type == byte[].class) {
			return b;
		}
		return readValue(b, type);
	}

	/** Encodes a body that is neither null nor bytes. */
	abstract byte[] writeValue(Object body) throws IOException;

	/** Decodes into a type other than {@code RawBody} and {@code byte[]}; {@code type} may be null (any value). */
	abstract Object readValue(byte[] body, Type type) throws IOException;
}
