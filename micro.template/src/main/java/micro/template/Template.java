package micro.template;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A text template of {@code micro new}: {@code {{name}}} is replaced by a value; {@code {{#flag}}…{{/flag}}} is kept
 * when the flag is set and dropped otherwise. A section tag alone on its line takes its line with it.
 */
final class Template {
	/** A section whose tags are alone on their lines. */
	private static final Pattern BLOCK = Pattern.compile(
			"(?ms)^[ \\t]*\\{\\{#(\\w+)\\}\\}[ \\t]*\\n(.*?)^[ \\t]*\\{\\{/\\1\\}\\}[ \\t]*\\n");
	private static final Pattern INLINE = Pattern.compile("(?s)\\{\\{#(\\w+)\\}\\}(.*?)\\{\\{/\\1\\}\\}");
	private static final Pattern VARIABLE = Pattern.compile("\\{\\{(\\w+)\\}\\}");

	private Template() {
	}

	static String render(String text, Map<String, String> values, Set<String> flags) {
		String out = sections(sections(text, BLOCK, flags), INLINE, flags);
		Matcher v = VARIABLE.matcher(out);
		StringBuilder b = new StringBuilder();
		while (v.find()) {
			String value = values.get(v.group(1));
			if (value == null) {
				throw new IllegalStateException("template value " + v.group(1) + " is not set");
			}
			v.appendReplacement(b, Matcher.quoteReplacement(value));
		}
		v.appendTail(b);
		return b.toString();
	}

	private static String sections(String text, Pattern section, Set<String> flags) {
		String out = text;
		Matcher m;
		while ((m = section.matcher(out)).find()) {
			out = out.substring(0, m.start()) + (flags.contains(m.group(1)) ? m.group(2) : "") + out.substring(m.end());
		}
		return out;
	}

	/** A template shipped in this module under {@code micro/template/}. */
	static String load(String name) {
		try (InputStream in = Template.class.getResourceAsStream("/micro/template/" + name)) {
			if (in == null) {
				throw new IllegalStateException("template " + name + " is missing from the micro.template jar");
			}
			return new String(in.readAllBytes(), StandardCharsets.UTF_8);
		} catch (IOException e) {
			throw new IllegalStateException("cannot read template " + name + ": " + e.getMessage(), e);
		}
	}
}
