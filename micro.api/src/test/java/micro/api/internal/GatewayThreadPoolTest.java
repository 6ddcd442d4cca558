package micro.api.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.eclipse.jetty.server.internal.HttpConnection;
import org.junit.jupiter.api.Test;

/**
 * The pool resumes a client connection with nothing read ahead by asking the selector, which needs Jetty's
 * HttpConnection to say whether it holds bytes of a next request: a Jetty upgrade that drops that method would turn
 * the saving off without a word (the connection is then resumed by reading, as Jetty does), so it is checked here.
 */
class GatewayThreadPoolTest {
	@Test
	void jettysHttpConnectionTellsWhetherItReadAhead() {
		assertTrue(GatewayThreadPool.knowsReadAhead(HttpConnection.class));
	}

	@Test
	void aConnectionThatCannotTellIsResumedByReading() {
		assertFalse(GatewayThreadPool.knowsReadAhead(Object.class));
		assertFalse(GatewayThreadPool.nothingReadAhead(() -> {
		}));
	}
}
