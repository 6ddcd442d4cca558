package micro.transport.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;

import micro.transport.Listener;
import micro.transport.Socket;
import micro.transport.Transport;

/**
 * go-micro's {@code http} transport: MUCP messages as HTTP/1.1 requests and responses over persistent connections
 * (micro-v2.md §8.1.1), on blocking sockets with one thread per connection. A connection that sends a malformed frame
 * (not HTTP, no {@code Content-Length}, a header block over {@value #DEFAULT_MAX_HEADER_BYTES} bytes, a body over the
 * limit) is answered {@code 400} and closed; the listener goes on serving the others.
 */
public final class HttpTransport implements Transport {
	public static final String NAME = "http";
	public static final int DEFAULT_MAX_HEADER_BYTES = 64 * 1024;
	public static final long DEFAULT_MAX_BODY_BYTES = 16L * 1024 * 1024;
	public static final Duration DEFAULT_DIAL_TIMEOUT = Duration.ofSeconds(5);

	private final int maxHeaderBytes;
	private final long maxBodyBytes;

	public HttpTransport() {
		this(DEFAULT_MAX_HEADER_BYTES, DEFAULT_MAX_BODY_BYTES);
	}

	/** With other frame limits (bytes); bodies are held in memory, so the body limit bounds memory per frame. */
	public HttpTransport(int maxHeaderBytes, long maxBodyBytes) {
		if (maxHeaderBytes < 1024 || maxBodyBytes < 0 || maxBodyBytes > Integer.MAX_VALUE - 16) {
			throw new IllegalArgumentException("invalid frame limits: header " + maxHeaderBytes + ", body " + maxBodyBytes);
		}
		this.maxHeaderBytes = maxHeaderBytes;
		this.maxBodyBytes = maxBodyBytes;
	}

	@Override
	public String name() {
		return NAME;
	}

	int maxHeaderBytes() {
		return maxHeaderBytes;
	}

	long maxBodyBytes() {
		return maxBodyBytes;
	}

	@Override
	public Listener listen(String address) throws IOException {
		InetSocketAddress bind = Addresses.parse(address, true);
		ServerSocket server = new ServerSocket();
		try {
			server.setReuseAddress(true);
			server.bind(bind, 256);
		} catch (IOException e) {
			server.close();
			throw new IOException("cannot listen on " + address + ": " + e.getMessage(), e);
		}
		return new HttpListener(this, server);
	}

	@Override
	public Socket dial(String address, Duration timeout) throws IOException {
		InetSocketAddress target = Addresses.parse(address, false);
		if (target.getPort() == 0) {
			throw new IOException("cannot dial " + address + ": no port");
		}
		Duration t = timeout == null || timeout.isZero() || timeout.isNegative() ? DEFAULT_DIAL_TIMEOUT : timeout;
		java.net.Socket s = new java.net.Socket();
		try {
			s.setTcpNoDelay(true);
			s.setKeepAlive(true);
			s.connect(target, (int) Math.max(1, Math.min(Integer.MAX_VALUE, t.toMillis())));
		} catch (IOException e) {
			s.close();
			throw new IOException("dial " + address + ": " + e.getMessage(), e);
		}
		return new HttpSocket(s, false, address.trim(), this, null);
	}

	@Override
	public String toString() {
		return NAME;
	}
}
