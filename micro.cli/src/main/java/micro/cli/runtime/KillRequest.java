package micro.cli.runtime;

/** {@code Runtime.Kill}: a bundle's symbolic name, or the name of a micro service a bundle provides. */
public record KillRequest(String name) {
}
