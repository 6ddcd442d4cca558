package micro.server.internal;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import micro.broker.Broker;
import micro.codec.Codec;
import micro.codec.Frame;
import micro.codec.RawBody;
import micro.codec.internal.Codecs;
import micro.config.MicroConfig;
import micro.errors.MicroError;
import micro.metadata.Metadata;
import micro.registry.Endpoint;
import micro.registry.Node;
import micro.registry.Registry;
import micro.registry.RegistryException;
import micro.registry.Service;
import micro.server.DescribedHandler;
import micro.server.Server;
import micro.server.ServerOptions;
import micro.transport.Listener;
import micro.transport.Message;
import micro.transport.Transport;
import micro.transport.DeadlineTimer;

/**
 * go-micro's {@code mucp} server (gm:server/rpc_server.go): listens on the transport, serves handler endpoints,
 * streams, events and the internal {@code Debug} handler, subscribes its subscribers on the broker, and keeps its node
 * registered. A unary request runs on its connection's reading thread, handed to a worker only when it runs long
 * (see {@link Connection}); streams and events run on workers. The connection's socket serialises the responses.
 */
public final class RpcServer implements Server {
	private static final System.Logger LOG = System.getLogger(RpcServer.class.getName());
	private static final String DEBUG = "Debug";
	private static final Duration STOP_WAIT = Duration.ofSeconds(10);
	private static final byte[] EMPTY = new byte[0];
	/** The server a thread is running a handler for, or doing work for on behalf of one (see {@link #onBehalfOf}). */
	private static final ThreadLocal<RpcServer> SERVING = new ThreadLocal<>();

	private final ServerOptions options;
	private final MicroConfig config;
	private final Registry registry;
	private final Broker broker;
	private final Transport transport;
	private final Codecs codecs;
	private final String nodeId;

	private final Map<String, RegisteredHandler> handlers = new ConcurrentHashMap<>();
	private final List<Subscriber> subscribers = new CopyOnWriteArrayList<>();
	private final AtomicLong requests = new AtomicLong();
	private final AtomicLong errors = new AtomicLong();
	private final AtomicInteger inFlight = new AtomicInteger();
	private final Object inFlightLock = new Object();
	/** Closed when the last request has answered: the server was stopped by one of them. Guarded by inFlightLock. */
	private Listener listenerToClose;
	/**
	 * Serialises registry writes: a re-registration under way when the server stops finishes before the deregistration,
	 * and none starts after it, so a stopped node is never registered again.
	 */
	private final Object registrationLock = new Object();

	private final ExecutorService workers;
	private final ScheduledExecutorService scheduler;

	private volatile boolean started;
	private volatile Listener listener;
	private volatile String advertised;
	private ScheduledFuture<?> reregistration;
	/** Completed once the latest stop() has deregistered and unsubscribed. Guarded by this. */
	private CompletableFuture<Void> deregistration = CompletableFuture.completedFuture(null);

	private record RegisteredHandler(String name, Object target, Map<String, HandlerMethod> methods, boolean internal) {
	}

	public RpcServer(ServerOptions options, MicroConfig config, Registry registry, Broker broker, Transport transport,
			Codecs codecs) {
		if (options == null || registry == null || transport == null || codecs == null) {
			throw new IllegalArgumentException("a server needs options, a registry, a transport and codecs");
		}
		this.config = config == null ? MicroConfig.of(Map.of()) : config;
		this.options = resolve(options, this.config);
		this.registry = registry;
		this.broker = broker;
		this.transport = transport;
		this.codecs = codecs;
		String id = this.config.get(MicroConfig.SERVER_ID, UUID.randomUUID().toString());
		this.nodeId = this.options.name() + "-" + id;
		String name = this.options.name();
		AtomicInteger n = new AtomicInteger();
		this.workers = Executors.newCachedThreadPool(r -> daemon(r, "micro-server-" + name + "-" + n.incrementAndGet()));
		ScheduledThreadPoolExecutor s = new ScheduledThreadPoolExecutor(1, r -> daemon(r, "micro-server-" + name + "-timer"));
		s.setRemoveOnCancelPolicy(true);
		// idle threads end, so a stopped server leaves none behind
		s.setKeepAliveTime(30, TimeUnit.SECONDS);
		s.allowCoreThreadTimeOut(true);
		this.scheduler = s;
		DebugHandler debug = new DebugHandler(requests::get, errors::get);
		handlers.put(DEBUG, new RegisteredHandler(DEBUG, debug, HandlerMethod.scan(DEBUG, debug, Map.of()), true));
	}

