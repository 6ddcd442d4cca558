package micro.client.internal;

import java.io.EOFException;
import java.io.IOException;
import java.lang.reflect.Type;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Supplier;

import micro.broker.Broker;
import micro.broker.BrokerMessage;
import micro.client.CallOptions;
import micro.client.Client;
import micro.client.ClientStream;
import micro.client.Request;
import micro.codec.Codec;
import micro.codec.Frame;
import micro.codec.internal.Codecs;
import micro.config.MicroConfig;
import micro.errors.MicroError;
import micro.registry.Node;
import micro.selector.Selector;
import micro.selector.Strategy;
import micro.transport.Message;
import micro.transport.Socket;
import micro.transport.Transport;

/**
 * go-micro's {@code mucp} client (micro-v2.md §7.4, §8.1.2, §8.1.5, §8.1.6, §3.3).
 * <p>
 * A call picks nodes through the selector (or the addresses of the options, or {@code MICRO_PROXY}), and makes up to
 * {@code 1 + retries} attempts within one deadline ({@code client_request_timeout}, 5 s, or the options' timeout),
 * waiting {@code attempt^e × 100 ms} before each retry. Only errors with code 408 or 500 are retried; an unknown
 * service fails at once. Connections come from a per-address pool and go back only after a call that ended cleanly.
 * <p>
 * {@code MICRO_PROXY} (the {@code proxy} key of the configuration, else the environment variable) sends every call
 * and stream to a proxy with retries off, keeping the real service and endpoint in the headers: a value with a
 * {@code :} is dialled as an address, {@code service} means the service {@code go.micro.proxy}, anything else is a
 * service name to look up.
 */
public final class RpcClient implements Client, AutoCloseable {
	public static final String PROXY_SERVICE = "go.micro.proxy";
	static final Duration DIAL_TIMEOUT = Duration.ofSeconds(5);
	private static final Duration MAX_BACKOFF = Duration.ofMinutes(2);
	private static final String EOS = "EOS";
	private static final String TIMEOUT_DETAIL = "call timeout: context deadline exceeded";

	private final MicroConfig config;
	private final Selector selector;
	private final Transport transport;
	private final Codecs codecs;
	private final Broker broker;
	private final Duration requestTimeout;
	private final int retries;
	private final ConnectionPool pool;
	private final AtomicLong sequence = new AtomicLong();

	public RpcClient(MicroConfig config, Selector selector, Transport transport, Codecs codecs, Broker broker) {
		this.config = config == null ? MicroConfig.of(Map.of()) : config;
		this.selector = Objects.requireNonNull(selector, "selector");
		this.transport = Objects.requireNonNull(transport, "transport");
		this.codecs = Objects.requireNonNull(codecs, "codecs");
		this.broker = broker;
		this.requestTimeout = this.config.getDuration(MicroConfig.CLIENT_REQUEST_TIMEOUT, Duration.ofSeconds(5),
				ChronoUnit.SECONDS);
		this.retries = this.config.getInt(MicroConfig.CLIENT_RETRIES, 1);
		if (retries < 0) {
			throw new IllegalArgumentException("invalid value \"" + retries + "\" for client_retries: must be 0 or more");
		}
		int poolSize = this.config.getInt(MicroConfig.CLIENT_POOL_SIZE, 100);
		Duration poolTtl = this.config.getDuration(MicroConfig.CLIENT_POOL_TTL, Duration.ofMinutes(1), ChronoUnit.SECONDS);
		this.pool = new ConnectionPool(poolSize, poolTtl);
	}

	public Broker broker() {
		return broker;
	}

	// ---- calls

	@Override
	@SuppressWarnings("unchecked")
	public <T> T call(Request request, Class<T> responseType, CallOptions options) {
		return (T) call(request, (Type) responseType, options);
	}

	@Override
	public Object call(Request request, Type responseType, CallOptions options) {
		Objects.requireNonNull(request, "request");
		CallOptions o = options == null ? CallOptions.DEFAULTS : options;
		Duration timeout = positive(o.timeout()) ? o.timeout() : requestTimeout;
		long deadline = System.nanoTime() + timeout.toNanos();
		requireCodec(request.contentType());
		Route route = route(request, o);
		return withRetries(route, o, deadline, node -> callNode(node, request, responseType, o, deadline));
	}

