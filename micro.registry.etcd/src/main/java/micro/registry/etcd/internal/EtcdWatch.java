package micro.registry.etcd.internal;

import java.util.ArrayDeque;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.watch.WatchEvent.EventType;
import io.etcd.jetcd.watch.WatchResponse;

import micro.registry.Service;
import micro.registry.Watch;
import micro.registry.WatchEvent;
import micro.registry.WatchListener;

/**
 * A watch on a key prefix with previous values, as go-micro's {@code etcdWatcher}: a put that creates a key is
 * {@code create}, a put that changes one is {@code update}, a delete is {@code delete} with the deleted record.
 * <p>
 * jetcd resumes a broken watch stream by itself from the next revision (so events during an etcd outage arrive once it
 * is back). When jetcd gives up (the revision was compacted, or etcd came back without its data), this watch starts
 * again from the current revision.
 * <p>
 * The listener is called on jetcd's event thread, in order, as long as it keeps up: no hand-off to another thread
 * delays an event (go-micro's consumer reads etcd's watch channel directly too). A listener call that takes longer than
 * {@link #INLINE_BUDGET_NANOS} moves the watch onto a thread of its own, where events wait in order (unbounded, as in
 * etcd's Go client) until the listener has caught up with quick calls; so a slow listener or a flood of changes holds
 * up jetcd's thread, and every other registry call answered on it, for one call at most. A listener that calls the
 * registry would wait on that very thread for an answer only it can deliver: the registry refuses such a call at once,
 * and the watch delivers that event again, and all later ones, on its own thread.
 */
final class EtcdWatch implements Watch, io.etcd.jetcd.Watch.Listener {
	private static final System.Logger LOG = System.getLogger(EtcdWatch.class.getName());
	private static final long RESTART_DELAY_MILLIS = 1000;
	/** How long a listener call on jetcd's event thread may take before the watch hands events to its own thread. */
	static final long INLINE_BUDGET_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
	/** The watch whose listener this thread is calling on jetcd's event thread. */
	private static final ThreadLocal<EtcdWatch> INLINE = new ThreadLocal<>();

	private final io.etcd.jetcd.Watch watchClient;
	private final String prefix;
	private final WatchListener listener;
	private final ScheduledExecutorService scheduler;
	private final Consumer<EtcdWatch> onClose;
	private final ThreadPoolExecutor dispatcher;
	private final Object lock = new Object();
	/** Events waiting for the listener, while it is behind; guards {@link #draining}. */
	private final ArrayDeque<WatchEvent> backlog = new ArrayDeque<>();
	/** The watch's thread is working through the backlog. */
	private boolean draining;
	/** The registry this watch belongs to: its calls must not wait on jetcd's event thread. */
	private final Object registry;
	/** The listener called the registry during the call on jetcd's event thread now in progress. */
	private boolean calledRegistry;
	/** The listener calls the registry: its events always go through the watch's own thread. */
	private volatile boolean callsRegistry;
	/** The listener was slow lately: events go through the watch's thread until it has caught up with quick calls. */
	private volatile boolean offEventThread;
	private io.etcd.jetcd.Watch.Watcher watcher;
	/** The revision to start or resume from; 0 is "now". */
	private volatile long nextRevision;
	private volatile Throwable lastError;
	private volatile boolean closed;

