package micro.registry.mdns.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.MulticastSocket;
import java.net.SocketException;
import java.net.StandardSocketOptions;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import micro.registry.Node;
import micro.registry.Registry;
import micro.registry.RegistryException;
import micro.registry.Service;
import micro.registry.Watch;
import micro.registry.WatchEvent;
import micro.registry.WatchListener;
import micro.registry.mdns.internal.DnsMessage.Question;
import micro.registry.mdns.internal.DnsMessage.ResourceRecord;

/**
 * A {@link Registry} over multicast DNS with go-micro v2's records (gm:registry/mdns_registry.go, gm:util/mdns), so Java
 * and Go services find each other:
 * <ul>
 * <li>per node: {@code PTR <service>.micro. → <nodeid>.<service>.micro.}, {@code SRV} (priority 10, weight 1, the node's
 * port, target the host name), {@code A <host>. → <node IP>} and {@code TXT} with the {@link MdnsTxt} payload;</li>
 * <li>per service name: the list record {@code PTR _services.micro. → <service>._services.micro.} (with Go's SRV port
 * 9999, A 0.0.0.0 and empty TXT), also enumerated under {@code _services._dns-sd._udp.micro.};</li>
 * <li>three announcements on register (now, +1 s, +3 s), a goodbye (TTL 0) on deregister and close;</li>
 * <li>{@code getService}/{@code listServices} send one question and collect answers for the query timeout (100 ms);
 * {@code watch} listens to the multicast traffic: {@code create} for a node's records, {@code delete} for TTL 0.</li>
 * </ul>
 * <p>
 * Two sockets per instance: a listener on the mDNS port joined to 224.0.0.251 on the configured interface only (it
 * answers questions and feeds watches), and a sender bound to the interface's address on an ephemeral port (questions,
 * answers, announcements; the answers to our questions come back to it, as go-micro's client expects). Several
 * instances, in one process or many, share the port through SO_REUSEADDR. The default interface is loopback, where
 * Linux delivers multicast although {@code lo} has no MULTICAST flag; in loopback mode packets from other addresses are
 * dropped, so nothing from the network reaches us and nothing of ours leaves the machine.
 */
public final class MdnsRegistry implements Registry, AutoCloseable {
	public static final String NAME = "mdns";

	private static final System.Logger LOG = System.getLogger(MdnsRegistry.class.getName());
	private static final InetAddress GROUP = ipv4(224, 0, 0, 251);
	private static final InetAddress ZERO = ipv4(0, 0, 0, 0);
	private static final int SRV_PRIORITY = 10;
	private static final int SRV_WEIGHT = 1;
	/** go-micro's port of the list record. */
	private static final int LIST_PORT = 9999;
	private static final int MAX_DATAGRAM = 65507;
	/** Delays of the three announcements (RFC 6762 §8.3: at least one second apart, doubling). */
	private static final long[] ANNOUNCE_DELAYS_MS = { 0, 1000, 3000 };
	private static final int MAX_WARNED = 1024;

	private final MdnsOptions options;
	private final MdnsOptions.Binding binding;
	private final String domain;
	private final String servicesName;
	private final String enumerationName;
	private final String hostName;
	private final long ttl;
	private final InetSocketAddress groupAddress;
	private final MulticastSocket listener;
	private final MulticastSocket sender;
	private final ScheduledExecutorService timers;
	private final ExecutorService events;
	private final Object zoneLock = new Object();
	/** Our nodes: service name → node id → node; a name with no node left is removed with its list record. */
	private final Map<String, Map<String, LocalNode>> zone = new LinkedHashMap<>();
	private final Set<Collector> collectors = ConcurrentHashMap.newKeySet();
	private final List<WatchHandle> watches = new CopyOnWriteArrayList<>();
	private final Set<String> warnedInstances = ConcurrentHashMap.newKeySet();
	private final AtomicLong malformedRecords = new AtomicLong();
	private final AtomicInteger queryIds = new AtomicInteger((int) (System.nanoTime() & 0xFFFF));
	private volatile boolean closed;

