package micro.client;

/**
 * A client stream over one connection. As in go-micro, the MUCP server discards the body of the first stream message,
 * so a caller that must deliver a request sends it with {@link #send} after opening (the CLI's {@code stream} does).
 */
public interface ClientStream extends AutoCloseable {
	void send(Object message);

	/** The next message, or null once the server has ended the stream. */
	<T> T recv(Class<T> type);

	/** Tells the server this side will send no more (the {@code EOS} frame); receiving goes on. */
	void closeSend();

	@Override
	void close();
}
