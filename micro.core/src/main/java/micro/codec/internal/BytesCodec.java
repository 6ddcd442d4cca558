package micro.codec.internal;

import java.io.IOException;
import java.lang.reflect.Type;

/** {@code application/octet-stream}: the body is raw bytes, passed through. */
public final class BytesCodec extends BodyCodec {
	public static final String CONTENT_TYPE = "application/octet-stream";

	public BytesCodec() {
		super(CONTENT_TYPE);
	}

	@Override
	byte[] writeValue(Object body) throws IOException {
		throw new IOException(CONTENT_TYPE + " can only carry byte[] or RawBody, not " + body.getClass().getName());
	}

	@Override
	Object readValue(byte[] body, Type type) throws IOException {
		if (type == null || type == Object.class) {
			return body;
		}
		throw new IOException(CONTENT_TYPE + " can only decode into byte[] or RawBody, not " + type.getTypeName());
	}
}
