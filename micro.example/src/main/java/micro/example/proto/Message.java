package micro.example.proto;

/** {@code message Message { string say = 1; }}: what is published on the topic {@code go.micro.srv.example}. */
public record Message(String say) {
}