	private static Thread daemon(Runnable r, String name) {
		Thread t = new Thread(r, name);
		t.setDaemon(true);
		return t;
	}

	/** Null fields take the configuration's values (go-micro's defaults when it has none). */
	private static ServerOptions resolve(ServerOptions o, MicroConfig c) {
		String version = firstNonEmpty(o.version(), c.get(MicroConfig.SERVER_VERSION), "latest");
		String address = firstNonEmpty(o.address(), c.get(MicroConfig.SERVER_ADDRESS), "127.0.0.1:0");
		String advertise = firstNonEmpty(o.advertise(), c.get(MicroConfig.SERVER_ADVERTISE), null);
		Map<String, String> metadata = new LinkedHashMap<>();
		for (String kv : c.getList(MicroConfig.SERVER_METADATA)) {
			int eq = kv.indexOf('=');
			if (eq > 0) {
				metadata.put(kv.substring(0, eq).trim(), kv.substring(eq + 1).trim());
			}
		}
		metadata.putAll(o.metadata());
		Duration ttl = o.registerTtl() != null ? o.registerTtl()
				: c.getDuration(MicroConfig.REGISTER_TTL, Duration.ofSeconds(60), ChronoUnit.SECONDS);
		Duration interval = o.registerInterval() != null ? o.registerInterval()
				: c.getDuration(MicroConfig.REGISTER_INTERVAL, Duration.ofSeconds(30), ChronoUnit.SECONDS);
		return new ServerOptions(o.name(), version, address, advertise, metadata, ttl, interval);
	}

	private static String firstNonEmpty(String... values) {
		for (String v : values) {
			if (v != null && !v.isBlank()) {
				return v;
			}
		}
		return null;
	}

	@Override
	public ServerOptions options() {
		return options;
	}

	@Override
	public String nodeId() {
		return nodeId;
	}

	@Override
	public String address() {
		return advertised;
	}

	@Override
	public boolean isStarted() {
		return started;
	}

	// ---- handlers and subscribers

	@Override
	public void handle(String name, Object handler, Map<String, Map<String, String>> endpointMetadata) {
		if (handler == null) {
			throw new IllegalArgumentException("handler is null");
		}
		// a generated handler interface knows its proto service name and its endpoints' metadata
		DescribedHandler described = handler instanceof DescribedHandler d ? d : null;
		String typeName = name != null && !name.isBlank() ? name
				: described != null ? described.handlerName() : handler.getClass().getSimpleName();
		if (typeName == null) {
			throw new IllegalArgumentException(handler.getClass().getName() + " names no handler");
		}
		if ((endpointMetadata == null || endpointMetadata.isEmpty()) && described != null) {
			endpointMetadata = described.endpointMetadata();
		}
		if (typeName.isEmpty() || typeName.contains(".")) {
			throw new IllegalArgumentException("invalid handler name \"" + typeName + "\" for "
					+ handler.getClass().getName() + ": give a name without dots");
		}
		if (typeName.equals(DEBUG)) {
			throw new IllegalArgumentException("the handler name Debug is reserved for the internal debug handler");
		}
		Map<String, HandlerMethod> methods = HandlerMethod.scan(typeName, handler,
				endpointMetadata == null ? Map.of() : endpointMetadata);
		if (methods.isEmpty()) {
			throw new IllegalArgumentException(handler.getClass().getName()
					+ " has no endpoint method: Rsp m([Context,] Req), void m([Context,] Req, ServerStream) or"
					+ " void m([Context,] ServerStream)");
		}
		RegisteredHandler previous = handlers.put(typeName, new RegisteredHandler(typeName, handler, methods, false));
		if (previous != null && previous.target() != handler) {
			LOG.log(Level.INFO, "{0}: handler {1} replaces {2}", options.name(), typeName,
					previous.target().getClass().getName());
		}
		registrationChanged();
	}

