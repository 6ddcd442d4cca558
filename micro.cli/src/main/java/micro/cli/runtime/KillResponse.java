package micro.cli.runtime;

import java.util.List;

/** The bundles {@code Runtime.Kill} uninstalled. */
public record KillResponse(List<BundleStatus> killed) {
	public KillResponse {
		killed = killed == null ? List.of() : List.copyOf(killed);
	}
}
