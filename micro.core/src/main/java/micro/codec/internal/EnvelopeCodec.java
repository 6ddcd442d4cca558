package micro.codec.internal;

import java.io.IOException;
import java.lang.reflect.Type;

import micro.codec.Codec;
import micro.codec.Frame;

/**
 * What the RPC-style codecs (json-rpc, proto-rpc) share: the body inside is written and read by a body codec, and a
 * broker message ({@link Frame.Kind#EVENT}) carries that body alone, without the envelope, as in go-micro.
 */
abstract class EnvelopeCodec implements Codec {
	private final BodyCodec body;

	EnvelopeCodec(BodyCodec body) {
		this.body = body;
	}

	@Override
	public final byte[] encode(Frame frame, Object message) throws IOException {
		byte[] inner = body.write(message);
		return frame.kind() == Frame.Kind.EVENT ? inner : wrap(frame, inner);
	}

	@Override
	public final byte[] decodeEnvelope(Frame frame, byte[] data) {
		if (frame.kind() == Frame.Kind.EVENT) {
			return data == null ? BodyCodec.EMPTY : data;
		}
		return unwrap(frame, data);
	}

	@Override
	public final Object decodeBody(byte[] bytes, Type type) throws IOException {
		return body.decodeBody(bytes, type);
	}

	/** The envelope around an encoded body, with the frame's endpoint, id and error. */
	abstract byte[] wrap(Frame frame, byte[] inner) throws IOException;

	/** Fills the frame from the envelope and returns the encoded body inside (empty when there is none). */
	abstract byte[] unwrap(Frame frame, byte[] data);
}
