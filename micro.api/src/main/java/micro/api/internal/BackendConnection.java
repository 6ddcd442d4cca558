package micro.api.internal;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;

import micro.transport.DeadlineTimer;

/**
 * One kept-alive HTTP/1.1 connection from the gateway to a backend node, used by one request at a time: a request
 * head written into one buffer (so a small request leaves in one write), a response head parsed in place, and the
 * body read with its framing (Content-Length, chunked, or up to the end of the connection).
 *
 * <p>Reads are bounded by a deadline: the socket timeout is the time left, set again only when it would outlast the
 * deadline or the request's timeout differs from the previous one, so a request normally costs no extra system call.
 */
final class BackendConnection implements AutoCloseable {
	/** Largest response head accepted (Go's http.Transport allows 1 MiB; Jetty's client 8 KiB by default). */
	static final int MAX_HEAD = 64 * 1024;
	private static final int BUFFER = 16 * 1024;

	final String address;
	private final InetSocketAddress remote;
	private final Socket socket;
	private InputStream in;
	private OutputStream out;
	private byte[] outBuf = new byte[2048];
	private int outLen;
	private final byte[] inBuf = new byte[BUFFER];
	private int inPos;
	private int inLimit;
	/** When the current exchange's time is up ({@link System#nanoTime()}). */
	long deadline;
	/** The current exchange's deadline on the shared {@link DeadlineTimer}, while it runs. */
	DeadlineTimer.Timeout timeout;
	/** Set when the deadline passed, before the socket is closed: the failure that follows is a timeout. */
	private volatile boolean expired;
	/** Whether the connection has carried an exchange before (a stale one may then be retried). */
	boolean reused;
	long idleSince;
	/** Whether any byte of the current response has arrived. */
	private boolean answered;

	// the parsed response head
	int status;
	/** The response's header fields, hop-by-hop ones included; known names are Jetty's own (not allocated). */
	final List<HttpField> headers = new ArrayList<>();
	long contentLength;
	boolean chunked;
	boolean keepAlive;
	/** Bytes of a chunk still to read, or of the body when it has a Content-Length; -1 when reading to the end. */
	private long remaining;
	private boolean bodyDone;
	private boolean pendingCrlf;

	private BackendConnection(String address, InetSocketAddress remote) throws IOException {
		this.address = address;
		this.remote = remote;
		this.socket = new Socket();
		socket.setTcpNoDelay(true);
		socket.setKeepAlive(true);
	}

	/** A connection not yet connected ({@code host:port} or {@code [v6]:port}): see {@link #connect()}. */
	static BackendConnection create(String address) throws IOException {
		int colon = address.lastIndexOf(':');
		if (colon < 0) {
			throw new IOException("invalid node address \"" + address + "\"");
		}
		String host = address.substring(0, colon);
		if (host.startsWith("[") && host.endsWith("]")) {
			host = host.substring(1, host.length() - 1);
		}
		try {
			int port = Integer.parseInt(address.substring(colon + 1));
			return new BackendConnection(address, new InetSocketAddress(host.isEmpty() ? "127.0.0.1" : host, port));
		} catch (IllegalArgumentException e) {
			throw new IOException("invalid node address \"" + address + "\"");
		}
	}

	/**
	 * Connects, when not connected yet. Without a timeout on purpose: a Java socket given any timeout (connect or
	 * read) turns non-blocking for good and then costs a poll and a second read per read; the shared
	 * {@link DeadlineTimer} closes the socket instead when the request's time is up.
	 */
	void connect() throws IOException {
		if (!socket.isConnected()) {
			socket.connect(remote);
			in = socket.getInputStream();
			out = socket.getOutputStream();
		}
	}

	/** Starts an exchange: its deadline, and an empty request buffer. */
	void begin(long deadline) {
		this.deadline = deadline;
		expired = false;
		outLen = 0;
		answered = false;
		if (inPos == inLimit) {
			inPos = 0;
			inLimit = 0;
		}
	}

	/** Appends Latin-1 text to the request (HTTP heads are ISO-8859-1; Jetty's parser has checked the values). */
	BackendConnection append(String s) {
		int n = s.length();
		ensure(n);
		for (int i = 0; i < n; i++) {
			outBuf[outLen++] = (byte) s.charAt(i);
		}
		return this;
	}

	BackendConnection header(String name, String value) {
		return append(name).append(": ").append(value).append("\r\n");
	}

	void append(byte[] b, int off, int len) throws IOException {
		if (len > outBuf.length - outLen && outLen > 0) {
			flush();
		}
		if (len > outBuf.length) {
			out.write(b, off, len);
			return;
		}
		System.arraycopy(b, off, outBuf, outLen, len);
		outLen += len;
	}

