package micro.itests;

import static org.junit.Assert.fail;

import java.util.concurrent.Callable;

/** Waits for a condition in the container, up to 30 s; a condition that throws counts as not yet true. */
final class Await {
	private Await() {
	}

	static void until(String what, Callable<Boolean> condition) throws Exception {
		long deadline = System.currentTimeMillis() + 30000;
		Exception last = null;
		while (System.currentTimeMillis() < deadline) {
			try {
				if (Boolean.TRUE.equals(condition.call())) {
					return;
				}
			} catch (Exception e) {
				last = e;
			}
			Thread.sleep(100);
		}
		fail(what + (last == null ? "" : ": " + last));
	}
}
