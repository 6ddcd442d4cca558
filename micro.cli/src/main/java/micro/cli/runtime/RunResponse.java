package micro.cli.runtime;

import java.util.List;

/**
 * What {@code Runtime.Run} did: the bundle (id, symbolic name, version, state), whether it replaced an installed bundle
 * of the same name, the micro services it provides, and, when it is not running as it should, why: the requirements no
 * installed bundle provides, components that are not satisfied, and the framework's error.
 */
public record RunResponse(long id, String name, String version, String state, boolean updated, List<String> services,
		List<String> unresolved, List<String> problems, String error) {

	public RunResponse {
		services = services == null ? List.of() : List.copyOf(services);
		unresolved = unresolved == null ? List.of() : List.copyOf(unresolved);
		problems = problems == null ? List.of() : List.copyOf(problems);
		error = error == null ? "" : error;
	}

	/** The bundle is active and everything in it is satisfied. */
	public boolean ok() {
		return "ACTIVE".equals(state) && unresolved.isEmpty() && problems.isEmpty() && error.isEmpty();
	}
}
