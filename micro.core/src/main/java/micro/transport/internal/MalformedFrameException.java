package micro.transport.internal;

import java.io.IOException;

/** The peer sent bytes that are not an HTTP/1.1 frame this transport accepts; the connection is closed. */
public final class MalformedFrameException extends IOException {
	private static final long serialVersionUID = 1L;

	public MalformedFrameException(String message) {
		super(message);
	}
}
