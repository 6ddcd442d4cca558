package micro.cli.format;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.ZoneOffset;
import java.util.List;

import org.junit.jupiter.api.Test;

import micro.cli.runtime.PluginStatus;
import micro.cli.runtime.PluginsResponse;

/** Golden text of the health, stats, nodes and plugin tables and of Go's duration format. */
class DebugFormatTest {
	@Test
	void healthTableAsGo() {
		String text = DebugFormat.health("go.micro.srv.example", List.of(
				new DebugFormat.NodeHealth("go.micro.srv.example", "latest", "n-1", "127.0.0.1:1", "ok"),
				new DebugFormat.NodeHealth("go.micro.srv.example", "latest", "n-2", "127.0.0.1:2", "{\"detail\":\"x\"}")));
		assertEquals("service  go.micro.srv.example\n\nversion latest\n\nnode\t\taddress:port\t\tstatus\n"
				+ "n-1\t\t127.0.0.1:1\t\tok\nn-2\t\t127.0.0.1:2\t\t{\"detail\":\"x\"}", text);
	}

	@Test
	void statsTableAsGoWithTheErrorKept() {
		long started = 1_700_000_000L; // Nov 14 22:13:20 UTC
		String text = DebugFormat.stats("s", List.of(
				new DebugFormat.NodeStats("s", "1.0", "s-1", "127.0.0.1:1", started, 3723, 5 * 1024 * 1024 + 512 * 1024, 12,
						1_500_000, ""),
				new DebugFormat.NodeStats("s", "1.0", "s-2", "127.0.0.1:2", 0, 0, 0, 0, 0, "{\"code\":500}")), ZoneOffset.UTC);
		assertEquals("service  s\n\nversion 1.0\n\nnode\t\taddress:port\t\tstarted\tuptime\tmemory\tthreads\tgc\n"
				+ "s-1\t\t127.0.0.1:1\t\tNov 14 22:13:20\t1h2m3s\t5.50mb\t12\t1.5ms\n"
				+ "s-2\t\t127.0.0.1:2\t\t\t\t\t0\t\t{\"code\":500}", text);
	}

	@Test
	void goDurations() {
		assertEquals("0s", GoDuration.of(0));
		assertEquals("999ns", GoDuration.of(999));
		assertEquals("1.5µs", GoDuration.of(1500));
		assertEquals("12ms", GoDuration.of(12_000_000));
		assertEquals("1.000001ms", GoDuration.of(1_000_001));
		assertEquals("3.25s", GoDuration.of(3_250_000_000L));
		assertEquals("2m0s", GoDuration.of(120_000_000_000L));
		assertEquals("1h0m0s", GoDuration.of(3_600_000_000_000L));
		assertEquals("-1s", GoDuration.of(-1_000_000_000L));
	}

	@Test
	void nodesTable() {
		assertEquals("SERVICE\tVERSION\tID\tADDRESS\tMETADATA\na\tlatest\ta-1\t127.0.0.1:5\tb=2,z=1",
				ServiceFormat.nodes(List.of(new ServiceFormat.NodeRow("a", "latest", "a-1", "127.0.0.1:5",
						java.util.Map.of("z", "1", "b", "2")))));
	}

	@Test
	void pluginsTableMarksTheSelectedOne() {
		assertEquals("KIND\tNAME\tSELECTED\tBUNDLE\tVERSION\tSTATE\n"
				+ "registry\tmdns\t*\tmicro.registry.mdns (7)\t0.1.0\tACTIVE\n"
				+ "registry\tmemory\t\tmicro.core (5)\t0.1.0\tACTIVE",
				RuntimeFormat.plugins(new PluginsResponse(List.of(
						new PluginStatus("registry", "mdns", 7, "micro.registry.mdns", "0.1.0", "ACTIVE", true),
						new PluginStatus("registry", "memory", 5, "micro.core", "0.1.0", "ACTIVE", false)))));
	}
}
