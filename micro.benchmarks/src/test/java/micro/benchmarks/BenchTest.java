package micro.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import micro.benchmarks.proto.Payload;

class BenchTest {
	@Test
	void histogramPercentilesAreWithinOnePercent() {
		Bench.Histogram h = new Bench.Histogram();
		for (long v = 1; v <= 100_000; v++) {
			h.record(v * 1000);
		}
		assertEquals(100_000, h.count());
		assertNear(50_000_000, h.percentile(50));
		assertNear(90_000_000, h.percentile(90));
		assertNear(99_000_000, h.percentile(99));
		assertEquals(100_000_000, h.percentile(100));
	}

	@Test
	void smallValuesAreExact() {
		Bench.Histogram h = new Bench.Histogram();
		for (int v = 0; v < 100; v++) {
			h.record(v);
		}
		assertEquals(49, h.percentile(50));
		assertEquals(99, h.percentile(100));
	}

	@Test
	void bucketsAreOrderedAndCoverEveryValue() {
		long[] samples = { 0, 1, 127, 128, 255, 256, 257, 511, 512, 1_000_003, Long.MAX_VALUE / 3 };
		int last = -1;
		for (long v : samples) {
			int i = Bench.Histogram.index(v);
			assertTrue(i >= last, "index of " + v);
			assertTrue(Bench.Histogram.upperBound(i) >= v, "upper bound of " + v);
			last = i;
		}
	}

	@Test
	void histogramsAddUp() {
		Bench.Histogram a = new Bench.Histogram();
		Bench.Histogram b = new Bench.Histogram();
		a.record(10);
		b.record(20);
		b.record(30);
		a.add(b);
		assertEquals(3, a.count());
		assertEquals(10, a.min());
		assertEquals(30, a.max());
		assertEquals(20.0, a.mean(), 1e-9);
	}

	@Test
	void latencyCountsTheMeasuredCallsOnly() throws Exception {
		AtomicLong calls = new AtomicLong();
		Bench.Result r = Bench.latency(calls::incrementAndGet, 10, 500, Duration.ofSeconds(10));
		assertEquals(510, calls.get());
		assertEquals(500, r.calls());
		assertEquals(500, r.latency().count());
	}

	@Test
	void throughputRunsEveryThreadForTheMeasuredTime() throws Exception {
		Bench.Result r = Bench.throughput(() -> Thread.sleep(1), 4, Duration.ofMillis(100), Duration.ofMillis(300));
		assertTrue(r.calls() > 4, "calls: " + r.calls());
		assertEquals(r.calls(), r.latency().count());
		assertTrue(r.latency().percentile(50) >= 1_000_000, "a sleep of 1 ms takes at least 1 ms");
	}

	@Test
	void aFailingOperationStopsTheMeasurement() {
		assertThrows(IllegalStateException.class, () -> Bench.throughput(() -> {
			throw new java.io.IOException("peer down");
		}, 2, Duration.ofMillis(50), Duration.ofMillis(50)));
		assertThrows(java.io.IOException.class, () -> Bench.latency(() -> {
			throw new java.io.IOException("peer down");
		}, 0, 10, Duration.ofSeconds(1)));
	}

	@Test
	void theMessageIs581Bytes() {
		Payload p = Payloads.sample();
		assertEquals(581, p.toByteArray().length);
	}

	@Test
	void grpcPeerEchoes() throws Exception {
		try (GrpcPeer peer = new GrpcPeer()) {
			Payload p = Payloads.sample();
			assertEquals(p, peer.echo(p));
		}
	}

	private static void assertNear(long expected, long actual) {
		assertTrue(Math.abs(actual - expected) <= expected / 100, expected + " ≈ " + actual);
	}
}
