package micro.itests;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/** The lines one logger writes while this is open (System.Logger is backed by java.util.logging in the container). */
final class LogLines extends Handler implements AutoCloseable {
	final List<String> lines = new CopyOnWriteArrayList<>();
	private final Logger logger;
	private final Level level;

	LogLines(String name) {
		this(name, Level.INFO);
	}

	/** From {@code least} up ({@code Level.FINE} for System.Logger's DEBUG). */
	LogLines(String name, Level least) {
		logger = Logger.getLogger(name);
		level = logger.getLevel();
		// the container's logging passes warnings only by default
		logger.setLevel(least);
		logger.addHandler(this);
	}

	/** How many lines start with {@code prefix}. */
	long count(String prefix) {
		return lines.stream().filter(l -> l.startsWith(prefix)).count();
	}

	@Override
	public void publish(LogRecord record) {
		lines.add(new SimpleFormatter().formatMessage(record));
	}

	@Override
	public void flush() {
	}

	@Override
	public void close() {
		logger.removeHandler(this);
		logger.setLevel(level);
	}
}
