package micro.registry.etcd.internal;

import java.util.concurrent.ExecutorService;
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
 * again from the current revision. Events are handed to the listener on a thread of this watch, in order, so a slow
 * listener or a flood of changes never blocks jetcd's I/O threads.
 */
final class EtcdWatch implements Watch, io.etcd.jetcd.Watch.Listener {
	private static final System.Logger LOG = System.getLogger(EtcdWatch.class.getName());
	private static final long RESTART_DELAY_MILLIS = 1000;

	private final io.etcd.jetcd.Watch watchClient;
	private final String prefix;
	private final WatchListener listener;
	private final ScheduledExecutorService scheduler;
	private final Consumer<EtcdWatch> onClose;
	private final ExecutorService dispatcher;
	private final Object lock = new Object();
	private io.etcd.jetcd.Watch.Watcher watcher;
	/** The revision to start or resume from; 0 is "now". */
	private volatile long nextRevision;
	private volatile Throwable lastError;
	private volatile boolean closed;

	EtcdWatch(io.etcd.jetcd.Watch watchClient, String prefix, long startRevision, WatchListener listener,
			ScheduledExecutorService scheduler, Consumer<EtcdWatch> onClose) {
		this.watchClient = watchClient;
		this.prefix = prefix;
		this.nextRevision = startRevision;
		this.listener = listener;
		this.scheduler = scheduler;
		this.onClose = onClose;
		this.dispatcher = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), r -> {
			Thread t = new Thread(r, "etcd-registry-watch " + prefix);
			t.setDaemon(true);
			return t;
		});
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

	private void dispatch(WatchEvent event) {
		try {
			dispatcher.execute(() -> {
				if (closed) {
					return;
				}
				try {
					listener.onEvent(event);
				} catch (RuntimeException e) {
					LOG.log(System.Logger.Level.WARNING, "etcd registry: watch listener failed on " + event.action()
							+ " of " + event.service().name(), e);
				}
			});
		} catch (RejectedExecutionException e) {
			// closed meanwhile
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
