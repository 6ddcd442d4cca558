package micro.codec.internal;

import java.io.IOException;
import java.lang.reflect.Type;

import micro.codec.Codec;
import micro.codec.Frame;
import micro.codec.RawBody;

/** {@code application/octet-stream}: the body is raw bytes, passed through. */
public final class BytesCodec implements Codec {
	public static final String CONTENT_TYPE = "application/octet-stream";

	@Override
	public String contentType() {
		return CONTENT_TYPE;
	}

	@Override
	public byte[] encode(Frame frame, Object body) throws IOException {
		if (body == null) {
			return new byte[0];
		}
		if (body instanceof byte[] b) {
			return b;
		}
		if (body instanceof RawBody r) {
			return r.bytes();
		}
		throw new IOException(CONTENT_TYPE + " can only carry byte[] or RawBody, not " + body.getClass().getName());
	}

	@Override
	public byte[] decodeEnvelope(Frame frame, byte[] data) {
		return data == null ? new byte[0] : data;
	}

	@Override
	public Object decodeBody(byte[] body, Type type) throws IOException {
		byte[] b = body == null ? new byte[0] : body;
		if (type == null || type == byte[].class || type == Object.class) {
			return b;
		}
		if (type == RawBody.class) {
			return new RawBody(b);
		}
		throw new IOException(CONTENT_TYPE + " can only decode into byte[] or RawBody, not " + type.getTypeName());
	}
}
