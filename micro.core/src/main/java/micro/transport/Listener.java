package micro.transport;

import java.util.function.Consumer;

/** A listening transport endpoint. */
public interface Listener extends AutoCloseable {
	/** The bound address (host:port, or a subject for a broker-based transport). */
	String address();

	/** Starts accepting; each accepted connection is handed to the acceptor on a thread of its own. */
	void accept(Consumer<Socket> acceptor);

	@Override
	void close();
}