	/** Opens the sockets and starts answering; throws UncheckedIOException when the interface cannot do multicast. */
	public MdnsRegistry(MdnsOptions options) {
		this.options = options;
		this.domain = options.domainName();
		this.servicesName = "_services." + domain;
		this.enumerationName = "_services._dns-sd._udp." + domain;
		this.ttl = options.recordTtl().toSeconds();
		this.hostName = localHostName();
		this.groupAddress = new InetSocketAddress(GROUP, options.port());
		MulticastSocket openedListener = null;
		try {
			this.binding = options.resolve();
			openedListener = openListener();
			this.listener = openedListener;
			this.sender = openSender();
		} catch (IOException e) {
			if (openedListener != null) {
				openedListener.close();
			}
			throw new UncheckedIOException("cannot start the mDNS registry on " + describe(options) + ": "
					+ e.getMessage(), e);
		}
		this.timers = Executors.newSingleThreadScheduledExecutor(daemon("mdns-announce"));
		this.events = Executors.newSingleThreadExecutor(daemon("mdns-watch"));
		daemon("mdns-listen").newThread(() -> receive(listener, true)).start();
		daemon("mdns-unicast").newThread(() -> receive(sender, false)).start();
		LOG.log(System.Logger.Level.DEBUG, () -> "mDNS registry on " + binding.networkInterface().getName() + " ("
				+ binding.address().getHostAddress() + "), port " + options.port() + ", domain " + domain);
	}

	@Override
	public String name() {
		return NAME;
	}

	public MdnsOptions options() {
		return options;
	}

	// ---- registration and answering ----

	/** One node of ours with its encoded TXT. */
	private record LocalNode(String service, String instance, InetAddress address, int port, List<String> txt) {
	}

	/** Registers the nodes and announces the new or changed ones; the TTL argument is ignored, as in go-micro. */
	@Override
	public void register(Service service, Duration registerTtl) throws RegistryException {
		requireOpen();
		String name = requireName(service);
		List<LocalNode> prepared = new ArrayList<>();
		for (Node node : service.nodes()) {
			String instance = node.id() + "." + name + "." + domain;
			try {
				DnsMessage.checkName(instance);
			} catch (IllegalArgumentException e) {
				throw new RegistryException("cannot register node " + node.id() + " over mDNS: " + e.getMessage());
			}
			InetSocketAddress address = nodeAddress(node);
			List<String> txt = new MdnsTxt(name, service.version(), service.endpoints(), node.metadata()).encode();
			prepared.add(new LocalNode(name, instance, address.getAddress(), address.getPort(), txt));
		}
		List<LocalNode> changed = new ArrayList<>();
		synchronized (zoneLock) {
			Map<String, LocalNode> nodes = zone.computeIfAbsent(name, n -> new LinkedHashMap<>());
			for (int i = 0; i < prepared.size(); i++) {
				LocalNode node = prepared.get(i);
				LocalNode old = nodes.put(service.nodes().get(i).id(), node);
				if (!node.equals(old)) {
					changed.add(node);
				}
			}
		}
		for (LocalNode node : changed) {
			for (long delay : ANNOUNCE_DELAYS_MS) {
				timers.schedule(() -> announce(node), delay, TimeUnit.MILLISECONDS);
			}
		}
	}

	@Override
	public void deregister(Service service) throws RegistryException {
		requireOpen();
		String name = requireName(service);
		List<List<ResourceRecord>> goodbyes = new ArrayList<>();
		synchronized (zoneLock) {
			Map<String, LocalNode> nodes = zone.get(name);
			if (nodes == null) {
				return;
			}
			for (Node node : service.nodes()) {
				LocalNode removed = nodes.remove(node.id());
				if (removed != null) {
					goodbyes.add(nodeRecords(removed, 0));
				}
			}
			if (nodes.isEmpty()) {
				zone.remove(name);
				goodbyes.add(listRecords(name, 0));
			}
		}
		goodbyes.forEach(records -> send(DnsMessage.response(0, records), groupAddress));
	}

