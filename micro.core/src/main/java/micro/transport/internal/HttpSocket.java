package micro.transport.internal;

import java.io.EOFException;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantLock;

import micro.transport.DeadlineTimer;
import micro.transport.Message;
import micro.transport.Socket;

/**
 * One MUCP connection over HTTP/1.1 (go-micro's http transport). The client writes each message as a
 * {@code POST / HTTP/1.1} request and reads responses; the server reads requests and writes {@code HTTP/1.1 200 OK}
 * responses whose headers are the first request's headers overlaid with the message's (Go's echo behaviour).
 * Frames are not paired: either side may write many.
 * <p>
 * A {@link #setTimeout} bounds each {@link #recv} through the {@link DeadlineTimer}, which closes the connection when
 * the time is up; the read itself blocks without a socket timeout. A JDK socket with {@code SO_TIMEOUT} switches to
 * non-blocking reads for good, and then each read that has to wait costs two system calls more (a read that fails with
 * {@code EAGAIN}, then a poll). A timed-out connection is closed: its frame may be half read.
 */
final class HttpSocket implements Socket {
	private static final System.Logger LOG = System.getLogger(HttpTransport.class.getName());

	private final java.net.Socket socket;
	private final boolean server;
	private final String hostHeader;
	private final FrameReader reader;
	private final FrameWriter writer;
	private final ReentrantLock sendLock = new ReentrantLock();
	private final ReentrantLock recvLock = new ReentrantLock();
	private final String localAddress;
	private final String remoteAddress;
	/** Server side: the headers of the first request, echoed in every response. */
	private volatile Map<String, String> echo;
	private volatile boolean closed;
	private final Runnable onClose;
	/** The bound of each recv in nanoseconds; 0 waits for ever. */
	private volatile long timeoutNanos;

	HttpSocket(java.net.Socket socket, boolean server, String hostHeader, HttpTransport transport, Runnable onClose)
			throws IOException {
		this.socket = socket;
		this.server = server;
		this.hostHeader = hostHeader;
		this.onClose = onClose;
		this.reader = new FrameReader(socket.getInputStream(), transport.maxHeaderBytes(), transport.maxBodyBytes());
		this.writer = new FrameWriter(socket.getOutputStream());
		this.localAddress = Addresses.format(socket.getLocalAddress(), socket.getLocalPort());
		this.remoteAddress = Addresses.format(socket.getInetAddress(), socket.getPort());
	}

	@Override
	public void send(Message message) throws IOException {
		byte[] body = message.body();
		Map<String, String> headers = message.header();
		sendLock.lock();
		try {
			ensureOpen();
			FrameWriter w = writer.start();
			if (server) {
				w.ascii("HTTP/1.1 200 OK\r\n");
				Map<String, String> first = echo;
				if (first != null) {
					for (Map.Entry<String, String> e : first.entrySet()) {
						if (!headers.containsKey(e.getKey())) {
							w.header(e.getKey(), e.getValue());
						}
					}
				}
			} else {
				w.ascii("POST / HTTP/1.1\r\nHost: ").ascii(hostHeader).crlf();
			}
			w.ascii("Content-Length: ").number(body.length).crlf();
			for (Map.Entry<String, String> e : headers.entrySet()) {
				if (!isFramingHeader(e.getKey())) {
					w.header(e.getKey(), e.getValue());
				}
			}
			w.finish(body);
		} catch (SocketException e) {
			close();
			throw e;
		} finally {
			sendLock.unlock();
		}
	}

	@Override
	public Message recv() throws IOException {
		recvLock.lock();
		DeadlineTimer.Timeout timer = null;
		try {
			ensureOpen();
			long timeout = timeoutNanos;
			if (timeout > 0) {
				timer = DeadlineTimer.shared().after(timeout, this::close);
			}
			TreeMap<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
			byte[] body;
			try {
				body = reader.read(server, headers);
			} catch (IOException e) {
				if (timer != null && !timer.cancel()) {
					// the timer closed the connection under the read
					throw new SocketTimeoutException("no frame within " + Duration.ofNanos(timeout).toMillis() + " ms");
				}
				if (e instanceof MalformedFrameException malformed) {
					rejectAndClose(malformed);
					throw e;
				}
				close();
				throw e instanceof EOFException ? e : new EOFException(e.getMessage());
			}
			if (server) {
				headers.remove("Host");
				if (echo == null) {
					echo = new LinkedHashMap<>(headers);
				}
			} else if (reader.status != 200) {
				throw new IOException(reader.startLine + ": " + new String(body, StandardCharsets.UTF_8));
			}
			return new Message(headers, body);
		} finally {
			if (timer != null) {
				timer.cancel();
			}
			recvLock.unlock();
		}
	}

	/** A malformed frame: tell the peer why when it is a client, log it, and close the connection. */
	private void rejectAndClose(MalformedFrameException e) {
		LOG.log(Level.WARNING, "http transport: closing connection {0} -> {1}: {2}", remoteAddress, localAddress,
				e.getMessage());
		if (server && sendLock.tryLock()) {
			try {
				byte[] why = ("malformed frame: " + e.getMessage()).getBytes(StandardCharsets.UTF_8);
				writer.start().ascii("HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Type: text/plain\r\n")
						.ascii("Content-Length: ").number(why.length).crlf().finish(why);
			} catch (IOException ignored) {
				// the peer may be gone already; the connection is closed below either way
			} finally {
				sendLock.unlock();
			}
		}
		close();
	}

	private static boolean isFramingHeader(String name) {
		return name.equalsIgnoreCase("Content-Length") || name.equalsIgnoreCase("Host")
				|| name.equalsIgnoreCase("Transfer-Encoding");
	}

	private void ensureOpen() throws IOException {
		if (closed) {
			throw new EOFException("connection closed");
		}
	}

	/** Bounds each following {@link #recv}; null, zero or negative waits for ever. */
	@Override
	public void setTimeout(Duration timeout) {
		timeoutNanos = timeout == null || timeout.isNegative() || timeout.isZero() ? 0
				: Math.max(1, saturatedNanos(timeout));
	}

	private static long saturatedNanos(Duration d) {
		try {
			return d.toNanos();
		} catch (ArithmeticException e) {
			return Long.MAX_VALUE / 2;
		}
	}

	@Override
	public String localAddress() {
		return localAddress;
	}

	@Override
	public String remoteAddress() {
		return remoteAddress;
	}

	@Override
	public boolean isClosed() {
		return closed;
	}

	@Override
	public void close() {
		if (closed) {
			return;
		}
		closed = true;
		try {
			socket.close();
		} catch (IOException ignored) {
			// closing anyway
		}
		if (onClose != null) {
			onClose.run();
		}
	}

	@Override
	public String toString() {
		return (server ? "server " : "client ") + localAddress + " <-> " + remoteAddress;
	}
}
