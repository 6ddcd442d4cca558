package micro.server.internal;

import java.io.EOFException;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import micro.transport.Message;
import micro.transport.Socket;
import micro.transport.DeadlineTimer;

/**
 * Reads the frames of one transport connection and routes them: a frame of a running stream goes to that stream, an
 * event ({@code Micro-Topic}) to the subscribers, anything else starts a request. The socket serialises the
 * responses.
 * <p>
 * The transport gives each connection a thread of its own, and a client sends a unary request only after the previous
 * one on the connection was answered, so the reading thread runs a unary handler itself ({@link #runInline}): no
 * thread hand-over per call. Should the handler still run after {@link #HANDOFF_NANOS}, a worker takes over the
 * reading, so that a client that sends more requests on the connection meanwhile still has them served concurrently
 * (go-micro serves each request in a goroutine); the thread that ran the handler then stops reading. Streams and
 * their frames always run on workers.
 */
final class Connection {
	private static final System.Logger LOG = System.getLogger(RpcServer.class.getName());
	/** How long a handler run by the reading thread may hold up the frames behind it. */
	static final long HANDOFF_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

	private final RpcServer server;
	private final Socket socket;
	private final Executor workers;
	private final Map<String, RpcStream> streams = new ConcurrentHashMap<>();
	/** Counted down by whichever thread reads when the connection ends. */
	private final CountDownLatch ended = new CountDownLatch(1);

	Connection(RpcServer server, Socket socket, Executor workers) {
		this.server = server;
		this.socket = socket;
		this.workers = workers;
	}

	Socket socket() {
		return socket;
	}

	/**
	 * Serves the connection on the transport's thread, and returns when it has ended: the transport closes it then,
	 * also when the reading moved to a worker on the way.
	 */
	void serve() {
		if (!read()) {
			awaitEnd();
		}
	}

	/** Reads frames until the connection ends (true) or until the reading moved to another thread (false). */
	private boolean read() {
		try {
			while (true) {
				if (!onFrame(socket.recv())) {
					return false;
				}
			}
		} catch (EOFException e) {
			// the client closed the connection
		} catch (IOException e) {
			LOG.log(Level.DEBUG, "connection {0} ended: {1}", socket.remoteAddress(), e.getMessage());
		}
		end();
		return true;
	}

	private void end() {
		for (RpcStream s : streams.values()) {
			s.connectionClosed();
		}
		ended.countDown();
	}

	private void awaitEnd() {
		boolean interrupted = false;
		while (true) {
			try {
				ended.await();
				break;
			} catch (InterruptedException e) {
				// a handler's watchdog may interrupt late; the transport still waits for the end
				interrupted = true;
			}
		}
		if (interrupted) {
			Thread.currentThread().interrupt();
		}
	}

	/** Routes one frame; false when the reading has moved to another thread meanwhile. */
	private boolean onFrame(Message msg) {
		Map<String, String> h = msg.header();
		String topic = h.get("Micro-Topic");
		if (topic != null && !topic.isEmpty()) {
			server.serveEvent(this, msg, topic);
			return true;
		}
		String stream = h.get("Micro-Stream");
		String key = stream != null && !stream.isEmpty() ? stream : h.getOrDefault("Micro-Id", "");
		if (!key.isEmpty()) {
			RpcStream existing = streams.get(key);
			if (existing != null) {
				existing.deliver(msg);
				return true;
			}
		}
		String error = h.get("Micro-Error");
		if (error != null && !error.isEmpty()) {
			// the client's EOS or error for a stream that has already ended
			return true;
		}
		return server.dispatch(this, msg, key);
	}

	/** Whether a unary request may run on the reading thread: not while streams need their frames routed. */
	boolean mayRunInline() {
		return streams.isEmpty();
	}

	/**
	 * Runs a unary request on the reading thread; false when it took so long that a worker took over the reading, and
	 * the calling thread must stop reading.
	 */
	boolean runInline(Runnable request) {
		Handoff handoff = new Handoff();
		DeadlineTimer.Timeout timer = DeadlineTimer.shared().after(HANDOFF_NANOS, handoff);
		try {
			request.run();
		} finally {
			timer.cancel();
		}
		return handoff.keepReading();
	}

	/** Moves the reading to a worker when the handler on the reading thread outlasts {@link #HANDOFF_NANOS}. */
	private final class Handoff implements Runnable {
		private static final int RUNNING = 0;
		private static final int DONE = 1;
		private static final int MOVED = 2;
		private final AtomicInteger state = new AtomicInteger(RUNNING);

		/** On the timer's thread. */
		@Override
		public void run() {
			if (!state.compareAndSet(RUNNING, MOVED)) {
				return;
			}
			try {
				workers.execute(Connection.this::read);
			} catch (RuntimeException e) {
				// no worker to read: end the connection rather than leave it unread
				LOG.log(Level.WARNING, "connection {0}: no thread to read it: {1}", socket.remoteAddress(), e.getMessage());
				socket.close();
				end();
			}
		}

		/** On the reading thread after the handler: true when it still is the reader. */
		boolean keepReading() {
			return state.compareAndSet(RUNNING, DONE);
		}
	}

	void addStream(RpcStream s) {
		streams.put(s.key(), s);
	}

	void removeStream(RpcStream s) {
		streams.remove(s.key(), s);
	}

	void send(Message m) throws IOException {
		socket.send(m);
	}
}
