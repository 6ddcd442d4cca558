package micro.api.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import org.eclipse.jetty.io.AbstractConnection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;

/**
 * One kept-alive HTTP/1.1 connection from the gateway to a backend node, carrying one exchange at a time. It lives on
 * the selector of the gateway's own connector ({@link GatewayConnector}), so the answer is read and passed on by the
 * thread that noticed it, with no hand-off to another thread (as nginx's event loop does).
 *
 * <p>An idle connection stays interested in reading, so a backend that closes it is noticed at once and the
 * connection leaves the pool; a connection is claimed for an exchange by a compare-and-set, which that notice cannot
 * race past.
 */
final class BackendLink extends AbstractConnection.NonBlocking {
	/** The response head must fit in this (Jetty's client allows 8 KiB by default). */
	static final int BUFFER = 16 * 1024;
	private static final int IDLE = 0;
	private static final int BUSY = 1;
	private static final int CLOSED = 2;

	/** The events of one exchange, called on one thread at a time. */
	interface Exchange {
		/** The new connection, made for this exchange, is open. */
		void onOpen(BackendLink link);

		/** The final head is in {@link BackendLink#parser}. */
		void onHead(BackendLink link);

		/**
		 * A piece of the body, valid until the link reads on.
		 *
		 * @return true to go on at once; false when the piece is being written and {@link BackendLink#resume()} will
		 *         be called after
		 */
		boolean onContent(BackendLink link, ByteBuffer piece);

		/** The whole response was read. */
		void onComplete(BackendLink link);

		/** The connection failed or closed before the response was complete. */
		void onFailure(BackendLink link, Throwable failure);
	}

	final String address;
	/** The index of the connector's selector that serves this connection. */
	final int selector;
	final ResponseParser parser = new ResponseParser();
	private final AtomicInteger state = new AtomicInteger(BUSY);
	private final ByteBuffer in = BufferUtil.allocate(BUFFER);
	/** {@link #resume}, made once: it runs on every answer. */
	private final Runnable resumeTask = this::resume;
	private volatile Exchange exchange;
	/** Whether the connection carried an exchange before (a stale one may be retried). */
	boolean reused;
	/** When the connection went back to the pool ({@link System#nanoTime()}). */
	long idleSince;
	/** Whether any byte of the current response arrived. */
	private boolean answered;
	/**
	 * What the current exchange still waits for before the connection is free: the request written and the answer
	 * read, which the backend can finish in either order (it may answer before the write's callback has run).
	 */
	private final AtomicInteger partsLeft = new AtomicInteger(2);

	BackendLink(EndPoint endPoint, Executor executor, String address, Exchange first, boolean headRequest) {
		super(endPoint, executor);
		this.address = address;
		this.selector = GatewayConnector.selectorOf(endPoint);
		this.exchange = first;
		parser.reset(headRequest);
	}

	@Override
	public void onOpen() {
		super.onOpen();
		// the deadline of each exchange bounds it, and the pool closes idle connections itself
		getEndPoint().setIdleTimeout(0);
		fillInterested();
		exchange.onOpen(this);
	}

	/** Takes the idle connection for an exchange; false when it closed meanwhile. */
	boolean claim(Exchange x, boolean headRequest) {
		exchange = x;
		answered = false;
		partsLeft.set(2);
		parser.reset(headRequest);
		return state.compareAndSet(IDLE, BUSY);
	}

	/** The exchange is over and the connection may carry another: it waits, interested in reading, in the pool. */
	void idle() {
		exchange = null;
		reused = true;
		idleSince = System.nanoTime();
		state.set(IDLE);
		fillInterested();
	}

	/** Whether the response was read whole and nothing else came after it. */
	boolean reusable() {
		return parser.keepAlive && parser.done() && !in.hasRemaining() && getEndPoint().isOpen();
	}

	/** One of the exchange's two parts (request written, answer read) is over: true when it was the last. */
	boolean partDone() {
		return partsLeft.decrementAndGet() == 0;
	}

	/** Whether no byte of the current response has arrived (a failure then may mean a stale connection). */
	boolean unanswered() {
		return !answered;
	}

	boolean isOpen() {
		return state.get() != CLOSED && getEndPoint().isOpen();
	}

	/** Sends request bytes (a head, a body piece); the callback completes when they are written or the link failed. */
	void send(Callback callback, ByteBuffer... buffers) {
		getEndPoint().write(callback, buffers);
	}

	@Override
	public void onFillable() {
		if (state.get() == IDLE && idleRead()) {
			return;
		}
		GatewayThreadPool.completing(resumeTask);
	}

	/**
	 * Reads an idle connection that became readable: the backend closed it (or sent what nobody asked for). Answers
	 * false when the connection was claimed meanwhile, so what arrived belongs to the new exchange.
	 */
	private boolean idleRead() {
		try {
			int n = getEndPoint().fill(in);
			if (n == 0) {
				fillInterested();
				return true;
			}
			if (n > 0) {
				answered = true;
			}
		} catch (IOException e) {
			// closed
		}
		if (state.compareAndSet(IDLE, CLOSED)) {
			close();
			return true;
		}
		return false;
	}

	/** Parses what arrived and hands it to the exchange, reading more as needed; the exchange calls it to go on. */
	void resume() {
		Exchange x = exchange;
		if (x == null) {
			return;
		}
		try {
			while (true) {
				switch (parser.next(in)) {
				case HEAD -> x.onHead(this);
				case CONTENT -> {
					if (!x.onContent(this, parser.piece())) {
						return;
					}
				}
				case DONE -> {
					x.onComplete(this);
					return;
				}
				case NEED_MORE -> {
					if (!read(x)) {
						return;
					}
				}
				}
			}
		} catch (Throwable t) {
			x.onFailure(this, t);
		}
	}

	/** Reads more bytes: true when some arrived, false when waiting for them (or the end was handed on). */
	private boolean read(Exchange x) throws IOException {
		BufferUtil.compact(in);
		if (BufferUtil.space(in) == 0) {
			throw new IOException("response head larger than " + BUFFER + " bytes");
		}
		int n = getEndPoint().fill(in);
		if (n > 0) {
			answered = true;
			return true;
		}
		if (n == 0) {
			fillInterested();
			return false;
		}
		parser.endOfInput(answered); // throws unless the body ran to the end of the connection
		x.onComplete(this);
		return false;
	}

	@Override
	public void onFillInterestedFailed(Throwable cause) {
		close();
		Exchange x = exchange;
		if (x != null) {
			x.onFailure(this, cause); // ignored by an exchange that has not linked this connection yet
		}
	}

	@Override
	public boolean onIdleExpired(TimeoutException timeout) {
		return false; // no idle timeout is set: see onOpen
	}

	@Override
	public void close() {
		state.set(CLOSED);
		super.close();
	}
}