	EtcdWatch(Object registry, io.etcd.jetcd.Watch watchClient, String prefix, long startRevision,
			WatchListener listener, ScheduledExecutorService scheduler, Consumer<EtcdWatch> onClose) {
		this.registry = registry;
		this.watchClient = watchClient;
		this.prefix = prefix;
		this.nextRevision = startRevision;
		this.listener = listener;
		this.scheduler = scheduler;
		this.onClose = onClose;
		// the thread is only started for a slow listener, and ends when it has been idle a while
		this.dispatcher = new ThreadPoolExecutor(1, 1, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
			Thread t = new Thread(r, "etcd-registry-watch " + prefix);
			t.setDaemon(true);
			return t;
		});
		this.dispatcher.allowCoreThreadTimeOut(true);
	}

	void start() {
		synchronized (lock) {
			if (closed) {
				return;
			}
			WatchOption option = WatchOption.builder().isPrefix(true).withPrevKV(true).withRevision(nextRevision)
					.build();
			watcher = watchClient.watch(EtcdRegistry.bytes(prefix), option, this);
		}
	}

	@Override
	public void onNext(WatchResponse response) {
		for (io.etcd.jetcd.watch.WatchEvent event : response.getEvents()) {
			KeyValue kv = event.getKeyValue();
			nextRevision = Math.max(nextRevision, kv.getModRevision() + 1);
			WatchEvent converted = convert(event);
			if (converted != null) {
				dispatch(converted);
			}
		}
	}

	private static WatchEvent convert(io.etcd.jetcd.watch.WatchEvent event) {
		if (event.getEventType() == EventType.PUT) {
			KeyValue kv = event.getKeyValue();
			Service s = EtcdRecords.decode(kv.getValue().getBytes());
			if (s == null) {
				return null;
			}
			boolean created = kv.getCreateRevision() == kv.getModRevision();
			return new WatchEvent(created ? WatchEvent.Action.CREATE : WatchEvent.Action.UPDATE, s);
		}
		if (event.getEventType() == EventType.DELETE) {
			KeyValue prev = event.getPrevKV();
			Service s = prev == null ? null : EtcdRecords.decode(prev.getValue().getBytes());
			return s == null ? null : new WatchEvent(WatchEvent.Action.DELETE, s);
		}
		return null;
	}

	/**
	 * Called on jetcd's event thread, one response after the other. The listener gets the event right there while it
	 * keeps up; once a call has taken longer than {@link #INLINE_BUDGET_NANOS}, and while earlier events wait, events go
	 * through this watch's own thread instead, in order, so jetcd's thread is held up by one slow call at most.
	 */
	private void dispatch(WatchEvent event) {
		synchronized (backlog) {
			if (draining || offEventThread) {
				backlog.add(event);
				startDraining();
				return;
			}
		}
		long start = System.nanoTime();
		INLINE.set(this);
		try {
			deliver(event);
		} finally {
			INLINE.remove();
		}
		if (calledRegistry) {
			calledRegistry = false;
			// the registry refused the call (waiting for etcd here would stall jetcd's thread, and with it the answer):
			// this event again, and every later one, on the watch's own thread, where the listener may wait
			callsRegistry = true;
			offEventThread = true;
			synchronized (backlog) {
				backlog.addFirst(event);
				startDraining();
			}
		} else if (System.nanoTime() - start > INLINE_BUDGET_NANOS) {
			offEventThread = true;
		}
	}

	/**
	 * Whether this thread is calling a listener of one of the registry's watches on jetcd's event thread; if so, that
	 * watch learns that its listener calls the registry.
	 */
	static boolean onEventThreadOf(Object registry) {
		EtcdWatch inline = INLINE.get();
		if (inline == null || inline.registry != registry) {
			return false;
		}
		inline.calledRegistry = true;
		return true;
	}

	/** Under the backlog's lock: makes sure the watch's thread works through the backlog. */
	private void startDraining() {
		if (draining) {
			return;
		}
		try {
			dispatcher.execute(this::drain);
			draining = true;
		} catch (RejectedExecutionException e) {
			// closed meanwhile
		}
	}

	/** On the watch's thread: the waiting events in order; back to jetcd's thread when every call was quick. */
	private void drain() {
		boolean allQuick = true;
		while (true) {
			WatchEvent next;
			synchronized (backlog) {
				next = backlog.poll();
				if (next == null) {
					draining = false;
					if (allQuick && !callsRegistry) {
						offEventThread = false;
					}
					return;
				}
			}
			long start = System.nanoTime();
			deliver(next);
			allQuick &= System.nanoTime() - start <= INLINE_BUDGET_NANOS;
		}
	}

	private void deliver(WatchEvent event) {
		if (closed) {
			return;
		}
		try {
			listener.onEvent(event);
		} catch (RuntimeException e) {
			LOG.log(System.Logger.Level.WARNING, "etcd registry: watch listener failed on " + event.action() + " of "
					+ event.service().name(), e);
		}
	}

	@Override
	public void onError(Throwable throwable) {
		// jetcd calls this on every failed attempt while etcd is away and resumes the stream itself
		lastError = throwable;
		LOG.log(System.Logger.Level.DEBUG, "etcd registry: watch of " + prefix + " interrupted: " + throwable);
	}

	@Override
	public void onCompleted() {
		if (closed) {
			return;
		}
		// jetcd gave up on this stream: start again, from now when the old revision cannot be had any more
		Throwable error = lastError;
		String message = error == null || error.getMessage() == null ? "" : error.getMessage();
		if (message.contains("compacted") || message.contains("future revision")) {
			nextRevision = 0;
		}
		LOG.log(System.Logger.Level.INFO, "etcd registry: watch of " + prefix + " ended (" + message
				+ "), starting it again");
		try {
			scheduler.schedule(this::restart, RESTART_DELAY_MILLIS, TimeUnit.MILLISECONDS);
		} catch (RejectedExecutionException e) {
			// the registry is closing
		}
	}

	private void restart() {
		if (closed) {
			return;
		}
		lastError = null;
		try {
			start();
		} catch (RuntimeException e) {
			lastError = e;
			onCompleted();
		}
	}

	@Override
	public void close() {
		io.etcd.jetcd.Watch.Watcher w;
		synchronized (lock) {
			if (closed) {
				return;
			}
			closed = true;
			w = watcher;
			watcher = null;
		}
		if (w != null) {
			try {
				w.close();
			} catch (RuntimeException e) {
				// the client may be closed already
			}
		}
		dispatcher.shutdownNow();
		onClose.accept(this);
	}
}
