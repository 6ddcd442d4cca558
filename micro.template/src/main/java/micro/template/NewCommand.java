package micro.template;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code micro new}: makes a service project (micro v2's flags, §4 of the reference). A plain Java entry point:
 * {@link #main} for a terminal, {@link #run} for the {@code micro} command, which passes the arguments after
 * {@code new}.
 *
 * <pre>
 * micro new [--namespace go.micro] [--type srv|api|web|fnc|service|function] [--alias name] [--fqdn name]
 *           [--plugin registry=etcd:broker=kafka]... &lt;dir&gt;
 * </pre>
 */
public final class NewCommand {
	public static final String USAGE = """
			NAME:
			   micro new - Create a service template

			USAGE:
			   micro new [command options] <dir>

			OPTIONS:
			   --namespace value  Namespace for the service e.g com.example (default: "go.micro")
			   --type value       Type of service e.g api, fnc, srv, web (also service, function) (default: "srv")
			   --fqdn value       FQDN of service e.g com.example.srv.service (defaults to namespace.type.alias)
			   --alias value      Alias is the short name used as part of combined name if specified
			   --plugin value     Specify plugins e.g --plugin=registry=etcd:broker=kafka or use flag multiple times
			""";

	private final ProjectGenerator generator;

	public NewCommand() {
		this(new ProjectGenerator());
	}

	public NewCommand(ProjectGenerator generator) {
		this.generator = generator;
	}

	public static void main(String[] args) {
		System.exit(new NewCommand().run(List.of(args), System.out, System.err));
	}

	/**
	 * Makes the project the arguments describe.
	 *
	 * @return the exit code: 0, or 1 after a message on {@code err}
	 */
	public int run(List<String> args, PrintStream out, PrintStream err) {
		ProjectOptions options;
		try {
			options = parse(args);
		} catch (HelpRequested h) {
			out.print(USAGE);
			return 0;
		} catch (IllegalArgumentException e) {
			err.println(e.getMessage());
			return 1;
		}
		String command = "micro new " + String.join(" ", args);
		out.println("Creating " + noun(options.type()) + " " + options.fqdn() + " in " + options.dir());
		out.println();
		List<String> files;
		try {
			files = generator.generate(options, command);
		} catch (FileAlreadyExistsException e) {
			err.println(options.dir() + " already exists");
			return 1;
		} catch (IOException | RuntimeException e) {
			err.println("creating " + options.dir() + " failed: " + e.getMessage() + " (nothing was left behind)");
			return 1;
		}
		out.print(Tree.render(files));
		out.println();
		out.print(nextSteps(options));
		return 0;
	}

	private static String noun(ServiceType type) {
		return switch (type) {
		case SERVICE -> "service";
		case FUNCTION -> "function";
		case API -> "api";
		case WEB -> "web";
		};
	}

	static String nextSteps(ProjectOptions o) {
		StringBuilder b = new StringBuilder();
		b.append("\nbuild it (micro.core").append(o.type().hasProto() ? " and micro.protoc come" : " comes")
				.append(" from your local Maven repository once micro for the JVM was built with mvn install")
				.append(o.type().hasProto() ? "; protoc from Maven Central" : "").append("):\n\n");
		b.append("cd ").append(o.dir()).append('\n');
		b.append("mvn package\n\n");
		b.append("run it in the micro server (micro server), and try it:\n\n");
		b.append("micro run .\n");
		switch (o.type()) {
		case SERVICE, FUNCTION -> b.append("micro call ").append(o.fqdn()).append(' ').append(o.title())
				.append(".Call '{\"name\": \"John\"}'\n");
		case API -> b.append("micro api --handler=api\ncurl 'http://localhost:8080/").append(o.alias())
				.append("/call?name=John'\n");
		case WEB -> b.append("micro web\nopen http://localhost:8082/").append(o.alias()).append("/\n");
		}
		return b.toString();
	}

	/** Thrown by {@link #parse} for {@code --help}. */
	static final class HelpRequested extends RuntimeException {
		private static final long serialVersionUID = 1L;

		HelpRequested() {
			super(null, null, false, false);
		}
	}

	/**
	 * The options of the arguments: flags as {@code --name value}, {@code --name=value} or with one dash, then the
	 * folder.
	 *
	 * @throws IllegalArgumentException with the message for the user
	 */
	static ProjectOptions parse(List<String> args) {
		String namespace = null;
		String type = null;
		String alias = null;
		String fqdn = null;
		List<Plugin> plugins = new ArrayList<>();
		String dir = null;
		for (int i = 0; i < args.size(); i++) {
			String arg = args.get(i);
			if (!arg.startsWith("-") || arg.equals("-")) {
				if (dir != null) {
					throw new IllegalArgumentException("one folder only: " + dir + " and " + arg + "\n" + "usage: micro"
							+ " new [command options] <dir>");
				}
				dir = arg;
				continue;
			}
			String flag = arg.replaceFirst("^--?", "");
			String value = null;
			int eq = flag.indexOf('=');
			if (eq >= 0) {
				value = flag.substring(eq + 1);
				flag = flag.substring(0, eq);
			}
			if (flag.equals("help") || flag.equals("h")) {
				throw new HelpRequested();
			}
			if (!List.of("namespace", "type", "alias", "fqdn", "plugin").contains(flag)) {
				throw new IllegalArgumentException("Incorrect Usage. flag provided but not defined: -" + flag);
			}
			if (value == null) {
				if (i + 1 >= args.size()) {
					throw new IllegalArgumentException("flag needs an argument: -" + flag);
				}
				value = args.get(++i);
			}
			switch (flag) {
			case "namespace" -> namespace = value;
			case "type" -> type = value;
			case "alias" -> alias = value;
			case "fqdn" -> fqdn = value;
			default -> plugins.addAll(Plugin.parse(value));
			}
		}
		if (dir == null) {
			throw new IllegalArgumentException("specify service name: micro new <dir>");
		}
		return new ProjectOptions(Path.of(dir), namespace, null, type, alias, fqdn, plugins);
	}
}
