package micro.cli;

import micro.cli.runtime.KillResponse;
import micro.cli.runtime.ListResponse;
import micro.cli.runtime.PluginsResponse;
import micro.cli.runtime.RunResponse;

/**
 * The container's runtime operations, reached through the {@code go.micro.runtime} service from a terminal, or called
 * directly inside the container.
 */
public interface RuntimeAccess {
	RunResponse run(String absolutePath);

	KillResponse kill(String name);

	ListResponse list();

	PluginsResponse plugins();

	KillResponse removePlugin(String name);
}
