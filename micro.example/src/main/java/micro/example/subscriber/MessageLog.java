package micro.example.subscriber;

import java.util.ArrayDeque;
import java.util.List;

import micro.example.proto.Message;

/** The last messages a subscriber received, oldest first, so that a caller (a test, a shell) can see them. */
public final class MessageLog {
	public static final int DEFAULT_CAPACITY = 100;

	private final int capacity;
	private final ArrayDeque<Message> messages;
	private long total;

	public MessageLog() {
		this(DEFAULT_CAPACITY);
	}

	public MessageLog(int capacity) {
		if (capacity < 1) {
			throw new IllegalArgumentException("a message log keeps at least one message, not " + capacity);
		}
		this.capacity = capacity;
		this.messages = new ArrayDeque<>(capacity);
	}

	public synchronized void add(Message message) {
		if (messages.size() == capacity) {
			messages.removeFirst();
		}
		messages.addLast(message);
		total++;
		notifyAll();
	}

	/** The kept messages, oldest first. */
	public synchronized List<Message> messages() {
		return List.copyOf(messages);
	}

	/** How many messages were added since this log was made, including those no longer kept. */
	public synchronized long total() {
		return total;
	}

	/**
	 * Waits until at least {@code count} messages were added in all, or the time is up.
	 *
	 * @return whether the count was reached
	 */
	public synchronized boolean awaitTotal(long count, long timeoutMillis) throws InterruptedException {
		long deadline = System.currentTimeMillis() + timeoutMillis;
		while (total < count) {
			long left = deadline - System.currentTimeMillis();
			if (left <= 0) {
				return false;
			}
			wait(left);
		}
		return true;
	}
}