	private void announce(LocalNode node) {
		synchronized (zoneLock) {
			Map<String, LocalNode> nodes = zone.get(node.service());
			if (closed || nodes == null || !nodes.containsValue(node)) {
				return; // deregistered or replaced meanwhile
			}
		}
		send(DnsMessage.response(0, nodeRecords(node, ttl)), groupAddress);
	}

	/** A node's records in go-micro's order: PTR, SRV, A/AAAA, TXT. */
	private List<ResourceRecord> nodeRecords(LocalNode node, long recordTtl) {
		return List.of(ResourceRecord.ptr(node.service() + "." + domain, recordTtl, node.instance()),
				ResourceRecord.srv(node.instance(), recordTtl, SRV_PRIORITY, SRV_WEIGHT, node.port(), hostName),
				ResourceRecord.address(hostName, recordTtl, node.address()),
				ResourceRecord.txt(node.instance(), recordTtl, node.txt()));
	}

	/** The list record of a service name, as go-micro's {@code _services} responder: SRV port 9999, A 0.0.0.0, no TXT. */
	private List<ResourceRecord> listRecords(String service, long recordTtl) {
		String instance = service + "._services." + domain;
		return List.of(ResourceRecord.ptr(servicesName, recordTtl, instance),
				ResourceRecord.srv(instance, recordTtl, SRV_PRIORITY, SRV_WEIGHT, LIST_PORT, hostName),
				ResourceRecord.address(hostName, recordTtl, ZERO), ResourceRecord.txt(instance, recordTtl, List.of()));
	}

	/** The answer packets to one question, one per node so a packet stays small (go-micro#2072). */
	private List<List<ResourceRecord>> answers(Question question) {
		String name = question.name();
		int type = question.type();
		boolean ptrOrAny = type == DnsMessage.TYPE_PTR || type == DnsMessage.TYPE_ANY;
		List<List<ResourceRecord>> packets = new ArrayList<>();
		synchronized (zoneLock) {
			if (zone.isEmpty()) {
				return packets;
			}
			if (name.equalsIgnoreCase(servicesName)) {
				if (ptrOrAny) {
					zone.keySet().forEach(service -> packets.add(listRecords(service, ttl)));
				}
				return packets;
			}
			if (name.equalsIgnoreCase(enumerationName)) {
				if (ptrOrAny) {
					List<ResourceRecord> records = new ArrayList<>();
					records.add(ResourceRecord.ptr(enumerationName, ttl, servicesName));
					zone.keySet().forEach(service -> records.add(ResourceRecord.ptr(enumerationName, ttl,
							service + "." + domain)));
					packets.add(records);
				}
				return packets;
			}
			for (Map.Entry<String, Map<String, LocalNode>> service : zone.entrySet()) {
				if (name.equalsIgnoreCase(service.getKey() + "." + domain)) {
					if (ptrOrAny) {
						service.getValue().values().forEach(node -> packets.add(nodeRecords(node, ttl)));
					}
					return packets;
				}
				if (name.equalsIgnoreCase(service.getKey() + "._services." + domain)) {
					packets.add(instanceRecords(listRecords(service.getKey(), ttl), type));
					return packets;
				}
				for (LocalNode node : service.getValue().values()) {
					if (name.equalsIgnoreCase(node.instance())) {
						packets.add(instanceRecords(nodeRecords(node, ttl), type));
						return packets;
					}
				}
			}
		}
		return packets;
	}

	/**
	 * go-micro's instance answers: ANY → SRV, A, TXT; SRV → SRV, A; TXT; A. A PTR question for an instance is answered
	 * as ANY, because that is the follow-up question go-micro's client sends for an incomplete entry.
	 */
	private static List<ResourceRecord> instanceRecords(List<ResourceRecord> all, int type) {
		List<ResourceRecord> out = new ArrayList<>();
		for (ResourceRecord r : all) {
			boolean wanted = switch (type) {
			case DnsMessage.TYPE_ANY, DnsMessage.TYPE_PTR -> r.type() != DnsMessage.TYPE_PTR;
			case DnsMessage.TYPE_SRV -> r.type() == DnsMessage.TYPE_SRV || r.type() == DnsMessage.TYPE_A
					|| r.type() == DnsMessage.TYPE_AAAA;
			default -> r.type() == type;
			};
			if (wanted) {
				out.add(r);
			}
		}
		return out;
	}

