package micro.api.internal;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The {@code /stats} counters (micro:internal/stats): requests per status code in one-minute windows, the last
 * {@value #WINDOWS} kept, plus memory, threads and GC time of the JVM.
 */
final class Stats {
	static final int WINDOWS = 60;

	private final long started = System.currentTimeMillis() / 1000;
	private final Deque<Window> windows = new ArrayDeque<>();

	private static final class Window {
		final long timestamp;
		final Map<Integer, Long> codes = new TreeMap<>();
		long total;

		Window(long timestamp) {
			this.timestamp = timestamp;
		}
	}

	synchronized void record(int status) {
		long minute = System.currentTimeMillis() / 60_000 * 60;
		Window w = windows.peekLast();
		if (w == null || w.timestamp != minute) {
			w = new Window(minute);
			windows.addLast(w);
			while (windows.size() > WINDOWS) {
				windows.removeFirst();
			}
		}
		w.codes.merge(status, 1L, Long::sum);
		w.total++;
	}

	/** The JSON object of Go's {@code /stats}. */
	synchronized Map<String, Object> snapshot() {
		Map<String, Object> out = new LinkedHashMap<>();
		Runtime rt = Runtime.getRuntime();
		long gcMillis = 0;
		for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
			gcMillis += Math.max(0, gc.getCollectionTime());
		}
		out.put("started", started);
		out.put("memory", rt.totalMemory() - rt.freeMemory());
		out.put("threads", Thread.activeCount());
		out.put("gc_pause", gcMillis * 1_000_000);
		List<Map<String, Object>> counters = new ArrayList<>();
		for (Window w : windows) {
			Map<String, Object> c = new LinkedHashMap<>();
			c.put("timestamp", w.timestamp);
			Map<String, Long> codes = new LinkedHashMap<>();
			w.codes.forEach((k, v) -> codes.put(Integer.toString(k), v));
			c.put("status_codes", codes);
			c.put("total_reqs", w.total);
			counters.add(c);
		}
		out.put("counters", counters);
		return out;
	}

	/** A small HTML page with the same figures. */
	String html(String json) {
		return "<!DOCTYPE html><html><head><title>Stats</title></head><body><h1>Stats</h1><pre id=\"stats\">"
				+ json.replace("&", "&amp;").replace("<", "&lt;") + "</pre></body></html>";
	}
}
