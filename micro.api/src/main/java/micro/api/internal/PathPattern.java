package micro.api.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * One {@code path} of endpoint metadata (§2.5): a {@code ^…$} regular expression, or a google.api HTTP template such
 * as {@code /v1/users/{id}}, {@code /v1/{name=shelves/*}/books} or {@code /files/**}, with an optional {@code :verb}.
 * The variables a template captures become the request's path fields.
 */
final class PathPattern {
	private final String source;
	private final Pattern regex;
	private final List<String> fields;

	private PathPattern(String source, Pattern regex, List<String> fields) {
		this.source = source;
		this.regex = regex;
		this.fields = fields;
	}

	/** @throws IllegalArgumentException for a half-anchored regex ({@code ^…} without {@code $}) or a bad template */
	static PathPattern parse(String path) {
		String p = path.trim();
		if (p.isEmpty()) {
			throw new IllegalArgumentException("empty path");
		}
		boolean starts = p.startsWith("^");
		boolean ends = p.endsWith("$");
		if (starts != ends) {
			throw new IllegalArgumentException("invalid path " + p + ": a regular expression starts with ^ and ends with $");
		}
		try {
			if (starts) {
				return new PathPattern(p, Pattern.compile(p), List.of());
			}
			return template(p);
		} catch (PatternSyntaxException e) {
			throw new IllegalArgumentException("invalid path " + p + ": " + e.getDescription());
		}
	}

	private static PathPattern template(String t) {
		if (!t.startsWith("/")) {
			throw new IllegalArgumentException("invalid path template " + t + ": it must start with /");
		}
		String verb = null;
		int lastSlash = t.lastIndexOf('/');
		int colon = t.indexOf(':', lastSlash);
		if (colon > 0 && t.indexOf('}', colon) < 0) {
			verb = t.substring(colon + 1);
			t = t.substring(0, colon);
		}
		List<String> fields = new ArrayList<>();
		StringBuilder re = new StringBuilder("^");
		int i = 1;
		while (i <= t.length()) {
			re.append('/');
			if (i == t.length()) {
				break;
			}
			if (t.charAt(i) == '{') {
				int close = t.indexOf('}', i);
				if (close < 0) {
					throw new IllegalArgumentException("invalid path template " + t + ": unclosed {");
				}
				String var = t.substring(i + 1, close);
				int eq = var.indexOf('=');
				String name = eq < 0 ? var : var.substring(0, eq);
				String sub = eq < 0 ? "*" : var.substring(eq + 1);
				if (!name.matches("[A-Za-z_][A-Za-z0-9_.]*")) {
					throw new IllegalArgumentException("invalid path template " + t + ": bad field name " + name);
				}
				fields.add(name);
				re.append('(').append(segments(sub, t)).append(')');
				i = close + 1;
			} else {
				int end = t.indexOf('/', i);
				end = end < 0 ? t.length() : end;
				re.append(segments(t.substring(i, end), t));
				i = end;
			}
			if (i < t.length() && t.charAt(i) != '/') {
				throw new IllegalArgumentException("invalid path template " + t);
			}
			i++;
		}
		if (re.charAt(re.length() - 1) == '/' && re.length() > 2) {
			re.setLength(re.length() - 1);
		}
		if (verb != null) {
			re.append(Pattern.quote(":" + verb));
		}
		re.append('$');
		return new PathPattern(t, Pattern.compile(re.toString()), List.copyOf(fields));
	}

	/** Segments of a template ({@code a/*}, {@code **}) as a regular expression. */
	private static String segments(String s, String template) {
		StringBuilder b = new StringBuilder();
		String[] parts = s.split("/", -1);
		for (int k = 0; k < parts.length; k++) {
			if (k > 0) {
				b.append('/');
			}
			String part = parts[k];
			if (part.equals("*")) {
				b.append("[^/]+");
			} else if (part.equals("**")) {
				b.append(".*");
			} else if (part.isEmpty() || part.contains("{") || part.contains("}") || part.contains("*")) {
				throw new IllegalArgumentException("invalid path template " + template);
			} else {
				b.append(Pattern.quote(part));
			}
		}
		return b.toString();
	}

	/** The captured fields when the path matches, else null. */
	Map<String, String> match(String path) {
		Matcher m = regex.matcher(path);
		if (!m.matches()) {
			return null;
		}
		Map<String, String> out = new LinkedHashMap<>();
		for (int k = 0; k < fields.size(); k++) {
			out.put(fields.get(k), m.group(k + 1));
		}
		return out;
	}

	@Override
	public String toString() {
		return source;
	}
}