	/**
	 * Answers a question: to the group when it came from the mDNS port without the unicast bit (a full mDNS querier),
	 * otherwise straight back to the asker (a one-shot querier such as go-micro's client, or our own), with its id. The
	 * answer repeats the question: go-micro's client drops answers whose first question is not the one it asked
	 * (gm:util/mdns/client.go {@code query}), and go-micro's responder always repeats it.
	 */
	private void respond(DnsMessage query, InetSocketAddress from) {
		for (Question question : query.questions()) {
			boolean multicast = from.getPort() == options.port() && !question.unicastResponse();
			for (List<ResourceRecord> records : answers(question)) {
				if (!records.isEmpty()) {
					send(DnsMessage.response(multicast ? 0 : query.id(), question, records),
							multicast ? groupAddress : from);
				}
			}
		}
	}

	// ---- queries ----

	@Override
	public List<Service> getService(String name) throws RegistryException {
		requireOpen();
		if (name == null || name.isBlank() || !validName(name + "." + domain)) {
			return List.of();
		}
		Collector collector = collect(new Question(name + "." + domain, DnsMessage.TYPE_PTR, false),
				"." + name + "." + domain, true);
		Map<String, Service> byVersion = new LinkedHashMap<>();
		String suffix = "." + name + "." + domain;
		for (Entry entry : collector.entries()) {
			if (entry.ttl <= 0 || !entry.complete()) {
				continue;
			}
			MdnsTxt txt = decodeTxt(entry);
			if (txt == null || !txt.service().equals(name)) {
				continue;
			}
			Node node = new Node(nodeId(entry.name, suffix), entry.address(), txt.metadata());
			byVersion.merge(txt.version(), new Service(name, txt.version(), null, txt.endpoints(), List.of(node)),
					(a, b) -> {
						List<Node> nodes = new ArrayList<>(a.nodes());
						nodes.add(node);
						return a.withNodes(nodes);
					});
		}
		return List.copyOf(byVersion.values());
	}

	/** The names of all services that answer, sorted; their nodes are left empty (mDNS lists names only). */
	@Override
	public List<Service> listServices() throws RegistryException {
		requireOpen();
		Collector collector = collect(new Question(servicesName, DnsMessage.TYPE_PTR, false),
				"._services." + domain, false);
		String suffix = "._services." + domain;
		Set<String> names = new TreeSet<>();
		for (String instance : collector.liveNames()) {
			if (instance.toLowerCase(Locale.ROOT).endsWith(suffix.toLowerCase(Locale.ROOT))) {
				names.add(instance.substring(0, instance.length() - suffix.length()));
			}
		}
		return names.stream().map(n -> new Service(n, "", null, null, null)).toList();
	}

	/** Asks one question and collects the answers for the query timeout. */
	private Collector collect(Question question, String suffix, boolean followUp) {
		Collector collector = new Collector(suffix, followUp);
		collectors.add(collector);
		try {
			send(DnsMessage.query(nextQueryId(), List.of(question)), groupAddress);
			Thread.sleep(options.queryTimeout().toMillis(), options.queryTimeout().toNanosPart() % 1_000_000);
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt(); // return what arrived so far
		} finally {
			collectors.remove(collector);
		}
		return collector;
	}

	private int nextQueryId() {
		return queryIds.incrementAndGet() & 0xFFFF;
	}

	// ---- watch ----

	@Override
	public Watch watch(String service, WatchListener watchListener) throws RegistryException {
		requireOpen();
		WatchHandle handle = new WatchHandle(service, watchListener);
		watches.add(handle);
		return handle;
	}

