package micro.cli.runtime;

import java.util.List;

/** One bundle: id, symbolic name, version, state and the micro services it provides. */
public record BundleStatus(long id, String name, String version, String state, List<String> services) {
	public BundleStatus {
		services = services == null ? List.of() : List.copyOf(services);
	}
}
