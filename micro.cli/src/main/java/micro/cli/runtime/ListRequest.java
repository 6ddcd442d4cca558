package micro.cli.runtime;

/** {@code Runtime.List}: no parameters. */
public record ListRequest() {
}
