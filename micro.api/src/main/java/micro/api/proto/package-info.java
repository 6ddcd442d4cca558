/**
 * The {@code go.api} messages (go-micro's {@code api/proto/api.proto}) as records whose JSON is the protobuf JSON of
 * Go: a service served through the {@code api} handler takes a {@link micro.api.proto.Request} and answers a
 * {@link micro.api.proto.Response}; the {@code event} handler publishes an {@link micro.api.proto.Event} in its
 * protobuf form, as Go does (since 1.1 {@code Event} reads and writes that form).
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.1.0")
package micro.api.proto;
