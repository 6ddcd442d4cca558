package micro.cli.runtime;

import java.util.List;

/** The plugins of the container ({@code Runtime.Plugins}). */
public record PluginsResponse(List<PluginStatus> plugins) {
	public PluginsResponse {
		plugins = plugins == null ? List.of() : List.copyOf(plugins);
	}
}