	@Override
	public void unhandle(Object handler) {
		if (handlers.values().removeIf(h -> !h.internal() && h.target() == handler)) {
			registrationChanged();
		}
	}

	@Override
	public void subscribe(String topic, Object subscriber, String queue) {
		if (topic == null || topic.isBlank()) {
			throw new IllegalArgumentException("a subscriber needs a topic");
		}
		Subscriber s = new Subscriber(topic, subscriber, queue);
		subscribers.add(s);
		if (started) {
			subscribeOnBroker(s);
		}
		registrationChanged();
	}

	@Override
	public void unsubscribe(Object subscriber) {
		List<Subscriber> removed = new ArrayList<>();
		for (Subscriber s : subscribers) {
			if (s.target() == subscriber) {
				removed.add(s);
			}
		}
		subscribers.removeAll(removed);
		removed.forEach(RpcServer::closeSubscription);
		if (!removed.isEmpty()) {
			registrationChanged();
		}
	}

	private void subscribeOnBroker(Subscriber s) {
		if (broker == null) {
			LOG.log(Level.WARNING, "{0}: no broker, so subscriber {1} only gets events sent over the transport",
					options.name(), s.topic());
			return;
		}
		try {
			s.subscription = broker.subscribe(s.topic(), s.queue(),
					(topic, message) -> s.deliver(codecs, options.name(), message.header(), message.body()));
		} catch (IOException e) {
			LOG.log(Level.WARNING, "{0}: cannot subscribe to {1}: {2}", options.name(), s.topic(), e.getMessage());
		}
	}

	private static void closeSubscription(Subscriber s) {
		micro.broker.Subscription sub = s.subscription;
		s.subscription = null;
		if (sub != null) {
			try {
				sub.close();
			} catch (RuntimeException e) {
				LOG.log(Level.DEBUG, "unsubscribe {0}: {1}", s.topic(), e.getMessage());
			}
		}
	}

	// ---- lifecycle

	@Override
	public synchronized void start() throws IOException {
		if (started) {
			return;
		}
		Listener l = transport.listen(options.address());
		try {
			advertised = advertiseAddress(l.address());
			listener = l;
			l.accept(socket -> new Connection(this, socket, workers).serve());
			registerWithRetries();
		} catch (IOException | RuntimeException e) {
			l.close();
			listener = null;
			advertised = null;
			throw e instanceof IOException io ? io : new IOException(e.getMessage(), e);
		}
		for (Subscriber s : subscribers) {
			subscribeOnBroker(s);
		}
		started = true;
		long every = options.registerInterval().toMillis();
		if (every > 0) {
			reregistration = scheduler.scheduleWithFixedDelay(this::reregister, every, every, TimeUnit.MILLISECONDS);
		}
		LOG.log(Level.INFO, "{0}: mucp server listening on {1} (node {2})", options.name(), l.address(), nodeId);
	}

	/**
	 * The task, made to run as part of the request the calling thread is serving, if any. Work that a handler hands to
	 * another thread and waits for (a component being deactivated stops its servers on a thread of its own) stops this
	 * server without waiting for that request, which cannot finish before the work does.
	 */
	public static Runnable onBehalfOf(Runnable task) {
		RpcServer requester = SERVING.get();
		if (requester == null) {
			return task;
		}
		return () -> {
			RpcServer before = SERVING.get();
			SERVING.set(requester);
			try {
				task.run();
			} finally {
				if (before == null) {
					SERVING.remove();
				} else {
					SERVING.set(before);
				}
			}
		};
	}

