package micro.transport;

import java.io.IOException;
import java.time.Duration;

/** A framed duplex connection: each {@link #send} is one message, each {@link #recv} returns the next one. */
public interface Socket extends AutoCloseable {
	void send(Message message) throws IOException;

	/** Blocks for the next message; throws {@link java.io.EOFException} when the peer closed the connection. */
	Message recv() throws IOException;

	/**
	 * A read timeout for {@link #recv}; zero waits for ever. A receive that times out throws
	 * {@link java.net.SocketTimeoutException}; the transport may close the connection then (the HTTP transport does).
	 */
	void setTimeout(Duration timeout) throws IOException;

	String localAddress();

	String remoteAddress();

	boolean isClosed();

	@Override
	void close();
}
