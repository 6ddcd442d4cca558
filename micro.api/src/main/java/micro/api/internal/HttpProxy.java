package micro.api.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.Deque;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;

import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Attributes;
import org.eclipse.jetty.util.Blocker;
import org.eclipse.jetty.util.Callback;

import micro.errors.MicroError;
import micro.transport.DeadlineTimer;

/**
 * The {@code http}/{@code proxy}/{@code web} handlers' reverse proxy (gm:api/handler/http, Go's
 * httputil.ReverseProxy): the request, with its full original path and query and its Host, goes to the node the
 * gateway chose, over a kept-alive HTTP/1.1 connection from a pool per node, within the request's timeout. Hop-by-hop
 * headers are dropped both ways and {@code X-Forwarded-For} gets the client's address appended, as Go does. Failures
 * before the answer started answer error JSON: 504 on timeout, 413 for a body over the limit, 502 otherwise (Go's
 * ReverseProxy answers 502 with an empty body for all of them); after it started, the client's connection is
 * aborted, since a status cannot be sent twice.
 *
 * <p>Why not Jetty's ProxyHandler and HttpClient (used before): on a small machine the gateway's cost per request is
 * what limits it, and the asynchronous client builds a conversation, an exchange, listeners and content sources per
 * request and hands the response between threads. Here the request runs on the server thread Jetty already gave it:
 * one write to the backend (head and a small body together), one blocking read for the answer, one write to the
 * client. That halved the gateway's added latency and raised its throughput (micro.benchmarks results/api.md).
 */
final class HttpProxy implements AutoCloseable {
	/** Kept-alive connections per backend node: at least the concurrency the gateway is meant to carry (nginx: 64). */
	static final int IDLE_PER_NODE = 128;
	/** Idle connections older than this are closed, before common backend idle timeouts (Jetty 30 s, nginx 75 s). */
	static final long IDLE_NANOS = 20_000_000_000L;
	/** Request bodies up to this size are read first and sent with the head (and can be sent again on a stale connection). */
	private static final int BUFFERED_BODY = 64 * 1024;
	private final long maxBody;
	private final Map<String, Pool> idle = new ConcurrentHashMap<>();
	private volatile boolean closed;
	private volatile long lastSweep = System.nanoTime();

	HttpProxy(long maxBody) {
		this.maxBody = maxBody;
	}

	/**
	 * Proxies one request to {@code address} and completes {@code callback}; never throws.
	 *
	 * @param errorId the id of the error JSON (the namespace)
	 */
	void forward(Request request, Response response, Callback callback, String address, long timeoutMillis,
			String errorId) {
		long deadline = System.nanoTime() + timeoutMillis * 1_000_000;
		BackendConnection c = null;
		try {
			long declared = request.getLength();
			if (declared > maxBody) {
				throw tooLarge(errorId);
			}
			boolean streamed = declared > BUFFERED_BODY
					|| (declared < 0 && request.getHeaders().contains(HttpHeader.TRANSFER_ENCODING));
			byte[] body = !streamed && declared > 0 ? readSmallBody(request, (int) declared, errorId) : null;
			boolean head = request.getMethod().equals("HEAD");
			while (true) {
				c = take(address);
				if (c == null) {
					c = BackendConnection.create(address);
				}
				c.begin(deadline);
				watch(c);
				try {
					c.connect();
					writeHead(c, request, streamed ? declared : body == null ? 0 : body.length);
					if (body != null) {
						c.append(body, 0, body.length);
					}
					if (streamed) {
						c.flush();
						copyBody(request, c, errorId);
					}
					c.flush();
					c.readHead(head);
					break;
				} catch (IOException e) {
					unwatch(c);
					c.close();
					if (c.expired()) {
						throw new SocketTimeoutException("no answer within the request's timeout");
					}
					// a kept-alive connection the backend closed while it was idle: once more on a new one, as Go's
					// Transport does, when nothing of the request was lost (its body was buffered, not streamed)
					boolean stale = c.reused && c.unanswered() && !streamed;
					c = null;
					if (!stale) {
						throw e;
					}
					dropIdle(address);
				}
			}
			answer(response, callback, c);
			c = null; // answer released or closed it
		} catch (MicroError e) {
			fail(response, callback, e);
		} catch (Throwable t) {
			fail(response, callback, error(t, errorId, address));
		} finally {
			if (c != null) {
				unwatch(c);
				c.close();
			}
		}
	}

	private static void fail(Response response, Callback callback, MicroError error) {
		if (response.isCommitted()) {
			callback.failed(error);
		} else {
			response.reset(); // the backend's status and headers, when its body failed before anything was sent
			Responses.error(response, callback, error);
		}
	}

	private MicroError error(Throwable t, String errorId, String address) {
		if (t instanceof SocketTimeoutException) {
			return MicroError.of(errorId, 504, "backend timed out: " + address);
		}
		if (t instanceof ConnectException) {
			return MicroError.of(errorId, 502, "backend unreachable: " + address);
		}
		return MicroError.of(errorId, 502, "backend failed: " + (t.getMessage() == null ? t.toString() : t.getMessage()));
	}

