package micro.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * What may come next on a {@code micro} command line, given the words before it: command names, sub-commands, and
 * service and endpoint names asked live from the registry. Used by the interactive shell's tab completion and by the
 * bash and zsh completion scripts (through {@code micro __complete}).
 */
public final class Completions {
	/** The commands a user types, in {@code micro --help} order. */
	public static final List<String> COMMANDS = List.of("server", "new", "run", "kill", "status", "plugin", "call", "stream",
			"publish", "health", "stats", "list", "get", "register", "deregister", "cli", "completion", "help");
	/** Command flags that take a value (the value is not a positional word). */
	private static final Set<String> VALUE_FLAGS = Set.of("address", "metadata", "output", "o", "check_service",
			"check_address");

	private final Supplier<List<String>> services;
	private final Function<String, List<String>> endpoints;
	private final List<String> commands;

	/**
	 * @param services  the registry's service names, asked when needed
	 * @param endpoints a service's endpoint names
	 * @param commands  the command names at the start of a line
	 */
	public Completions(Supplier<List<String>> services, Function<String, List<String>> endpoints, List<String> commands) {
		this.services = services;
		this.endpoints = endpoints;
		this.commands = commands;
	}

	/** The candidates for the word after {@code words} (global flags before the command are skipped). */
	public List<String> candidates(List<String> words) {
		List<String> positional = new ArrayList<>();
		boolean valueNext = false;
		for (String word : words) {
			if (valueNext) {
				valueNext = false;
				continue;
			}
			if (word.startsWith("-") && word.length() > 1) {
				String name = word.replaceFirst("^--?", "");
				if (!name.contains("=") && (VALUE_FLAGS.contains(name) || GlobalFlags.FLAGS.containsKey(name))) {
					valueNext = true;
				}
				continue;
			}
			positional.add(word);
		}
		if (valueNext) {
			return List.of();
		}
		if (positional.isEmpty()) {
			return commands;
		}
		String command = positional.get(0);
		int index = positional.size();
		return switch (command) {
		case "list", "ls" -> index == 1 ? List.of("nodes", "services") : List.of();
		case "get" -> index == 1 ? List.of("service") : index == 2 ? sorted(services.get()) : List.of();
		case "register", "deregister" -> index == 1 ? List.of("service") : List.of();
		case "call", "stream" -> index == 1 ? sorted(services.get())
				: index == 2 ? sorted(endpoints.apply(positional.get(1))) : List.of();
		case "health", "stats", "kill" -> index == 1 ? sorted(services.get()) : List.of();
		case "plugin" -> index == 1 ? List.of("install", "list", "remove") : List.of();
		case "completion" -> index == 1 ? List.of("bash", "zsh") : List.of();
		case "help", "?" -> index == 1 ? commands : List.of();
		default -> List.of();
		};
	}

	private static List<String> sorted(List<String> names) {
		return new ArrayList<>(new TreeSet<>(names));
	}

	/** The shell completion script for {@code bash} or {@code zsh}. */
	public static String script(String shell) {
		return switch (shell) {
		case "bash" -> """
				# bash completion for micro: source <(micro completion bash)
				# Services and endpoints are asked live from the registry (micro __complete).
				_micro() {
					local cur="${COMP_WORDS[COMP_CWORD]}"
					local IFS=$'\\n'
					COMPREPLY=($(compgen -W "$(micro __complete "${COMP_WORDS[@]:1:COMP_CWORD-1}" 2>/dev/null)" -- "$cur"))
				}
				complete -o default -F _micro micro""";
		case "zsh" -> """
				#compdef micro
				# zsh completion for micro: source <(micro completion zsh), or save it as _micro in a folder of $fpath.
				# Services and endpoints are asked live from the registry (micro __complete).
				_micro() {
					local -a candidates
					candidates=(${(f)"$(micro __complete "${(@)words[2,CURRENT-1]}" 2>/dev/null)"})
					if (( ${#candidates} )); then
						compadd -a candidates
					else
						_files
					fi
				}
				if [[ "${zsh_eval_context[-1]}" == loadautofunc ]]; then
					_micro "$@"
				else
					compdef _micro micro
				fi""";
		default -> throw new UsageException("usage: micro completion bash|zsh");
		};
	}
}
