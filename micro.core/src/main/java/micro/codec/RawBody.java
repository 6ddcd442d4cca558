package micro.codec;

/**
 * Bytes that are already in the wire format of a content type (the CLI's JSON, a proxied body). Codecs pass them
 * through; as a response type it asks for the bytes undecoded.
 */
public record RawBody(byte[] bytes) {
	public RawBody {
		bytes = bytes == null ? new byte[0] : bytes;
	}

	public static RawBody of(String utf8) {
		return new RawBody(utf8.getBytes(java.nio.charset.StandardCharsets.UTF_8));
	}

	public String utf8() {
		return new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
	}
}
