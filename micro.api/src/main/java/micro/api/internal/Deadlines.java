package micro.api.internal;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Enforces the timeouts of the proxy's exchanges from one watchdog thread: a connection whose deadline has passed is
 * expired (its socket closed, so the blocked read or write fails at once and reads as a timeout). Checking every
 * {@value #TICK_MILLIS} ms makes a timeout up to that much late, which is cheap next to what a socket timeout would
 * cost every request (see {@link BackendConnection#connect()}). The thread runs only while exchanges are in flight.
 */
final class Deadlines implements AutoCloseable {
	static final long TICK_MILLIS = 20;

	private final Set<BackendConnection> watched = ConcurrentHashMap.newKeySet();
	private final Object lock = new Object();
	private volatile Thread thread;
	private boolean closed;

	/** Watches a connection until {@link #unwatch}; its {@link BackendConnection#deadline} is set already. */
	void watch(BackendConnection c) {
		watched.add(c);
		if (thread == null) {
			start();
		}
	}

	void unwatch(BackendConnection c) {
		watched.remove(c);
	}

	private void start() {
		synchronized (lock) {
			if (thread != null || closed) {
				return;
			}
			Thread t = new Thread(this::run, "micro-api-deadlines");
			t.setDaemon(true);
			thread = t;
			t.start();
		}
	}

	private void run() {
		int idleTicks = 0;
		while (true) {
			try {
				Thread.sleep(TICK_MILLIS);
			} catch (InterruptedException e) {
				return;
			}
			long now = System.nanoTime();
			for (BackendConnection c : watched) {
				// only a connection still watched: one its request has let go of may be back in the pool already
				if (now - c.deadline >= 0 && watched.remove(c)) {
					c.expire();
				}
			}
			// stops after a second without exchanges; the next watch() starts it again
			idleTicks = watched.isEmpty() ? idleTicks + 1 : 0;
			if (idleTicks * TICK_MILLIS >= 1000) {
				synchronized (lock) {
					// thread first, then the check: a watch() that adds after the check sees no thread and starts one
					thread = null;
					if (watched.isEmpty()) {
						return;
					}
					thread = Thread.currentThread();
				}
				idleTicks = 0;
			}
		}
	}

	@Override
	public void close() {
		synchronized (lock) {
			closed = true;
			if (thread != null) {
				thread.interrupt();
				thread = null;
			}
		}
		watched.forEach(BackendConnection::expire);
		watched.clear();
	}
}
