package micro.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The flags and positional words of one command, in any order ({@code --name value}, {@code --name=value},
 * {@code -name}); {@code -o} is {@code --output}. A flag the command does not know is a usage error.
 */
record CommandArgs(List<String> positional, Map<String, List<String>> flags) {
	static CommandArgs parse(List<String> args, Set<String> known, String usage) {
		List<String> positional = new ArrayList<>();
		Map<String, List<String>> flags = new LinkedHashMap<>();
		for (int i = 0; i < args.size(); i++) {
			String arg = args.get(i);
			if (!arg.startsWith("-") || arg.equals("-") || arg.length() < 2) {
				positional.add(arg);
				continue;
			}
			if (arg.equals("--")) {
				positional.addAll(args.subList(i + 1, args.size()));
				break;
			}
			String name = arg.replaceFirst("^--?", "");
			String value = null;
			int eq = name.indexOf('=');
			if (eq >= 0) {
				value = name.substring(eq + 1);
				name = name.substring(0, eq);
			}
			if (name.equals("o")) {
				name = "output";
			}
			if (!known.contains(name)) {
				throw new UsageException("Incorrect Usage. flag provided but not defined: -" + name + "\nusage: " + usage);
			}
			if (value == null) {
				if (++i >= args.size()) {
					throw new UsageException("Incorrect Usage. flag needs an argument: -" + name + "\nusage: " + usage);
				}
				value = args.get(i);
			}
			flags.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
		}
		return new CommandArgs(positional, flags);
	}

	/** The last value of a flag, or the default. */
	String get(String name, String defaultValue) {
		List<String> values = flags.get(name);
		return values == null ? defaultValue : values.get(values.size() - 1);
	}

	List<String> all(String name) {
		return flags.getOrDefault(name, List.of());
	}

	/** {@code --output json} asked for; any other output than json or text is a usage error. */
	boolean json() {
		String output = get("output", "text");
		if (!output.equals("json") && !output.equals("text")) {
			throw new UsageException("invalid output \"" + output + "\": expected json or text");
		}
		return output.equals("json");
	}

	/** {@code k=v} metadata flags, in order. */
	Map<String, String> metadata() {
		Map<String, String> metadata = new LinkedHashMap<>();
		for (String value : all("metadata")) {
			int kv = value.indexOf('=');
			if (kv <= 0) {
				throw new UsageException("invalid metadata \"" + value + "\": expected key=value");
			}
			metadata.put(value.substring(0, kv), value.substring(kv + 1));
		}
		return metadata;
	}
}
