package micro.cli.format;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The tables of {@code micro health <service>} and {@code micro stats <service>} (micro v2.9.3,
 * {@code internal/command/cli/command.go} {@code QueryHealth}, {@code QueryStats}): the service name, then per version
 * its {@code version} line and one row per node, the columns separated by tabs as Go writes them.
 */
public final class DebugFormat {
	private static final DateTimeFormatter STARTED = DateTimeFormatter.ofPattern("MMM d HH:mm:ss", Locale.US);

	private DebugFormat() {
	}

	/** One node's answer to {@code Debug.Health}: its status, or the call's error. */
	public record NodeHealth(String service, String version, String node, String address, String status) {
	}

	/**
	 * One node's answer to {@code Debug.Stats} (go-micro's {@code StatsResponse}: started in Unix seconds, uptime in
	 * seconds, memory in bytes, gc in nanoseconds), or the call's error (empty when the call worked).
	 */
	public record NodeStats(String service, String version, String node, String address, long started, long uptime,
			long memory, long threads, long gc, String error) {
	}

	public static String health(String service, List<NodeHealth> rows) {
		List<String> output = new ArrayList<>();
		output.add("service  " + service);
		String version = null;
		for (NodeHealth row : rows) {
			if (!row.version().equals(version)) {
				version = row.version();
				output.add("\nversion " + version);
				output.add("\nnode\t\taddress:port\t\tstatus");
			}
			output.add(row.node() + "\t\t" + row.address() + "\t\t" + row.status());
		}
		return String.join("\n", output);
	}

	/**
	 * As Go, a node whose call failed shows empty columns and 0 threads; unlike Go, the error follows in a last
	 * column, so the reason is not lost.
	 */
	public static String stats(String service, List<NodeStats> rows, ZoneId zone) {
		List<String> output = new ArrayList<>();
		output.add("service  " + service);
		String version = null;
		for (NodeStats row : rows) {
			if (!row.version().equals(version)) {
				version = row.version();
				output.add("\nversion " + version);
				output.add("\nnode\t\taddress:port\t\tstarted\tuptime\tmemory\tthreads\tgc");
			}
			if (row.error().isEmpty()) {
				output.add(String.format(Locale.ROOT, "%s\t\t%s\t\t%s\t%s\t%.2fmb\t%d\t%s", row.node(), row.address(),
						STARTED.format(Instant.ofEpochSecond(row.started()).atZone(zone)),
						GoDuration.of(row.uptime() * 1_000_000_000L), row.memory() / (1024.0 * 1024.0), row.threads(),
						GoDuration.of(row.gc())));
			} else {
				output.add(row.node() + "\t\t" + row.address() + "\t\t\t\t\t0\t\t" + row.error());
			}
		}
		return String.join("\n", output);
	}
}
