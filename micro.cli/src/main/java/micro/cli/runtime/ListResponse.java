package micro.cli.runtime;

import java.util.List;

/** The bundles of the container, by id. */
public record ListResponse(List<BundleStatus> bundles) {
	public ListResponse {
		bundles = bundles == null ? List.of() : List.copyOf(bundles);
	}
}
