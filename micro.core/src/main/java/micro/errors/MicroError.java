package micro.errors;

import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * go-micro's {@code errors.Error}: {@code {"id","code","detail","status"}}. It is the one form in which an error leaves
 * the process (the MUCP {@code Micro-Error} header, the API gateway's body, the CLI's message). Its message is its JSON,
 * as in Go.
 */
public class MicroError extends RuntimeException {
	private static final long serialVersionUID = 1L;
	private static final ObjectMapper JSON = new ObjectMapper();

	private final String id;
	private final int code;
	private final String detail;
	private final String status;

	public MicroError(String id, int code, String detail, String status) {
		super(detail, null, false, false);
		this.id = id == null ? "" : id;
		this.code = code;
		this.detail = detail == null ? "" : detail;
		this.status = status == null ? "" : status;
	}

	public static MicroError of(String id, int code, String detail) {
		return new MicroError(id, code, detail, statusText(code));
	}

	public static MicroError badRequest(String id, String detail) {
		return of(id, 400, detail);
	}

	public static MicroError unauthorized(String id, String detail) {
		return of(id, 401, detail);
	}

	public static MicroError forbidden(String id, String detail) {
		return of(id, 403, detail);
	}

	public static MicroError notFound(String id, String detail) {
		return of(id, 404, detail);
	}

	public static MicroError methodNotAllowed(String id, String detail) {
		return of(id, 405, detail);
	}

	public static MicroError timeout(String id, String detail) {
		return of(id, 408, detail);
	}

	public static MicroError conflict(String id, String detail) {
		return of(id, 409, detail);
	}

	public static MicroError internalServerError(String id, String detail) {
		return of(id, 500, detail);
	}

	/**
	 * Parses an error string as Go's {@code errors.Parse} does: the JSON form, or else an error with the whole text as
	 * its detail and code 0.
	 */
	public static MicroError parse(String text) {
		if (text == null) {
			return new MicroError("", 0, "", "");
		}
		String t = text.trim();
		if (t.startsWith("{")) {
			try {
				JsonNode n = JSON.readTree(t);
				if (n != null && n.isObject()) {
					return new MicroError(n.path("id").asText(""), n.path("code").asInt(0),
							n.path("detail").asText(""), n.path("status").asText(""));
				}
			} catch (Exception notJson) {
				// fall through: the text itself is the detail
			}
		}
		return new MicroError("", 0, text, "");
	}

	/** Wraps any throwable: a MicroError stays as it is, anything else becomes a 500 with its message. */
	public static MicroError from(String id, Throwable t) {
		if (t instanceof MicroError m) {
			return m;
		}
		String msg = t.getMessage() == null ? t.getClass().getName() : t.getMessage();
		return internalServerError(id, msg);
	}

	public String id() {
		return id;
	}

	public int code() {
		return code;
	}

	public String detail() {
		return detail;
	}

	public String status() {
		return status;
	}

	/** The HTTP status to answer with: the code, or 500 when the code is not an HTTP status. */
	public int httpStatus() {
		return code >= 100 && code <= 599 ? code : 500;
	}

	/** The JSON of go-micro v2.9 (protobuf-generated, so empty fields are left out). */
	public String toJson() {
		Map<String, Object> m = new LinkedHashMap<>();
		if (!id.isEmpty()) {
			m.put("id", id);
		}
		if (code != 0) {
			m.put("code", code);
		}
		if (!detail.isEmpty()) {
			m.put("detail", detail);
		}
		if (!status.isEmpty()) {
			m.put("status", status);
		}
		try {
			return JSON.writeValueAsString(m);
		} catch (Exception e) {
			throw new IllegalStateException(e);
		}
	}

	@Override
	public String getMessage() {
		return toJson();
	}

	@Override
	public String toString() {
		return toJson();
	}

	/** The reason phrase Go's {@code http.StatusText} gives for a code. */
	public static String statusText(int code) {
		return switch (code) {
		case 400 -> "Bad Request";
		case 401 -> "Unauthorized";
		case 403 -> "Forbidden";
		case 404 -> "Not Found";
		case 405 -> "Method Not Allowed";
		case 408 -> "Request Timeout";
		case 409 -> "Conflict";
		case 412 -> "Precondition Failed";
		case 413 -> "Request Entity Too Large";
		case 415 -> "Unsupported Media Type";
		case 429 -> "Too Many Requests";
		case 500 -> "Internal Server Error";
		case 501 -> "Not Implemented";
		case 502 -> "Bad Gateway";
		case 503 -> "Service Unavailable";
		case 504 -> "Gateway Timeout";
		default -> "";
		};
	}
}
