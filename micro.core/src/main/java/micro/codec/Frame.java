package micro.codec;

/** The header fields of one RPC frame, as go-micro's {@code codec.Message}. */
public final class Frame {
	public enum Kind {
		REQUEST, RESPONSE, ERROR, EVENT
	}

	private final Kind kind;
	private String id = "";
	private String service = "";
	private String endpoint = "";
	private String error = "";

	public Frame(Kind kind) {
		this.kind = kind;
	}

	public Kind kind() {
		return kind;
	}

	public String id() {
		return id;
	}

	public Frame id(String v) {
		id = v == null ? "" : v;
		return this;
	}

	public String service() {
		return service;
	}

	public Frame service(String v) {
		service = v == null ? "" : v;
		return this;
	}

	public String endpoint() {
		return endpoint;
	}

	public Frame endpoint(String v) {
		endpoint = v == null ? "" : v;
		return this;
	}

	public String error() {
		return error;
	}

	public Frame error(String v) {
		error = v == null ? "" : v;
		return this;
	}
}
