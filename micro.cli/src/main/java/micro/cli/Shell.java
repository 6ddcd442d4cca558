package micro.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.jline.reader.Candidate;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.reader.impl.DefaultParser;
import org.jline.terminal.Size;
import org.jline.terminal.Terminal;

/**
 * {@code micro cli}: the interactive shell (micro v2.9.3 {@code client/cli}), prompt {@code micro> }, on JLine 3 with
 * line editing, a history kept in {@code ~/.micro_history}, and tab completion of command names, service names and
 * endpoint names asked live from the registry. The commands are those of the command line, with the same output;
 * {@code ls} is {@code list} and a bare {@code list} lists services, {@code help} or {@code ?} lists the commands,
 * {@code quit} or {@code exit} (or Ctrl-D) leaves. Words are split as a shell does and a trailing JSON object is taken
 * whole ({@link LineSplitter}). One registry and one client serve the whole session.
 */
public final class Shell {
	public static final String PROMPT = "micro> ";
	static final List<String> SHELL_COMMANDS = List.of("call", "stream", "publish", "list", "ls", "get", "health",
			"stats", "register", "deregister", "run", "kill", "status", "plugin", "help", "quit", "exit");

	private final Commands commands;
	private final Completions completions;

	public Shell(Commands commands, Completions completions) {
		this.commands = commands;
		this.completions = completions;
	}

	/** Reads and runs commands until {@code quit}, {@code exit} or the end of input; returns the exit code (0). */
	public int run(Terminal terminal, Path history) {
		if (terminal.getWidth() <= 0) {
			// a pseudo-terminal nobody sized (script, ssh without a pty request): JLine would squeeze the prompt
			terminal.setSize(new Size(120, 40));
		}
		DefaultParser parser = new DefaultParser();
		parser.setEofOnUnclosedQuote(false);
		LineReaderBuilder builder = LineReaderBuilder.builder().terminal(terminal).appName("micro").parser(parser)
				.completer((reader, line, candidates) -> {
					for (String c : completions.candidates(new ArrayList<>(line.words().subList(0, line.wordIndex())))) {
						candidates.add(new Candidate(c));
					}
				});
		if (history != null) {
			builder.variable(LineReader.HISTORY_FILE, history);
		}
		LineReader reader = builder.build();
		PrintWriter out = terminal.writer();
		while (true) {
			String line;
			try {
				line = reader.readLine(PROMPT);
			} catch (UserInterruptException e) {
				continue;
			} catch (EndOfFileException e) {
				break;
			}
			if (!execute(line, out)) {
				break;
			}
			out.flush();
		}
		try {
			reader.getHistory().save();
		} catch (IOException e) {
			// a history that cannot be written is no reason to fail the session
		}
		out.flush();
		return 0;
	}

	/**
	 * The shell on input that is not a terminal (a pipe, a file): the same prompt and commands, read line by line
	 * without line editing, so that every line is run even when the input ends at once.
	 */
	public int run(BufferedReader in, PrintWriter out) throws IOException {
		while (true) {
			out.print(PROMPT);
			out.flush();
			String line = in.readLine();
			if (line == null || !execute(line, out)) {
				break;
			}
			out.flush();
		}
		out.println();
		out.flush();
		return 0;
	}

	/** Runs one line; returns false when the session should end. */
	boolean execute(String line, PrintWriter out) {
		List<String> words;
		try {
			words = LineSplitter.split(line);
		} catch (CliException e) {
			out.println(e.getMessage());
			return true;
		}
		if (words.isEmpty()) {
			return true;
		}
		String command = words.get(0);
		List<String> args = words.subList(1, words.size());
		switch (command) {
		case "quit", "exit" -> {
			return false;
		}
		case "help", "?" -> {
			out.println(help());
			return true;
		}
		case "ls", "list" -> {
			command = "list";
			if (args.isEmpty()) {
				args = List.of("services");
			}
		}
		default -> {
		}
		}
		if (!Commands.NAMES.contains(command)) {
			out.println("unknown command");
			return true;
		}
		try {
			commands.execute(command, args, out::println);
		} catch (FailedWithOutput e) {
			out.println(e.output());
			out.println(e.getMessage());
		} catch (CliException e) {
			out.println(e.getMessage());
		} catch (RuntimeException e) {
			out.println("error: " + e);
		}
		return true;
	}

	/** One {@code name\tusage} line per command, as Go's shell help. */
	static String help() {
		List<String> lines = new ArrayList<>();
		lines.add("Commands:");
		lines.add("\tcall\t" + Commands.USAGE_CALL);
		lines.add("\tstream\t" + Commands.USAGE_STREAM);
		lines.add("\tpublish\t" + Commands.USAGE_PUBLISH);
		lines.add("\tlist, ls\t" + Commands.USAGE_LIST + " (bare list: services)");
		lines.add("\tget\t" + Commands.USAGE_GET);
		lines.add("\thealth\t" + Commands.USAGE_HEALTH.substring(0, Commands.USAGE_HEALTH.indexOf("   or")));
		lines.add("\tstats\t" + Commands.USAGE_STATS);
		lines.add("\tregister\t" + Commands.USAGE_REGISTER);
		lines.add("\tderegister\t" + Commands.USAGE_DEREGISTER);
		lines.add("\trun\t" + Commands.USAGE_RUN);
		lines.add("\tkill\t" + Commands.USAGE_KILL);
		lines.add("\tstatus\t" + Commands.USAGE_STATUS);
		lines.add("\tplugin\t" + Commands.USAGE_PLUGIN);
		lines.add("\thelp, ?\tthis list");
		lines.add("\tquit, exit\tleave the shell");
		return String.join("\n", lines).replace("\tmicro ", "\t");
	}
}
