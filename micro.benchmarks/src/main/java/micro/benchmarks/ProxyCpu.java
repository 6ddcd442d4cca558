package micro.benchmarks;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.sun.management.ThreadMXBean;

import micro.api.internal.ApiGateway;
import micro.api.internal.ApiOptions;
import micro.config.MicroConfig;
import micro.registry.Node;
import micro.registry.Service;
import micro.registry.internal.MemoryRegistry;
import micro.runtime.Micro;

/**
 * Where the CPU of a proxied request goes: the same wrk load (concurrency 64) against the backend directly, through
 * nginx and through our {@code http} handler, with the CPU time of each group of threads divided by the requests
 * served — the gateway's threads ({@code micro-api*}), the backend's, the rest of this JVM (collector, compiler,
 * timer), nginx's processes — and the context switches of the gateway's and the backend's threads per request. It
 * explains a throughput ratio that {@link ApiBench} only states. Prints one line per peer and round:
 *
 * <pre>
 * micro.benchmarks/bin/api-cpu            # settings: -Dbench.cpu.seconds=5 -Dbench.cpu.rounds=3 -Dbench.cpu.peers=direct,nginx,ours
 * </pre>
 */
public final class ProxyCpu {
	private static final List<String> GROUPS = List.of("gateway", "backend", "other", "nginx");
	/** The backend's own JVM, null when it runs in this one ({@code -Dbench.backend.inline=true}). */
	private static ProcessHandle backendJvm;

	private ProxyCpu() {
	}

	public static void main(String[] args) throws Exception {
		int seconds = Integer.getInteger("bench.cpu.seconds", 5);
		int rounds = Integer.getInteger("bench.cpu.rounds", 3);
		List<String> peers = List.of(System.getProperty("bench.cpu.peers", "direct,nginx,ours").split(","));
		HttpBackend backend = HttpBackend.start();
		backendJvm = backend.process();
		int backendPort = backend.port;
		MemoryRegistry registry = new MemoryRegistry();
		Micro micro = Micro.builder().config(MicroConfig.of(Map.of())).registry(registry).withoutBroker().build();
		registry.register(new Service("go.micro.api.web", "latest", Map.of(), List.of(),
				List.of(new Node("go.micro.api.web-1", "127.0.0.1:" + backendPort, Map.of()))), Duration.ofHours(1));
		ApiGateway gateway = ApiBench.gateway(micro, Map.of(ApiOptions.API_HANDLER, "http"));
		int nginxPort = ApiBench.freePort();
		Process nginx = ApiBench.nginx(Files.createTempDirectory("proxy-cpu"), nginxPort, backendPort);
		try {
			for (int round = 1; round <= rounds; round++) {
				for (String peer : peers) {
					int port = switch (peer) {
					case "direct" -> backendPort;
					case "nginx" -> nginxPort;
					case "ours" -> gateway.port();
					default -> throw new IllegalArgumentException("bench.cpu.peers: direct, nginx or ours, not " + peer);
					};
					System.out.println("round " + round + ": " + measure(peer, port, seconds, nginx));
				}
			}
		} finally {
			nginx.destroy();
			gateway.stop();
			backend.close();
			micro.close();
		}
		System.exit(0);
	}

	private static String measure(String peer, int port, int seconds, Process nginx) throws Exception {
		Map<String, Long> before = usage(nginx);
		Process wrk = new ProcessBuilder("wrk", "-t2", "-c64", "-d" + seconds + "s", "http://127.0.0.1:" + port + "/web/fast")
				.redirectErrorStream(true).start();
		String out = new String(wrk.getInputStream().readAllBytes());
		wrk.waitFor();
		Map<String, Long> after = usage(nginx);
		Matcher m = Pattern.compile("Requests/sec:\\s+([0-9.]+)").matcher(out);
		if (!m.find()) {
			throw new IllegalStateException("wrk: " + out);
		}
		double rate = Double.parseDouble(m.group(1));
		double requests = rate * seconds;
		StringBuilder line = new StringBuilder(String.format("%-6s %8.0f req/s  CPU µs/req:", peer, rate));
		for (String g : GROUPS) {
			line.append(String.format(" %s %.1f", g, (after.get(g) - before.get(g)) / 1e3 / requests));
		}
		line.append("  context switches/req (waiting + preempted):");
		for (String g : List.of("gateway", "backend")) {
			line.append(String.format(" %s %.2f + %.2f", g, (after.get(g + "-cs") - before.get(g + "-cs")) / requests,
					(after.get(g + "-ncs") - before.get(g + "-ncs")) / requests));
		}
		return line.toString();
	}

	/** CPU nanoseconds per thread group (and nginx's processes), and context switches of this JVM's groups. */
	private static Map<String, Long> usage(Process nginx) throws Exception {
		Map<String, Long> m = new HashMap<>();
		for (String g : GROUPS) {
			m.put(g, 0L);
			m.put(g + "-cs", 0L);
			m.put(g + "-ncs", 0L);
		}
		ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
		for (long id : threads.getAllThreadIds()) {
			var info = threads.getThreadInfo(id);
			long cpu = threads.getThreadCpuTime(id);
			if (info != null && cpu > 0) {
				m.merge(group(info.getThreadName()), cpu, Long::sum);
			}
		}
		// context switches from /proc: the kernel's thread names (comm) are the Java names cut to 15 characters
		contextSwitches(Path.of("/proc/self/task"), null, m);
		m.put("nginx", processCpu(nginx.toHandle()));
		if (backendJvm != null) {
			m.put("backend", processCpu(backendJvm)); // this JVM has no backend threads: its counts start at 0
			contextSwitches(Path.of("/proc/" + backendJvm.pid() + "/task"), "backend", m);
		}
		return m;
	}

	/** Adds the context switches of the threads in {@code tasks} to their group's, or all to {@code group}. */
	private static void contextSwitches(Path tasks, String group, Map<String, Long> m) throws java.io.IOException {
		try (var all = Files.list(tasks)) {
			for (Path task : (Iterable<Path>) all::iterator) {
				try {
					String g = group != null ? group : group(Files.readString(task.resolve("comm")).trim());
					for (String l : Files.readAllLines(task.resolve("status"))) {
						if (l.contains("ctxt_switches")) {
							// preempted (nonvoluntary) apart from waiting (voluntary): contention against waking up
							m.merge(g + (l.startsWith("nonvoluntary") ? "-ncs" : "-cs"), Long.parseLong(l.replaceAll("\\D", "")), Long::sum);
						}
					}
				} catch (java.io.IOException ended) {
					// the thread ended meanwhile
				}
			}
		}
	}

	private static String group(String thread) {
		return thread.startsWith("micro-api") ? "gateway" : thread.startsWith("backend") ? "backend" : "other";
	}

	/** utime + stime of a process and its descendants (nginx's master and workers), from /proc (ticks of 10 ms). */
	private static long processCpu(ProcessHandle process) throws Exception {
		List<ProcessHandle> all = new ArrayList<>();
		all.add(process);
		process.descendants().forEach(all::add);
		long ticks = 0;
		for (ProcessHandle h : all) {
			try {
				String[] f = Files.readString(Path.of("/proc/" + h.pid() + "/stat")).split("\\) ")[1].split(" ");
				ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]);
			} catch (java.io.IOException ended) {
				// the process ended meanwhile
			}
		}
		return ticks * 10_000_000L;
	}
}