	private final class WatchHandle implements Watch {
		private final String service;
		private final WatchListener watchListener;
		/** node key → what we last reported, so the repeated announcements of a node give one create. */
		private final Map<String, String> reported = new HashMap<>();
		private volatile boolean stopped;

		WatchHandle(String service, WatchListener watchListener) {
			this.service = service;
			this.watchListener = watchListener;
		}

		void offer(WatchEvent.Action action, Service changed, String fingerprint) {
			if (stopped || service != null && !service.equals(changed.name())) {
				return;
			}
			String key = changed.name() + "\u0000" + changed.nodes().get(0).id();
			String state = action == WatchEvent.Action.DELETE ? "deleted" : fingerprint;
			synchronized (reported) {
				if (state.equals(reported.put(key, state))) {
					return; // a repeated announcement or goodbye
				}
			}
			events.execute(() -> {
				if (stopped) {
					return;
				}
				try {
					watchListener.onEvent(new WatchEvent(action, changed));
				} catch (RuntimeException e) {
					LOG.log(System.Logger.Level.WARNING, "mDNS watch listener failed", e);
				}
			});
		}

		@Override
		public void close() {
			stopped = true;
			watches.remove(this);
		}
	}

	private void notifyWatches(Map<String, Entry> packet) {
		if (watches.isEmpty()) {
			return;
		}
		for (Entry entry : packet.values()) {
			if (!entry.complete()) {
				continue;
			}
			MdnsTxt txt = decodeTxt(entry);
			if (txt == null || txt.service().isEmpty() || txt.version().isEmpty()) {
				continue;
			}
			String suffix = "." + txt.service() + "." + domain;
			if (!entry.name.toLowerCase(Locale.ROOT).endsWith(suffix.toLowerCase(Locale.ROOT))) {
				continue;
			}
			Node node = new Node(nodeId(entry.name, suffix), entry.address(), txt.metadata());
			Service changed = new Service(txt.service(), txt.version(), null, txt.endpoints(), List.of(node));
			WatchEvent.Action action = entry.ttl == 0 ? WatchEvent.Action.DELETE : WatchEvent.Action.CREATE;
			String fingerprint = node.address() + "\u0000" + String.join("", entry.txt);
			watches.forEach(w -> w.offer(action, changed, fingerprint));
		}
	}

	// ---- received traffic ----

	/** What one packet or one query tells about an instance, as go-micro's {@code ServiceEntry}. */
	static final class Entry {
		final String name;
		String host;
		int port;
		long ttl;
		List<String> txt;
		InetAddress ipv4;
		InetAddress ipv6;

		Entry(String name) {
			this.name = name;
		}

		boolean complete() {
			return (ipv4 != null || ipv6 != null) && port > 0 && txt != null;
		}

		/** {@code ip:port}, IPv4 preferred as in go-micro. */
		String address() {
			return ipv4 != null ? ipv4.getHostAddress() + ":" + port : "[" + ipv6.getHostAddress() + "]:" + port;
		}

		void merge(Entry newer) {
			if (newer.host != null) {
				host = newer.host;
				port = newer.port;
			}
			if (newer.txt != null) {
				txt = newer.txt;
			}
			if (newer.ipv4 != null) {
				ipv4 = newer.ipv4;
			}
			if (newer.ipv6 != null) {
				ipv6 = newer.ipv6;
			}
			ttl = newer.ttl;
		}
	}

