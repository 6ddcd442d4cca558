package micro.transport.internal;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.ServerSocket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import micro.transport.Listener;
import micro.transport.Socket;

/** Accepts connections on one thread and serves each on a thread of its own from a cached daemon pool. */
final class HttpListener implements Listener {
	private static final System.Logger LOG = System.getLogger(HttpTransport.class.getName());

	private final HttpTransport transport;
	private final ServerSocket server;
	private final String address;
	private final Set<HttpSocket> open = ConcurrentHashMap.newKeySet();
	private final ExecutorService connections;
	private volatile boolean closed;
	private Thread acceptThread;

	HttpListener(HttpTransport transport, ServerSocket server) {
		this.transport = transport;
		this.server = server;
		this.address = Addresses.format(server.getInetAddress(), server.getLocalPort());
		AtomicInteger n = new AtomicInteger();
		String prefix = "micro-http-" + server.getLocalPort() + "-conn-";
		this.connections = Executors.newCachedThreadPool(r -> {
			Thread t = new Thread(r, prefix + n.incrementAndGet());
			t.setDaemon(true);
			return t;
		});
	}

	@Override
	public String address() {
		return address;
	}

	@Override
	public synchronized void accept(Consumer<Socket> acceptor) {
		if (acceptThread != null) {
			throw new IllegalStateException("already accepting on " + address);
		}
		if (closed) {
			throw new IllegalStateException("listener " + address + " is closed");
		}
		acceptThread = new Thread(() -> acceptLoop(acceptor), "micro-http-accept-" + server.getLocalPort());
		acceptThread.setDaemon(true);
		acceptThread.start();
	}

	private void acceptLoop(Consumer<Socket> acceptor) {
		while (!closed) {
			java.net.Socket s;
			try {
				s = server.accept();
			} catch (IOException e) {
				if (!closed) {
					LOG.log(Level.WARNING, "http transport: accept on {0} failed: {1}", address, e.getMessage());
					pause();
				}
				continue;
			}
			try {
				s.setTcpNoDelay(true);
				s.setKeepAlive(true);
				HttpSocket[] holder = new HttpSocket[1];
				HttpSocket socket = new HttpSocket(s, true, null, transport, () -> open.remove(holder[0]));
				holder[0] = socket;
				open.add(socket);
				connections.execute(() -> serve(acceptor, socket));
			} catch (IOException | java.util.concurrent.RejectedExecutionException e) {
				closeQuietly(s);
			}
		}
	}

	private void serve(Consumer<Socket> acceptor, HttpSocket socket) {
		try {
			acceptor.accept(socket);
		} catch (RuntimeException | Error e) {
			LOG.log(Level.WARNING, "http transport: connection " + socket + " failed", e);
		} finally {
			socket.close();
		}
	}

	private static void pause() {
		try {
			Thread.sleep(50);
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
		}
	}

	private static void closeQuietly(java.net.Socket s) {
		try {
			s.close();
		} catch (IOException ignored) {
			// nothing to do
		}
	}

	/** Stops accepting and closes the connections still open. */
	@Override
	public void close() {
		if (closed) {
			return;
		}
		closed = true;
		try {
			server.close();
		} catch (IOException ignored) {
			// closing anyway
		}
		for (HttpSocket s : open.toArray(HttpSocket[]::new)) {
			s.close();
		}
		connections.shutdown();
	}

	@Override
	public String toString() {
		return "http listener " + address;
	}
}
