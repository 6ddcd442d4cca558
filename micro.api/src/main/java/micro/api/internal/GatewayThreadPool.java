package micro.api.internal;

import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The gateway's thread pool, which lets a client connection resume on the selector thread that completed its proxied
 * request. Jetty resumes a connection whose request completed after its handler returned by handing it to the pool,
 * and for a proxied request that is always so: a thread wakes up per request only to find nothing more to read. With
 * the non-blocking handlers the selector thread that read the backend's answer runs that resumption itself (any next
 * request it finds is served non-blocking, as the selector would serve it).
 */
final class GatewayThreadPool extends QueuedThreadPool {
	private static final ThreadLocal<Boolean> COMPLETING = new ThreadLocal<>();
	private final boolean resumeInline;

	/** @param resumeInline whether requests are served non-blocking (only then may a selector thread resume them) */
	GatewayThreadPool(int maxThreads, int minThreads, boolean resumeInline) {
		super(maxThreads, minThreads);
		this.resumeInline = resumeInline;
	}

	@Override
	public void execute(Runnable job) {
		if (resumeInline && job instanceof Connection && COMPLETING.get() == Boolean.TRUE) {
			job.run();
			return;
		}
		super.execute(job);
	}

	/** Runs a backend connection's event: a client connection it completes resumes on this thread. */
	static void completing(Runnable event) {
		Boolean before = COMPLETING.get();
		COMPLETING.set(Boolean.TRUE);
		try {
			event.run();
		} finally {
			COMPLETING.set(before);
		}
	}
}