	private MicroError tooLarge(String errorId) {
		return MicroError.of(errorId, 413, "request body larger than " + maxBody + " bytes");
	}

	private static void writeHead(BackendConnection c, Request request, long bodyLength) {
		c.append(request.getMethod()).append(" ");
		String pathQuery = request.getHttpURI().getPathQuery();
		c.append(pathQuery == null || pathQuery.isEmpty() ? "/" : pathQuery).append(" HTTP/1.1\r\n");
		HttpFields headers = request.getHeaders();
		String connection = headers.get(HttpHeader.CONNECTION);
		Set<String> connectionTokens = connection == null ? Set.of() : tokens(connection, Set.of());
		String host = headers.get(HttpHeader.HOST);
		c.header("Host", host == null ? c.address : host);
		String forwardedFor = null;
		for (HttpField f : headers) {
			String name = f.getName();
			HttpHeader known = f.getHeader();
			if (known == HttpHeader.HOST || known == HttpHeader.CONTENT_LENGTH || isHopByHop(f, connectionTokens)) {
				continue;
			}
			if (known == HttpHeader.X_FORWARDED_FOR) {
				forwardedFor = forwardedFor == null ? f.getValue() : forwardedFor + ", " + f.getValue();
				continue;
			}
			c.header(name, f.getValue());
		}
		String client = remoteAddr(request);
		c.header("X-Forwarded-For", forwardedFor == null ? client : forwardedFor + ", " + client);
		if (bodyLength < 0) {
			c.header("Transfer-Encoding", "chunked");
		} else if (bodyLength > 0 || methodWithBody(request.getMethod())) {
			c.header("Content-Length", Long.toString(bodyLength));
		}
		c.append("\r\n");
	}

	private static final String REMOTE_ADDR = "micro.api.remoteAddr";

	/** The client's address as text, made once per connection rather than per request. */
	static String remoteAddr(Request request) {
		Attributes connection = request.getConnectionMetaData();
		Object cached = connection.getAttribute(REMOTE_ADDR);
		if (cached instanceof String s) {
			return s;
		}
		String addr = Request.getRemoteAddr(request);
		connection.setAttribute(REMOTE_ADDR, addr);
		return addr;
	}

	private static boolean methodWithBody(String method) {
		return method.equals("POST") || method.equals("PUT") || method.equals("PATCH");
	}

	/** Header names listed in a {@code Connection} value (lower case), added to those found before. */
	private static Set<String> tokens(String connection, Set<String> before) {
		Set<String> tokens = new HashSet<>(before);
		for (String t : connection.split(",")) {
			tokens.add(t.trim().toLowerCase(Locale.ROOT));
		}
		return tokens;
	}

	/** Go's ReverseProxy's hop-by-hop headers (net/http/httputil hopHeaders), and those named in Connection. */
	private static boolean isHopByHop(HttpField f, Set<String> connectionTokens) {
		HttpHeader known = f.getHeader();
		if (known != null) {
			switch (known) {
			case CONNECTION, PROXY_CONNECTION, KEEP_ALIVE, PROXY_AUTHENTICATE, PROXY_AUTHORIZATION, TE, TRAILER,
					TRANSFER_ENCODING, UPGRADE:
				return true;
			default:
				break;
			}
		}
		return !connectionTokens.isEmpty() && connectionTokens.contains(f.getLowerCaseName());
	}

	private byte[] readSmallBody(Request request, int length, String errorId) throws IOException {
		byte[] body = new byte[length];
		int n = 0;
		try (InputStream in = Content.Source.asInputStream(request)) {
			while (n < length) {
				int r = in.read(body, n, length - n);
				if (r < 0) {
					throw MicroError.badRequest(errorId, "request body shorter than its Content-Length");
				}
				n += r;
			}
		}
		return body;
	}

	/** A large or chunked request body, sent as it came (declared, or chunked), stopped with 413 past the limit. */
	private void copyBody(Request request, BackendConnection c, String errorId) throws IOException {
		boolean chunked = request.getLength() < 0;
		byte[] buf = new byte[16 * 1024];
		long total = 0;
		try (InputStream in = Content.Source.asInputStream(request)) {
			int n;
			while ((n = in.read(buf)) >= 0) {
				total += n;
				if (total > maxBody) {
					Payloads.drain(in);
					throw tooLarge(errorId);
				}
				if (n == 0) {
					continue;
				}
				if (chunked) {
					c.append(Integer.toHexString(n)).append("\r\n");
					c.append(buf, 0, n);
					c.append("\r\n");
				} else {
					c.append(buf, 0, n);
				}
			}
		}
		if (chunked) {
			c.append("0\r\n\r\n");
		}
	}

