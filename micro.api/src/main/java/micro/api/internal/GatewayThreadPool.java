package micro.api.internal;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

import org.eclipse.jetty.io.AbstractConnection;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Invocable.InvocationType;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The gateway's thread pool, which lets a client connection resume on the selector thread that completed its proxied
 * request. Jetty resumes a connection whose request completed after its handler returned by handing it to the pool,
 * and for a proxied request that is always so: a thread wakes up per request only to find nothing more to read. With
 * the non-blocking handlers the selector thread that read the backend's answer resumes it itself: with nothing read
 * ahead, by asking the selector for the next request; otherwise by serving what was read (non-blocking, as the
 * selector would serve it).
 */
final class GatewayThreadPool extends QueuedThreadPool {
	private static final ThreadLocal<Boolean> COMPLETING = new ThreadLocal<>();
	private final boolean resumeInline;

	/** @param resumeInline whether requests are served non-blocking (only then may a selector thread resume them) */
	GatewayThreadPool(int maxThreads, int minThreads, boolean resumeInline) {
		super(maxThreads, minThreads);
		this.resumeInline = resumeInline;
	}

	/**
	 * {@code isRequestBufferEmpty()} of a connection class that has one: Jetty's HttpConnection, public, but in a
	 * package its bundle does not export (null for a class without it).
	 */
	private static final ClassValue<MethodHandle> REQUEST_BUFFER_EMPTY = new ClassValue<>() {
		@Override
		protected MethodHandle computeValue(Class<?> type) {
			try {
				return MethodHandles.publicLookup()
						.findVirtual(type, "isRequestBufferEmpty", MethodType.methodType(boolean.class))
						.asType(MethodType.methodType(boolean.class, Object.class));
			} catch (ReflectiveOperationException | RuntimeException e) {
				return null;
			}
		}
	};

	@Override
	public void execute(Runnable job) {
		if (resumeInline && job instanceof Connection && COMPLETING.get() == Boolean.TRUE) {
			if (job instanceof AbstractConnection connection && connection.getEndPoint().isOpen()
					&& nothingReadAhead(job) && connection.getEndPoint().tryFillInterested(Callback.from(
							InvocationType.NON_BLOCKING, connection::onFillable, connection::onFillInterestedFailed))) {
				// Resuming means reading the connection, which mostly finds nothing yet (and Jetty then reads once
				// more before asking the selector): asking the selector at once saves those reads. The endpoint stayed
				// registered for reading (GatewayConnector.OnSelector), so this costs no system call either, and the
				// next request is served as it arrives, as Jetty's later versions resume a connection with nothing read.
				// Non-blocking, as the handler is when connections resume here: the next request is served on the
				// selector, as Jetty's own read callback would serve it (AbstractConnection.fillInterested() would
				// hand it to a pool thread).
				return;
			}
			job.run();
			return;
		}
		super.execute(job);
	}

	/** Whether connections of this class tell whether they hold bytes read ahead (Jetty's HttpConnection does). */
	static boolean knowsReadAhead(Class<?> connectionClass) {
		return REQUEST_BUFFER_EMPTY.get(connectionClass) != null;
	}

	/** Whether the connection holds no bytes of a next request (unknown: false, and it is resumed by reading). */
	static boolean nothingReadAhead(Runnable connection) {
		MethodHandle empty = REQUEST_BUFFER_EMPTY.get(connection.getClass());
		if (empty == null) {
			return false;
		}
		try {
			return (boolean) empty.invokeExact((Object) connection);
		} catch (Throwable e) {
			return false;
		}
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
