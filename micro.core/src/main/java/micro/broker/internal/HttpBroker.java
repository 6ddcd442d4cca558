package micro.broker.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import micro.broker.Broker;
import micro.broker.BrokerMessage;
import micro.broker.MessageHandler;
import micro.broker.Subscription;
import micro.errors.MicroError;
import micro.registry.Node;
import micro.registry.Registry;
import micro.registry.RegistryException;
import micro.registry.Service;
import micro.registry.cache.RegistryCache;
import micro.transport.internal.Addresses;

/**
 * go-micro's {@code http} broker (micro-v2.md §8.5). Each broker runs a small HTTP server (on {@code 127.0.0.1:0}
 * unless given an address) that takes {@code POST /?id=<subscriber>}. A subscription is registered in the registry as a
 * node of {@value #SERVICE} whose version is the queue name, or {@value #BROADCAST} without a queue; it is refreshed
 * every 30 s with a TTL of 1 minute and deregistered on close or {@link #disconnect()}.
 * <p>
 * {@link #publish} returns at once: the message goes onto a per-topic backlog (at most {@value #BACKLOG} messages, the
 * oldest dropped first) and is POSTed as {@code {"Header":…,"Body":"<base64>"}} to every broadcast node of the topic
 * and to one random node of each queue. A failed delivery is retried up to {@value #MAX_ATTEMPTS} times in all, a queue
 * delivery on another random node of its queue.
 * <p>
 * The server answers 405 to anything but POST, 400 to a body that is not an envelope, 500 to an envelope without
 * {@code Micro-Topic} (as Go), and 200 otherwise; the subscriber's own errors are logged, not reported back, as in Go.
 * Subscribing connects on demand, so {@link #connect()} is optional.
 */
public class HttpBroker implements Broker, AutoCloseable {
	public static final String NAME = "http";
	public static final String SERVICE = "micro.http.broker";
	public static final String BROADCAST = "ff.http.broadcast";
	public static final String DEFAULT_ADDRESS = "127.0.0.1:0";
	public static final String ERROR_ID = "go.micro.broker";
	static final int BACKLOG = 64;
	static final int BATCH = 8;
	static final int MAX_ATTEMPTS = 3;
	static final long MAX_BODY_BYTES = 16L * 1024 * 1024;
	static final Duration REGISTER_TTL = Duration.ofMinutes(1);
	static final Duration REGISTER_INTERVAL = Duration.ofSeconds(30);
	private static final Duration SEND_TIMEOUT = Duration.ofSeconds(5);
	private static final System.Logger LOG = System.getLogger(HttpBroker.class.getName());

	private final Registry registry;
	private final String configuredAddress;
	private final Map<String, HttpSubscription> subscriptions = new ConcurrentHashMap<>();
	private final Map<String, Deque<byte[]>> backlog = new HashMap<>();
	private final Map<String, Boolean> draining = new HashMap<>();

	private HttpServer server;
	private ExecutorService serverThreads;
	private ScheduledExecutorService timer;
	private ExecutorService senders;
	private HttpClient http;
	private RegistryCache cache;
	private ScheduledExecutorService retries;
	private volatile String address;
	private volatile boolean closed;

	public HttpBroker(Registry registry, String address) {
		this.registry = Objects.requireNonNull(registry, "registry");
		this.configuredAddress = address == null || address.isBlank() ? DEFAULT_ADDRESS : address.trim();
		this.address = configuredAddress;
	}

	@Override
	public String name() {
		return NAME;
	}

	/** The listener's address once connected (host:port), the configured one before. */
	@Override
	public String address() {
		return address;
	}

	public synchronized boolean isConnected() {
		return server != null;
	}

