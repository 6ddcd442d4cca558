package micro.cli.runtime;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.runtime.ServiceComponentRuntime;

import micro.server.HandlerProperties;

/**
 * The {@code go.micro.runtime} service's handler {@code Runtime}, served by the runtime's whiteboard: {@code Runtime.Run}
 * installs (or updates) and starts a bundle, {@code Runtime.Kill} uninstalls one, {@code Runtime.List} lists them,
 * {@code Runtime.Plugins} lists the plugins and {@code Runtime.PluginRemove} removes one. This
 * is how {@code micro run} from a terminal reaches the container. Its public methods are its endpoints, nothing else.
 */
@Component(service = RuntimeHandler.class, property = { HandlerProperties.SERVICE + "=" + BundleRunner.SERVICE,
		HandlerProperties.HANDLER + "=Runtime" })
public class RuntimeHandler {
	private final BundleRunner runner;

	@Activate
	public RuntimeHandler(BundleContext context,
			@Reference(cardinality = ReferenceCardinality.OPTIONAL) ServiceComponentRuntime components) {
		this.runner = new BundleRunner(context, components);
	}

	public RunResponse Run(RunRequest request) {
		return runner.run(request == null ? null : request.path());
	}

	public KillResponse Kill(KillRequest request) {
		return runner.kill(request == null ? null : request.name());
	}

	public ListResponse List(ListRequest request) {
		return runner.list();
	}

	/** The plugins (registry, broker, transport, API handler services and plugin bundles), and which are selected. */
	public PluginsResponse Plugins(ListRequest request) {
		return runner.plugins();
	}

	/** Uninstalls a plugin bundle, by plugin name or symbolic name ({@code micro plugin install} is {@code Run}). */
	public KillResponse PluginRemove(PluginRequest request) {
		return runner.removePlugin(request == null ? null : request.name());
	}
}
