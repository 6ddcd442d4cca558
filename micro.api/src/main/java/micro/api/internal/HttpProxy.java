package micro.api.internal;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;

import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Attributes;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.IteratingCallback;
import org.eclipse.jetty.util.thread.Invocable;

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
 * <p>Nothing here blocks: the backend connections ({@link BackendLink}) live on the selectors of the gateway's own
 * connector, so with the gateway's handler declared non-blocking a request is read, sent on, answered by the
 * backend and written back by the selector threads alone, without a thread hand-off per request (the way nginx's
 * event loop works). Jetty's ProxyHandler over its HttpClient, used first, cost about 60 µs of CPU per request and a
 * blocking client about 42 µs with two context switches (micro.benchmarks results/api.md).
 */
final class HttpProxy implements AutoCloseable {
	/** Kept-alive connections per backend node: at least the concurrency the gateway is meant to carry (nginx: 64). */
	static final int IDLE_PER_NODE = 128;
	/** Idle connections older than this are closed, before common backend idle timeouts (Jetty 30 s, nginx 75 s). */
	static final long IDLE_NANOS = 20_000_000_000L;
	/** Request bodies up to this size are read first and sent with the head (and can be sent again on a stale connection). */
	private static final int BUFFERED_BODY = 64 * 1024;
	private static final ByteBuffer CRLF = ByteBuffer.wrap("\r\n".getBytes(StandardCharsets.ISO_8859_1));
	private static final ByteBuffer LAST_CHUNK = ByteBuffer.wrap("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));

	private final long maxBody;
	private final GatewayConnector connector;
	private final Map<String, Pool> idle = new ConcurrentHashMap<>();
	/** Node addresses resolved once: a name lookup blocks, and the selector thread must not. */
	private final Map<String, InetSocketAddress> resolved = new ConcurrentHashMap<>();
	private volatile boolean closed;
	private volatile long lastSweep = System.nanoTime();

	/** @param connector the gateway's connector, whose selectors carry the backend connections too */
	HttpProxy(long maxBody, GatewayConnector connector) {
		this.maxBody = maxBody;
		this.connector = connector;
	}

	/**
	 * Proxies one request to {@code address} and completes {@code callback} later; returns at once and never throws.
	 *
	 * @param errorId the id of the error JSON (the namespace)
	 */
	void forward(Request request, Response response, Callback callback, String address, long timeoutMillis,
			String errorId) {
		new Exchange(request, response, callback, address, System.nanoTime() + timeoutMillis * 1_000_000, errorId)
				.start();
	}

	/** One proxied request: from reading its body to completing its callback, each step started by the one before. */
	private final class Exchange implements BackendLink.Exchange, GatewayConnector.Opening {
		/** Reading a small request body before sending anything. */
		private static final int BODY = 0;
		private static final int CONNECTING = 1;
		/** On a backend connection: that connection's events drive the exchange. */
		private static final int LINKED = 2;
		private static final int DONE = 3;

		private final Request request;
		private final Response response;
		private final Callback callback;
		private final String address;
		private final long deadline;
		private final String errorId;
		private final boolean headRequest;
		/** The selector of the client's connection: the backend connection should be served by the same thread. */
		private final int selector;
		private final AtomicInteger phase = new AtomicInteger(CONNECTING);
		private volatile BackendLink link;
		private DeadlineTimer.Timeout timeout;
		private volatile boolean expired;
		/** Set by the body pump when the body passed the limit: the failure that follows answers 413. */
		private volatile boolean tooLarge;
		/** Whether the answer left the connection fit for another exchange (decided when it was read whole). */
		private volatile boolean reuse;
		/** The request head, kept for a second attempt. */
		private ByteBuffer head;
		/** A small request body, read before sending (null when there is none or it is streamed). */
		private byte[] body;
		private int bodyLength;
		private boolean streamed;
		/** Whether body pieces were written to the client already. */
		private boolean streaming;
		/** A small answer's whole body, written with the completion. */
		private ByteBuffer lastPiece;

		Exchange(Request request, Response response, Callback callback, String address, long deadline,
				String errorId) {
			this.request = request;
			this.response = response;
			this.callback = callback;
			this.address = address;
			this.deadline = deadline;
			this.errorId = errorId;
			this.headRequest = request.getMethod().equals("HEAD");
			this.selector = GatewayConnector.selectorOf(request);
		}

		void start() {
			long declared = request.getLength();
			if (declared > maxBody) {
				phase.set(DONE);
				refuseTooLarge();
				return;
			}
			streamed = declared > BUFFERED_BODY
					|| (declared < 0 && request.getHeaders().contains(HttpHeader.TRANSFER_ENCODING));
			head = requestHead(request, address, streamed ? declared : Math.max(declared, 0));
			timeout = DeadlineTimer.shared().schedule(deadline, this::expire);
			if (!streamed && declared > 0) {
				body = new byte[(int) declared];
				phase.set(BODY);
				readBody();
			} else {
				acquire();
			}
		}

		/** Reads a small body whole, without waiting for it: Jetty calls back when more has arrived. */
		private void readBody() {
			while (phase.get() == BODY) {
				Content.Chunk chunk = request.read();
				if (chunk == null) {
					request.demand(Invocable.from(Invocable.InvocationType.NON_BLOCKING, this::readBody));
					return;
				}
				if (Content.Chunk.isFailure(chunk)) {
					failBeforeLinked(chunk.getFailure());
					return;
				}
				ByteBuffer b = chunk.getByteBuffer();
				int n = Math.min(b.remaining(), body.length - bodyLength);
				b.get(body, bodyLength, n);
				bodyLength += n;
				boolean last = chunk.isLast();
				chunk.release();
				if (last) {
					if (bodyLength < body.length) {
						failBeforeLinked(MicroError.badRequest(errorId, "request body shorter than its Content-Length"));
					} else if (phase.compareAndSet(BODY, CONNECTING)) {
						acquire();
					}
					return;
				}
			}
		}

		/** A pooled connection to the node, else a new one. */
		private void acquire() {
			BackendLink l;
			while ((l = take(address, selector)) != null) {
				if (l.claim(this, headRequest)) {
					linked(l);
					return;
				}
			}
			try {
				connector.connect(resolve(address), this, selector);
			} catch (IOException | RuntimeException e) {
				failed(e);
			}
		}

		@Override
		public BackendLink open(EndPoint endPoint, Executor executor) {
			return new BackendLink(endPoint, executor, address, this, headRequest);
		}

		@Override
		public void onOpen(BackendLink link) {
			linked(link);
		}

		@Override
		public void failed(Throwable failure) {
			if (phase.compareAndSet(CONNECTING, DONE)) {
				unwatch();
				fail(failure);
			}
		}

		/** A connection is ours: the request goes out on it. */
		private void linked(BackendLink l) {
			link = l;
			if (!phase.compareAndSet(CONNECTING, LINKED)) {
				l.close(); // timed out meanwhile, and answered
				return;
			}
			Callback sent = Callback.from(Invocable.InvocationType.NON_BLOCKING, () -> {
				if (streamed) {
					new BodyPump(l).iterate();
				} else {
					requestWritten(l);
				}
			}, failure -> {
				l.close(); // also when the answer was read already and the connection waits for this write
				onFailure(l, failure);
			});
			ByteBuffer h = head.slice();
			if (body != null) {
				l.send(sent, h, ByteBuffer.wrap(body));
			} else {
				l.send(sent, h);
			}
		}

		@Override
		public void onHead(BackendLink l) {
			ResponseParser p = l.parser;
			response.setStatus(p.status);
			HttpFields.Mutable out = response.getHeaders();
			Set<String> connectionTokens = Set.of();
			for (HttpField f : p.headers) {
				if (f.getHeader() == HttpHeader.CONNECTION) {
					connectionTokens = tokens(f.getValue(), connectionTokens);
				}
			}
			for (HttpField f : p.headers) {
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
		}

		@Override
		public boolean onContent(BackendLink l, ByteBuffer piece) {
			if (!streaming && l.parser.done()) {
				// the usual small answer, whole: copied, so the connection can go back before the client is written to
				lastPiece = ByteBuffer.wrap(Arrays.copyOfRange(piece.array(), piece.arrayOffset() + piece.position(),
						piece.arrayOffset() + piece.limit()));
				return true;
			}
			streaming = true;
			response.write(false, piece, Callback.from(Invocable.InvocationType.NON_BLOCKING, l::resume,
					failure -> clientFailed(l, failure)));
			return false;
		}

		@Override
		public void onComplete(BackendLink l) {
			if (link != l || !phase.compareAndSet(LINKED, DONE)) {
				return;
			}
			link = null;
			reuse = unwatch() && l.reusable();
			if (l.partDone()) {
				giveBack(l);
			} // else the request's write is still completing, and its callback gives the connection back
			response.write(true, lastPiece, callback);
		}

		/** The whole request reached the backend. */
		private void requestWritten(BackendLink l) {
			if (l.partDone()) {
				giveBack(l);
			}
		}

		/** Both parts of the exchange are over: the connection goes back to the pool, or is closed. */
		private void giveBack(BackendLink l) {
			if (reuse) {
				release(l);
			} else {
				l.close();
			}
		}

		@Override
		public void onFailure(BackendLink l, Throwable failure) {
			if (link != l) {
				return; // a connection given up already
			}
			// a kept-alive connection the backend closed while it was idle: once more on a new one, as Go's
			// Transport does, when nothing of the request was lost (its body was buffered, not streamed)
			boolean stale = !expired && !tooLarge && !streamed && l.reused && l.unanswered();
			if (!phase.compareAndSet(LINKED, stale ? CONNECTING : DONE)) {
				return;
			}
			link = null;
			l.close();
			if (stale) {
				dropIdle(address);
				acquire();
				return;
			}
			unwatch();
			if (tooLarge) {
				refuseTooLarge();
			} else {
				fail(failure);
			}
		}

		/** The client went away while the answer was being written to it. */
		private void clientFailed(BackendLink l, Throwable failure) {
			if (link == l && phase.compareAndSet(LINKED, DONE)) {
				link = null;
				unwatch();
				l.close();
				callback.failed(failure);
			}
		}

		/** A failure while reading the request body, before any connection. */
		private void failBeforeLinked(Throwable failure) {
			if (phase.compareAndSet(BODY, DONE)) {
				unwatch();
				fail(failure);
			}
		}

		/**
		 * The deadline passed. Before a connection is ours, the answer is the timer's to give; after, closing the
		 * connection makes it fail, and its failure answers (so the response is only ever written by one thread).
		 */
		private void expire() {
			expired = true;
			while (true) {
				int p = phase.get();
				if (p == DONE) {
					return;
				}
				if (p == LINKED) {
					BackendLink l = link;
					if (l != null) {
						l.close();
						return;
					}
					Thread.onSpinWait(); // between two connections of a retry
				} else if (phase.compareAndSet(p, DONE)) {
					fail(new SocketTimeoutException("no answer within the request's timeout"));
					return;
				}
			}
		}

		/** Cancels the deadline: false when it fired (the exchange's connection must then not be reused). */
		private boolean unwatch() {
			DeadlineTimer.Timeout t = timeout;
			return t == null || t.cancel();
		}

		private void refuseTooLarge() {
			Payloads.drain(request, () -> fail(tooLarge(errorId)));
		}

		private void fail(Throwable t) {
			MicroError error = t instanceof MicroError e ? e : error(expired ? new SocketTimeoutException() : t);
			if (response.isCommitted()) {
				callback.failed(error);
			} else {
				response.reset(); // the backend's status and headers, when its body failed before anything was sent
				Responses.error(response, callback, error);
			}
		}

		private MicroError error(Throwable t) {
			if (t instanceof SocketTimeoutException) {
				return MicroError.of(errorId, 504, "backend timed out: " + address);
			}
			if (t instanceof ConnectException) {
				return MicroError.of(errorId, 502, "backend unreachable: " + address);
			}
			return MicroError.of(errorId, 502,
					"backend failed: " + (t.getMessage() == null ? t.toString() : t.getMessage()));
		}

		/**
		 * A large or chunked request body, sent on as it arrives (declared, or chunked), each piece once the one
		 * before was written; past the limit the connection is closed and the exchange answers 413.
		 */
		private final class BodyPump extends IteratingCallback {
			private final BackendLink l;
			private final boolean chunked = request.getLength() < 0;
			private long total;
			private Content.Chunk current;
			private boolean finished;

			BodyPump(BackendLink l) {
				this.l = l;
			}

			@Override
			protected Action process() {
				if (current != null) {
					current.release();
					current = null;
				}
				if (finished) {
					requestWritten(l);
					return Action.SUCCEEDED;
				}
				while (phase.get() == LINKED && link == l) {
					Content.Chunk chunk = request.read();
					if (chunk == null) {
						request.demand(Invocable.from(Invocable.InvocationType.NON_BLOCKING, this::iterate));
						return Action.IDLE;
					}
					if (Content.Chunk.isFailure(chunk)) {
						l.close(); // the client's body failed: the exchange fails through its connection
						return Action.SUCCEEDED;
					}
					ByteBuffer b = chunk.getByteBuffer();
					int n = b.remaining();
					total += n;
					if (total > maxBody) {
						chunk.release();
						tooLarge = true;
						l.close();
						return Action.SUCCEEDED;
					}
					finished = chunk.isLast();
					if (n == 0 && !(finished && chunked)) {
						chunk.release();
						if (finished) {
							requestWritten(l);
							return Action.SUCCEEDED;
						}
						continue;
					}
					current = chunk;
					l.send(this, frame(b, n));
					return Action.SCHEDULED;
				}
				// the exchange ended (an early answer, a failure): nothing more to send, and with the request cut short the
				// connection cannot carry another
				l.close();
				return Action.SUCCEEDED;
			}

			private ByteBuffer[] frame(ByteBuffer b, int n) {
				if (!chunked) {
					return new ByteBuffer[] { b };
				}
				ByteBuffer size = ByteBuffer.wrap((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
				if (n == 0) {
					return new ByteBuffer[] { LAST_CHUNK.slice() };
				}
				return finished ? new ByteBuffer[] { size, b, CRLF.slice(), LAST_CHUNK.slice() }
						: new ByteBuffer[] { size, b, CRLF.slice() };
			}

			@Override
			protected void onCompleteFailure(Throwable cause) {
				if (current != null) {
					current.release();
					current = null;
				}
				l.close(); // the link reports the failure
			}

			@Override
			public InvocationType getInvocationType() {
				return InvocationType.NON_BLOCKING;
			}
		}
	}

	private MicroError tooLarge(String errorId) {
		return MicroError.of(errorId, 413, "request body larger than " + maxBody + " bytes");
	}

	private InetSocketAddress resolve(String address) throws IOException {
		InetSocketAddress a = resolved.get(address);
		if (a != null) {
			return a;
		}
		int colon = address.lastIndexOf(':');
		if (colon < 0) {
			throw new IOException("invalid node address \"" + address + "\"");
		}
		String host = address.substring(0, colon);
		if (host.startsWith("[") && host.endsWith("]")) {
			host = host.substring(1, host.length() - 1);
		}
		try {
			a = new InetSocketAddress(host.isEmpty() ? "127.0.0.1" : host, Integer.parseInt(address.substring(colon + 1)));
		} catch (IllegalArgumentException e) {
			throw new IOException("invalid node address \"" + address + "\"");
		}
		if (a.isUnresolved()) {
			throw new ConnectException("cannot resolve " + host);
		}
		if (resolved.size() > 1024) {
			resolved.clear(); // nodes come and go; this is a cache, not a record
		}
		resolved.put(address, a);
		return a;
	}

	/** The request head as it goes to the backend (Latin-1: Jetty's parser has checked the values). */
	private static ByteBuffer requestHead(Request request, String address, long bodyLength) {
		HeadBuilder h = new HeadBuilder();
		h.append(request.getMethod()).append(" ");
		String pathQuery = request.getHttpURI().getPathQuery();
		h.append(pathQuery == null || pathQuery.isEmpty() ? "/" : pathQuery).append(" HTTP/1.1\r\n");
		HttpFields headers = request.getHeaders();
		String connection = headers.get(HttpHeader.CONNECTION);
		Set<String> connectionTokens = connection == null ? Set.of() : tokens(connection, Set.of());
		String host = headers.get(HttpHeader.HOST);
		h.header("Host", host == null ? address : host);
		String forwardedFor = null;
		for (HttpField f : headers) {
			HttpHeader known = f.getHeader();
			if (known == HttpHeader.HOST || known == HttpHeader.CONTENT_LENGTH || isHopByHop(f, connectionTokens)) {
				continue;
			}
			if (known == HttpHeader.X_FORWARDED_FOR) {
				forwardedFor = forwardedFor == null ? f.getValue() : forwardedFor + ", " + f.getValue();
				continue;
			}
			h.header(f.getName(), f.getValue());
		}
		String client = remoteAddr(request);
		h.header("X-Forwarded-For", forwardedFor == null ? client : forwardedFor + ", " + client);
		if (bodyLength < 0) {
			h.header("Transfer-Encoding", "chunked");
		} else if (bodyLength > 0 || methodWithBody(request.getMethod())) {
			h.header("Content-Length", Long.toString(bodyLength));
		}
		return h.append("\r\n").toBuffer();
	}

	/** Latin-1 text into one array, so a small request leaves in one write. */
	private static final class HeadBuilder {
		private byte[] bytes = new byte[1024];
		private int length;

		HeadBuilder append(String s) {
			int n = s.length();
			if (length + n > bytes.length) {
				bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + n));
			}
			for (int i = 0; i < n; i++) {
				bytes[length++] = (byte) s.charAt(i);
			}
			return this;
		}

		HeadBuilder header(String name, String value) {
			return append(name).append(": ").append(value).append("\r\n");
		}

		ByteBuffer toBuffer() {
			return ByteBuffer.wrap(bytes, 0, length).asReadOnlyBuffer();
		}
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

	/**
	 * The idle connections to one node, one stack per selector of the connector (most recently used first), so a
	 * request takes a connection served by its own selector thread when there is one; counted, since a deque's
	 * size() walks it.
	 */
	private static final class Pool {
		final Deque<BackendLink>[] bySelector;
		final AtomicInteger size = new AtomicInteger();

		@SuppressWarnings("unchecked")
		Pool(int selectors) {
			bySelector = new Deque[selectors];
			for (int i = 0; i < selectors; i++) {
				bySelector[i] = new ConcurrentLinkedDeque<>();
			}
		}

		/** The most recent of the selector's own, else of another selector's. */
		BackendLink pollFirst(int selector) {
			int n = bySelector.length;
			for (int i = 0; i < n; i++) {
				BackendLink c = bySelector[(selector + i) % n].pollFirst();
				if (c != null) {
					size.decrementAndGet();
					return c;
				}
			}
			return null;
		}

		void offerFirst(BackendLink c) {
			bySelector[c.selector % bySelector.length].offerFirst(c);
		}

		boolean remove(BackendLink c) {
			if (bySelector[c.selector % bySelector.length].removeLastOccurrence(c)) {
				size.decrementAndGet();
				return true;
			}
			return false;
		}
	}

	private BackendLink take(String address, int selector) {
		Pool q = idle.get(address);
		if (q == null) {
			return null;
		}
		long now = System.nanoTime();
		BackendLink c;
		while ((c = q.pollFirst(selector)) != null) {
			if (now - c.idleSince < IDLE_NANOS && c.isOpen()) {
				return c;
			}
			c.close();
		}
		return null;
	}

	private void release(BackendLink c) {
		if (closed) {
			c.close();
			return;
		}
		Pool q = idle.computeIfAbsent(c.address, a -> new Pool(connector.selectorCount()));
		if (System.nanoTime() - lastSweep > IDLE_NANOS / 2) {
			sweep(); // amortised: no timer thread, and a pool that shrinks closes what it no longer uses
		}
		if (q.size.incrementAndGet() > IDLE_PER_NODE) {
			q.size.decrementAndGet();
			c.close();
			return;
		}
		c.idle();
		q.offerFirst(c);
		if (closed && q.remove(c)) {
			c.close();
		}
	}

	/** After a stale connection: the others to that node were idle as long, and the node may have restarted. */
	private void dropIdle(String address) {
		Pool q = idle.get(address);
		BackendLink c;
		while (q != null && (c = q.pollFirst(0)) != null) {
			c.close();
		}
	}

	/**
	 * Closes idle connections that outlived {@link #IDLE_NANOS}, of every node (also of nodes no longer used). The
	 * stacks are last-in-first-out, so the old ones are at the tail.
	 */
	void sweep() {
		long now = System.nanoTime();
		lastSweep = now;
		for (Pool q : idle.values()) {
			for (Deque<BackendLink> stack : q.bySelector) {
				BackendLink c;
				while ((c = stack.peekLast()) != null && now - c.idleSince >= IDLE_NANOS) {
					if (q.remove(c)) {
						c.close();
					}
				}
			}
		}
	}

	/** Idle connections to a node (for tests). */
	int idleConnections(String address) {
		Pool q = idle.get(address);
		return q == null ? 0 : q.size.get();
	}

	/** Closes the idle connections; those in use close when their exchange ends. */
	@Override
	public void close() {
		closed = true;
		for (Pool q : idle.values()) {
			BackendLink c;
			while ((c = q.pollFirst(0)) != null) {
				c.close();
			}
		}
	}
}
