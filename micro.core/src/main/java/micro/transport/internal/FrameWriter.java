package micro.transport.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Writes one HTTP/1.1 frame with a single write where the body is small: the start line and headers go into a
 * buffer that is reused from frame to frame, the body is appended. Header names and values with CR or LF are refused.
 */
final class FrameWriter {
	/** Bodies up to this size are copied behind the headers so that the frame leaves in one write. */
	private static final int COALESCE_LIMIT = 64 * 1024;

	private final OutputStream out;
	private byte[] buf = new byte[4096];
	private int size;

	FrameWriter(OutputStream out) {
		this.out = out;
	}

	FrameWriter start() {
		size = 0;
		return this;
	}

	FrameWriter ascii(String s) {
		ensure(s.length());
		for (int i = 0; i < s.length(); i++) {
			buf[size++] = (byte) s.charAt(i);
		}
		return this;
	}

	FrameWriter number(long n) {
		return ascii(Long.toString(n));
	}

	FrameWriter crlf() {
		ensure(2);
		buf[size++] = '\r';
		buf[size++] = '\n';
		return this;
	}

	/** {@code name: value\r\n}, UTF-8 (Go passes header bytes through unchanged). */
	FrameWriter header(String name, String value) throws IOException {
		checkName(name);
		text(name);
		ensure(2);
		buf[size++] = ':';
		buf[size++] = ' ';
		text(value);
		return crlf();
	}

	private void text(String s) throws IOException {
		ensure(s.length());
		for (int i = 0; i < s.length(); i++) {
			char c = s.charAt(i);
			if (c == '\r' || c == '\n' || c == 0) {
				throw new IOException("invalid header \"" + s + "\": it contains a line break");
			}
			if (c >= 0x80) {
				// rare: the rest as UTF-8
				byte[] rest = s.substring(i).getBytes(StandardCharsets.UTF_8);
				ensure(rest.length);
				System.arraycopy(rest, 0, buf, size, rest.length);
				size += rest.length;
				return;
			}
			buf[size++] = (byte) c;
		}
	}

	private static void checkName(String name) throws IOException {
		if (name.isEmpty()) {
			throw new IOException("invalid header: empty name");
		}
		for (int i = 0; i < name.length(); i++) {
			char c = name.charAt(i);
			if (c <= ' ' || c >= 0x7f || c == ':') {
				throw new IOException("invalid header name \"" + name + "\"");
			}
		}
	}

	/** Ends the headers and writes the frame with its body. */
	void finish(byte[] body) throws IOException {
		crlf();
		if (body.length <= COALESCE_LIMIT) {
			ensure(body.length);
			System.arraycopy(body, 0, buf, size, body.length);
			size += body.length;
			out.write(buf, 0, size);
		} else {
			out.write(buf, 0, size);
			out.write(body);
		}
		out.flush();
		if (buf.length > 4 * COALESCE_LIMIT) {
			// do not keep a large buffer after a large frame
			buf = new byte[4096];
		}
	}

	private void ensure(int more) {
		if (size + more > buf.length) {
			buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + more));
		}
	}
}
