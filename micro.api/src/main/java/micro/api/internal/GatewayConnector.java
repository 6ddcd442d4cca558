package micro.api.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.concurrent.Executor;

import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.FillInterest;
import org.eclipse.jetty.io.ManagedSelector;
import org.eclipse.jetty.io.SelectorManager;
import org.eclipse.jetty.io.SocketChannelEndPoint;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.thread.Invocable;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * The gateway's listening connector, whose selectors also carry the proxy's connections to backends: a request and
 * the backend's answer to it are then served by the same threads without handing anything between thread pools (an
 * asynchronous HTTP client has selectors of its own, and every answer would wake one of them).
 */
final class GatewayConnector extends org.eclipse.jetty.server.ServerConnector {
	/** What a backend connection being opened is for; becomes its {@link BackendLink}. */
	interface Opening {
		BackendLink open(EndPoint endPoint, Executor executor);

		void failed(Throwable failure);
	}

	/**
	 * @param servesOnSelectors whether the handler runs on the selectors (the proxying handlers): then one selector
	 *                          per processor, as nginx runs one worker per processor, since the selectors do all of a
	 *                          proxied request's work and Jetty's default (half as many) would leave a processor to
	 *                          the rest (on two processors: 0.72× nginx's throughput with two selectors, 0.58× with
	 *                          one); otherwise Jetty's default
	 */
	GatewayConnector(Server server, boolean servesOnSelectors) {
		super(server, -1, servesOnSelectors ? Runtime.getRuntime().availableProcessors() : -1);
	}

	/** The selector a new backend connection should join (the client connection's), while connecting from a request. */
	private static final ThreadLocal<Integer> JOIN = new ThreadLocal<>();
	private volatile ManagedSelector[] selectors = new ManagedSelector[0];

	/**
	 * An endpoint that knows the index of its selector, so that a request's backend connection can share it, and that
	 * stays registered for reading while its connection is busy with what it read.
	 */
	static final class OnSelector extends SocketChannelEndPoint {
		final int selector;

		OnSelector(SocketChannel channel, ManagedSelector managed, SelectionKey key, Scheduler scheduler, int selector) {
			super(channel, managed, key, scheduler);
			this.selector = selector;
		}

		/**
		 * Jetty takes the read interest off the selection key when the endpoint is selected for reading and puts it
		 * back when the connection asks to read again. A client connection asks again only after its proxied answer,
		 * which comes in a later selection: each request then cost two epoll_ctl calls (Java's selector removes a file
		 * descriptor whose interest falls to nothing and adds it back). When a non-blocking reader was waiting, the
		 * interest is kept instead. Nothing arrives on an HTTP/1.1 connection while its request is answered, unless the
		 * client pipelines or closes; then this endpoint is selected once with no reader waiting, and the interest
		 * comes off as Jetty would have it, so a level-triggered selector does not spin on bytes nobody reads yet.
		 */
		@Override
		public Runnable onSelected() {
			// only for a reader that runs on this selector thread before it selects again (a non-blocking one): a
			// reader handed to another thread may not have read yet when the selector looks again, and a kept
			// interest would then report the same bytes over and over (the rpc handler's throughput fell by a fifth)
			FillInterest fill = getFillInterest();
			boolean readerWaiting = fill.isInterested()
					&& fill.getCallbackInvocationType() == Invocable.InvocationType.NON_BLOCKING;
			Runnable task = super.onSelected();
			if (readerWaiting) {
				needsFillInterest(); // while the selection is being processed: only noted, applied (unchanged) after it
			}
			return task;
		}
	}

	/** The index of the selector that serves a request's connection (0 when unknown). */
	static int selectorOf(Request request) {
		return request.getConnectionMetaData().getConnection().getEndPoint() instanceof OnSelector e ? e.selector : 0;
	}

	static int selectorOf(EndPoint endPoint) {
		return endPoint instanceof OnSelector e ? e.selector : 0;
	}

	int selectorCount() {
		return Math.max(1, selectors.length);
	}

	@Override
	protected SocketChannelEndPoint newEndPoint(SocketChannel channel, ManagedSelector selector, SelectionKey key) {
		int index = 0;
		ManagedSelector[] all = selectors;
		for (int i = 0; i < all.length; i++) {
			if (all[i] == selector) {
				index = i;
			}
		}
		SocketChannelEndPoint endPoint = new OnSelector(channel, selector, key, getScheduler(), index);
		endPoint.setIdleTimeout(getIdleTimeout());
		return endPoint;
	}

	@Override
	protected SelectorManager newSelectorManager(Executor executor, Scheduler scheduler, int selectors) {
		return new ServerConnectorManager(executor, scheduler, selectors) {
			@Override
			protected ManagedSelector newSelector(int id) {
				ManagedSelector s = super.newSelector(id);
				ManagedSelector[] all = java.util.Arrays.copyOf(GatewayConnector.this.selectors,
						Math.max(GatewayConnector.this.selectors.length, id + 1));
				all[id] = s;
				GatewayConnector.this.selectors = all;
				return s;
			}

			@Override
			protected ManagedSelector chooseSelector() {
				Integer join = JOIN.get();
				ManagedSelector[] all = GatewayConnector.this.selectors;
				if (join != null && join < all.length && all[join] != null) {
					return all[join];
				}
				return super.chooseSelector();
			}

			@Override
			public Connection newConnection(SelectableChannel channel, EndPoint endpoint, Object attachment)
					throws IOException {
				if (attachment instanceof Opening opening) {
					return opening.open(endpoint, getExecutor());
				}
				return super.newConnection(channel, endpoint, attachment);
			}

			@Override
			protected void connectionFailed(SelectableChannel channel, Throwable failure, Object attachment) {
				super.connectionFailed(channel, failure, attachment);
				if (attachment instanceof Opening opening) {
					opening.failed(failure);
				}
			}
		};
	}

	/**
	 * Opens a connection to a backend on one of this connector's selectors (the one of index {@code selector}, that
	 * of the client connection, so that one thread serves both): {@code opening} is told when it is open (on a
	 * selector or pool thread) or failed; a failure to start connecting is thrown.
	 */
	void connect(InetSocketAddress remote, Opening opening, int selector) throws IOException {
		JOIN.set(selector);
		try {
			connect(remote, opening);
		} finally {
			JOIN.remove();
		}
	}

	private void connect(InetSocketAddress remote, Opening opening) throws IOException {
		SocketChannel channel = SocketChannel.open();
		try {
			channel.configureBlocking(false);
			channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
			channel.setOption(StandardSocketOptions.SO_KEEPALIVE, true);
			if (channel.connect(remote)) {
				getSelectorManager().accept(channel, opening);
			} else {
				getSelectorManager().connect(channel, opening);
			}
		} catch (IOException | RuntimeException e) {
			channel.close();
			throw e;
		}
	}
}