	private void ensure(int n) {
		if (outLen + n > outBuf.length) {
			outBuf = java.util.Arrays.copyOf(outBuf, Math.max(outBuf.length * 2, outLen + n));
		}
	}

	void flush() throws IOException {
		if (outLen > 0) {
			out.write(outBuf, 0, outLen);
			outLen = 0;
		}
		out.flush();
	}

	/**
	 * Reads the response head, skipping interim 1xx answers. Sets {@link #status}, the headers (hop-by-hop ones
	 * included; the caller filters), {@link #contentLength} (-1 when not given), {@link #chunked} and
	 * {@link #keepAlive}.
	 *
	 * @param headRequest whether the request was a HEAD (its response has no body whatever its headers say)
	 */
	void readHead(boolean headRequest) throws IOException {
		do {
			parseHead();
			if (status == 101) {
				throw new IOException("the backend switched protocols without being asked to");
			}
		} while (status < 200);
		bodyDone = headRequest || status == 204 || status == 304;
		if (bodyDone) {
			remaining = 0;
		} else if (chunked) {
			remaining = 0;
		} else if (contentLength >= 0) {
			remaining = contentLength;
			bodyDone = contentLength == 0;
		} else {
			remaining = -1;
			keepAlive = false;
		}
	}

	private void parseHead() throws IOException {
		int end;
		int from = inPos;
		while ((end = headEnd(from)) < 0) {
			from = Math.max(inPos, inLimit - 3);
			if (inPos > 0 && inLimit == inBuf.length) {
				System.arraycopy(inBuf, inPos, inBuf, 0, inLimit - inPos);
				inLimit -= inPos;
				from -= inPos;
				inPos = 0;
			}
			if (inLimit == inBuf.length) {
				throw new IOException("response head larger than " + inBuf.length + " bytes");
			}
			if (fill() < 0) {
				throw new EOFException(answered ? "the backend closed the connection in the response head"
						: "the backend closed the connection");
			}
		}
		headers.clear();
		contentLength = -1;
		chunked = false;
		int lineStart = inPos;
		int lineEnd = lineEnd(lineStart, end);
		String statusLine = new String(inBuf, lineStart, lineEnd - lineStart, StandardCharsets.ISO_8859_1);
		if (!statusLine.startsWith("HTTP/1.") || statusLine.length() < 12) {
			throw new IOException("not an HTTP/1.x response: " + abbreviate(statusLine));
		}
		try {
			status = Integer.parseInt(statusLine, 9, 12, 10);
		} catch (NumberFormatException e) {
			throw new IOException("bad status line: " + abbreviate(statusLine));
		}
		boolean http11 = statusLine.charAt(7) == '1';
		boolean close = !http11;
		lineStart = lineEnd + 2;
		while (lineStart < end - 2) {
			lineEnd = lineEnd(lineStart, end);
			int colon = -1;
			for (int i = lineStart; i < lineEnd; i++) {
				if (inBuf[i] == ':') {
					colon = i;
					break;
				}
			}
			if (colon <= lineStart) {
				throw new IOException("bad response header line");
			}
			int nameLength = colon - lineStart;
			HttpHeader known = HttpHeader.CACHE.getBest(inBuf, lineStart, nameLength);
			if (known != null && known.asString().length() != nameLength) {
				known = null;
			}
			int v = colon + 1;
			int ve = lineEnd;
			while (v < ve && (inBuf[v] == ' ' || inBuf[v] == '\t')) {
				v++;
			}
			while (ve > v && (inBuf[ve - 1] == ' ' || inBuf[ve - 1] == '\t')) {
				ve--;
			}
			String value = new String(inBuf, v, ve - v, StandardCharsets.ISO_8859_1);
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
					: new HttpField(new String(inBuf, lineStart, nameLength, StandardCharsets.ISO_8859_1), value));
			lineStart = lineEnd + 2;
		}
		if (chunked) {
			contentLength = -1; // Transfer-Encoding wins over Content-Length (RFC 9112 §6.3)
		}
		keepAlive = !close;
		inPos = end;
	}

	/** The index after the blank line that ends the head, or -1. */
	private int headEnd(int from) {
		for (int i = Math.max(from, inPos + 3); i < inLimit; i++) {
			if (inBuf[i] == '\n' && inBuf[i - 1] == '\r' && inBuf[i - 2] == '\n' && inBuf[i - 3] == '\r') {
				return i + 1;
			}
		}
		return -1;
	}

	private int lineEnd(int from, int end) {
		for (int i = from; i < end - 1; i++) {
			if (inBuf[i] == '\r' && inBuf[i + 1] == '\n') {
				return i;
			}
		}
		return end - 2;
	}

	/** Whether the whole body of the response has been read. */
	boolean bodyDone() {
		return bodyDone;
	}

	/** Bytes of the body already buffered, when the whole body is there (a small response after its head): else -1. */
	int bufferedWholeBody() {
		if (bodyDone) {
			return 0;
		}
		if (!chunked && remaining >= 0 && inLimit - inPos >= remaining) {
			return (int) remaining;
		}
		return -1;
	}

	/** Takes a whole buffered body (see {@link #bufferedWholeBody()}). */
	byte[] takeBufferedBody(int length) {
		byte[] b = java.util.Arrays.copyOfRange(inBuf, inPos, inPos + length);
		inPos += length;
		remaining = 0;
		bodyDone = true;
		return b;
	}

	/** The next piece of the body, valid until the next call: {@code [offset, length]} into {@link #buffer()}, or null at its end. */
	int[] readBody() throws IOException {
		while (!bodyDone) {
			if (chunked && remaining == 0) {
				long size = readChunkSize();
				if (size == 0) {
					readTrailers();
					bodyDone = true;
					return null;
				}
				remaining = size;
			}
			if (inPos == inLimit) {
				inPos = 0;
				inLimit = 0;
				if (fill() < 0) {
					if (remaining < 0) {
						bodyDone = true;
						return null;
					}
					throw new EOFException("the backend closed the connection in the middle of the body");
				}
			}
			int n = inLimit - inPos;
			if (remaining >= 0 && n > remaining) {
				n = (int) remaining;
			}
			int[] piece = { inPos, n };
			inPos += n;
			if (remaining >= 0) {
				remaining -= n;
				if (!chunked && remaining == 0) {
					bodyDone = true;
				}
				if (chunked && remaining == 0) {
					pendingCrlf = true; // the CRLF after the chunk's data, read with the next size line
				}
			}
			return piece;
		}
		return null;
	}

	byte[] buffer() {
		return inBuf;
	}

	private long readChunkSize() throws IOException {
		String line = readLine();
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


	private void readTrailers() throws IOException {
		while (!readLine().isEmpty()) {
			// trailers are dropped, as Go's ReverseProxy does for a client that did not announce them
		}
	}

	private String readLine() throws IOException {
		if (pendingCrlf) {
			pendingCrlf = false;
			String gap = readLine();
			if (!gap.isEmpty()) {
				throw new IOException("bad chunk framing from the backend");
			}
		}
		StringBuilder line = new StringBuilder();
		while (true) {
			if (inPos == inLimit) {
				inPos = 0;
				inLimit = 0;
				if (fill() < 0) {
					throw new EOFException("the backend closed the connection in the middle of the body");
				}
			}
			byte b = inBuf[inPos++];
			if (b == '\n') {
				int n = line.length();
				if (n > 0 && line.charAt(n - 1) == '\r') {
					line.setLength(n - 1);
				}
				return line.toString();
			}
			if (line.length() > 4096) {
				throw new IOException("chunk line too long from the backend");
			}
			line.append((char) (b & 0xff));
		}
	}

	/** Reads more into the buffer; -1 at the end of the stream. */
	private int fill() throws IOException {
		int n;
		try {
			n = in.read(inBuf, inLimit, inBuf.length - inLimit);
		} catch (IOException e) {
			throw expired ? timedOut() : e;
		}
		if (n < 0 && expired) {
			throw timedOut();
		}
		if (n > 0) {
			inLimit += n;
			answered = true;
		}
		return n;
	}

	/** Called by the {@link DeadlineTimer} when the exchange's time is up: the blocked read or write fails at once. */
	void expire() {
		expired = true;
		close();
	}

	boolean expired() {
		return expired;
	}

	private SocketTimeoutException timedOut() {
		return new SocketTimeoutException("no answer within the request's timeout");
	}

	/** Whether no byte of the response has arrived yet (a failure then may mean a stale kept-alive connection). */
	boolean unanswered() {
		return !answered;
	}

	/** Whether the connection can carry another exchange: the body read whole, nothing left over, no close asked. */
	boolean reusable() {
		return keepAlive && bodyDone && !pendingCrlf && inPos == inLimit && !socket.isClosed();
	}

	boolean isClosed() {
		return socket.isClosed();
	}

	@Override
	public void close() {
		try {
			socket.close();
		} catch (IOException ignored) {
			// closing anyway
		}
	}

	private static String abbreviate(String s) {
		return s.length() > 80 ? s.substring(0, 80) + "…" : s;
	}
}
