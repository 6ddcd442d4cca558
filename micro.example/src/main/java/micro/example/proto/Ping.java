package micro.example.proto;

/** {@code message Ping { int64 stroke = 1; }} */
public record Ping(long stroke) {
}
