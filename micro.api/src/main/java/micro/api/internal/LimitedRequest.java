package micro.api.internal;

import org.eclipse.jetty.http.BadMessageException;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;

/** A request whose body fails with 413 once it passes a limit (for chunked bodies, whose size is not declared). */
final class LimitedRequest extends Request.Wrapper {
	private final long limit;
	private long read;

	LimitedRequest(Request wrapped, long limit) {
		super(wrapped);
		this.limit = limit;
	}

	@Override
	public Content.Chunk read() {
		Content.Chunk chunk = super.read();
		if (chunk == null || Content.Chunk.isFailure(chunk)) {
			return chunk;
		}
		read += chunk.remaining();
		if (read > limit) {
			chunk.release();
			return Content.Chunk.from(new BadMessageException(413, "request body larger than " + limit + " bytes"));
		}
		return chunk;
	}
}