	/** Starts the HTTP server and the sender threads; does nothing when connected already. */
	public synchronized void connect() throws IOException {
		ensureOpen();
		if (server != null) {
			return;
		}
		InetSocketAddress bind = Addresses.parse(configuredAddress, false);
		HttpServer s;
		try {
			s = HttpServer.create(bind, 128);
		} catch (IOException e) {
			throw new IOException("http broker: cannot listen on " + configuredAddress + ": " + e.getMessage(), e);
		}
		AtomicInteger n = new AtomicInteger();
		serverThreads = Executors.newCachedThreadPool(
				r -> daemon(r, "micro-http-broker-" + n.incrementAndGet()));
		s.setExecutor(serverThreads);
		s.createContext("/", this::receive);
		s.start();
		server = s;
		address = advertise(s.getAddress());
		timer = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "micro-http-broker-timer"));
		timer.scheduleWithFixedDelay(this::refresh, REGISTER_INTERVAL.toMillis(), REGISTER_INTERVAL.toMillis(),
				TimeUnit.MILLISECONDS);
		ensureSender();
		LOG.log(System.Logger.Level.DEBUG, "http broker listening on {0}", address);
	}

	/** Deregisters every subscription and stops the server; publishing goes on working. */
	public void disconnect() {
		List<HttpSubscription> subs = new ArrayList<>(subscriptions.values());
		subs.forEach(HttpSubscription::close);
		HttpServer s;
		ExecutorService threads;
		ScheduledExecutorService t;
		synchronized (this) {
			s = server;
			threads = serverThreads;
			t = timer;
			server = null;
			serverThreads = null;
			timer = null;
			address = configuredAddress;
		}
		if (t != null) {
			t.shutdownNow();
		}
		if (s != null) {
			s.stop(0);
		}
		if (threads != null) {
			threads.shutdownNow();
		}
	}

	/** Disconnects and stops the senders (messages still in the backlog are dropped); the broker cannot be reused. */
	@Override
	public void close() {
		closed = true;
		disconnect();
		ExecutorService send;
		ScheduledExecutorService retry;
		RegistryCache c;
		synchronized (this) {
			send = senders;
			retry = retries;
			c = cache;
			retries = null;
			senders = null;
			cache = null;
			http = null;
			backlog.clear();
			draining.clear();
		}
		if (send != null) {
			send.shutdownNow();
		}
		if (retry != null) {
			retry.shutdownNow();
		}
		if (c != null) {
			c.close();
		}
	}

	private void ensureOpen() throws IOException {
		if (closed) {
			throw new IOException("http broker is closed");
		}
	}

	private synchronized void ensureSender() {
		if (senders == null && !closed) {
			AtomicInteger n = new AtomicInteger();
			senders = Executors.newFixedThreadPool(4, r -> daemon(r, "micro-http-broker-send-" + n.incrementAndGet()));
			http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(SEND_TIMEOUT)
					.executor(senders).build();
			cache = new RegistryCache(registry);
		}
	}

	// ---- subscribe

	@Override
	public Subscription subscribe(String topic, String queue, MessageHandler handler) throws IOException {
		if (topic == null || topic.isBlank()) {
			throw new IllegalArgumentException("a subscription needs a topic");
		}
		Objects.requireNonNull(handler, "handler");
		connect();
		String q = queue == null || queue.isBlank() ? null : queue;
		HttpSubscription sub = new HttpSubscription(topic, q, topic + "-" + UUID.randomUUID(), handler);
		subscriptions.put(sub.id, sub);
		try {
			registry.register(sub.service(), REGISTER_TTL);
		} catch (RegistryException | RuntimeException e) {
			subscriptions.remove(sub.id);
			throw new IOException("http broker: cannot register the subscription to " + topic + ": " + e.getMessage(), e);
		}
		return sub;
	}

	private void refresh() {
		for (HttpSubscription sub : subscriptions.values()) {
			try {
				registry.register(sub.service(), REGISTER_TTL);
			} catch (RegistryException | RuntimeException e) {
				LOG.log(System.Logger.Level.WARNING, "http broker: cannot refresh the subscription to {0}: {1}",
						sub.topic, e.getMessage());
			}
		}
	}

	private final class HttpSubscription implements Subscription {
		final String topic;
		final String queue;
		final String id;
		final MessageHandler handler;

		HttpSubscription(String topic, String queue, String id, MessageHandler handler) {
			this.topic = topic;
			this.queue = queue;
			this.id = id;
			this.handler = handler;
		}

		Service service() {
			Node node = new Node(id, address, Map.of("broker", NAME, "topic", topic, "secure", "false"));
			return new Service(SERVICE, queue == null ? BROADCAST : queue, null, null, List.of(node));
		}

		@Override
		public String topic() {
			return topic;
		}

		@Override
		public String queue() {
			return queue;
		}

		@Override
		public void close() {
			if (subscriptions.remove(id) == null) {
				return;
			}
			try {
				registry.deregister(service());
			} catch (RegistryException | RuntimeException e) {
				LOG.log(System.Logger.Level.WARNING, "http broker: cannot deregister the subscription to {0}: {1}",
						topic, e.getMessage());
			}
		}
	}

	// ---- receive

	private void receive(HttpExchange exchange) throws IOException {
		try (exchange) {
			if (!"POST".equalsIgnoreCase(exchange.getRequestMethod())) {
				reply(exchange, 405, MicroError.methodNotAllowed(ERROR_ID, "Method not allowed"));
				return;
			}
			byte[] body;
			try (InputStream in = exchange.getRequestBody()) {
				body = in.readNBytes((int) MAX_BODY_BYTES + 1);
			}
			if (body.length > MAX_BODY_BYTES) {
				reply(exchange, 413, MicroError.of(ERROR_ID, 413, "message larger than " + MAX_BODY_BYTES + " bytes"));
				return;
			}
			BrokerMessage message;
			try {
				message = BrokerEnvelope.decode(body);
			} catch (IOException e) {
				reply(exchange, 400, MicroError.badRequest(ERROR_ID, "Error parsing request body: " + e.getMessage()));
				return;
			}
			String topic = message.header(BrokerMessage.TOPIC_HEADER);
			if (topic == null || topic.isEmpty()) {
				reply(exchange, 500, MicroError.internalServerError(ERROR_ID, "Invalid topic"));
				return;
			}
			String id = queryParameter(exchange.getRequestURI().getRawQuery(), "id");
			HttpSubscription sub = id == null ? null : subscriptions.get(id);
			if (sub != null && sub.topic.equals(topic)) {
				try {
					sub.handler.handle(topic, message);
				} catch (Exception e) {
					LOG.log(System.Logger.Level.WARNING, "http broker: subscriber to {0} failed: {1}", topic,
							e.getMessage());
				}
			}
			exchange.sendResponseHeaders(200, -1);
		}
	}

	private static void reply(HttpExchange exchange, int status, MicroError error) throws IOException {
		byte[] json = error.toJson().getBytes(StandardCharsets.UTF_8);
		exchange.getResponseHeaders().set("Content-Type", "application/json");
		exchange.sendResponseHeaders(status, json.length);
		try (OutputStream out = exchange.getResponseBody()) {
			out.write(json);
		}
	}

	private static String queryParameter(String rawQuery, String name) {
		if (rawQuery == null) {
			return null;
		}
		for (String pair : rawQuery.split("&")) {
			int eq = pair.indexOf('=');
			String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
			if (key.equals(name)) {
				return eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
			}
		}
		return null;
	}

	// ---- publish

	@Override
	public void publish(String topic, BrokerMessage message) throws IOException {
		if (topic == null || topic.isBlank()) {
			throw new IllegalArgumentException("publish needs a topic");
		}
		Map<String, String> header = new HashMap<>(message == null ? Map.of() : message.header());
		header.put(BrokerMessage.TOPIC_HEADER, topic);
		byte[] envelope = BrokerEnvelope.encode(new BrokerMessage(header, message == null ? null : message.body()));
		ensureOpen();
		ensureSender();
		boolean start;
		synchronized (this) {
			if (senders == null) {
				throw new IOException("http broker is closed");
			}
			Deque<byte[]> q = backlog.computeIfAbsent(topic, t -> new ArrayDeque<>());
			q.addLast(envelope);
			while (q.size() > BACKLOG) {
				q.pollFirst();
				LOG.log(System.Logger.Level.WARNING, "http broker: backlog of {0} full, dropping the oldest message", topic);
			}
			start = !draining.getOrDefault(topic, false);
			if (start) {
				draining.put(topic, true);
			}
			if (start) {
				senders.execute(() -> drain(topic));
			}
		}
	}

	/** Sends the backlog of a topic, {@value #BATCH} messages at a time, until it is empty. */
	private void drain(String topic) {
		while (true) {
			List<byte[]> batch = new ArrayList<>(BATCH);
			synchronized (this) {
				Deque<byte[]> q = backlog.get(topic);
				while (q != null && !q.isEmpty() && batch.size() < BATCH) {
					batch.add(q.pollFirst());
				}
				if (batch.isEmpty()) {
					draining.remove(topic);
					backlog.remove(topic);
					return;
				}
			}
			Map<String, List<Node>> versions = subscribers(topic);
			for (byte[] envelope : batch) {
				for (Map.Entry<String, List<Node>> version : versions.entrySet()) {
					List<Node> nodes = version.getValue();
					if (BROADCAST.equals(version.getKey())) {
						nodes.forEach(n -> deliver(envelope, topic, List.of(n), 1));
					} else {
						deliver(envelope, topic, nodes, 1);
					}
				}
			}
		}
	}

	/**
	 * Waits until every message published so far has had its first delivery attempt, or the timeout passes, so that a
	 * short-lived publisher (the {@code micro publish} command) does not exit with messages still queued.
	 *
	 * @return whether nothing was left to send
	 */
	public boolean flush(java.time.Duration timeout) throws InterruptedException {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (true) {
			synchronized (this) {
				if (draining.isEmpty()) {
					return true;
				}
			}
			if (System.nanoTime() > deadline) {
				return false;
			}
			Thread.sleep(10);
		}
	}

	/**
	 * The nodes subscribed to a topic by version (queue). When the cache knows none it asks the registry once more,
	 * so a subscription made a moment ago is not missed while its watch event is on its way.
	 */
	private Map<String, List<Node>> subscribers(String topic) {
		RegistryCache c = cache;
		if (c == null) {
			return Map.of();
		}
		Map<String, List<Node>> byVersion = new java.util.LinkedHashMap<>();
		for (int pass = 0; pass < 2 && byVersion.isEmpty(); pass++) {
			if (pass == 1) {
				c.invalidate(SERVICE);
			}
			try {
				for (Service version : c.getService(SERVICE)) {
					List<Node> nodes = version.nodes().stream()
							.filter(n -> NAME.equals(n.metadata().get("broker")) && topic.equals(n.metadata().get("topic")))
							.toList();
					if (!nodes.isEmpty()) {
						byVersion.put(version.version(), nodes);
					}
				}
			} catch (RegistryException | RuntimeException e) {
				LOG.log(System.Logger.Level.WARNING, "http broker: cannot look up subscribers of {0}: {1}", topic,
						e.getMessage());
				return Map.of();
			}
		}
		return byVersion;
	}

	/** POSTs to one node of the candidates (a random one); on failure tries again later, on another if it can. */
	private void deliver(byte[] envelope, String topic, List<Node> candidates, int attempt) {
		Node node = candidates.get(ThreadLocalRandom.current().nextInt(candidates.size()));
		HttpClient client = http;
		if (client == null) {
			return;
		}
		String url = "http://" + node.address() + "/?id=" + java.net.URLEncoder.encode(node.id(), StandardCharsets.UTF_8);
		IOException failure = null;
		try {
			HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(SEND_TIMEOUT)
					.header("Content-Type", "application/json")
					.POST(HttpRequest.BodyPublishers.ofByteArray(envelope)).build();
			HttpResponse<Void> rsp = client.send(request, HttpResponse.BodyHandlers.discarding());
			if (rsp.statusCode() != 200) {
				failure = new IOException("HTTP " + rsp.statusCode());
			}
		} catch (IOException e) {
			failure = e;
		} catch (IllegalArgumentException e) {
			failure = new IOException("bad subscriber address " + node.address() + ": " + e.getMessage());
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			return;
		}
		if (failure == null) {
			return;
		}
		if (attempt >= MAX_ATTEMPTS) {
			LOG.log(System.Logger.Level.WARNING, "http broker: dropping a message to {0} after {1} attempts: {2}", topic,
					attempt, failure.getMessage());
			return;
		}
		List<Node> others = candidates.size() > 1
				? candidates.stream().filter(n -> !n.id().equals(node.id())).toList()
				: candidates;
		ScheduledExecutorService t = retryTimer();
		t.schedule(() -> {
			ExecutorService s = senders;
			if (s != null) {
				s.execute(() -> deliver(envelope, topic, others, attempt + 1));
			}
		}, 100L * attempt, TimeUnit.MILLISECONDS);
	}

	private synchronized ScheduledExecutorService retryTimer() {
		if (retries == null || retries.isShutdown()) {
			retries = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "micro-http-broker-retry"));
		}
		return retries;
	}

	// ---- helpers

	/** The address to register: the bound one, or this host's first private IPv4 when bound to the wildcard. */
	static String advertise(InetSocketAddress bound) {
		InetAddress host = bound.getAddress();
		if (host == null || host.isAnyLocalAddress()) {
			host = firstPrivateAddress();
		}
		return Addresses.format(host, bound.getPort());
	}

	private static InetAddress firstPrivateAddress() {
		try {
			for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
				if (!nic.isUp() || nic.isLoopback()) {
					continue;
				}
				for (InetAddress a : Collections.list(nic.getInetAddresses())) {
					if (a instanceof Inet4Address && a.isSiteLocalAddress()) {
						return a;
					}
				}
			}
		} catch (SocketException e) {
			// fall back to loopback below
		}
		return InetAddress.getLoopbackAddress();
	}

	private static Thread daemon(Runnable r, String name) {
		Thread t = new Thread(r, name);
		t.setDaemon(true);
		return t;
	}

	@Override
	public String toString() {
		return NAME;
	}
}
