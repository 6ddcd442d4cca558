package micro.cli.runtime;

/**
 * One plugin: its kind ({@code registry}, {@code broker}, {@code transport}, or {@code plugin} for a plugin bundle that
 * registers nothing yet), its name (the {@code micro.<kind>} service property), the bundle that provides it and its
 * state, and whether the {@code micro} configuration selects it.
 */
public record PluginStatus(String kind, String name, long bundleId, String bundle, String version, String state,
		boolean selected) {
}
