package micro.protoc;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Name conversions shared by the generated clients and handlers. */
final class Names {
	private static final Set<String> JAVA_KEYWORDS = Set.of("abstract", "assert", "boolean", "break", "byte", "case",
			"catch", "char", "class", "const", "continue", "default", "do", "double", "else", "enum", "extends", "final",
			"finally", "float", "for", "goto", "if", "implements", "import", "instanceof", "int", "interface", "long",
			"native", "new", "package", "private", "protected", "public", "return", "short", "static", "strictfp",
			"super", "switch", "synchronized", "this", "throw", "throws", "transient", "try", "void", "volatile",
			"while", "true", "false", "null", "var", "yield", "record", "sealed", "permits", "_");

	private Names() {
	}

	/**
	 * protoc-gen-go's {@code CamelCase}, which go-micro's handlers and endpoints are named by: {@code get_user} gives
	 * {@code GetUser}, {@code Call} stays {@code Call}; a leading underscore becomes {@code X}.
	 */
	static String camelCase(String s) {
		StringBuilder t = new StringBuilder(s.length());
		int i = 0;
		if (!s.isEmpty() && s.charAt(0) == '_') {
			t.append('X');
			i++;
		}
		for (; i < s.length(); i++) {
			char c = s.charAt(i);
			if (c == '_' && i + 1 < s.length() && isLower(s.charAt(i + 1))) {
				continue;
			}
			if (isDigit(c)) {
				t.append(c);
				continue;
			}
			if (isLower(c)) {
				c = Character.toUpperCase(c);
			}
			t.append(c);
			while (i + 1 < s.length() && isLower(s.charAt(i + 1))) {
				i++;
				t.append(s.charAt(i));
			}
		}
		return t.toString();
	}

	/** A Java method name for a client method: {@code GetUser} gives {@code getUser}, {@code New} gives {@code new_}. */
	static String javaMethod(String camelCase) {
		String name = camelCase.substring(0, 1).toLowerCase(Locale.ROOT) + camelCase.substring(1);
		return JAVA_KEYWORDS.contains(name) ? name + "_" : name;
	}

	/**
	 * protobuf-java's outer class name for a file without {@code java_outer_classname}: the base name in camel case
	 * ({@code hello_world.proto} gives {@code HelloWorld}).
	 */
	static String fileClassName(String protoPath) {
		String base = protoPath.substring(protoPath.lastIndexOf('/') + 1);
		if (base.endsWith(".proto")) {
			base = base.substring(0, base.length() - ".proto".length());
		}
		StringBuilder out = new StringBuilder();
		boolean capitalizeNext = true;
		for (char c : base.toCharArray()) {
			if (isLower(c)) {
				out.append(capitalizeNext ? Character.toUpperCase(c) : c);
				capitalizeNext = false;
			} else if (c >= 'A' && c <= 'Z') {
				out.append(c);
				capitalizeNext = false;
			} else if (isDigit(c)) {
				out.append(c);
				capitalizeNext = true;
			} else {
				capitalizeNext = true;
			}
		}
		return out.toString();
	}

	/** Text for a Javadoc comment: no comment end, no HTML. */
	static String javadoc(String text) {
		return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("*/", "*&#47;")
				.replace("@", "&#64;");
	}

	/** A word of a comment: an inline tag such as <code>{&#64;code a b}</code> is never split. */
	private static final Pattern WORD = Pattern.compile("(?:\\{@[^}]*\\}|\\S)+");

	/** Text as comment lines of at most {@code width} characters (unless a word is longer), each after {@code prefix}. */
	static String wrap(String text, String prefix, int width) {
		StringBuilder out = new StringBuilder();
		StringBuilder line = new StringBuilder(prefix);
		Matcher words = WORD.matcher(text);
		while (words.find()) {
			String word = words.group();
			if (line.length() > prefix.length() && line.length() + 1 + word.length() > width) {
				out.append(line).append('\n');
				line = new StringBuilder(prefix);
			}
			line.append(' ').append(word);
		}
		return out.append(line).append('\n').toString();
	}

	/** A Java string literal. */
	static String quote(String s) {
		StringBuilder b = new StringBuilder("\"");
		for (char c : s.toCharArray()) {
			switch (c) {
			case '"' -> b.append("\\\"");
			case '\\' -> b.append("\\\\");
			case '\n' -> b.append("\\n");
			case '\r' -> b.append("\\r");
			case '\t' -> b.append("\\t");
			default -> {
				if (c < 0x20 || c > 0x7e) {
					b.append(String.format("\\u%04x", (int) c));
				} else {
					b.append(c);
				}
			}
			}
		}
		return b.append('"').toString();
	}

	private static boolean isLower(char c) {
		return c >= 'a' && c <= 'z';
	}

	private static boolean isDigit(char c) {
		return c >= '0' && c <= '9';
	}
}
