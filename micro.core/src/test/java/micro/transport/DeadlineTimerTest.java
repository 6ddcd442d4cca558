package micro.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

class DeadlineTimerTest {
	private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);
	private final DeadlineTimer timer = new DeadlineTimer("test-deadline-timer", 200 * MS);

	@Test
	void anActionRunsOnceItsDeadlineHasPassed() throws InterruptedException {
		AtomicLong ranAt = new AtomicLong();
		CountDownLatch ran = new CountDownLatch(1);
		long deadline = System.nanoTime() + 50 * MS;
		DeadlineTimer.Timeout t = timer.schedule(deadline, () -> {
			ranAt.set(System.nanoTime());
			ran.countDown();
		});
		assertTrue(ran.await(5, TimeUnit.SECONDS));
		assertTrue(ranAt.get() - deadline >= 0, "not before its deadline");
		assertTrue(t.fired());
		assertFalse(t.cancel(), "too late to cancel");
	}

	@Test
	void aCancelledActionNeverRuns() throws InterruptedException {
		AtomicInteger runs = new AtomicInteger();
		DeadlineTimer.Timeout t = timer.after(30 * MS, runs::incrementAndGet);
		assertTrue(t.cancel());
		assertTrue(t.cancel(), "cancelling twice still says it will not run");
		// a later action runs, so the sweep has passed the cancelled one's deadline
		CountDownLatch later = new CountDownLatch(1);
		timer.after(80 * MS, later::countDown);
		assertTrue(later.await(5, TimeUnit.SECONDS));
		assertEquals(0, runs.get());
		assertFalse(t.fired());
	}

	@Test
	void aFailingActionDoesNotStopTheTimer() throws InterruptedException {
		timer.after(0, () -> {
			throw new IllegalStateException("a broken action");
		});
		CountDownLatch next = new CountDownLatch(1);
		timer.after(20 * MS, next::countDown);
		assertTrue(next.await(5, TimeUnit.SECONDS));
	}

	@Test
	void ofManyWaitsMostlyCancelledExactlyTheOnesNotCancelledRun() throws InterruptedException {
		int n = 10_000;
		AtomicInteger runs = new AtomicInteger();
		int expected = 0;
		for (int i = 0; i < n; i++) {
			DeadlineTimer.Timeout t = timer.after((i % 50) * MS, runs::incrementAndGet);
			// cancel nine in ten; one whose deadline has already passed may have run (cancel says so)
			if (i % 10 == 0 || !t.cancel()) {
				expected++;
			}
		}
		CountDownLatch last = new CountDownLatch(1);
		timer.after(100 * MS, last::countDown);
		assertTrue(last.await(10, TimeUnit.SECONDS));
		assertEquals(expected, runs.get());
	}

	@Test
	void theThreadEndsWhenIdleAndAnotherStartsWhenNeeded() throws InterruptedException {
		CountDownLatch first = new CountDownLatch(1);
		timer.after(0, first::countDown);
		assertTrue(first.await(5, TimeUnit.SECONDS));
		long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
		while (timer.running() && System.nanoTime() < until) {
			Thread.sleep(20);
		}
		assertFalse(timer.running(), "the idle thread ended");
		CountDownLatch second = new CountDownLatch(1);
		timer.after(10 * MS, second::countDown);
		assertTrue(second.await(5, TimeUnit.SECONDS));
	}
}
