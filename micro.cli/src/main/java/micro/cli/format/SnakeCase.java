package micro.cli.format;

/**
 * CamelCase to snake_case as the Go CLI does it (serenize/snaker's {@code CamelToSnake}): a word starts at an upper-case
 * letter after a lower-case letter or digit, and at the last capital of an acronym followed by a lower-case letter
 * ({@code HTTPServer} → {@code http_server}); names already in snake case stay as they are.
 */
public final class SnakeCase {
	private SnakeCase() {
	}

	public static String of(String name) {
		if (name == null || name.isEmpty()) {
			return "";
		}
		StringBuilder out = new StringBuilder(name.length() + 4);
		for (int i = 0; i < name.length(); i++) {
			char c = name.charAt(i);
			if (Character.isUpperCase(c) && i > 0) {
				char before = name.charAt(i - 1);
				boolean afterWord = Character.isLowerCase(before) || Character.isDigit(before);
				boolean endsAcronym = Character.isUpperCase(before) && i + 1 < name.length()
						&& Character.isLowerCase(name.charAt(i + 1));
				if ((afterWord || endsAcronym) && out.charAt(out.length() - 1) != '_') {
					out.append('_');
				}
			}
			out.append(Character.toLowerCase(c));
		}
		return out.toString();
	}
}
