package micro.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.watch.WatchEvent;
import micro.registry.Node;
import micro.registry.RegistryException;
import micro.registry.Service;
import micro.registry.cache.RegistryCache;
import micro.registry.etcd.internal.EtcdOptions;
import micro.registry.etcd.internal.EtcdRegistry;
import micro.registry.etcd.internal.EtcdServer;

/**
 * Our etcd registry against raw jetcd calls doing the same, on one real etcd on 127.0.0.1, in one JVM: register
 * (lease grant + put), a look-up that misses every cache (prefix get + JSON decode), watch propagation (a put until the
 * listener has the event), and a cached look-up through {@link RegistryCache}. Ours and raw alternate in rounds, so
 * that both see the same load of this shared machine. Writes a markdown report to the path given as the argument.
 */
public final class EtcdBench {
	private static final int ROUNDS = Integer.getInteger("bench.etcd.rounds", 4);
	private static final int WARMUP = Integer.getInteger("bench.etcd.warmup", 300);
	private static final int CALLS = Integer.getInteger("bench.etcd.calls", 500);
	private static final int CACHED_CALLS = Integer.getInteger("bench.etcd.cachedCalls", 1_000_000);
	private static final Duration ROUND_LIMIT = Duration.ofSeconds(Integer.getInteger("bench.etcd.roundSeconds", 20));
	private static final Duration TTL = Duration.ofSeconds(60);
	private static final ObjectMapper JSON = new ObjectMapper();

	private EtcdBench() {
	}

	/** One comparison's figures, in nanoseconds. */
	record Pair(String what, Bench.Histogram ours, Bench.Histogram raw) {
	}

	public static void main(String[] args) throws Exception {
		Path out = Path.of(args.length > 0 ? args[0] : "results/etcd.md");
		String loadAtStart = loadAverage();
		String started = LocalDateTime.now().withNano(0).toString();
		EtcdServer etcd = new EtcdServer();
		etcd.beforeAll(null);
		List<Pair> pairs = new ArrayList<>();
		Bench.Histogram cached;
		try (EtcdRegistry registry = new EtcdRegistry(EtcdOptions.of(etcd.endpoint()));
				Client raw = Client.builder().endpoints("http://" + etcd.endpoint()).build()) {
			pairs.add(register(registry, raw));
			pairs.add(lookup(registry, raw));
			pairs.add(watch(registry, raw));
			cached = cachedLookup(registry);
		} finally {
			etcd.afterAll(null);
		}
		String report = report(started, loadAtStart, loadAverage(), pairs, cached);
		Files.createDirectories(out.toAbsolutePath().getParent());
		Files.writeString(out, report);
		System.out.print(report);
	}

	private static Service service(String name, String nodeId, String marker) {
		return new Service(name, "1.0.0", Map.of(), List.of(),
				List.of(new Node(nodeId, "127.0.0.1:" + (10000 + Math.abs(nodeId.hashCode() % 50000)),
						Map.of("transport", "http", "broker", "http", "server", "mucp", "registry", "etcd", "protocol",
								"mucp", "marker", marker))));
	}

	private static ByteSequence bytes(String s) {
		return ByteSequence.from(s, StandardCharsets.UTF_8);
	}

	/** Ours and raw in alternating rounds, each round with its own warm-up (only the first) and histogram. */
	private static Pair alternate(String what, Bench.Operation ours, Bench.Operation raw) throws Exception {
		Bench.Histogram oursAll = new Bench.Histogram();
		Bench.Histogram rawAll = new Bench.Histogram();
		for (int round = 0; round < ROUNDS; round++) {
			int warmup = round == 0 ? WARMUP : 0;
			oursAll.add(Bench.latency(ours, warmup, CALLS, ROUND_LIMIT).latency());
			rawAll.add(Bench.latency(raw, warmup, CALLS, ROUND_LIMIT).latency());
		}
		return new Pair(what, oursAll, rawAll);
	}

