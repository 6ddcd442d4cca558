package micro.server.internal;

import java.time.Instant;

import micro.metadata.Metadata;
import micro.server.Context;

/** What a handler sees of its request. */
record RequestContext(Metadata metadata, String service, String endpoint, Instant deadline) implements Context {
}
