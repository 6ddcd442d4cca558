package micro.example.proto;

/** {@code message StreamingRequest { int64 count = 1; }} */
public record StreamingRequest(long count) {
}