	/**
	 * Runs attempts on the route's nodes until one succeeds: up to 1 + retries of them (no retry through a proxy), with
	 * go-micro's backoff between them, only after errors with code 408 or 500, and never past the deadline.
	 */
	private <T> T withRetries(Route route, CallOptions o, long deadline, Function<Node, T> attempt) {
		int attempts = 1 + (route.proxied ? 0 : o.retries() >= 0 ? o.retries() : retries);
		Supplier<Node> next = route.nodes.get();
		MicroError last = null;
		for (int i = 0; i < attempts; i++) {
			long wait = backoff(i).toNanos();
			if (wait > 0) {
				if (deadline - System.nanoTime() <= wait) {
					throw timeout();
				}
				sleep(wait);
			}
			if (deadline - System.nanoTime() <= 0) {
				throw timeout();
			}
			try {
				return attempt.apply(next.get());
			} catch (Final f) {
				throw f.error;
			} catch (MicroError e) {
				last = e;
				if (e.code() != 408 && e.code() != 500) {
					throw e;
				}
			}
		}
		throw last;
	}

	/** One attempt on one node. */
	private Object callNode(Node node, Request request, Type responseType, CallOptions o, long deadline) {
		String address = node.address();
		String contentType = negotiate(node, request.contentType());
		Codec codec = requireCodec(contentType);
		String id = Long.toString(sequence.getAndIncrement());
		Frame frame = new Frame(Frame.Kind.REQUEST).id(id).service(request.service()).endpoint(request.endpoint());
		byte[] body = encode(codec, frame, request.body(), "request");
		Map<String, String> headers = headers(request, o, contentType, id);
		headers.put("Timeout", Long.toString(Math.max(1, deadline - System.nanoTime())));
		Message message = new Message(headers, body);

		ConnectionPool.Pooled conn = pool.take(address);
		boolean reused = conn != null;
		if (conn == null) {
			conn = dial(address, deadline);
		}
		boolean clean = false;
		try {
			Message response;
			try {
				response = exchange(conn.socket(), message, deadline);
			} catch (IOException stale) {
				if (!reused || stale instanceof SocketTimeoutException) {
					throw stale;
				}
				// the server closed an idle pooled connection: try once on a fresh one
				conn.socket().close();
				conn = dial(address, deadline);
				response = exchange(conn.socket(), message, deadline);
			}
			Object result = decodeResponse(codec, contentType, response, responseType);
			clean = true;
			return result;
		} catch (SocketTimeoutException e) {
			throw timeout();
		} catch (IOException e) {
			if (deadline - System.nanoTime() <= 0) {
				throw timeout();
			}
			throw MicroError.internalServerError(ERROR_ID, e.getMessage() == null ? e.toString() : e.getMessage());
		} finally {
			if (clean) {
				pool.release(address, conn);
			} else {
				conn.socket().close();
			}
		}
	}

	private static Message exchange(Socket socket, Message message, long deadline) throws IOException {
		socket.send(message);
		long left = deadline - System.nanoTime();
		if (left <= 0) {
			throw new SocketTimeoutException("deadline passed");
		}
		// each exchange sets its own bound, so a pooled connection needs no reset afterwards
		socket.setTimeout(Duration.ofNanos(left));
		return socket.recv();
	}

	private Object decodeResponse(Codec codec, String contentType, Message response, Type responseType) {
		String error = response.header("Micro-Error");
		if (error != null && !error.isEmpty()) {
			throw MicroError.parse(error);
		}
		String responseContentType = response.header("Content-Type");
		if (responseContentType != null && responseContentType.startsWith("text/plain")
				&& !contentType.startsWith("text/plain") && response.body().length > 0) {
			// the server's answer to a content type it does not support
			throw new Final(MicroError.internalServerError(ERROR_ID,
					new String(response.body(), StandardCharsets.UTF_8).trim()));
		}
		return decode(codec, response.body(), responseType);
	}

