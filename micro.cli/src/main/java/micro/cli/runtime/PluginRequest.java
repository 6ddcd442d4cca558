package micro.cli.runtime;

/** {@code Runtime.PluginRemove}: a plugin's name ({@code mdns}) or its bundle's symbolic name. */
public record PluginRequest(String name) {
}