	/** A fresh node every call, so that each registration is a lease grant and a put (not a keep-alive). */
	private static Pair register(EtcdRegistry registry, Client raw) throws Exception {
		AtomicLong next = new AtomicLong();
		return alternate("register (lease grant + put)", () -> {
			registry.register(service("bench.register.ours", "ours-" + next.incrementAndGet(), "x"), TTL);
		}, () -> {
			String nodeId = "raw-" + next.incrementAndGet();
			Service s = service("bench.register.raw", nodeId, "x");
			byte[] value = JSON.writeValueAsBytes(s);
			long lease = raw.getLeaseClient().grant(TTL.toSeconds()).get(5, TimeUnit.SECONDS).getID();
			raw.getKVClient().put(bytes("/micro/registry/bench.register.raw/" + nodeId), ByteSequence.from(value),
					PutOption.builder().withLeaseId(lease).build()).get(5, TimeUnit.SECONDS);
		});
	}

	/** Three nodes of one service; both read the same prefix with the same (serializable) get. */
	private static Pair lookup(EtcdRegistry registry, Client raw) throws Exception {
		String name = "bench.lookup";
		for (int i = 0; i < 3; i++) {
			registry.register(service(name, "node-" + i, "x"), TTL);
		}
		GetOption prefix = GetOption.builder().isPrefix(true).withSerializable(true).build();
		return alternate("look-up, cache miss (prefix get + decode)", () -> {
			expectNodes(registry.getService(name), 3);
		}, () -> {
			GetResponse response = raw.getKVClient().get(bytes("/micro/registry/" + name + "/"), prefix).get(5,
					TimeUnit.SECONDS);
			List<Service> records = new ArrayList<>();
			for (KeyValue kv : response.getKvs()) {
				records.add(JSON.readValue(kv.getValue().getBytes(), Service.class));
			}
			expectNodes(records, 3);
		});
	}

	private static void expectNodes(List<Service> services, int nodes) {
		int found = services.stream().mapToInt(s -> s.nodes().size()).sum();
		if (found != nodes) {
			throw new IllegalStateException("expected " + nodes + " nodes, found " + found);
		}
	}

	/**
	 * One writer (a raw jetcd put, not awaited) for both; the time runs until the listener has the event with this
	 * call's marker, decoded into a Service on both sides.
	 */
	private static Pair watch(EtcdRegistry registry, Client raw) throws Exception {
		BlockingQueue<String> oursSeen = new LinkedBlockingQueue<>();
		BlockingQueue<String> rawSeen = new LinkedBlockingQueue<>();
		String oursName = "bench.watch.ours";
		String rawName = "bench.watch.raw";
		micro.registry.Watch ours = registry.watch(oursName,
				event -> oursSeen.add(event.service().nodes().get(0).metadata().get("marker")));
		Watch.Watcher rawWatch = raw.getWatchClient().watch(bytes("/micro/registry/" + rawName + "/"),
				WatchOption.builder().isPrefix(true).build(), response -> {
					for (WatchEvent event : response.getEvents()) {
						try {
							Service s = JSON.readValue(event.getKeyValue().getValue().getBytes(), Service.class);
							rawSeen.add(s.nodes().get(0).metadata().get("marker"));
						} catch (IOException e) {
							rawSeen.add("undecodable: " + e);
						}
					}
				});
		try {
			AtomicLong next = new AtomicLong();
			return alternate("watch propagation (put → listener)",
					() -> putAndAwait(raw, oursName, oursSeen, Long.toString(next.incrementAndGet())),
					() -> putAndAwait(raw, rawName, rawSeen, Long.toString(next.incrementAndGet())));
		} finally {
			ours.close();
			rawWatch.close();
		}
	}

