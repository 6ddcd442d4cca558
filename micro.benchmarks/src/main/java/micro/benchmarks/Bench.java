package micro.benchmarks;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The harness every benchmark of this module uses: a warm-up, then a timed loop bounded in both calls and time, with
 * latencies in a {@link Histogram}, and the CPU time and heap allocation the process spent per call.
 * <p>
 * {@link #latency} runs the operation on one thread (concurrency 1); {@link #throughput} runs it on many threads for a
 * fixed time. Both stop at the first failure of the operation and rethrow it, so a broken peer never yields figures.
 */
public final class Bench {
	/** One operation to measure, for example one RPC. */
	@FunctionalInterface
	public interface Operation {
		void run() throws Exception;
	}

	/**
	 * What one measurement found.
	 *
	 * @param calls          operations completed in the measured part
	 * @param elapsed        wall time of the measured part
	 * @param latency        the latency of each operation
	 * @param cpuNanosPerCall process CPU time (every thread, both peers) per operation
	 * @param bytesPerCall   heap allocated by the threads alive at start and end, per operation
	 */
	public record Result(long calls, Duration elapsed, Histogram latency, double cpuNanosPerCall,
			double bytesPerCall) {
		public double callsPerSecond() {
			return calls / (elapsed.toNanos() / 1e9);
		}
	}

	private Bench() {
	}

	/**
	 * Runs {@code warmupCalls} operations, then measures up to {@code calls} operations one after the other, stopping
	 * early when {@code maxTime} is up.
	 */
	public static Result latency(Operation operation, int warmupCalls, int calls, Duration maxTime) throws Exception {
		for (int i = 0; i < warmupCalls; i++) {
			operation.run();
		}
		Histogram histogram = new Histogram();
		Usage before = Usage.now();
		long start = System.nanoTime();
		long deadline = start + maxTime.toNanos();
		long done = 0;
		for (long t0 = start; done < calls && t0 < deadline; done++) {
			operation.run();
			long t1 = System.nanoTime();
			histogram.record(t1 - t0);
			t0 = t1;
		}
		long elapsed = System.nanoTime() - start;
		return before.result(done, elapsed, histogram);
	}

	/**
	 * Runs the operation on {@code concurrency} threads, each in a loop: first for {@code warmup}, then for
	 * {@code measure}, counting only the operations that start and end within the measured part.
	 */
	public static Result throughput(Operation operation, int concurrency, Duration warmup, Duration measure)
			throws Exception {
		long warmupEnd = System.nanoTime() + warmup.toNanos();
		long[] window = new long[2];
		Histogram[] histograms = new Histogram[concurrency];
		long[] counts = new long[concurrency];
		AtomicReference<Throwable> failure = new AtomicReference<>();
		CountDownLatch warmedUp = new CountDownLatch(concurrency);
		CountDownLatch measuring = new CountDownLatch(1);
		List<Thread> threads = new ArrayList<>();
		for (int w = 0; w < concurrency; w++) {
			int worker = w;
			histograms[w] = new Histogram();
			Thread thread = new Thread(() -> {
				try {
					while (System.nanoTime() < warmupEnd && failure.get() == null) {
						operation.run();
					}
					warmedUp.countDown();
					measuring.await();
					long end = window[1];
					long t0 = System.nanoTime();
					while (t0 < end && failure.get() == null) {
						operation.run();
						long t1 = System.nanoTime();
						if (t1 <= end) {
							histograms[worker].record(t1 - t0);
							counts[worker]++;
						}
						t0 = t1;
					}
				} catch (Throwable e) {
					failure.compareAndSet(null, e);
					warmedUp.countDown();
				}
			}, "bench-" + w);
			thread.setDaemon(true);
			threads.add(thread);
			thread.start();
		}
		warmedUp.await();
		Usage before = Usage.now();
		window[0] = System.nanoTime();
		window[1] = window[0] + measure.toNanos();
		measuring.countDown();
		for (Thread thread : threads) {
			thread.join(measure.toMillis() + warmup.toMillis() + 30_000);
			if (thread.isAlive()) {
				throw new IllegalStateException(thread.getName() + " did not finish: an operation hangs");
			}
		}
		long elapsed = window[1] - window[0];
		if (failure.get() != null) {
			throw new IllegalStateException("an operation failed: " + failure.get(), failure.get());
		}
		Histogram all = new Histogram();
		long calls = 0;
		for (int w = 0; w < concurrency; w++) {
			all.add(histograms[w]);
			calls += counts[w];
		}
		return before.result(calls, elapsed, all);
	}

	/** Process CPU time and the heap allocated by the live threads, sampled before a measurement. */
	private record Usage(long cpuNanos, long[] threadIds, long[] allocated) {
		static Usage now() {
			var threads = threadBean();
			long[] ids = threads.getAllThreadIds();
			return new Usage(processCpuNanos(), ids, threads.getThreadAllocatedBytes(ids));
		}

		Result result(long calls, long elapsedNanos, Histogram histogram) {
			long cpu = processCpuNanos() - cpuNanos;
			long[] after = threadBean().getThreadAllocatedBytes(threadIds);
			long bytes = 0;
			for (int i = 0; i < threadIds.length; i++) {
				// -1: the thread ended meanwhile; its share is lost, so the figure is a lower bound
				if (after[i] >= 0 && allocated[i] >= 0) {
					bytes += after[i] - allocated[i];
				}
			}
			double per = Math.max(calls, 1);
			return new Result(calls, Duration.ofNanos(elapsedNanos), histogram, cpu / per, bytes / per);
		}

		private static com.sun.management.ThreadMXBean threadBean() {
			return (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
		}

		private static long processCpuNanos() {
			return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
					.getProcessCpuTime();
		}
	}

	/**
	 * A latency histogram in nanoseconds with buckets under 1% wide: each power of two is split into 128 linear
	 * sub-buckets. Not thread-safe: one per thread, then {@link #add} them up.
	 */
	public static final class Histogram {
		private static final int SUB_BITS = 7;
		private static final int SUB = 1 << SUB_BITS;
		private final long[] buckets = new long[(64 - SUB_BITS + 1) * SUB];
		private long count;
		private long min = Long.MAX_VALUE;
		private long max;
		private double sum;

		public void record(long nanos) {
			long v = Math.max(nanos, 0);
			buckets[index(v)]++;
			count++;
			sum += v;
			min = Math.min(min, v);
			max = Math.max(max, v);
		}

		public void add(Histogram other) {
			for (int i = 0; i < buckets.length; i++) {
				buckets[i] += other.buckets[i];
			}
			count += other.count;
			sum += other.sum;
			min = Math.min(min, other.min);
			max = Math.max(max, other.max);
		}

		public long count() {
			return count;
		}

		/** The smallest value recorded, exact; 0 when empty. */
		public long min() {
			return count == 0 ? 0 : min;
		}

		public long max() {
			return max;
		}

		public double mean() {
			return count == 0 ? 0 : sum / count;
		}

		/** The value at a percentile (0 to 100]: the upper end of the bucket that holds it. */
		public long percentile(double percentile) {
			if (count == 0) {
				return 0;
			}
			long rank = (long) Math.ceil(percentile / 100.0 * count);
			long seen = 0;
			for (int i = 0; i < buckets.length; i++) {
				seen += buckets[i];
				if (seen >= Math.max(rank, 1)) {
					return Math.min(upperBound(i), max);
				}
			}
			return max;
		}

		/** Values under 128 have a bucket each; above, value v goes to {@code shift * 128 + (v >>> shift)}. */
		static int index(long v) {
			if (v < SUB) {
				return (int) v;
			}
			int shift = 63 - Long.numberOfLeadingZeros(v) - SUB_BITS;
			return shift * SUB + (int) (v >>> shift);
		}

		static long upperBound(int index) {
			if (index < SUB) {
				return index;
			}
			int shift = index / SUB - 1;
			long top = index - (long) shift * SUB;
			return ((top + 1) << shift) - 1;
		}
	}
}
