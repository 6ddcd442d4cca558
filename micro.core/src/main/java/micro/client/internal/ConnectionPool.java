package micro.client.internal;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import micro.transport.Socket;

/**
 * go-micro's client connection pool: per address, up to {@code size} idle connections, each reused until it is
 * {@code ttl} old. Only a connection whose last call ended cleanly comes back; anything else is closed by the caller.
 */
final class ConnectionPool implements AutoCloseable {
	/** A pooled connection and when it was dialled (nanoTime). */
	record Pooled(Socket socket, long created) {
	}

	private final int size;
	private final long ttlNanos;
	private final Map<String, Deque<Pooled>> idle = new ConcurrentHashMap<>();
	private volatile boolean closed;

	ConnectionPool(int size, Duration ttl) {
		this.size = Math.max(0, size);
		this.ttlNanos = ttl == null || ttl.isNegative() ? 0 : ttl.toNanos();
	}

	/** An idle connection to the address that is still young and open, or null. */
	Pooled take(String address) {
		Deque<Pooled> q = idle.get(address);
		if (q == null) {
			return null;
		}
		long now = System.nanoTime();
		while (true) {
			Pooled p;
			synchronized (q) {
				p = q.pollFirst();
			}
			if (p == null) {
				return null;
			}
			if (!p.socket().isClosed() && !expired(p, now)) {
				return p;
			}
			p.socket().close();
		}
	}

	/** Gives a connection back after a clean call; closes it when the pool is full, closed, or it is too old. */
	void release(String address, Pooled p) {
		if (closed || size == 0 || p.socket().isClosed() || expired(p, System.nanoTime())) {
			p.socket().close();
			return;
		}
		Deque<Pooled> q = idle.computeIfAbsent(address, a -> new ArrayDeque<>());
		synchronized (q) {
			if (q.size() < size) {
				q.addFirst(p);
				return;
			}
		}
		p.socket().close();
	}

	private boolean expired(Pooled p, long now) {
		return ttlNanos > 0 && now - p.created() >= ttlNanos;
	}

	int idleCount(String address) {
		Deque<Pooled> q = idle.get(address);
		if (q == null) {
			return 0;
		}
		synchronized (q) {
			return q.size();
		}
	}

	@Override
	public void close() {
		closed = true;
		for (Deque<Pooled> q : idle.values()) {
			synchronized (q) {
				q.forEach(p -> p.socket().close());
				q.clear();
			}
		}
	}
}
