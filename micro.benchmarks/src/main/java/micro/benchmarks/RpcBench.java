package micro.benchmarks;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

import micro.benchmarks.proto.Payload;

/**
 * Unary RPC with a 581-byte protobuf message: micro's RpcClient → RpcServer over the HTTP transport with
 * {@code application/protobuf}, against grpc-java client → server, in one JVM with the same flags, on 127.0.0.1.
 * Latency percentiles at concurrency 1 and throughput at concurrency 64; the table goes to the file named by the first
 * argument (default {@code results/rpc.md}) and to standard output.
 * <p>
 * Settings (system properties): {@code bench.latency.warmup} (calls, 10000), {@code bench.latency.calls} (20000),
 * {@code bench.concurrency} (64), {@code bench.throughput.warmup} (seconds, 5), {@code bench.throughput.seconds} (10),
 * {@code bench.grpc.directExecutor} (false: grpc's default server executor).
 */
public final class RpcBench {
	/** Targets of the foundation issue: ours / grpc. */
	static final double P50_TARGET = 1.2;
	static final double THROUGHPUT_TARGET = 0.9;
	/** No latency run goes on longer than this, whatever the call count. */
	static final Duration LATENCY_MAX_TIME = Duration.ofSeconds(60);

	/** One side of the comparison: a client and server pair that echoes the payload. */
	interface Peer extends AutoCloseable {
		String name();

		Payload echo(Payload payload) throws Exception;
	}

	record Settings(int latencyWarmup, int latencyCalls, int concurrency, Duration throughputWarmup,
			Duration throughputTime, boolean grpcDirectExecutor) {
		static Settings fromSystemProperties() {
			return new Settings(Integer.getInteger("bench.latency.warmup", 10_000),
					Integer.getInteger("bench.latency.calls", 20_000), Integer.getInteger("bench.concurrency", 64),
					Duration.ofSeconds(Integer.getInteger("bench.throughput.warmup", 5)),
					Duration.ofSeconds(Integer.getInteger("bench.throughput.seconds", 10)),
					Boolean.getBoolean("bench.grpc.directExecutor"));
		}
	}

	record Figures(String peer, Bench.Result latency, Bench.Result throughput) {
	}

	private RpcBench() {
	}

	public static void main(String[] args) throws Exception {
		Path out = Path.of(args.length > 0 ? args[0] : "results/rpc.md");
		Settings settings = Settings.fromSystemProperties();
		Payload payload = Payloads.sample();
		double loadBefore = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
		Figures ours;
		Figures grpc;
		// Both peers are up for the whole run and each phase measures them back to back, so that a change in the
		// machine's load between phases hits both alike.
		try (Peer micro = new MicroPeer(); Peer peer = new GrpcPeer(settings.grpcDirectExecutor())) {
			verify(micro, payload);
			verify(peer, payload);
			Bench.Result microLatency = latency(micro, payload, settings);
			Bench.Result grpcLatency = latency(peer, payload, settings);
			Bench.Result grpcThroughput = throughput(peer, payload, settings);
			Bench.Result microThroughput = throughput(micro, payload, settings);
			ours = new Figures(micro.name(), microLatency, microThroughput);
			grpc = new Figures(peer.name(), grpcLatency, grpcThroughput);
		}
		double loadAfter = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
		String table = report(ours, grpc, settings, loadBefore, loadAfter);
		System.out.println(table);
		if (out.getParent() != null) {
			Files.createDirectories(out.getParent());
		}
		Files.writeString(out, table, StandardCharsets.UTF_8);
		System.out.println("written to " + out.toAbsolutePath());
	}

	static void verify(Peer peer, Payload payload) throws Exception {
		if (!payload.equals(peer.echo(payload))) {
			throw new IllegalStateException(peer.name() + " does not echo the message unchanged");
		}
	}

	static Bench.Operation call(Peer peer, Payload payload) {
		return () -> {
			if (peer.echo(payload).getSerializedSize() != Payloads.SIZE) {
				throw new IllegalStateException(peer.name() + " answered a message of another size");
			}
		};
	}

	static Bench.Result latency(Peer peer, Payload payload, Settings settings) throws Exception {
		System.out.printf("%s: latency, %d warm-up calls, then %d calls at concurrency 1%n", peer.name(),
				settings.latencyWarmup(), settings.latencyCalls());
		return Bench.latency(call(peer, payload), settings.latencyWarmup(), settings.latencyCalls(),
				LATENCY_MAX_TIME);
	}

	static Bench.Result throughput(Peer peer, Payload payload, Settings settings) throws Exception {
		System.out.printf("%s: throughput, concurrency %d, %d s warm-up, then %d s%n", peer.name(),
				settings.concurrency(), settings.throughputWarmup().toSeconds(), settings.throughputTime().toSeconds());
		return Bench.throughput(call(peer, payload), settings.concurrency(), settings.throughputWarmup(),
				settings.throughputTime());
	}