	/**
	 * The instances a response describes. An SRV's target is resolved with the address records of the same packet, as
	 * go-micro's client does (it aliases the target to the entry), because every go-micro host uses its host name for
	 * all its nodes, and the list records even map it to 0.0.0.0.
	 */
	static Map<String, Entry> entries(DnsMessage message) {
		Map<String, Entry> byName = new LinkedHashMap<>();
		Map<String, InetAddress> ipv4 = new HashMap<>();
		Map<String, InetAddress> ipv6 = new HashMap<>();
		for (ResourceRecord r : message.answersAndAdditionals()) {
			switch (r.type()) {
			case DnsMessage.TYPE_PTR -> byName.computeIfAbsent(key(r.target()), k -> new Entry(r.target())).ttl = r.ttl();
			case DnsMessage.TYPE_SRV -> {
				Entry e = byName.computeIfAbsent(key(r.name()), k -> new Entry(r.name()));
				e.host = r.target();
				e.port = r.port();
				e.ttl = r.ttl();
			}
			case DnsMessage.TYPE_TXT -> {
				Entry e = byName.computeIfAbsent(key(r.name()), k -> new Entry(r.name()));
				e.txt = r.texts();
				e.ttl = r.ttl();
			}
			case DnsMessage.TYPE_A -> ipv4.put(key(r.name()), r.address());
			case DnsMessage.TYPE_AAAA -> ipv6.put(key(r.name()), r.address());
			default -> {
			}
			}
		}
		for (Entry e : byName.values()) {
			if (e.host != null) {
				e.ipv4 = ipv4.get(key(e.host));
				e.ipv6 = ipv6.get(key(e.host));
			}
		}
		return byName;
	}

	private static String key(String name) {
		return name.toLowerCase(Locale.ROOT);
	}

	/** Gathers the answers to one question of ours. */
	private final class Collector {
		private final String suffix;
		private final boolean followUp;
		private final Map<String, Entry> entries = new LinkedHashMap<>();
		private final Set<String> live = new TreeSet<>();
		private final Set<String> followedUp = new java.util.HashSet<>();

		Collector(String suffix, boolean followUp) {
			this.suffix = key(suffix);
			this.followUp = followUp;
		}

		void accept(Map<String, Entry> packet) {
			List<String> ask = new ArrayList<>();
			synchronized (this) {
				for (Entry e : packet.values()) {
					String k = key(e.name);
					if (!k.endsWith(suffix)) {
						continue;
					}
					Entry known = entries.computeIfAbsent(k, n -> new Entry(e.name));
					known.merge(e);
					if (e.ttl > 0) {
						live.add(e.name);
					}
					if (followUp && !known.complete() && known.ttl > 0 && followedUp.add(k)) {
						ask.add(known.name);
					}
				}
			}
			for (String instance : ask) {
				send(DnsMessage.query(nextQueryId(), List.of(new Question(instance, DnsMessage.TYPE_ANY, false))),
						groupAddress);
			}
		}

		synchronized List<Entry> entries() {
			return List.copyOf(entries.values());
		}

		synchronized List<String> liveNames() {
			return List.copyOf(live);
		}
	}

	private void receive(MulticastSocket socket, boolean multicast) {
		byte[] buffer = new byte[65536];
		while (!closed) {
			DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
			try {
				socket.receive(packet);
			} catch (IOException e) {
				if (closed || socket.isClosed()) {
					return;
				}
				LOG.log(System.Logger.Level.WARNING, "mDNS receive failed: " + e.getMessage());
				continue;
			}
			try {
				handle(packet, multicast);
			} catch (RuntimeException e) {
				LOG.log(System.Logger.Level.WARNING, "mDNS packet from " + packet.getSocketAddress()
						+ " could not be handled", e);
			}
		}
	}

	private void handle(DatagramPacket packet, boolean multicast) {
		InetSocketAddress from = (InetSocketAddress) packet.getSocketAddress();
		if (from.getAddress().isAnyLocalAddress()) {
			// Sent on lo from a socket bound to 0.0.0.0 when lo's route gives no source address (a Go client in a
			// network namespace does this): it came from this machine, so answer on loopback.
			from = new InetSocketAddress(InetAddress.getLoopbackAddress(), from.getPort());
		}
		if (binding.loopback() && !from.getAddress().isLoopbackAddress()) {
			return; // loopback mode: nothing from the network
		}
		DnsMessage message;
		try {
			message = DnsMessage.decode(packet.getData(), packet.getLength());
		} catch (DnsMessage.MalformedMessageException e) {
			InetSocketAddress sender = from;
			LOG.log(System.Logger.Level.DEBUG, () -> "ignoring malformed mDNS packet from " + sender + ": "
					+ e.getMessage());
			return;
		}
		if (message.isResponse()) {
			if (message.rcode() != 0) {
				return;
			}
			Map<String, Entry> packetEntries = entries(message);
			collectors.forEach(c -> c.accept(packetEntries));
			if (multicast) {
				notifyWatches(packetEntries);
			}
		} else if (multicast && message.opcode() == 0 && message.rcode() == 0) {
			respond(message, from);
		}
	}