	/** Decodes a response or stream message body; a failure is not worth a retry. */
	private static Object decode(Codec codec, byte[] data, Type type) {
		try {
			Frame frame = new Frame(Frame.Kind.RESPONSE);
			byte[] inner = codec.decodeEnvelope(frame, data);
			if (!frame.error().isEmpty()) {
				throw MicroError.parse(frame.error());
			}
			return codec.decodeBody(inner, type == null ? Object.class : type);
		} catch (IOException e) {
			throw new Final(MicroError.internalServerError(ERROR_ID, "error decoding response: " + e.getMessage()));
		} catch (MicroError e) {
			if (Objects.equals(e.id(), micro.server.Server.ERROR_ID) && e.code() == 400) {
				// the codec's "malformed body" error, made for servers: here it is the response that is bad
				throw new Final(MicroError.internalServerError(ERROR_ID, "error decoding response: " + e.detail()));
			}
			throw e;
		} catch (RuntimeException e) {
			throw new Final(MicroError.internalServerError(ERROR_ID, "error decoding response: " + e.getMessage()));
		}
	}

	private static byte[] encode(Codec codec, Frame frame, Object body, String what) {
		try {
			return codec.encode(frame, body);
		} catch (IOException | RuntimeException e) {
			if (e instanceof MicroError m) {
				throw new Final(m);
			}
			throw new Final(MicroError.internalServerError(ERROR_ID, "error encoding " + what + ": " + e.getMessage()));
		}
	}

	private ConnectionPool.Pooled dial(String address, long deadline) {
		long left = deadline - System.nanoTime();
		Duration timeout = left <= 0 ? Duration.ofMillis(1)
				: Duration.ofNanos(Math.min(left, DIAL_TIMEOUT.toNanos()));
		try {
			return new ConnectionPool.Pooled(transport.dial(address, timeout), System.nanoTime());
		} catch (IOException | RuntimeException e) {
			throw MicroError.internalServerError(ERROR_ID, "connection error: " + e.getMessage());
		}
	}

	/** The request headers of §8.1.2: metadata Title-Cased (not {@code Micro-Topic}), then the protocol's own. */
	private static Map<String, String> headers(Request request, CallOptions o, String contentType, String id) {
		Map<String, String> h = new LinkedHashMap<>();
		o.metadata().asMap().forEach((k, v) -> {
			if (!k.equalsIgnoreCase(BrokerMessage.TOPIC_HEADER)) {
				h.put(k, v);
			}
		});
		h.put("Content-Type", contentType);
		h.put("Accept", contentType);
		h.put("Micro-Id", id);
		h.put("Micro-Service", request.service());
		h.put("Micro-Method", request.endpoint());
		h.put("Micro-Endpoint", request.endpoint());
		return h;
	}

	/** Legacy negotiation (§8.1.4): a node without {@code protocol} metadata speaks json-rpc or proto-rpc. */
	static String negotiate(Node node, String contentType) {
		String protocol = node.metadata().get("protocol");
		if (protocol != null && !protocol.isEmpty()) {
			return contentType;
		}
		String bare = Codecs.normalise(contentType);
		if ("application/json".equals(bare)) {
			return "application/json-rpc";
		}
		if ("application/protobuf".equals(bare)) {
			return "application/proto-rpc";
		}
		return contentType;
	}

	private Codec requireCodec(String contentType) {
		Codec codec = codecs.get(contentType);
		if (codec == null) {
			throw MicroError.badRequest(ERROR_ID, "unsupported Content-Type: " + contentType);
		}
		return codec;
	}

	// ---- routing

	/** Where a request goes: the node supplier (made lazily, so "not found" is thrown once) and whether proxied. */
	private record Route(Supplier<Supplier<Node>> nodes, boolean proxied) {
	}