	static String report(Figures ours, Figures grpc, Settings settings, double loadBefore, double loadAfter)
			throws IOException {
		StringBuilder b = new StringBuilder();
		b.append("# RPC benchmark: micro (MUCP over HTTP) against grpc-java\n\n");
		b.append("Unary echo of a ").append(Payloads.SIZE)
				.append("-byte protobuf message (`bench.proto`) on 127.0.0.1: micro's RpcClient → RpcServer over the ")
				.append("HTTP transport with `application/protobuf`, and grpc-java (grpc-netty-shaded, plaintext, ")
				.append("blocking stub). Both run in the same JVM; each phase measures one right after the other (latency: micro then ")
				.append("grpc; throughput: grpc then micro). Made by `bin/bench`.\n\n");
		b.append("| run | |\n|---|---|\n");
		b.append("| date | ").append(ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")))
				.append(" |\n");
		b.append("| machine | nproc ").append(Runtime.getRuntime().availableProcessors()).append(", ").append(cpuModel())
				.append(", ").append(System.getProperty("os.name")).append(' ').append(System.getProperty("os.version"))
				.append(String.format(Locale.ROOT, "; load average %.1f at start, %.1f at end", loadBefore, loadAfter))
				.append(" |\n");
		b.append("| JVM | ").append(System.getProperty("java.vm.name")).append(' ')
				.append(System.getProperty("java.runtime.version")).append(", flags `")
				.append(String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments())).append("` |\n");
		b.append("| settings | latency: ").append(settings.latencyWarmup()).append(" warm-up calls, then ")
				.append(ours.latency().calls()).append(" calls at concurrency 1; throughput: ")
				.append(settings.concurrency()).append(" threads, ").append(settings.throughputWarmup().toSeconds())
				.append(" s warm-up, then ").append(settings.throughputTime().toSeconds()).append(" s |\n\n");

		b.append("| metric | micro | ").append(grpc.peer()).append(" | micro / grpc | target |\n|---|---:|---:|---:|---|\n");
		Bench.Histogram ol = ours.latency().latency();
		Bench.Histogram gl = grpc.latency().latency();
		double p50 = ratio(ol.percentile(50), gl.percentile(50));
		double tput = ours.throughput().callsPerSecond() / grpc.throughput().callsPerSecond();
		row(b, "latency p50, concurrency 1 (µs)", micros(ol.percentile(50)), micros(gl.percentile(50)), p50,
				String.format(Locale.ROOT, "≤ %.1f: %s", P50_TARGET, p50 <= P50_TARGET ? "met" : "missed"));
		row(b, "latency p90, concurrency 1 (µs)", micros(ol.percentile(90)), micros(gl.percentile(90)),
				ratio(ol.percentile(90), gl.percentile(90)), "");
		row(b, "latency p99, concurrency 1 (µs)", micros(ol.percentile(99)), micros(gl.percentile(99)),
				ratio(ol.percentile(99), gl.percentile(99)), "");
		row(b, "throughput, concurrency " + settings.concurrency() + " (calls/s)",
				String.format(Locale.ROOT, "%.0f", ours.throughput().callsPerSecond()),
				String.format(Locale.ROOT, "%.0f", grpc.throughput().callsPerSecond()), tput,
				String.format(Locale.ROOT, "≥ %.1f: %s", THROUGHPUT_TARGET, tput >= THROUGHPUT_TARGET ? "met" : "missed"));
		Bench.Histogram ot = ours.throughput().latency();
		Bench.Histogram gt = grpc.throughput().latency();
		row(b, "latency p50, concurrency " + settings.concurrency() + " (µs)", micros(ot.percentile(50)),
				micros(gt.percentile(50)), ratio(ot.percentile(50), gt.percentile(50)), "");
		row(b, "latency p99, concurrency " + settings.concurrency() + " (µs)", micros(ot.percentile(99)),
				micros(gt.percentile(99)), ratio(ot.percentile(99), gt.percentile(99)), "");
		row(b, "CPU per call, concurrency 1 (µs, both peers)", micros(ours.latency().cpuNanosPerCall()),
				micros(grpc.latency().cpuNanosPerCall()),
				ours.latency().cpuNanosPerCall() / grpc.latency().cpuNanosPerCall(), "");
		row(b, "CPU per call, concurrency " + settings.concurrency() + " (µs)",
				micros(ours.throughput().cpuNanosPerCall()), micros(grpc.throughput().cpuNanosPerCall()),
				ours.throughput().cpuNanosPerCall() / grpc.throughput().cpuNanosPerCall(), "");
		row(b, "heap allocated per call, concurrency 1 (bytes, both peers)",
				String.format(Locale.ROOT, "%.0f", ours.latency().bytesPerCall()),
				String.format(Locale.ROOT, "%.0f", grpc.latency().bytesPerCall()),
				ours.latency().bytesPerCall() / grpc.latency().bytesPerCall(), "");
		row(b, "calls measured, concurrency 1 / " + settings.concurrency(),
				ours.latency().calls() + " / " + ours.throughput().calls(),
				grpc.latency().calls() + " / " + grpc.throughput().calls(), Double.NaN, "");
		return b.toString();
	}

	private static void row(StringBuilder b, String metric, String ours, String grpc, double ratio, String target) {
		b.append("| ").append(metric).append(" | ").append(ours).append(" | ").append(grpc).append(" | ")
				.append(Double.isNaN(ratio) ? "" : String.format(Locale.ROOT, "%.2f", ratio)).append(" | ")
				.append(target).append(" |\n");
	}

	private static double ratio(long ours, long grpc) {
		return (double) ours / grpc;
	}

	private static String micros(double nanos) {
		return String.format(Locale.ROOT, "%.1f", nanos / 1000.0);
	}

	private static String cpuModel() {
		try {
			List<String> lines = Files.readAllLines(Path.of("/proc/cpuinfo"));
			for (String line : lines) {
				if (line.startsWith("model name")) {
					return line.substring(line.indexOf(':') + 1).trim();
				}
			}
		} catch (IOException | RuntimeException e) {
			// not Linux: the processor count alone describes the machine
		}
		return "unknown processor";
	}
}
