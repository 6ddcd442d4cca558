package micro.codec;

import java.io.IOException;
import java.lang.reflect.Type;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Turns a message body into bytes and back, for one content type. Codecs are OSGi services with the property
 * {@value #CONTENT_TYPE_PROPERTY}; the built-in ones are {@code application/json}, {@code application/protobuf},
 * {@code application/json-rpc}, {@code application/proto-rpc} and {@code application/octet-stream}.
 * <p>
 * The RPC-style codecs also frame the message: they carry the method, id and error inside the body. {@link Frame}
 * holds those header fields, so one interface serves both kinds.
 */
@ProviderType
public interface Codec {
	String CONTENT_TYPE_PROPERTY = "micro.codec";

	String contentType();

	/**
	 * Encodes one frame. {@code body} may be a protobuf message, a {@link RawBody} of bytes already in this codec's
	 * format, a {@code byte[]} (taken as already encoded), or any object the codec can write (JSON: records, POJOs,
	 * maps; protobuf: generated messages, and since 1.1 any type with a {@code static parseFrom(byte[])} and a
	 * {@code toByteArray()}, which it also decodes with). The RPC-style codecs read the frame's endpoint, id and error.
	 */
	byte[] encode(Frame frame, Object body) throws IOException;

	/**
	 * Decodes the envelope of a frame: for the RPC-style codecs this fills the frame's endpoint, id and error and
	 * returns the body bytes inside; for the others it returns the bytes as they are.
	 */
	byte[] decodeEnvelope(Frame frame, byte[] data) throws IOException;

	/** Reads body bytes (as returned by {@link #decodeEnvelope}) into an object of the given type. */
	Object decodeBody(byte[] body, Type type) throws IOException;

	/**
	 * The built-in codec of a content type, as go-micro's {@code codec/json}, {@code codec/proto},
	 * {@code codec/jsonrpc}, {@code codec/protorpc} and {@code codec/bytes} packages offer theirs: for code that reads
	 * or writes a body outside a call (the API gateway unwraps json-rpc and proto-rpc request bodies with it).
	 * Parameters such as {@code ; charset=utf-8} and the case are ignored.
	 *
	 * @return the codec, or null when the content type is not one of the built-in ones
	 * @since 1.1
	 */
	static Codec builtIn(String contentType) {
		return micro.codec.internal.Codecs.builtIn(contentType);
	}
}
