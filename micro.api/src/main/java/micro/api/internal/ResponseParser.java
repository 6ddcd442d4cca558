package micro.api.internal;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;

/**
 * An HTTP/1.1 response as its bytes arrive from a backend: the head (interim 1xx answers skipped), then the body in
 * pieces with its framing (Content-Length, chunked, or up to the end of the connection). {@link #next} reports the
 * next thing the bytes read so far hold and never waits: the connection reads more when it answers
 * {@link Event#NEED_MORE}, so one thread can serve many connections.
 */
final class ResponseParser {
	/** What {@link #next} found. */
	enum Event {
		/** More bytes are needed to go on. */
		NEED_MORE,
		/** The final head is parsed: {@link #status}, {@link #headers}, {@link #keepAlive}. */
		HEAD,
		/** A piece of the body: {@link #piece()}. */
		CONTENT,
		/** The response is complete. */
		DONE
	}

	private enum State {
		HEAD, BODY, CHUNK_SIZE, CHUNK_DATA, CHUNK_END, TRAILERS, DONE
	}

	/** Longest chunk-size or trailer line accepted. */
	private static final int MAX_LINE = 4096;

	int status;
	/** The response's header fields, hop-by-hop ones included; known names are Jetty's own (not allocated). */
	final List<HttpField> headers = new ArrayList<>();
	/** The declared length, -1 when not given or when the body is chunked. */
	long contentLength;
	boolean chunked;
	/** Whether the backend lets the connection carry another exchange after this one. */
	boolean keepAlive;
	private State state = State.DONE;
	private boolean headRequest;
	/** Bytes left of the body (Content-Length) or of the current chunk; -1 when the body runs to the end. */
	private long remaining;
	private ByteBuffer piece;

	/** Starts a new response. */
	void reset(boolean headRequest) {
		this.headRequest = headRequest;
		state = State.HEAD;
		piece = null;
	}

	boolean done() {
		return state == State.DONE;
	}

	/** The body piece of the last {@link Event#CONTENT}: a view of the input, valid until it is read on. */
	ByteBuffer piece() {
		return piece;
	}

	/**
	 * The next event among the bytes of {@code in} (between its position and limit), consuming what it reports.
	 *
	 * @throws IOException when the backend's bytes are not a valid response
	 */
	Event next(ByteBuffer in) throws IOException {
		while (true) {
			switch (state) {
			case HEAD -> {
				int end = headEnd(in);
				if (end < 0) {
					return Event.NEED_MORE;
				}
				parseHead(in, end);
				if (status == 101) {
					throw new IOException("the backend switched protocols without being asked to");
				}
				if (status >= 200) {
					startBody();
					return Event.HEAD;
				}
			}
			case BODY, CHUNK_DATA -> {
				if (!in.hasRemaining()) {
					return Event.NEED_MORE;
				}
				int n = remaining < 0 ? in.remaining() : (int) Math.min(remaining, in.remaining());
				piece = in.slice(in.position(), n);
				in.position(in.position() + n);
				if (remaining >= 0) {
					remaining -= n;
					if (remaining == 0) {
						state = state == State.BODY ? State.DONE : State.CHUNK_END;
					}
				}
				return Event.CONTENT;
			}
			case CHUNK_SIZE -> {
				String line = readLine(in);
				if (line == null) {
					return Event.NEED_MORE;
				}
				remaining = chunkSize(line);
				state = remaining == 0 ? State.TRAILERS : State.CHUNK_DATA;
			}
			case CHUNK_END -> {
				String line = readLine(in);
				if (line == null) {
					return Event.NEED_MORE;
				}
				if (!line.isEmpty()) {
					throw new IOException("bad chunk framing from the backend");
				}
				state = State.CHUNK_SIZE;
			}
			case TRAILERS -> {
				String line = readLine(in);
				if (line == null) {
					return Event.NEED_MORE;
				}
				if (line.isEmpty()) {
					state = State.DONE; // trailers are dropped, as Go's ReverseProxy does for a client that did not ask
				}
			}
			case DONE -> {
				return Event.DONE;
			}
			}
		}
	}

	/**
	 * The backend closed the connection: the end of a body that runs to it, otherwise a truncated response.
	 *
	 * @param answered whether any byte of this response had arrived
	 */
	Event endOfInput(boolean answered) throws EOFException {
		if (state == State.BODY && remaining < 0) {
			state = State.DONE;
			return Event.DONE;
		}
		if (state == State.DONE) {
			return Event.DONE;
		}
		throw new EOFException(!answered ? "the backend closed the connection"
				: state == State.HEAD ? "the backend closed the connection in the response head"
						: "the backend closed the connection in the middle of the body");
	}

	private void startBody() {
		if (headRequest || status == 204 || status == 304) {
			state = State.DONE;
		} else if (chunked) {
			state = State.CHUNK_SIZE;
		} else if (contentLength >= 0) {
			remaining = contentLength;
			state = contentLength == 0 ? State.DONE : State.BODY;
		} else {
			remaining = -1;
			state = State.BODY;
			keepAlive = false; // the end of the body is the end of the connection
		}
	}

