package micro.server;

/** The server side of a stream. */
public interface ServerStream {
	Context context();

	/** The next message from the client, or null once the client has closed its side. */
	<T> T recv(Class<T> type);

	void send(Object message);
}
