package micro.registry.etcd.internal;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import javax.net.ssl.SSLException;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.ClientBuilder;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.common.exception.EtcdException;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.kv.TxnResponse;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;

import micro.registry.Node;
import micro.registry.Registry;
import micro.registry.RegistryException;
import micro.registry.Service;
import micro.registry.Watch;
import micro.registry.WatchListener;

/**
 * go-micro's etcd registry over jetcd: one key per node ({@code /micro/registry/<service>/<node id>}) holding the
 * service JSON with that node, under a lease of the register TTL. Re-registering (the server does it every register
 * interval) keeps the lease alive with one KeepAliveOnce; when etcd has lost the lease (it expired during an outage, or
 * etcd was wiped) a new lease is granted and the key written again. A fresh process adopts the lease of a key it finds,
 * as go-micro does. Every operation gives up after the configured timeout with a {@link RegistryException} that names
 * the etcd address.
 */
public final class EtcdRegistry implements Registry, AutoCloseable {
	public static final String NAME = "etcd";

	private static final System.Logger LOG = System.getLogger(EtcdRegistry.class.getName());

	/** What we last wrote for a key: its lease (0 for none), the record's digest and the TTL asked for. */
	private record Registration(long leaseId, String hash, long ttlSeconds) {
	}

	private final EtcdOptions options;
	private final Vertx vertx;
	private final Client client;
	private final long timeoutMillis;
	private final Map<String, Registration> registrations = new ConcurrentHashMap<>();
	private final Map<String, Object> keyLocks = new ConcurrentHashMap<>();
	private final Set<EtcdWatch> watches = ConcurrentHashMap.newKeySet();
	/** The calls waiting for etcd: close() ends them, since jetcd leaves them waiting for their timeout. */
	private final Set<CompletableFuture<?>> waiting = ConcurrentHashMap.newKeySet();
	private final ScheduledExecutorService scheduler;
	private volatile boolean closed;
	private volatile boolean answered;