	private Route route(Request request, CallOptions o) {
		String proxy = proxy();
		List<String> addresses = o.addresses();
		String service = request.service();
		boolean proxied = false;
		if (proxy != null && !proxy.isBlank()) {
			proxied = true;
			proxy = proxy.trim();
			if (proxy.equals("service")) {
				service = PROXY_SERVICE;
				addresses = List.of();
			} else if (proxy.contains(":")) {
				addresses = List.of(proxy);
			} else {
				service = proxy;
			}
		}
		if (!addresses.isEmpty()) {
			List<Node> fixed = addresses.stream()
					.map(a -> new Node(request.service(), a, Map.of("protocol", "mucp"))).toList();
			AtomicInteger turn = new AtomicInteger();
			return new Route(() -> () -> fixed.get(Math.floorMod(turn.getAndIncrement(), fixed.size())), proxied);
		}
		String target = service;
		Strategy strategy = o.strategy() == null ? Strategy.RANDOM : o.strategy();
		return new Route(() -> selector.select(target, null, strategy), proxied);
	}

	private String proxy() {
		String p = config.get(MicroConfig.PROXY);
		return p != null && !p.isBlank() ? p : System.getenv("MICRO_PROXY");
	}

	// ---- streams

	/**
	 * Opens a stream on a new connection. The request's body is sent as the first message, which the MUCP server
	 * discards (as go-micro's does): data the handler must read goes through {@link ClientStream#send} after opening.
	 * Without a timeout in the options the stream has none; with one, it is sent as the {@code Timeout} header and
	 * bounds each {@link ClientStream#recv}: a receive that times out fails with 408 and ends the stream (its
	 * connection is closed, as a frame may have been half read).
	 */
	@Override
	public ClientStream stream(Request request, CallOptions options) {
		Objects.requireNonNull(request, "request");
		CallOptions o = options == null ? CallOptions.DEFAULTS : options;
		Duration streamTimeout = positive(o.timeout()) ? o.timeout() : null;
		long openDeadline = System.nanoTime() + (streamTimeout != null ? streamTimeout : requestTimeout).toNanos();
		requireCodec(request.contentType());
		Route route = route(request, o);
		return withRetries(route, o, openDeadline, node -> open(node, request, o, streamTimeout, openDeadline));
	}

	private RpcClientStream open(Node node, Request request, CallOptions o, Duration streamTimeout, long deadline) {
		String contentType = negotiate(node, request.contentType());
		Codec codec = requireCodec(contentType);
		String id = Long.toString(sequence.getAndIncrement());
		Map<String, String> headers = headers(request, o, contentType, id);
		headers.put("Micro-Stream", id);
		if (streamTimeout != null) {
			headers.put("Timeout", Long.toString(streamTimeout.toNanos()));
		}
		Socket socket = dial(node.address(), deadline).socket();
		RpcClientStream stream = new RpcClientStream(socket, codec, request, headers, id, streamTimeout);
		try {
			stream.sendFrame(request.body(), null);
		} catch (RuntimeException e) {
			socket.close();
			throw e;
		}
		return stream;
	}

	/** The client side of one stream (§8.1.6). */
	private static final class RpcClientStream implements ClientStream {
		private final Socket socket;
		private final Codec codec;
		private final Request request;
		private final Map<String, String> headers;
		private final String id;
		private final Duration timeout;
		private volatile boolean sendClosed;
		private volatile boolean ended;

		RpcClientStream(Socket socket, Codec codec, Request request, Map<String, String> headers, String id,
				Duration timeout) {
			this.socket = socket;
			this.codec = codec;
			this.request = request;
			this.headers = headers;
			this.id = id;
			this.timeout = timeout;
		}

		void sendFrame(Object body, String error) {
			Frame frame = new Frame(error == null ? Frame.Kind.REQUEST : Frame.Kind.ERROR).id(id)
					.service(request.service()).endpoint(request.endpoint()).error(error);
			byte[] bytes = error == null ? encode(codec, frame, body, "stream message") : new byte[0];
			Message m = new Message(headers, bytes);
			if (error != null) {
				m.header("Micro-Error", error);
			}
			try {
				socket.send(m);
			} catch (IOException e) {
				throw MicroError.internalServerError(ERROR_ID, "stream send: " + e.getMessage());
			}
		}

		@Override
		public void send(Object message) {
			if (sendClosed) {
				throw MicroError.internalServerError(ERROR_ID, "stream send: the stream is closed for sending");
			}
			try {
				sendFrame(message, null);
			} catch (Final f) {
				throw f.error;
			}
		}

