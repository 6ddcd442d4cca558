package micro.cli.shell;

import java.io.PrintStream;
import java.util.List;
import java.util.function.Function;

import org.apache.felix.service.command.Descriptor;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.component.runtime.ServiceComponentRuntime;

import micro.cli.CliException;
import micro.cli.Commands;
import micro.cli.FailedWithOutput;
import micro.cli.runtime.BundleRunner;
import micro.client.Client;
import micro.config.MicroConfig;
import micro.errors.MicroError;
import micro.registry.Registry;

/**
 * The {@code micro} commands in the container's Gogo shell ({@code micro:list services}, {@code micro:call …}), with the
 * same words and output as on the terminal, on the container's own {@link Client} and selected {@link Registry} (the
 * {@code registry.target} of the {@code micro} configuration). {@code run} and {@code kill} act on this container
 * directly. JSON arguments must be quoted: {@code micro:call go.micro.srv.example Example.Call '{"name": "John"}'}.
 */
@Component(service = MicroCommands.class, configurationPid = MicroConfig.PID, property = {
		"osgi.command.scope=micro", "osgi.command.function=list", "osgi.command.function=get",
		"osgi.command.function=call", "osgi.command.function=run", "osgi.command.function=kill",
		"osgi.command.function=status", "osgi.command.function=stream", "osgi.command.function=publish",
		"osgi.command.function=health", "osgi.command.function=stats", "osgi.command.function=register",
		"osgi.command.function=deregister", "osgi.command.function=plugin" })
public class MicroCommands {
	private final Commands commands;

	@Activate
	public MicroCommands(BundleContext context, @Reference(name = "registry", target = "(micro.registry=mdns)") Registry registry,
			@Reference(name = "client", cardinality = ReferenceCardinality.OPTIONAL, policyOption = ReferencePolicyOption.GREEDY) Client client,
			@Reference(name = "components", cardinality = ReferenceCardinality.OPTIONAL) ServiceComponentRuntime components) {
		BundleRunner runner = new BundleRunner(context, components);
		this.commands = new Commands(registry, () -> {
			if (client == null) {
				throw new CliException("no micro.client.Client service in this container: is micro.core active?");
			}
			return client;
		}, () -> runner, null);
	}

	@Descriptor("list the services of the registry; usage: " + Commands.USAGE_LIST)
	public void list(@Descriptor("services") String... args) {
		print(commands::list, args);
	}

	@Descriptor("show a service's versions, nodes and endpoints; usage: " + Commands.USAGE_GET)
	public void get(@Descriptor("service <name>") String... args) {
		print(commands::get, args);
	}

	@Descriptor("call a service endpoint with a JSON request (quote it); usage: " + Commands.USAGE_CALL)
	public void call(@Descriptor("[--address host:port] [--metadata k=v] [--output raw] <service> <endpoint> ['<json>']") String... args) {
		print(commands::call, args);
	}

	@Descriptor("install (or update) and start a bundle in this container; usage: " + Commands.USAGE_RUN)
	public void run(@Descriptor("<path>") String... args) {
		print(commands::run, args);
	}

	@Descriptor("uninstall a bundle by symbolic name or by the service it provides; usage: " + Commands.USAGE_KILL)
	public void kill(@Descriptor("<name>") String... args) {
		print(commands::kill, args);
	}

	@Descriptor("list the bundles of this container with their state and services; usage: " + Commands.USAGE_STATUS)
	public void status(@Descriptor("no arguments") String... args) {
		print(commands::status, args);
	}

	@Descriptor("stream from a service endpoint, printing each message; usage: " + Commands.USAGE_STREAM)
	public void stream(@Descriptor("[--address host:port] [--metadata k=v] [--output raw] <service> <endpoint> ['<json>']") String... args) {
		try {
			commands.stream(args == null ? List.of() : List.of(args), System.out::println);
		} catch (CliException e) {
			System.err.println(e.getMessage());
		}
	}

	@Descriptor("publish a JSON message to a topic through the container's broker; usage: " + Commands.USAGE_PUBLISH)
	public void publish(@Descriptor("[--metadata k=v] <topic> '<json>'") String... args) {
		print(commands::publish, args);
	}

	@Descriptor("call Debug.Health on every node of a service; usage: micro health [--output json] <service>")
	public void health(@Descriptor("[--output json] <service>") String... args) {
		print(commands::health, args);
	}

	@Descriptor("call Debug.Stats on every node of a service; usage: " + Commands.USAGE_STATS)
	public void stats(@Descriptor("[--output json] <service>") String... args) {
		print(commands::stats, args);
	}

	@Descriptor("register a service in the registry; usage: " + Commands.USAGE_REGISTER)
	public void register(@Descriptor("service '<json>'") String... args) {
		print(commands::register, args);
	}

	@Descriptor("deregister a service from the registry; usage: " + Commands.USAGE_DEREGISTER)
	public void deregister(@Descriptor("service '<json>'") String... args) {
		print(commands::deregister, args);
	}

	@Descriptor("list, install or remove registry, broker and transport plugins of this container; usage: "
			+ Commands.USAGE_PLUGIN)
	public void plugin(@Descriptor("list [--output json] | install <jar|folder|g:a:v> | remove <name>") String... args) {
		print(commands::plugin, args);
	}

	/** Runs a command: its text on the session's output, or its error on the session's error output. */
	private static void print(Function<List<String>, String> command, String[] args) {
		PrintStream out = System.out;
		try {
			String text = command.apply(args == null ? List.of() : List.of(args));
			if (!text.isEmpty()) {
				out.println(text);
			}
		} catch (FailedWithOutput e) {
			out.println(e.output());
			System.err.println(e.getMessage());
		} catch (CliException e) {
			System.err.println(e.getMessage());
		} catch (MicroError e) {
			System.err.println(e.detail().isEmpty() ? e.toJson() : e.detail());
		}
	}
}
