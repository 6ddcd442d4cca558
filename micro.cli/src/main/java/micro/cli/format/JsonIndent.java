package micro.cli.format;

import java.io.IOException;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;

/**
 * Re-indents JSON text as Go's {@code json.Indent(dst, src, "", "\t")}: one tab per level, {@code ": "} after keys,
 * empty objects and arrays kept as {@code {}} and {@code []}, and everything else (key order, number forms, string
 * escapes) exactly as it came.
 */
public final class JsonIndent {
	private static final JsonFactory JSON = new JsonFactory();

	private JsonIndent() {
	}

	/**
	 * @throws IllegalArgumentException when the text is not one JSON value, with the parser's reason
	 */
	public static String withTabs(String json) {
		String src = json.strip();
		validate(src);
		StringBuilder out = new StringBuilder(src.length() + 32);
		int depth = 0;
		boolean opened = false; // just wrote { or [: an immediate close keeps it compact
		for (int i = 0; i < src.length(); i++) {
			char c = src.charAt(i);
			if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
				continue;
			}
			if (opened) {
				opened = false;
				if (c == '}' || c == ']') {
					out.append(c);
					depth--;
					continue;
				}
				newline(out, depth);
			}
			switch (c) {
			case '"' -> i = copyString(src, i, out);
			case '{', '[' -> {
				out.append(c);
				depth++;
				opened = true;
			}
			case '}', ']' -> {
				depth--;
				newline(out, depth);
				out.append(c);
			}
			case ',' -> {
				out.append(c);
				newline(out, depth);
			}
			case ':' -> out.append(": ");
			default -> out.append(c);
			}
		}
		return out.toString();
	}

	/** Copies the string starting at the quote at {@code start}; returns the index of its closing quote. */
	private static int copyString(String src, int start, StringBuilder out) {
		int i = start;
		out.append('"');
		while (++i < src.length()) {
			char c = src.charAt(i);
			out.append(c);
			if (c == '\\') {
				out.append(src.charAt(++i));
			} else if (c == '"') {
				return i;
			}
		}
		return i;
	}

	private static void newline(StringBuilder out, int depth) {
		out.append('\n');
		out.append("\t".repeat(depth));
	}

	/** Checks that the text is exactly one JSON value. */
	public static void validate(String src) {
		try (JsonParser p = JSON.createParser(src)) {
			if (p.nextToken() == null) {
				throw new IllegalArgumentException("empty JSON");
			}
			p.skipChildren();
			JsonToken extra = p.nextToken();
			if (extra != null) {
				throw new IllegalArgumentException("unexpected " + p.getText() + " after the JSON value at "
						+ location(p));
			}
		} catch (JsonProcessingException e) {
			throw new IllegalArgumentException(reason(e), e);
		} catch (IOException e) {
			throw new IllegalArgumentException(e.getMessage(), e);
		}
	}

	/** Jackson's message without its source dump: what is wrong, and where. */
	public static String reason(JsonProcessingException e) {
		String what = e.getOriginalMessage();
		int cut = what.indexOf('\n');
		if (cut > 0) {
			what = what.substring(0, cut);
		}
		return e.getLocation() == null ? what
				: what + " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
	}

	private static String location(JsonParser p) {
		return "line " + p.currentLocation().getLineNr() + ", column " + p.currentLocation().getColumnNr();
	}
}