	/** The TXT payload of a complete entry, or null (with a log line) when it is not go-micro's. */
	private MdnsTxt decodeTxt(Entry entry) {
		if (entry.txt.stream().allMatch(String::isEmpty)) {
			return null; // a list record or another DNS-SD service: not a node
		}
		try {
			return MdnsTxt.decode(entry.txt);
		} catch (MdnsTxt.MalformedTxtException e) {
			malformedRecords.incrementAndGet();
			String message = "ignoring mDNS entry " + entry.name + " with a malformed TXT record: " + e.getMessage();
			if (warnedInstances.size() >= MAX_WARNED) {
				warnedInstances.clear();
			}
			LOG.log(warnedInstances.add(entry.name) ? System.Logger.Level.WARNING : System.Logger.Level.DEBUG,
					message);
			return null;
		}
	}

	/** How many received TXT records could not be decoded (for tests and diagnostics). */
	long malformedRecords() {
		return malformedRecords.get();
	}

	// ---- sockets ----

	private MulticastSocket openListener() throws IOException {
		MulticastSocket socket = new MulticastSocket(null);
		try {
			socket.setReuseAddress(true);
			try {
				// Bound to the group: only mDNS multicast arrives, no unicast sent to this machine's port 5353.
				socket.bind(groupAddress);
			} catch (SocketException e) {
				socket.bind(new InetSocketAddress(options.port())); // platforms that refuse a multicast bind
			}
			socket.joinGroup(new InetSocketAddress(GROUP, 0), binding.networkInterface());
			socket.setReceiveBufferSize(1 << 20);
			return socket;
		} catch (IOException | RuntimeException e) {
			socket.close();
			throw e;
		}
	}

	private MulticastSocket openSender() throws IOException {
		MulticastSocket socket = new MulticastSocket(new InetSocketAddress(binding.address(), 0));
		try {
			socket.setNetworkInterface(binding.networkInterface());
			socket.setOption(StandardSocketOptions.IP_MULTICAST_LOOP, true);
			socket.setTimeToLive(255);
			socket.setReceiveBufferSize(1 << 20);
			return socket;
		} catch (IOException | RuntimeException e) {
			socket.close();
			throw e;
		}
	}

	private void send(DnsMessage message, InetSocketAddress to) {
		byte[] bytes;
		try {
			bytes = message.encode();
		} catch (IllegalArgumentException e) {
			LOG.log(System.Logger.Level.WARNING, "cannot encode mDNS message: " + e.getMessage());
			return;
		}
		if (bytes.length > MAX_DATAGRAM) {
			LOG.log(System.Logger.Level.WARNING, "mDNS message of " + bytes.length
					+ " bytes does not fit a UDP datagram (too many endpoints?); not sent");
			return;
		}
		try {
			sender.send(new DatagramPacket(bytes, bytes.length, to));
		} catch (IOException e) {
			if (!sender.isClosed()) {
				LOG.log(System.Logger.Level.WARNING, "mDNS send to " + to + " failed: " + e.getMessage());
			}
		}
	}

	/** The port our questions leave from and answers come back to. */
	int senderPort() {
		return sender.getLocalPort();
	}

	// ---- lifecycle ----

	/** Says goodbye (TTL 0) for every node and list record of ours, then closes the sockets. */
	@Override
	public void close() {
		List<List<ResourceRecord>> goodbyes = new ArrayList<>();
		synchronized (zoneLock) {
			if (closed) {
				return;
			}
			closed = true;
			zone.forEach((service, nodes) -> {
				nodes.values().forEach(node -> goodbyes.add(nodeRecords(node, 0)));
				goodbyes.add(listRecords(service, 0));
			});
			zone.clear();
		}
		timers.shutdownNow();
		goodbyes.forEach(records -> send(DnsMessage.response(0, records), groupAddress));
		watches.forEach(WatchHandle::close);
		listener.close();
		sender.close();
		events.shutdown();
	}