	/** Sends the backend's answer to the client and gives the connection back (or closes it). */
	private void answer(Response response, Callback callback, BackendConnection c) throws IOException {
		response.setStatus(c.status);
		HttpFields.Mutable out = response.getHeaders();
		Set<String> connectionTokens = Set.of();
		for (HttpField f : c.headers) {
			if (f.getHeader() == HttpHeader.CONNECTION) {
				connectionTokens = tokens(f.getValue(), connectionTokens);
			}
		}
		for (HttpField f : c.headers) {
			if (isHopByHop(f, connectionTokens)) {
				continue;
			}
			HttpHeader known = f.getHeader();
			if (known == HttpHeader.DATE || known == HttpHeader.SERVER) {
				out.put(f); // the backend's replace the ones Jetty set
			} else {
				out.add(f); // repeated names (Set-Cookie) are all kept
			}
		}
		int whole = c.bufferedWholeBody();
		if (whole >= 0) {
			// the usual small answer: already read, the connection goes back before the client is written to
			ByteBuffer body = whole == 0 ? null : ByteBuffer.wrap(c.takeBufferedBody(whole));
			unwatch(c);
			release(c);
			response.write(true, body, callback);
			return;
		}
		try {
			int[] piece;
			while ((piece = c.readBody()) != null) {
				if (piece[1] == 0) {
					continue;
				}
				try (Blocker.Callback written = Blocker.callback()) {
					response.write(false, ByteBuffer.wrap(c.buffer(), piece[0], piece[1]), written);
					written.block();
				}
			}
		} catch (IOException | RuntimeException e) {
			unwatch(c);
			c.close();
			throw e;
		}
		unwatch(c);
		release(c);
		response.write(true, null, callback);
	}

	/** The idle connections to one node, most recently used first; counted, since a deque's size() walks it. */
	private static final class Pool {
		final Deque<BackendConnection> connections = new ConcurrentLinkedDeque<>();
		final AtomicInteger size = new AtomicInteger();

		BackendConnection pollFirst() {
			BackendConnection c = connections.pollFirst();
			if (c != null) {
				size.decrementAndGet();
			}
			return c;
		}

		boolean remove(BackendConnection c) {
			if (connections.removeLastOccurrence(c)) {
				size.decrementAndGet();
				return true;
			}
			return false;
		}
	}

	/** Bounds the exchange starting now by its deadline: the timer closes the socket when it passes. */
	private static void watch(BackendConnection c) {
		c.timeout = DeadlineTimer.shared().schedule(c.deadline, c::expire);
	}

	/** The exchange is over: cancels its deadline; a connection whose deadline fired meanwhile is closed. */
	private static void unwatch(BackendConnection c) {
		DeadlineTimer.Timeout t = c.timeout;
		c.timeout = null;
		if (t != null && !t.cancel()) {
			c.close();
		}
	}

	private BackendConnection take(String address) {
		Pool q = idle.get(address);
		if (q == null) {
			return null;
		}
		long now = System.nanoTime();
		BackendConnection c;
		while ((c = q.pollFirst()) != null) {
			if (now - c.idleSince < IDLE_NANOS) {
				return c;
			}
			c.close();
		}
		return null;
	}

	private void release(BackendConnection c) {
		if (closed || !c.reusable()) {
			c.close();
			return;
		}
		Pool q = idle.computeIfAbsent(c.address, a -> new Pool());
		long now = System.nanoTime();
		if (now - lastSweep > IDLE_NANOS / 2) {
			sweep(); // amortised: no timer thread, and a pool that shrinks closes what it no longer uses
		}
		c.reused = true;
		c.idleSince = now;
		if (q.size.incrementAndGet() > IDLE_PER_NODE) {
			q.size.decrementAndGet();
			c.close();
			return;
		}
		q.connections.offerFirst(c);
		if (closed && q.remove(c)) {
			c.close();
		}
	}

	/** After a stale connection: the others to that node were idle as long, and the node may have restarted. */
	private void dropIdle(String address) {
		Pool q = idle.get(address);
		BackendConnection c;
		while (q != null && (c = q.pollFirst()) != null) {
			c.close();
		}
	}

	/**
	 * Closes idle connections that outlived {@link #IDLE_NANOS}, of every node (also of nodes no longer used). The
	 * pools are last-in-first-out, so the old ones are at the tail.
	 */
	void sweep() {
		long now = System.nanoTime();
		lastSweep = now;
		for (Pool q : idle.values()) {
			BackendConnection c;
			while ((c = q.connections.peekLast()) != null && now - c.idleSince >= IDLE_NANOS) {
				if (q.remove(c)) {
					c.close();
				}
			}
		}
	}

	/** Idle connections to a node (for tests). */
	int idleConnections(String address) {
		Pool q = idle.get(address);
		return q == null ? 0 : q.size.get();
	}

	@Override
	public void close() {
		closed = true;
		for (Pool q : idle.values()) {
			BackendConnection c;
			while ((c = q.pollFirst()) != null) {
				c.close();
			}
		}
	}
}