	/** The index after the blank line that ends the head, or -1. */
	private static int headEnd(ByteBuffer in) {
		for (int i = in.position() + 3; i < in.limit(); i++) {
			if (in.get(i) == '\n' && in.get(i - 1) == '\r' && in.get(i - 2) == '\n' && in.get(i - 3) == '\r') {
				return i + 1;
			}
		}
		return -1;
	}

	/** Parses the head between the position and {@code end} and moves the position past it. */
	private void parseHead(ByteBuffer in, int end) throws IOException {
		byte[] buf = in.array();
		int base = in.arrayOffset();
		int lineStart = base + in.position();
		int stop = base + end;
		headers.clear();
		contentLength = -1;
		chunked = false;
		int lineEnd = lineEnd(buf, lineStart, stop);
		String statusLine = new String(buf, lineStart, lineEnd - lineStart, StandardCharsets.ISO_8859_1);
		if (!statusLine.startsWith("HTTP/1.") || statusLine.length() < 12) {
			throw new IOException("not an HTTP/1.x response: " + abbreviate(statusLine));
		}
		try {
			status = Integer.parseInt(statusLine, 9, 12, 10);
		} catch (NumberFormatException e) {
			throw new IOException("bad status line: " + abbreviate(statusLine));
		}
		boolean close = statusLine.charAt(7) != '1';
		lineStart = lineEnd + 2;
		while (lineStart < stop - 2) {
			lineEnd = lineEnd(buf, lineStart, stop);
			int colon = -1;
			for (int i = lineStart; i < lineEnd; i++) {
				if (buf[i] == ':') {
					colon = i;
					break;
				}
			}
			if (colon <= lineStart) {
				throw new IOException("bad response header line");
			}
			int nameLength = colon - lineStart;
			HttpHeader known = HttpHeader.CACHE.getBest(buf, lineStart, nameLength);
			if (known != null && known.asString().length() != nameLength) {
				known = null;
			}
			int v = colon + 1;
			int ve = lineEnd;
			while (v < ve && (buf[v] == ' ' || buf[v] == '\t')) {
				v++;
			}
			while (ve > v && (buf[ve - 1] == ' ' || buf[ve - 1] == '\t')) {
				ve--;
			}
			String value = new String(buf, v, ve - v, StandardCharsets.ISO_8859_1);
			if (known == HttpHeader.CONTENT_LENGTH) {
				try {
					long length = Long.parseLong(value);
					if (length < 0 || (contentLength >= 0 && contentLength != length)) {
						throw new NumberFormatException();
					}
					contentLength = length;
				} catch (NumberFormatException e) {
					throw new IOException("bad Content-Length from the backend: " + abbreviate(value));
				}
			} else if (known == HttpHeader.TRANSFER_ENCODING) {
				chunked = value.toLowerCase(Locale.ROOT).endsWith("chunked");
				if (!chunked) {
					close = true; // some other coding: the body runs to the end of the connection
				}
			} else if (known == HttpHeader.CONNECTION) {
				String c = value.toLowerCase(Locale.ROOT);
				if (c.contains("close")) {
					close = true;
				} else if (c.contains("keep-alive")) {
					close = false;
				}
			}
			headers.add(known != null ? new HttpField(known, value)
					: new HttpField(new String(buf, lineStart, nameLength, StandardCharsets.ISO_8859_1), value));
			lineStart = lineEnd + 2;
		}
		if (chunked) {
			contentLength = -1; // Transfer-Encoding wins over Content-Length (RFC 9112 §6.3)
		}
		keepAlive = !close;
		in.position(end);
	}

	private static int lineEnd(byte[] buf, int from, int end) {
		for (int i = from; i < end - 1; i++) {
			if (buf[i] == '\r' && buf[i + 1] == '\n') {
				return i;
			}
		}
		return end - 2;
	}

	/** A whole line (without its CRLF or LF), or null when its end has not arrived yet. */
	private static String readLine(ByteBuffer in) throws IOException {
		int from = in.position();
		for (int i = from; i < in.limit(); i++) {
			if (in.get(i) == '\n') {
				int end = i > from && in.get(i - 1) == '\r' ? i - 1 : i;
				if (end - from > MAX_LINE) {
					break;
				}
				String line = new String(in.array(), in.arrayOffset() + from, end - from, StandardCharsets.ISO_8859_1);
				in.position(i + 1);
				return line;
			}
		}
		if (in.limit() - from > MAX_LINE) {
			throw new IOException("chunk line too long from the backend");
		}
		return null;
	}

	private static long chunkSize(String line) throws IOException {
		int semicolon = line.indexOf(';');
		String hex = (semicolon < 0 ? line : line.substring(0, semicolon)).trim();
		try {
			long size = Long.parseLong(hex, 16);
			if (size < 0) {
				throw new NumberFormatException();
			}
			return size;
		} catch (NumberFormatException e) {
			throw new IOException("bad chunk size from the backend: " + abbreviate(line));
		}
	}

	static String abbreviate(String s) {
		return s.length() > 80 ? s.substring(0, 80) + "…" : s;
	}
}