	private void requireOpen() throws RegistryException {
		if (closed) {
			throw new RegistryException("the mDNS registry is closed");
		}
	}

	private String requireName(Service service) throws RegistryException {
		if (service == null || service.name() == null || service.name().isBlank()) {
			throw new RegistryException("a service needs a name");
		}
		if (!validName(service.name() + "." + domain)) {
			throw new RegistryException("service name \"" + service.name() + "\" cannot be carried by mDNS");
		}
		return service.name();
	}

	private static boolean validName(String name) {
		try {
			DnsMessage.checkName(name);
			return true;
		} catch (IllegalArgumentException e) {
			return false;
		}
	}

	/** The IP and port of a node; an empty or wildcard host means this registry's interface address. */
	private InetSocketAddress nodeAddress(Node node) throws RegistryException {
		String address = node.address() == null ? "" : node.address().trim();
		int colon = address.lastIndexOf(':');
		if (colon < 0) {
			throw new RegistryException("node " + node.id() + " has no port in its address \"" + address + "\"");
		}
		String host = address.substring(0, colon);
		if (host.startsWith("[") && host.endsWith("]")) {
			host = host.substring(1, host.length() - 1);
		}
		int port;
		try {
			port = Integer.parseInt(address.substring(colon + 1));
		} catch (NumberFormatException e) {
			port = -1;
		}
		if (port < 0 || port > 65535) {
			throw new RegistryException("node " + node.id() + " has an invalid port in its address \"" + address + "\"");
		}
		try {
			InetAddress ip = host.isEmpty() ? binding.address() : InetAddress.getByName(host);
			return new InetSocketAddress(ip.isAnyLocalAddress() ? binding.address() : ip, port);
		} catch (UnknownHostException e) {
			throw new RegistryException("node " + node.id() + " has an unknown host in its address \"" + address
					+ "\"");
		}
	}

	private static String nodeId(String instance, String suffix) {
		return instance.toLowerCase(Locale.ROOT).endsWith(suffix.toLowerCase(Locale.ROOT))
				? instance.substring(0, instance.length() - suffix.length())
				: instance;
	}

	/** The OS host name with a trailing dot, as go-micro's {@code os.Hostname() + "."}; no DNS lookup. */
	private static String localHostName() {
		String name = null;
		try {
			Path proc = Path.of("/proc/sys/kernel/hostname");
			if (Files.isReadable(proc)) {
				name = Files.readString(proc, StandardCharsets.US_ASCII).trim();
			}
		} catch (IOException | RuntimeException e) {
			name = null;
		}
		if (name == null || name.isEmpty()) {
			name = System.getenv().getOrDefault("HOSTNAME", System.getenv("COMPUTERNAME"));
		}
		if (name == null || name.isEmpty() || !validName(name + ".")) {
			name = "localhost";
		}
		return name + ".";
	}

	private static String describe(MdnsOptions options) {
		return (options.address().isEmpty() ? "loopback" : options.address()) + " port " + options.port();
	}

	private static InetAddress ipv4(int a, int b, int c, int d) {
		try {
			return InetAddress.getByAddress(new byte[] { (byte) a, (byte) b, (byte) c, (byte) d });
		} catch (UnknownHostException e) {
			throw new ExceptionInInitializerError(e);
		}
	}

	private static ThreadFactory daemon(String name) {
		return runnable -> {
			Thread thread = new Thread(runnable, name);
			thread.setDaemon(true);
			return thread;
		};
	}

	@Override
	public String toString() {
		return "MdnsRegistry[" + binding.networkInterface().getName() + " " + binding.address().getHostAddress()
				+ ":" + options.port() + ", domain " + domain + "]";
	}
}
