package micro.example.proto;

/** {@code message StreamingResponse { int64 count = 1; }} */
public record StreamingResponse(long count) {
}