	/**
	 * Stops the server: deregisters it, ends its subscriptions, waits (at most 10 s) for requests in flight, closes
	 * the listener. A stop() called while another is under way returns once that one has deregistered: the runtime
	 * stops a server from two threads when its registry goes (the whiteboard's and the one deactivating the server
	 * factory), and the registry is closed as soon as the second call returns.
	 */
	@Override
	public void stop() {
		Listener l;
		boolean stopping;
		CompletableFuture<Void> deregistered;
		synchronized (this) {
			stopping = started;
			if (stopping) {
				started = false;
				deregistration = new CompletableFuture<>();
				if (reregistration != null) {
					reregistration.cancel(false);
				}
			}
			deregistered = deregistration;
			l = listener;
		}
		if (!stopping) {
			awaitDeregistration(deregistered);
			return;
		}
		try {
			synchronized (registrationLock) {
				try {
					registry.deregister(service());
				} catch (RegistryException | RuntimeException e) {
					LOG.log(Level.WARNING, "{0}: deregister failed: {1}", options.name(), e.getMessage());
				}
			}
			subscribers.forEach(RpcServer::closeSubscription);
		} finally {
			deregistered.complete(null);
		}
		// stopped by one of its own requests (the runtime service removing the plugin this server is registered with):
		// not waiting for that request, and closing once it has answered
		boolean byOwnRequest = SERVING.get() == this;
		awaitInFlight(STOP_WAIT, byOwnRequest ? 1 : 0);
		if (l != null) {
			if (byOwnRequest) {
				closeWhenIdle(l);
			} else {
				l.close();
			}
		}
		synchronized (this) {
			listener = null;
		}
		LOG.log(Level.INFO, "{0}: stopped (node {1})", options.name(), nodeId);
	}

	/** Waits (at most 10 s) for the deregistration of the stop() under way, if any. */
	private void awaitDeregistration(CompletableFuture<Void> deregistered) {
		try {
			deregistered.get(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS);
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
		} catch (ExecutionException | TimeoutException e) {
			LOG.log(Level.WARNING, "{0}: the stop under way did not deregister within {1}", options.name(), STOP_WAIT);
		}
	}

	private void awaitInFlight(Duration max, int own) {
		long until = System.nanoTime() + max.toNanos();
		synchronized (inFlightLock) {
			while (inFlight.get() > own) {
				long left = until - System.nanoTime();
				if (left <= 0) {
					LOG.log(Level.WARNING, "{0}: stopping with {1} requests still running", options.name(),
							inFlight.get() - own);
					return;
				}
				try {
					inFlightLock.wait(Math.max(1, left / 1_000_000));
				} catch (InterruptedException e) {
					Thread.currentThread().interrupt();
					return;
				}
			}
		}
	}

	private void begin() {
		inFlight.incrementAndGet();
	}

	private void done() {
		if (inFlight.decrementAndGet() == 0) {
			Listener pending;
			synchronized (inFlightLock) {
				inFlightLock.notifyAll();
				pending = listenerToClose;
				listenerToClose = null;
			}
			if (pending != null) {
				pending.close();
			}
		}
	}

	private void closeWhenIdle(Listener l) {
		synchronized (inFlightLock) {
			if (inFlight.get() > 0) {
				listenerToClose = l;
				return;
			}
		}
		l.close();
	}

	// ---- registration

