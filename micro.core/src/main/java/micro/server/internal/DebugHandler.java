package micro.server.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

import com.google.protobuf.CodedOutputStream;

import micro.codec.RawBody;
import micro.codec.internal.Codecs;
import micro.server.Context;

/**
 * go-micro's internal {@code Debug} handler (gm:debug/service/handler/debug.go), not advertised: {@code Debug.Health}
 * answers {@code {"status":"ok"}} and {@code Debug.Stats} the JVM's figures. Both answer in protobuf
 * ({@code debug.HealthResponse}, {@code debug.StatsResponse}) when asked in protobuf, else in JSON.
 */
final class DebugHandler {
	private final long startedMillis = System.currentTimeMillis();
	private final LongSupplier requests;
	private final LongSupplier errors;

	DebugHandler(LongSupplier requests, LongSupplier errors) {
		this.requests = requests;
		this.errors = errors;
	}

	public RawBody health(Context context, RawBody request) throws IOException {
		if (wantsProtobuf(context)) {
			ByteArrayOutputStream buf = new ByteArrayOutputStream();
			CodedOutputStream out = CodedOutputStream.newInstance(buf);
			out.writeString(1, "ok");
			out.flush();
			return new RawBody(buf.toByteArray());
		}
		return RawBody.of("{\"status\":\"ok\"}");
	}

	public RawBody stats(Context context, RawBody request) throws IOException {
		Map<String, Long> s = new LinkedHashMap<>();
		long now = System.currentTimeMillis();
		s.put("timestamp", now / 1000);
		s.put("started", startedMillis / 1000);
		s.put("uptime", (now - startedMillis) / 1000);
		s.put("memory", ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
		s.put("threads", (long) ManagementFactory.getThreadMXBean().getThreadCount());
		long gcMillis = 0;
		for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
			gcMillis += Math.max(0, gc.getCollectionTime());
		}
		s.put("gc", gcMillis * 1_000_000);
		s.put("requests", requests.getAsLong());
		s.put("errors", errors.getAsLong());
		if (wantsProtobuf(context)) {
			ByteArrayOutputStream buf = new ByteArrayOutputStream();
			CodedOutputStream out = CodedOutputStream.newInstance(buf);
			int field = 1;
			for (long v : s.values()) {
				// proto3 leaves zero values out
				if (v != 0) {
					out.writeUInt64(field, v);
				}
				field++;
			}
			out.flush();
			return new RawBody(buf.toByteArray());
		}
		StringBuilder json = new StringBuilder("{");
		s.forEach((k, v) -> json.append(json.length() > 1 ? "," : "").append('"').append(k).append("\":").append(v));
		return new RawBody(json.append('}').toString().getBytes(StandardCharsets.UTF_8));
	}

	private static boolean wantsProtobuf(Context context) {
		String ct = Codecs.normalise(context.metadata().get("Content-Type"));
		return ct == null || ct.contains("proto") || ct.equals("application/octet-stream");
	}
}