	private static void putAndAwait(Client writer, String name, BlockingQueue<String> seen, String marker)
			throws Exception {
		byte[] value = JSON.writeValueAsBytes(service(name, "node-1", marker));
		writer.getKVClient().put(bytes("/micro/registry/" + name + "/node-1"), ByteSequence.from(value));
		while (true) {
			String got = seen.poll(5, TimeUnit.SECONDS);
			if (got == null) {
				throw new IllegalStateException("no watch event for " + name + " within 5 s");
			}
			if (got.equals(marker)) {
				return;
			}
		}
	}

	/** The cache filled by one miss (and watching), then every call a hit. */
	private static Bench.Histogram cachedLookup(EtcdRegistry registry) throws Exception {
		try (RegistryCache cache = new RegistryCache(registry)) {
			expectNodes(cache.getService("bench.lookup"), 3);
			Bench.Operation hit = () -> {
				if (cache.getService("bench.lookup").isEmpty()) {
					throw new RegistryException("cached look-up found nothing");
				}
			};
			return Bench.latency(hit, CACHED_CALLS / 2, CACHED_CALLS, ROUND_LIMIT).latency();
		}
	}

	private static String report(String started, String loadAtStart, String loadAtEnd, List<Pair> pairs,
			Bench.Histogram cached) {
		StringBuilder b = new StringBuilder("# etcd registry benchmark\n\n");
		b.append("| | |\n|---|---|\n");
		b.append("| date | ").append(started).append(" |\n");
		b.append("| machine | nproc ").append(Runtime.getRuntime().availableProcessors()).append(" |\n");
		b.append("| JVM | ").append(System.getProperty("java.vm.name")).append(' ')
				.append(System.getProperty("java.runtime.version")).append(", ")
				.append(String.join(" ", java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments()))
				.append(" |\n");
		b.append("| load average (1, 5, 15 min) | ").append(loadAtStart).append(" at start, ").append(loadAtEnd)
				.append(" at end |\n");
		b.append("| counts | ").append(ROUNDS).append(" alternating rounds of ").append(CALLS)
				.append(" calls per side (").append(WARMUP).append(" warm-up calls before the first), ")
				.append(CACHED_CALLS).append(" cached look-ups |\n\n");
		b.append("Latency in µs. Target: ours at most 1.3× raw jetcd.\n\n");
		b.append("| operation | ours p50 | raw p50 | ratio p50 | ours p99 | raw p99 | ratio p99 | target (p50, p99) |\n");
		b.append("|---|---:|---:|---:|---:|---:|---:|---|\n");
		for (Pair p : pairs) {
			double r50 = (double) p.ours().percentile(50) / p.raw().percentile(50);
			double r99 = (double) p.ours().percentile(99) / p.raw().percentile(99);
			b.append("| ").append(p.what()).append(" | ").append(micros(p.ours().percentile(50))).append(" | ")
					.append(micros(p.raw().percentile(50))).append(" | ").append(String.format("%.2f×", r50))
					.append(" | ").append(micros(p.ours().percentile(99))).append(" | ")
					.append(micros(p.raw().percentile(99))).append(" | ").append(String.format("%.2f×", r99))
					.append(" | ").append(met(r50 <= 1.3)).append(", ").append(met(r99 <= 1.3)).append(" |\n");
		}
		b.append("\nCached look-up (`RegistryCache.getService`, ").append(cached.count()).append(" calls): p50 ")
				.append(cached.percentile(50)).append(" ns, p99 ").append(cached.percentile(99)).append(" ns, max ")
				.append(cached.max()).append(" ns. Target p99 under 5 µs: ").append(met(cached.percentile(99) < 5_000))
				.append(".\n");
		return b.toString();
	}

	private static String micros(long nanos) {
		return String.format("%.0f", nanos / 1000.0);
	}

	private static String met(boolean met) {
		return met ? "met" : "**not met**";
	}

	private static String loadAverage() {
		try {
			String[] parts = Files.readString(Path.of("/proc/loadavg")).split(" ");
			return parts[0] + " " + parts[1] + " " + parts[2];
		} catch (IOException e) {
			return "unknown";
		}
	}
}
