package micro.transport;

import java.lang.System.Logger.Level;
import java.util.Iterator;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Runs short actions (close a socket, interrupt a thread) at deadlines, for the many waits of RPC that nearly always
 * end before their deadline: a read bounded by a call timeout, a handler bounded by its caller's, the API gateway's
 * exchange with a backend. Exported so that every bundle bounding blocking socket I/O shares it: a Java socket given
 * any timeout turns non-blocking for good and then costs a poll and a second read per read, so the waits here are
 * bounded by closing the socket at the deadline instead.
 * <p>
 * Scheduling costs a queue insert and no system call: the timer thread is not woken for it. While anything is
 * scheduled the thread sweeps the queue every {@value #TICK_MILLIS} ms, or sooner when a deadline it knows of comes
 * first; an action therefore runs at most one tick late. A {@link java.util.concurrent.ScheduledThreadPoolExecutor}
 * wakes its thread whenever a new task becomes the earliest, which is every call when the calls are sequential. With
 * nothing scheduled the thread parks, and it ends after {@value #IDLE_SECONDS} s idle, so that a stopped bundle
 * leaves no thread behind; the next {@link #schedule} starts another.
 */
public final class DeadlineTimer {
	private static final System.Logger LOG = System.getLogger(DeadlineTimer.class.getName());
	static final long TICK_MILLIS = 10;
	static final long IDLE_SECONDS = 10;
	private static final DeadlineTimer SHARED = new DeadlineTimer("micro-deadline-timer",
			TimeUnit.SECONDS.toNanos(IDLE_SECONDS));

	private final String threadName;
	private final long idleNanos;
	private final ConcurrentLinkedQueue<Timeout> pending = new ConcurrentLinkedQueue<>();
	/** Null while no timer thread runs. */
	private volatile Thread thread;
	/** True while the thread parks with nothing scheduled; {@link #schedule} must then wake it. */
	private volatile boolean idle;

	DeadlineTimer(String threadName, long idleNanos) {
		this.threadName = threadName;
		this.idleNanos = idleNanos;
	}

	/** The shared timer: one thread for every client socket, server and gateway in this framework. */
	public static DeadlineTimer shared() {
		return SHARED;
	}

	/** A scheduled action; {@link #cancel} before its deadline and it never runs. */
	public static final class Timeout {
		private static final int WAITING = 0;
		private static final int CANCELLED = 1;
		private static final int FIRED = 2;

		final long deadline;
		private final Runnable action;
		private final AtomicInteger state = new AtomicInteger(WAITING);

		Timeout(long deadline, Runnable action) {
			this.deadline = deadline;
			this.action = action;
		}

		/** True when the action will not run; false when it has run or is running. */
		public boolean cancel() {
			return state.compareAndSet(WAITING, CANCELLED) || state.get() == CANCELLED;
		}

		/** True when the deadline passed and the action ran (or is running). */
		public boolean fired() {
			return state.get() == FIRED;
		}

		boolean cancelled() {
			return state.get() == CANCELLED;
		}

		boolean fire() {
			return state.compareAndSet(WAITING, FIRED);
		}
	}

	/**
	 * Runs the action on the timer's thread once {@link System#nanoTime()} reaches the deadline, unless the returned
	 * timeout is cancelled first. The action must be short and must not block.
	 */
	public Timeout schedule(long deadlineNanos, Runnable action) {
		Timeout t = new Timeout(deadlineNanos, action);
		pending.add(t);
		if (idle || thread == null) {
			wake();
		}
		return t;
	}

	/** Schedules the action after a delay. */
	public Timeout after(long delayNanos, Runnable action) {
		return schedule(System.nanoTime() + delayNanos, action);
	}

	private synchronized void wake() {
		Thread t = thread;
		if (t == null) {
			t = new Thread(this::run, threadName);
			t.setDaemon(true);
			thread = t;
			t.start();
		} else if (idle) {
			idle = false;
			LockSupport.unpark(t);
		}
	}

	private void run() {
		long tick = TimeUnit.MILLISECONDS.toNanos(TICK_MILLIS);
		while (true) {
			long now = System.nanoTime();
			long earliest = sweep(now);
			if (pending.isEmpty()) {
				if (parkIdle()) {
					return;
				}
				continue;
			}
			LockSupport.parkNanos(this, Math.max(1, Math.min(tick, earliest - now)));
		}
	}

	/** Runs what is due, drops what was cancelled; returns the earliest deadline still waiting. */
	private long sweep(long now) {
		long earliest = now + TimeUnit.DAYS.toNanos(1);
		for (Iterator<Timeout> it = pending.iterator(); it.hasNext();) {
			Timeout t = it.next();
			if (t.cancelled()) {
				it.remove();
			} else if (t.deadline - now <= 0) {
				it.remove();
				if (t.fire()) {
					runAction(t);
				}
			} else if (t.deadline - earliest < 0) {
				earliest = t.deadline;
			}
		}
		return earliest;
	}

	private static void runAction(Timeout t) {
		try {
			t.action.run();
		} catch (RuntimeException | Error e) {
			LOG.log(Level.WARNING, "deadline action failed", e);
		}
	}

	/** Parks with nothing scheduled; true when the thread should end (idle too long, still nothing scheduled). */
	private boolean parkIdle() {
		idle = true;
		if (!pending.isEmpty()) {
			// scheduled between the sweep and the flag: schedule() may not have seen the flag
			idle = false;
			return false;
		}
		LockSupport.parkNanos(this, idleNanos);
		synchronized (this) {
			if (idle && pending.isEmpty()) {
				// in this order: a schedule() that sees idle == false then sees no thread, and starts one
				thread = null;
				idle = false;
				return true;
			}
			idle = false;
			return false;
		}
	}

	/** Whether a timer thread runs. */
	boolean running() {
		return thread != null;
	}
}
