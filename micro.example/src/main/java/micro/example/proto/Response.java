package micro.example.proto;

/** {@code message Response { string msg = 1; }} */
public record Response(String msg) {
}