		@Override
		@SuppressWarnings("unchecked")
		public <T> T recv(Class<T> type) {
			if (ended) {
				return null;
			}
			Message m;
			try {
				socket.setTimeout(timeout == null ? Duration.ZERO : timeout);
				m = socket.recv();
			} catch (SocketTimeoutException e) {
				ended = true;
				socket.close();
				throw timeout();
			} catch (EOFException e) {
				ended = true;
				throw MicroError.internalServerError(ERROR_ID, "stream closed: the connection ended before EOS");
			} catch (IOException e) {
				ended = true;
				throw MicroError.internalServerError(ERROR_ID, "stream receive: " + e.getMessage());
			}
			String error = m.header("Micro-Error");
			if (error != null && !error.isEmpty()) {
				ended = true;
				if (EOS.equals(error)) {
					return null;
				}
				throw MicroError.parse(error);
			}
			try {
				return (T) decode(codec, m.body(), type);
			} catch (Final f) {
				throw f.error;
			}
		}

		@Override
		public void closeSend() {
			if (sendClosed) {
				return;
			}
			sendClosed = true;
			sendFrame(null, EOS);
		}

		@Override
		public void close() {
			try {
				if (!sendClosed && !socket.isClosed()) {
					closeSend();
				}
			} catch (MicroError ignored) {
				// the connection is going away anyway
			} finally {
				ended = true;
				socket.close();
			}
		}
	}

	// ---- publish

	@Override
	public void publish(String topic, Object message, String contentType, CallOptions options) {
		if (topic == null || topic.isBlank()) {
			throw MicroError.badRequest(ERROR_ID, "publish needs a topic");
		}
		if (broker == null) {
			throw MicroError.internalServerError(ERROR_ID, "cannot publish to " + topic + ": no broker configured");
		}
		CallOptions o = options == null ? CallOptions.DEFAULTS : options;
		String ct = contentType == null || contentType.isBlank() ? Request.DEFAULT_CONTENT_TYPE : contentType;
		Codec codec = requireCodec(ct);
		String id = UUID.randomUUID().toString();
		byte[] body;
		try {
			body = encode(codec, new Frame(Frame.Kind.EVENT).id(id).endpoint(topic), message, "message");
		} catch (Final f) {
			throw f.error;
		}
		Map<String, String> h = new LinkedHashMap<>(o.metadata().asMap());
		h.put(BrokerMessage.CONTENT_TYPE_HEADER, ct);
		h.put(BrokerMessage.TOPIC_HEADER, topic);
		h.put(BrokerMessage.ID_HEADER, id);
		try {
			broker.publish(topic, new BrokerMessage(h, body));
		} catch (IOException | RuntimeException e) {
			throw MicroError.from(ERROR_ID, e);
		}
	}

	// ---- helpers

	/** go-micro's backoff: {@code attempt^e × 100 ms}, none before the first attempt, at most 2 minutes. */
	static Duration backoff(int attempt) {
		if (attempt <= 0) {
			return Duration.ZERO;
		}
		double ms = Math.pow(attempt, Math.E) * 100;
		return ms >= MAX_BACKOFF.toMillis() ? MAX_BACKOFF : Duration.ofMillis((long) ms);
	}

	private static void sleep(long nanos) {
		try {
			Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			throw MicroError.internalServerError(ERROR_ID, "call interrupted");
		}
	}

	private static MicroError timeout() {
		return MicroError.timeout(ERROR_ID, TIMEOUT_DETAIL);
	}

	private static boolean positive(Duration d) {
		return d != null && !d.isZero() && !d.isNegative();
	}

	int idleConnections(String address) {
		return pool.idleCount(address);
	}

	/** Closes the idle pooled connections. */
	@Override
	public void close() {
		pool.close();
	}

	/** An error that ends the call at once: retrying cannot help. */
	private static final class Final extends RuntimeException {
		private static final long serialVersionUID = 1L;
		final MicroError error;

		Final(MicroError error) {
			super(error.getMessage(), null, false, false);
			this.error = error;
		}
	}
}