	/** The registry record of this node: endpoints of the advertised handlers sorted by name, then subscribers'. */
	public Service service() {
		List<Endpoint> endpoints = new ArrayList<>();
		for (RegisteredHandler h : handlers.values()) {
			if (!h.internal()) {
				h.methods().values().forEach(m -> endpoints.add(m.description()));
			}
		}
		endpoints.sort(Comparator.comparing(Endpoint::name));
		List<Endpoint> subscriberEndpoints = new ArrayList<>();
		subscribers.forEach(s -> subscriberEndpoints.addAll(s.endpoints()));
		subscriberEndpoints.sort(Comparator.comparing(Endpoint::name));
		endpoints.addAll(subscriberEndpoints);
		Map<String, String> md = new TreeMap<>(options.metadata());
		md.put("broker", broker != null ? broker.name() : config.get(MicroConfig.BROKER, "http"));
		md.put("protocol", "mucp");
		md.put("registry", registry.name());
		md.put("server", "mucp");
		md.put("transport", transport.name());
		String address = advertised != null ? advertised : options.address();
		Node node = new Node(nodeId, address, md);
		return new Service(options.name(), options.version(), null, endpoints, List.of(node));
	}

	private void registerWithRetries() throws IOException {
		RegistryException last = null;
		for (int attempt = 0; attempt < 3; attempt++) {
			if (attempt > 0) {
				sleep(100L << attempt);
			}
			try {
				registry.register(service(), options.registerTtl());
				return;
			} catch (RegistryException e) {
				last = e;
			}
		}
		throw new IOException("cannot register " + options.name() + " in the " + registry.name() + " registry: "
				+ last.getMessage(), last);
	}

	private void reregister() {
		synchronized (registrationLock) {
			if (!started) {
				return;
			}
			try {
				registry.register(service(), options.registerTtl());
			} catch (RegistryException | RuntimeException e) {
				LOG.log(Level.WARNING, "{0}: re-registration failed: {1}", options.name(), e.getMessage());
			}
		}
	}

	private void registrationChanged() {
		if (started) {
			scheduler.execute(this::reregister);
		}
	}

