package micro.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a line of the interactive shell into words as a shell does: blanks separate words, single and double quotes
 * group (and are removed), a backslash escapes the next character outside single quotes. A word that starts with an
 * unquoted <code>{</code> takes the rest of the line whole, so a JSON request may be typed as it is, spaces, quotes and
 * all: <code>call go.micro.srv.example Example.Call {"name": "John Smith"}</code>. (Go's shell splits on single
 * spaces, so its JSON could hold none.)
 */
public final class LineSplitter {
	private LineSplitter() {
	}

	/** @throws UsageException on an unterminated quote */
	public static List<String> split(String line) {
		List<String> words = new ArrayList<>();
		StringBuilder word = null;
		char quote = 0;
		for (int i = 0; i < line.length(); i++) {
			char c = line.charAt(i);
			if (quote != 0) {
				if (c == quote) {
					quote = 0;
				} else if (c == '\\' && quote == '"' && i + 1 < line.length()
						&& (line.charAt(i + 1) == '"' || line.charAt(i + 1) == '\\')) {
					word.append(line.charAt(++i));
				} else {
					word.append(c);
				}
				continue;
			}
			if (Character.isWhitespace(c)) {
				if (word != null) {
					words.add(word.toString());
					word = null;
				}
				continue;
			}
			if (word == null) {
				if (c == '{') {
					words.add(line.substring(i).strip());
					return words;
				}
				word = new StringBuilder();
			}
			if (c == '\'' || c == '"') {
				quote = c;
			} else if (c == '\\' && i + 1 < line.length()) {
				word.append(line.charAt(++i));
			} else {
				word.append(c);
			}
		}
		if (quote != 0) {
			throw new UsageException("unterminated " + (quote == '"' ? "double" : "single") + " quote");
		}
		if (word != null) {
			words.add(word.toString());
		}
		return words;
	}
}
