package micro.transport.internal;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Reads successive HTTP/1.1 requests or responses from one connection, each as one frame: the start line, the
 * headers (first value of each name kept) and a body delimited by {@code Content-Length} or chunked encoding. Anything
 * else is a {@link MalformedFrameException}; a clean end of stream between frames is an {@link EOFException}.
 */
final class FrameReader {
	private final InputStream in;
	private final int maxHeaderBytes;
	private final long maxBodyBytes;
	private byte[] buf = new byte[16 * 1024];
	private int pos;
	private int limit;
	private int headerBytes;

	/** The status of the last response read (200 for requests). */
	int status;
	/** {@code 404 Not Found} for a response, the request line for a request. */
	String startLine;

	FrameReader(InputStream in, int maxHeaderBytes, long maxBodyBytes) {
		this.in = in;
		this.maxHeaderBytes = maxHeaderBytes;
		this.maxBodyBytes = maxBodyBytes;
	}

	/**
	 * Reads one frame into {@code headers} and returns its body.
	 *
	 * @param request true to read a request (server side), false for a response (client side)
	 */
	byte[] read(boolean request, Map<String, String> headers) throws IOException {
		headerBytes = 0;
		String line = readLine(true);
		if (request) {
			parseRequestLine(line);
		} else {
			parseStatusLine(line);
		}
		long contentLength = -1;
		boolean chunked = false;
		while (true) {
			String h = readLine(false);
			if (h.isEmpty()) {
				break;
			}
			int colon = h.indexOf(':');
			if (colon <= 0) {
				throw new MalformedFrameException("malformed header line \"" + abbreviate(h) + "\"");
			}
			String name = h.substring(0, colon);
			if (!isToken(name)) {
				throw new MalformedFrameException("malformed header name \"" + abbreviate(name) + "\"");
			}
			String value = h.substring(colon + 1).strip();
			if (name.equalsIgnoreCase("Content-Length")) {
				long n = parseLength(value);
				if (contentLength >= 0 && contentLength != n) {
					throw new MalformedFrameException("conflicting Content-Length headers");
				}
				contentLength = n;
				continue;
			}
			if (name.equalsIgnoreCase("Transfer-Encoding")) {
				if (!value.equalsIgnoreCase("chunked")) {
					throw new MalformedFrameException("unsupported Transfer-Encoding \"" + abbreviate(value) + "\"");
				}
				chunked = true;
				continue;
			}
			headers.putIfAbsent(name, value);
		}
		if (chunked) {
			return readChunked();
		}
		if (contentLength < 0) {
			throw new MalformedFrameException("no Content-Length");
		}
		if (contentLength > maxBodyBytes) {
			throw new MalformedFrameException(
					"body of " + contentLength + " bytes exceeds the limit of " + maxBodyBytes + " bytes");
		}
		return readBody((int) contentLength);
	}

	private void parseRequestLine(String line) throws MalformedFrameException {
		int a = line.indexOf(' ');
		int b = a < 0 ? -1 : line.indexOf(' ', a + 1);
		if (a <= 0 || b < 0 || !line.startsWith("HTTP/1.", b + 1) || !isToken(line.substring(0, a))) {
			throw new MalformedFrameException("malformed request line \"" + abbreviate(line) + "\"");
		}
		startLine = line;
		status = 200;
	}

	private void parseStatusLine(String line) throws MalformedFrameException {
		// HTTP/1.1 200 OK
		if (!line.startsWith("HTTP/1.") || line.length() < 12 || line.charAt(8) != ' ') {
			throw new MalformedFrameException("malformed status line \"" + abbreviate(line) + "\"");
		}
		try {
			status = Integer.parseInt(line.substring(9, 12));
		} catch (NumberFormatException e) {
			throw new MalformedFrameException("malformed status line \"" + abbreviate(line) + "\"");
		}
		startLine = line.substring(9).strip();
	}

	private long parseLength(String value) throws MalformedFrameException {
		if (value.isEmpty() || value.length() > 18) {
			throw new MalformedFrameException("invalid Content-Length \"" + abbreviate(value) + "\"");
		}
		long n = 0;
		for (int i = 0; i < value.length(); i++) {
			char c = value.charAt(i);
			if (c < '0' || c > '9') {
				throw new MalformedFrameException("invalid Content-Length \"" + abbreviate(value) + "\"");
			}
			n = n * 10 + (c - '0');
		}
		return n;
	}

