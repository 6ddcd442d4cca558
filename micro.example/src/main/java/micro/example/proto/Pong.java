package micro.example.proto;

/** {@code message Pong { int64 stroke = 1; }} */
public record Pong(long stroke) {
}
