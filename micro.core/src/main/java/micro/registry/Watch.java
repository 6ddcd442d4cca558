package micro.registry;

/** A running watch; {@link #close()} stops it. */
public interface Watch extends AutoCloseable {
	@Override
	void close();
}
