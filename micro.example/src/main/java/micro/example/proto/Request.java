package micro.example.proto;

/** {@code message Request { string name = 1; }} */
public record Request(String name) {
}