	private byte[] readChunked() throws IOException {
		byte[] out = new byte[0];
		int size = 0;
		while (true) {
			String line = readLine(false);
			int semicolon = line.indexOf(';');
			String hex = (semicolon >= 0 ? line.substring(0, semicolon) : line).strip();
			long n;
			try {
				n = Long.parseLong(hex, 16);
			} catch (NumberFormatException e) {
				throw new MalformedFrameException("invalid chunk size \"" + abbreviate(line) + "\"");
			}
			if (n < 0 || size + n > maxBodyBytes) {
				throw new MalformedFrameException("chunked body exceeds the limit of " + maxBodyBytes + " bytes");
			}
			if (n == 0) {
				// trailers, then the empty line
				while (!readLine(false).isEmpty()) {
					// trailers are not kept
				}
				return size == out.length ? out : java.util.Arrays.copyOf(out, size);
			}
			byte[] chunk = readBody((int) n);
			if (size + chunk.length > out.length) {
				out = java.util.Arrays.copyOf(out, Math.max(size + chunk.length, out.length * 2));
			}
			System.arraycopy(chunk, 0, out, size, chunk.length);
			size += chunk.length;
			if (!readLine(false).isEmpty()) {
				throw new MalformedFrameException("missing CRLF after a chunk");
			}
		}
	}

	private byte[] readBody(int n) throws IOException {
		byte[] body = new byte[n];
		int have = Math.min(limit - pos, n);
		System.arraycopy(buf, pos, body, 0, have);
		pos += have;
		while (have < n) {
			int r = in.read(body, have, n - have);
			if (r < 0) {
				throw new EOFException("connection closed after " + have + " of " + n + " body bytes");
			}
			have += r;
		}
		return body;
	}

	/** A line without its CRLF (or bare LF); {@code first} means a clean EOF before it is an EOFException. */
	private String readLine(boolean first) throws IOException {
		int scanFrom = pos;
		while (true) {
			for (int i = scanFrom; i < limit; i++) {
				if (buf[i] == '\n') {
					int end = i > pos && buf[i - 1] == '\r' ? i - 1 : i;
					headerBytes += i + 1 - pos;
					if (headerBytes > maxHeaderBytes) {
						throw headerTooLarge();
					}
					String line = new String(buf, pos, end - pos, StandardCharsets.UTF_8);
					pos = i + 1;
					return line;
				}
			}
			if (headerBytes + (limit - pos) > maxHeaderBytes) {
				throw headerTooLarge();
			}
			int before = limit - pos;
			if (!fill()) {
				if (first && before == 0) {
					throw new EOFException("connection closed");
				}
				throw new EOFException("connection closed inside a frame header");
			}
			// fill() compacts the buffer to start at 0
			scanFrom = before;
		}
	}

	private MalformedFrameException headerTooLarge() {
		return new MalformedFrameException("header block larger than " + maxHeaderBytes + " bytes");
	}

	/** Compacts the buffer and reads more; false on end of stream. */
	private boolean fill() throws IOException {
		if (pos > 0) {
			System.arraycopy(buf, pos, buf, 0, limit - pos);
			limit -= pos;
			pos = 0;
		}
		if (limit == buf.length) {
			buf = java.util.Arrays.copyOf(buf, buf.length * 2);
		}
		int r = in.read(buf, limit, buf.length - limit);
		if (r < 0) {
			return false;
		}
		limit += r;
		return true;
	}

	private static boolean isToken(String s) {
		if (s.isEmpty()) {
			return false;
		}
		for (int i = 0; i < s.length(); i++) {
			char c = s.charAt(i);
			if (c <= ' ' || c >= 0x7f || "()<>@,;:\\\"/[]?={}".indexOf(c) >= 0) {
				return false;
			}
		}
		return true;
	}

	private static String abbreviate(String s) {
		StringBuilder b = new StringBuilder();
		for (int i = 0; i < s.length() && b.length() < 80; i++) {
			char c = s.charAt(i);
			b.append(c >= ' ' && c < 0x7f ? c : '?');
		}
		return s.length() > 80 ? b + "..." : b.toString();
	}
}
