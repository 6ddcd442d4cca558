package micro.server.internal;

/**
 * Interrupts a handler's thread when its deadline passes, so that a handler blocked in a sleep or a wait stops; the
 * caller has given up by then. {@link #finish()} makes sure no interrupt leaks into what the thread does next (the next
 * task of a pooled worker, or the next frame of the connection whose reading thread ran the handler).
 */
final class Watchdog implements Runnable {
	private final Thread thread;
	private boolean done;
	private boolean fired;

	Watchdog(Thread thread) {
		this.thread = thread;
	}

	@Override
	public synchronized void run() {
		if (!done) {
			fired = true;
			thread.interrupt();
		}
	}

	/** Ends the watch; true when the deadline had passed and the thread was interrupted (the flag is cleared). */
	synchronized boolean finish() {
		done = true;
		if (fired) {
			Thread.interrupted();
		}
		return fired;
	}
}
