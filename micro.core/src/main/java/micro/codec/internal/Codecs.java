package micro.codec.internal;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import micro.codec.Codec;

/**
 * The built-in codecs by content type, as go-micro's {@code DefaultCodecs}: {@code application/json},
 * {@code application/protobuf}, {@code application/json-rpc}, {@code application/proto-rpc} and
 * {@code application/octet-stream}.
 */
public final class Codecs {
	/** One set for {@link Codec#builtIn}: the codecs hold no state. */
	private static final Codecs BUILT_IN = new Codecs();

	private final Map<String, Codec> byContentType;

	public Codecs() {
		Map<String, Codec> m = new LinkedHashMap<>();
		JsonCodec json = new JsonCodec();
		ProtobufCodec protobuf = new ProtobufCodec();
		m.put(JsonCodec.CONTENT_TYPE, json);
		m.put(ProtobufCodec.CONTENT_TYPE, protobuf);
		m.put(JsonRpcCodec.CONTENT_TYPE, new JsonRpcCodec(json));
		m.put(ProtoRpcCodec.CONTENT_TYPE, new ProtoRpcCodec(protobuf));
		m.put(BytesCodec.CONTENT_TYPE, new BytesCodec());
		byContentType = Collections.unmodifiableMap(m);
	}

	/**
	 * The codec for a content type; parameters such as {@code ; charset=utf-8} are ignored, and so is the case.
	 *
	 * @return the codec, or null when the content type is not supported
	 */
	public Codec get(String contentType) {
		String key = normalise(contentType);
		return key == null ? null : byContentType.get(key);
	}

	/** {@link #get} on a shared set of the built-in codecs. */
	public static Codec builtIn(String contentType) {
		return BUILT_IN.get(contentType);
	}

	public Set<String> contentTypes() {
		return byContentType.keySet();
	}

	/** {@code Application/JSON; charset=UTF-8} → {@code application/json}; null or blank → null. */
	public static String normalise(String contentType) {
		if (contentType == null) {
			return null;
		}
		int semicolon = contentType.indexOf(';');
		String bare = (semicolon >= 0 ? contentType.substring(0, semicolon) : contentType).trim();
		return bare.isEmpty() ? null : bare.toLowerCase(Locale.ROOT);
	}
}