	private static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
		}
	}

	/** The listener's address, or the advertised one; a wildcard host becomes this machine's first private IPv4. */
	private String advertiseAddress(String listening) {
		String a = options.advertise();
		int listenPort = Integer.parseInt(listening.substring(listening.lastIndexOf(':') + 1));
		if (a == null || a.isBlank()) {
			a = listening;
		} else if (!a.contains(":") || a.startsWith("[") && a.endsWith("]")) {
			a = a + ":" + listenPort;
		}
		int colon = a.lastIndexOf(':');
		String host = a.substring(0, colon);
		String port = a.substring(colon + 1);
		if (host.isEmpty() || host.equals("0.0.0.0") || host.equals("[::]") || host.equals("::")) {
			host = privateAddress();
		}
		return host + ":" + port;
	}

	private static String privateAddress() {
		try {
			Enumeration<NetworkInterface> ifaces = NetworkInterface.getNetworkInterfaces();
			while (ifaces != null && ifaces.hasMoreElements()) {
				NetworkInterface i = ifaces.nextElement();
				if (!i.isUp() || i.isLoopback()) {
					continue;
				}
				for (InetAddress a : Collections.list(i.getInetAddresses())) {
					if (a instanceof Inet4Address && a.isSiteLocalAddress()) {
						return a.getHostAddress();
					}
				}
			}
		} catch (IOException e) {
			LOG.log(Level.DEBUG, "cannot list network interfaces: {0}", e.getMessage());
		}
		return "127.0.0.1";
	}

	// ---- requests

	/** One request or stream as read from its first frame. */
	record Call(Codec codec, String contentType, String service, String endpoint, String id, String streamKey,
			RequestContext context, Map<String, String> requestHeaders) {

		/**
		 * A response or end frame of this call. As in go-micro, an error or end-of-stream frame carries the request's
		 * headers too.
		 */
		Message frame(Frame.Kind kind, String error, Object body, boolean streamHeaders) throws IOException {
			Frame f = new Frame(kind).id(id).service(service).endpoint(endpoint).error(error);
			byte[] bytes = codec.encode(f, body);
			Message m = kind == Frame.Kind.ERROR ? new Message(requestHeaders, null) : new Message();
			if (!id.isEmpty()) {
				m.header("Micro-Id", id).header("X-Micro-Id", id);
			}
			if (streamHeaders) {
				m.header("Micro-Service", service).header("X-Micro-Service", service);
				m.header("Micro-Method", endpoint).header("X-Micro-Method", endpoint);
				m.header("Micro-Endpoint", endpoint).header("X-Micro-Endpoint", endpoint);
				m.header("Micro-Stream", streamKey);
			}
			if (!error.isEmpty()) {
				m.header("Micro-Error", error).header("X-Micro-Error", error);
			}
			if (bytes.length > 0) {
				m.header("Content-Type", contentType);
			}
			return m.body(bytes);
		}

		Message streamFrame(Frame.Kind kind, String error, Object body) throws IOException {
			return frame(kind, error, body, true);
		}
	}

	private static String header(Map<String, String> h, String name) {
		String v = h.get(name);
		if (v == null || v.isEmpty()) {
			v = h.get("X-" + name);
		}
		return v == null ? "" : v;
	}

	/**
	 * Starts serving a request (or stream) from its first frame; called by the connection's reader. False when the
	 * request ran on the calling thread for so long that the reading moved to another thread.
	 */
	boolean dispatch(Connection conn, Message msg, String streamKey) {
		Map<String, String> h = msg.header();
		String service = header(h, "Micro-Service");
		String method = header(h, "Micro-Method");
		String endpoint = header(h, "Micro-Endpoint");
		if (method.isEmpty()) {
			method = endpoint;
		}
		if (endpoint.isEmpty()) {
			endpoint = method;
		}
		String contentType = h.get("Content-Type");
		if (contentType == null || contentType.isBlank()) {
			contentType = "application/protobuf";
		}
		// clients before go-micro 1.x name no service or method; their JSON and protobuf mean the RPC codecs
		boolean legacy = service.isEmpty() && endpoint.isEmpty() || !header(h, "Micro-Target").isEmpty();
		String codecType = legacy ? legacyCodec(contentType) : contentType;
		Codec codec = codecs.get(codecType);
		String id = h.getOrDefault("Micro-Id", "");
		if (codec == null) {
			unsupported(conn, id, contentType);
			return true;
		}
		Frame envelope = new Frame(Frame.Kind.REQUEST).id(id).service(service).endpoint(endpoint);
		byte[] body;
		try {
			body = codec.decodeEnvelope(envelope, msg.body());
		} catch (IOException | RuntimeException e) {
			Call call = call(codec, contentType, service, endpoint, id, streamKey, h, conn);
			requests.incrementAndGet();
			sendError(conn, call, MicroError.from(Server.ERROR_ID, e).toJson());
			return true;
		}
		if (!envelope.endpoint().isEmpty()) {
			endpoint = envelope.endpoint();
		}
		if (!envelope.id().isEmpty()) {
			id = envelope.id();
		}
		Call call = call(codec, contentType, service, endpoint, id, streamKey.isEmpty() ? id : streamKey, h, conn);
		requests.incrementAndGet();
		String[] parts = endpoint.split("\\.");
		String routingError = null;
		HandlerMethod target = null;
		if (parts.length != 2) {
			routingError = "rpc: service/endpoint request not well-formed: " + endpoint;
		} else {
			RegisteredHandler handler = handlers.get(parts[0]);
			if (handler == null) {
				routingError = "rpc: can't find service " + parts[0];
			} else {
				target = handler.methods().get(parts[1]);
				if (target == null) {
					routingError = "rpc: can't find method " + parts[1];
				}
			}
		}
		if (routingError != null) {
			sendError(conn, call, routingError);
			return true;
		}
		HandlerMethod handlerMethod = target;
		begin();
		if (!handlerMethod.kind().isStream() && conn.mayRunInline()) {
			return conn.runInline(() -> runUnary(conn, call, handlerMethod, body));
		}
		try {
			if (handlerMethod.kind().isStream()) {
				// the first frame's body is discarded, as go-micro's server does: the request comes next
				RpcStream stream = new RpcStream(conn, call);
				conn.addStream(stream);
				workers.execute(() -> runStream(conn, call, handlerMethod, stream));
			} else {
				workers.execute(() -> runUnary(conn, call, handlerMethod, body));
			}
		} catch (RuntimeException e) {
			done();
			sendError(conn, call, MicroError.internalServerError(Server.ERROR_ID, "server is stopping").toJson());
		}
		return true;
	}

	private Call call(Codec codec, String contentType, String service, String endpoint, String id, String streamKey,
			Map<String, String> h, Connection conn) {
		Metadata md = new Metadata(h);
		md.put("Local", conn.socket().localAddress());
		md.put("Remote", conn.socket().remoteAddress());
		Instant deadline = null;
		String timeout = h.get("Timeout");
		if (timeout != null && !timeout.isEmpty()) {
			try {
				long nanos = Long.parseUnsignedLong(timeout.trim());
				deadline = Instant.now().plusNanos(nanos);
			} catch (NumberFormatException | java.time.DateTimeException e) {
				// Go ignores a timeout it cannot parse
			}
		}
		return new Call(codec, contentType, service, endpoint, id, streamKey,
				new RequestContext(md, service, endpoint, deadline), h);
	}

	private static String legacyCodec(String contentType) {
		String ct = Codecs.normalise(contentType);
		if ("application/json".equals(ct)) {
			return "application/json-rpc";
		}
		if ("application/protobuf".equals(ct) || "application/octet-stream".equals(ct)) {
			return "application/proto-rpc";
		}
		return contentType;
	}

	private void unsupported(Connection conn, String id, String contentType) {
		requests.incrementAndGet();
		errors.incrementAndGet();
		String text = "Unsupported Content-Type: " + contentType;
		Message m = new Message().header("Content-Type", "text/plain").header("Micro-Id", id).header("X-Micro-Id", id);
		String error = MicroError.badRequest(Server.ERROR_ID, text).toJson();
		m.header("Micro-Error", error).header("X-Micro-Error", error);
		send(conn, m.body(text.getBytes(StandardCharsets.UTF_8)));
	}

	private void runUnary(Connection conn, Call call, HandlerMethod method, byte[] body) {
		Watchdog watchdog = null;
		DeadlineTimer.Timeout timer = null;
		SERVING.set(this);
		try {
			Object request;
			try {
				request = call.codec().decodeBody(body, method.requestType());
			} catch (IOException e) {
				throw MicroError.badRequest(Server.ERROR_ID, e.getMessage());
			}
			Instant deadline = call.context().deadline();
			if (deadline != null) {
				watchdog = new Watchdog(Thread.currentThread());
				timer = DeadlineTimer.shared().after(nanosUntil(deadline), watchdog);
			}
			Object result;
			try {
				result = method.withContext() ? method.invoke(call.context(), request) : method.invoke(request);
			} catch (Throwable t) {
				if (finish(watchdog, timer) && !(t instanceof MicroError)) {
					throw MicroError.timeout(Server.ERROR_ID, "handler exceeded its deadline: " + describe(t));
				}
				throw t;
			}
			finish(watchdog, timer);
			send(conn, call.frame(Frame.Kind.RESPONSE, "", result == null ? emptyBody(call.codec()) : result, false));
		} catch (Throwable t) {
			finish(watchdog, timer);
			sendError(conn, call, toError(t));
		} finally {
			SERVING.remove();
			done();
		}
	}

	private static boolean finish(Watchdog watchdog, DeadlineTimer.Timeout timer) {
		if (timer != null) {
			timer.cancel();
		}
		return watchdog != null && watchdog.finish();
	}

	private static long nanosUntil(Instant deadline) {
		try {
			return Math.max(0, Duration.between(Instant.now(), deadline).toNanos());
		} catch (ArithmeticException e) {
			return Long.MAX_VALUE / 2;
		}
	}

	private void runStream(Connection conn, Call call, HandlerMethod method, RpcStream stream) {
		SERVING.set(this);
		try {
			if (method.kind() == HandlerMethod.Kind.SERVER_STREAM) {
				Object request = stream.recv(method.requestType());
				if (request == null) {
					throw MicroError.badRequest(Server.ERROR_ID, "stream ended before its request was sent");
				}
				if (method.withContext()) {
					method.invoke(call.context(), request, stream);
				} else {
					method.invoke(request, stream);
				}
			} else if (method.withContext()) {
				method.invoke(call.context(), stream);
			} else {
				method.invoke(stream);
			}
			stream.end();
			send(conn, call.streamFrame(Frame.Kind.ERROR, "EOS", null));
		} catch (Throwable t) {
			stream.end();
			errors.incrementAndGet();
			try {
				send(conn, call.streamFrame(Frame.Kind.ERROR, toError(t), null));
			} catch (IOException e) {
				LOG.log(Level.DEBUG, "stream {0}: cannot send its error: {1}", call.streamKey(), e.getMessage());
			}
		} finally {
			SERVING.remove();
			conn.removeStream(stream);
			done();
		}
	}

	/** The error string of the wire: a MicroError's JSON, anything else a 500 in the service's name. */
	private String toError(Throwable t) {
		if (!(t instanceof MicroError)) {
			LOG.log(Level.DEBUG, "handler failed", t);
		}
		return MicroError.from(options.name(), t instanceof java.io.UncheckedIOException u ? u.getCause() : t).toJson();
	}

	private static String describe(Throwable t) {
		return t.getMessage() == null ? t.getClass().getName() : t.getMessage();
	}

	/** A handler's null result: an empty object in JSON, an empty message in protobuf. */
	private static Object emptyBody(Codec codec) {
		return codec.contentType().contains("json") ? RawBody.of("{}") : EMPTY;
	}

	private void sendError(Connection conn, Call call, String error) {
		errors.incrementAndGet();
		try {
			send(conn, call.frame(Frame.Kind.ERROR, error, null, false));
		} catch (IOException e) {
			LOG.log(Level.DEBUG, "cannot encode an error frame: {0}", e.getMessage());
		}
	}

	private void send(Connection conn, Message m) {
		try {
			conn.send(m);
		} catch (IOException e) {
			LOG.log(Level.DEBUG, "cannot answer {0}: {1}", conn.socket().remoteAddress(), e.getMessage());
		}
	}

	// ---- events

	/** An event over the transport: delivered to the topic's subscribers, answered with its own headers. */
	void serveEvent(Connection conn, Message msg, String topic) {
		begin();
		try {
			workers.execute(() -> {
				Message reply = new Message(msg.header(), EMPTY);
				try {
					deliver(topic, msg.header(), msg.body());
				} catch (Throwable t) {
					errors.incrementAndGet();
					String error = MicroError.from(options.name(), t).toJson();
					reply.header("Micro-Error", error).header("X-Micro-Error", error);
				} finally {
					done();
				}
				send(conn, reply);
			});
		} catch (RuntimeException e) {
			done();
		}
	}

	private void deliver(String topic, Map<String, String> headers, byte[] body) throws Exception {
		for (Subscriber s : subscribers) {
			if (s.topic().equals(topic)) {
				s.deliver(codecs, options.name(), headers, body);
			}
		}
	}

	@Override
	public String toString() {
		return "mucp server " + options.name() + " (" + nodeId + ")";
	}
}