	/**
	 * Connects lazily: nothing is sent to etcd before the first operation, so a wrong address is reported by that
	 * operation.
	 */
	public EtcdRegistry(EtcdOptions options) {
		this.options = options == null ? EtcdOptions.defaults() : options;
		this.timeoutMillis = this.options.timeout().toMillis();
		// our own Vert.x (jetcd's I/O), so that close() can wait for its threads to end: a bundle being stopped must
		// not leave threads behind that still load its classes
		this.vertx = Vertx.vertx(new VertxOptions().setUseDaemonThread(true));
		ReconnectOnFailure reconnect = new ReconnectOnFailure();
		try {
			this.client = buildClient(this.options, vertx, reconnect);
		} catch (RuntimeException e) {
			vertx.close(); // a bad TLS file: leave no threads behind
			throw e;
		}
		reconnect.attach(client);
		this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
			Thread t = new Thread(r, "etcd-registry-watch-restart");
			t.setDaemon(true);
			return t;
		});
	}

	private static Client buildClient(EtcdOptions options, Vertx vertx, ReconnectOnFailure reconnect) {
		Duration timeout = options.timeout();
		ClientBuilder builder = Client.builder()
				.vertx(vertx)
				.interceptor(reconnect)
				.endpoints(options.uris().toArray(URI[]::new))
				.connectTimeout(timeout)
				// fail fast on a refused connection and let jetcd retry inside our timeout, so that the error we report
				// is the connection's, not a bare timeout
				.waitForReady(false)
				.retryMaxDuration(timeout.multipliedBy(4).dividedBy(5))
				.retryDelay(200)
				.retryMaxDelay(1000)
				.retryChronoUnit(java.time.temporal.ChronoUnit.MILLIS);
		if (options.username() != null) {
			builder.user(bytes(options.username())).password(bytes(options.password()));
		}
		if (options.tls()) {
			try {
				builder.sslContext(ssl -> {
					if (options.tlsInsecure()) {
						ssl.trustManager(InsecureTrustManagerFactory.INSTANCE);
					} else if (options.tlsCa() != null) {
						ssl.trustManager(options.tlsCa().toFile());
					}
					if (options.tlsCert() != null) {
						ssl.keyManager(options.tlsCert().toFile(), options.tlsKey().toFile());
					}
				});
			} catch (SSLException | RuntimeException e) {
				throw new IllegalArgumentException("etcd registry: cannot set up TLS from " + options.tlsCa() + ", "
						+ options.tlsCert() + ", " + options.tlsKey() + ": " + e.getMessage(), e);
			}
		}
		return builder.build();
	}

	public EtcdOptions options() {
		return options;
	}

	@Override
	public String name() {
		return NAME;
	}

	@Override
	public void register(Service service, Duration ttl) throws RegistryException {
		checkOpen();
		if (service == null || service.name() == null || service.name().isEmpty()) {
			throw new RegistryException("etcd registry: a service needs a name");
		}
		if (service.nodes().isEmpty()) {
			throw new RegistryException("etcd registry: service " + service.name() + " requires at least one node");
		}
		long ttlSeconds = ttl == null || ttl.isNegative() || ttl.isZero() ? 0
				: Math.max(1, (ttl.toMillis() + 999) / 1000);
		for (Node node : service.nodes()) {
			registerNode(service, node, ttlSeconds);
		}
	}

	private void registerNode(Service service, Node node, long ttlSeconds) throws RegistryException {
		String key = key(service.name(), node == null ? null : node.id());
		byte[] value = EtcdRecords.encode(service, node);
		String hash = EtcdRecords.hash(value);
		synchronized (keyLocks.computeIfAbsent(key, k -> new Object())) {
			Registration known = registrations.get(key);
			if (known == null && ttlSeconds > 0) {
				registrations.put(key, coldStart(key, value, hash, ttlSeconds));
				return;
			}
			// an adopted lease (ttl -1) counts as granted for this TTL, as in go-micro
			boolean unchanged = known != null && known.hash().equals(hash)
					&& (known.ttlSeconds() == ttlSeconds || known.ttlSeconds() < 0)
					&& (known.leaseId() != 0) == (ttlSeconds > 0);
			boolean leaseLost = false;
			if (unchanged && known.leaseId() != 0) {
				leaseLost = !keepAlive(known.leaseId());
			}
			if (unchanged && !leaseLost) {
				registrations.put(key, new Registration(known.leaseId(), hash, ttlSeconds));
				return; // unchanged and alive: the keep-alive was all that was needed
			}
			long leaseId = 0;
			if (ttlSeconds > 0) {
				leaseId = await("lease grant", client.getLeaseClient().grant(ttlSeconds)).getID();
			}
			put(key, value, leaseId);
			registrations.put(key, new Registration(leaseId, hash, ttlSeconds));
			if (leaseLost) {
				LOG.log(System.Logger.Level.INFO, "etcd registry: lease of {0} was gone, registered again", key);
			}
		}
	}

	/**
	 * The first registration of a node by this process. A previous run of the node may have left its key behind, and
	 * go-micro adopts that key's lease. Instead of reading the key first (a round trip of its own), one transaction
	 * writes the record under a freshly granted lease unless the key already holds this very record, in which case it
	 * reads the key: its lease is adopted and kept alive, and the fresh one revoked. So a new node costs a grant and a
	 * write, as without adoption. A record that differs is written again under the fresh lease (go-micro grants a new
	 * lease then too).
	 */
	private Registration coldStart(String key, byte[] value, String hash, long ttlSeconds) throws RegistryException {
		long granted = await("lease grant", client.getLeaseClient().grant(ttlSeconds)).getID();
		try {
			ByteSequence k = bytes(key);
			ByteSequence v = ByteSequence.from(value);
			TxnResponse written = await("put " + key, client.getKVClient().txn()
					.If(new Cmp(k, Cmp.Op.EQUAL, CmpTarget.value(v)))
					.Then(Op.get(k, GetOption.DEFAULT))
					.Else(Op.put(k, v, PutOption.builder().withLeaseId(granted).build()))
					.commit());
			if (!written.isSucceeded()) {
				return new Registration(granted, hash, ttlSeconds);
			}
			long left = written.getGetResponses().get(0).getKvs().stream().mapToLong(KeyValue::getLease).findFirst()
					.orElse(0);
			if (left > 0 && keepAlive(left)) {
				revoke(granted);
				// the adopted lease counts as granted for any TTL, as in go-micro
				return new Registration(left, hash, -1);
			}
			// the same record without a live lease: under the fresh one
			put(key, value, granted);
			return new Registration(granted, hash, ttlSeconds);
		} catch (RegistryException | RuntimeException e) {
			revoke(granted);
			throw e;
		}
	}

	/** KeepAliveOnce; false when etcd no longer knows the lease. */
	private boolean keepAlive(long leaseId) throws RegistryException {
		try {
			await("keep-alive of lease " + Long.toHexString(leaseId), client.getLeaseClient().keepAliveOnce(leaseId));
			return true;
		} catch (RegistryException e) {
			if (isLeaseNotFound(e.getCause())) {
				return false;
			}
			throw e;
		}
	}

	private void put(String key, byte[] value, long leaseId) throws RegistryException {
		PutOption put = leaseId != 0 ? PutOption.builder().withLeaseId(leaseId).build() : PutOption.DEFAULT;
		await("put " + key, client.getKVClient().put(bytes(key), ByteSequence.from(value), put));
	}

	/** A lease granted for nothing: revoked in the background (it would expire with its TTL anyway). */
	private void revoke(long leaseId) {
		if (closed) {
			return;
		}
		try {
			client.getLeaseClient().revoke(leaseId).exceptionally(e -> {
				LOG.log(System.Logger.Level.DEBUG, "etcd registry: revoking unused lease " + Long.toHexString(leaseId)
						+ ": " + e);
				return null;
			});
		} catch (RuntimeException e) {
			// the client is closing
		}
	}

	@Override
	public void deregister(Service service) throws RegistryException {
		checkOpen();
		if (service == null || service.name() == null || service.name().isEmpty()) {
			throw new RegistryException("etcd registry: a service needs a name");
		}
		if (service.nodes().isEmpty()) {
			throw new RegistryException("etcd registry: service " + service.name() + " requires at least one node");
		}
		for (Node node : service.nodes()) {
			String key = key(service.name(), node == null ? null : node.id());
			synchronized (keyLocks.computeIfAbsent(key, k -> new Object())) {
				registrations.remove(key);
				await("delete " + key, client.getKVClient().delete(bytes(key)));
			}
			keyLocks.remove(key);
		}
	}

	@Override
	public List<Service> getService(String name) throws RegistryException {
		checkOpen();
		String prefix;
		try {
			prefix = EtcdRecords.serviceKeyPrefix(name);
		} catch (IllegalArgumentException e) {
			throw new RegistryException(e.getMessage());
		}
		return EtcdRecords.groupByVersion(records(prefix));
	}

	@Override
	public List<Service> listServices() throws RegistryException {
		checkOpen();
		return EtcdRecords.groupByNameAndVersion(records(EtcdRecords.PREFIX));
	}

	private List<Service> records(String prefix) throws RegistryException {
		GetResponse response = await("get " + prefix, client.getKVClient().get(bytes(prefix),
				GetOption.builder().isPrefix(true).withSerializable(true).build()));
		List<Service> records = new ArrayList<>(response.getKvs().size());
		for (KeyValue kv : response.getKvs()) {
			Service s = EtcdRecords.decode(kv.getValue().getBytes());
			if (s != null) {
				records.add(s);
			}
		}
		return records;
	}

	@Override
	public Watch watch(String service, WatchListener listener) throws RegistryException {
		checkOpen();
		if (listener == null) {
			throw new RegistryException("etcd registry: watch needs a listener");
		}
		String prefix;
		try {
			prefix = service == null || service.isEmpty() ? EtcdRecords.PREFIX : EtcdRecords.serviceKeyPrefix(service);
		} catch (IllegalArgumentException e) {
			throw new RegistryException(e.getMessage());
		}
		// start at the revision after the current one: every change made once watch() has returned is reported, even
		// when jetcd's stream is set up a moment later
		GetResponse now = await("watch " + prefix, client.getKVClient().get(bytes(prefix),
				GetOption.builder().isPrefix(true).withCountOnly(true).build()));
		EtcdWatch watch = new EtcdWatch(this, client.getWatchClient(), prefix, now.getHeader().getRevision() + 1, listener,
				scheduler, watches::remove);
		watches.add(watch);
		watch.start();
		return watch;
	}

	/** Stops the watches and the connection; the keys stay until their leases expire (deregister removes them). */
	@Override
	public void close() {
		if (closed) {
			return;
		}
		closed = true;
		for (EtcdWatch w : List.copyOf(watches)) {
			w.close();
		}
		for (CompletableFuture<?> call : List.copyOf(waiting)) {
			call.cancel(true);
		}
		scheduler.shutdownNow();
		// Vert.x is closed here first, because its close() answers only the first caller with the close in progress:
		// jetcd's client.close() closes it too, and a later call was answered at once, while Vert.x's threads went on
		// loading classes of a bundle that was being uninstalled (NoClassDefFoundError in the log)
		CompletableFuture<Void> stopped = vertx.close().toCompletionStage().toCompletableFuture();
		try {
			client.close();
		} finally {
			try {
				stopped.get(timeoutMillis, TimeUnit.MILLISECONDS);
			} catch (InterruptedException e) {
				Thread.currentThread().interrupt();
			} catch (ExecutionException | TimeoutException e) {
				LOG.log(System.Logger.Level.DEBUG, "etcd registry: jetcd's I/O did not stop cleanly: " + e);
			}
		}
	}

	private void checkOpen() throws RegistryException {
		if (closed) {
			throw new RegistryException("etcd registry is closed");
		}
		if (EtcdWatch.onEventThreadOf(this)) {
			throw new RegistryException("etcd registry: a watch listener called the registry on jetcd's event thread, "
					+ "where waiting for etcd would stall every registry call; the event is delivered again on the "
					+ "watch's own thread");
		}
	}

	private static String key(String service, String nodeId) throws RegistryException {
		try {
			return EtcdRecords.nodeKey(service, nodeId);
		} catch (IllegalArgumentException e) {
			throw new RegistryException(e.getMessage());
		}
	}

	static ByteSequence bytes(String s) {
		return ByteSequence.from(s, StandardCharsets.UTF_8);
	}

	/** Waits at most the operation timeout; every failure becomes a RegistryException that names the etcd address. */
	private <T> T await(String what, CompletableFuture<T> future) throws RegistryException {
		// Until etcd has answered once, jetcd is still loading and starting (vert.x, netty, grpc: over a second on a
		// busy machine), so the first operations may take twice the timeout. A refused or unresolvable address is
		// reported by jetcd itself within the timeout either way (connect timeout and retries are bounded by it).
		long limit = answered ? timeoutMillis : 2 * timeoutMillis;
		waiting.add(future);
		if (closed) {
			future.cancel(true); // closed since checkOpen: close() may have passed the set already
		}
		try {
			T result = future.get(limit, TimeUnit.MILLISECONDS);
			answered = true;
			return result;
		} catch (TimeoutException e) {
			future.cancel(true);
			throw new RegistryException("etcd at " + options.describe() + " unreachable: no answer to " + what
					+ " within " + limit + " ms", e);
		} catch (InterruptedException e) {
			future.cancel(true);
			Thread.currentThread().interrupt();
			throw new RegistryException("etcd registry: interrupted during " + what, e);
		} catch (ExecutionException e) {
			throw failure(what, e.getCause() == null ? e : e.getCause());
		} catch (RuntimeException e) {
			throw failure(what, e);
		} finally {
			waiting.remove(future);
		}
	}

	private RegistryException failure(String what, Throwable cause) {
		if (closed) {
			// closed while the call waited (its component reconfigured or stopped): jetcd's executors then refuse work,
			// which says nothing to the caller
			return new RegistryException("etcd registry at " + options.describe() + " was closed during " + what, cause);
		}
		if (isUnreachable(cause)) {
			return new RegistryException("etcd at " + options.describe() + " unreachable: " + describe(cause), cause);
		}
		String text = describe(cause);
		if (text.contains("authentication failed") || text.contains("invalid auth token")
				|| text.contains("user name is empty") || text.contains("permission denied")) {
			return new RegistryException("etcd at " + options.describe() + " refused " + what + " for user "
					+ (options.username() == null ? "(none)" : "\"" + options.username() + "\"") + ": " + text,
					cause);
		}
		return new RegistryException("etcd at " + options.describe() + ": " + what + " failed: " + text, cause);
	}

	private static boolean isUnreachable(Throwable cause) {
		for (Throwable t = cause; t != null; t = t.getCause() == t ? null : t.getCause()) {
			if (t instanceof ConnectException || t instanceof UnknownHostException
					|| t instanceof NoRouteToHostException || t instanceof java.nio.channels.ClosedChannelException) {
				return true;
			}
			Status.Code code = null;
			if (t instanceof StatusRuntimeException s) {
				code = s.getStatus().getCode();
			} else if (t instanceof EtcdException e && e.getErrorCode() != null) {
				String n = e.getErrorCode().name();
				if (n.equals("UNAVAILABLE") || n.equals("DEADLINE_EXCEEDED")) {
					return true;
				}
			}
			if (code == Status.Code.UNAVAILABLE || code == Status.Code.DEADLINE_EXCEEDED) {
				return true;
			}
		}
		return false;
	}

	static boolean isLeaseNotFound(Throwable cause) {
		for (Throwable t = cause; t != null; t = t.getCause() == t ? null : t.getCause()) {
			String m = t.getMessage();
			if (m != null && m.contains("lease not found")) {
				return true;
			}
		}
		return false;
	}

	/** The most telling message of a failure chain: the root cause's, with the outer one when they differ. */
	private static String describe(Throwable cause) {
		Throwable root = cause;
		while (root.getCause() != null && root.getCause() != root) {
			root = root.getCause();
		}
		String outer = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
		String inner = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
		if (root == cause || outer.contains(inner)) {
			return outer;
		}
		return outer + ": " + inner;
	}

	@Override
	public String toString() {
		return "etcd registry at " + options.describe();
	}
}
