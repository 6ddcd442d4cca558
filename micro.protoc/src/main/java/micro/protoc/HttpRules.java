package micro.protoc;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.google.protobuf.ByteString;
import com.google.protobuf.DescriptorProtos.MethodOptions;
import com.google.protobuf.UnknownFieldSet;

/**
 * The {@code google.api.http} option of a method (extension 72295728 of {@code MethodOptions}, message
 * {@code google.api.HttpRule} of {@code google/api/http.proto}), read from the unknown fields the options carry when
 * parsed without the extension registered, so the plugin needs no generated google.api classes.
 */
final class HttpRules {
	static final int HTTP_EXTENSION = 72295728;
	private static final int GET = 2;
	private static final int PUT = 3;
	private static final int POST = 4;
	private static final int DELETE = 5;
	private static final int PATCH = 6;
	private static final int CUSTOM = 8;
	private static final int CUSTOM_KIND = 1;
	private static final int CUSTOM_PATH = 2;

	/** The HTTP method and path template of a rule. */
	record Binding(String method, String path) {
	}

	private HttpRules() {
	}

	/**
	 * The method's primary binding, or null when it has no {@code google.api.http} option or the option names no
	 * pattern. As protoc-gen-micro, {@code additional_bindings} are not carried: the registry's endpoint metadata holds
	 * one method list and one path list, which cannot pair a method with its own path.
	 *
	 * @throws IOException when the option's bytes are not an HttpRule
	 */
	static Binding binding(MethodOptions options) throws IOException {
		if (options == null || !options.getUnknownFields().hasField(HTTP_EXTENSION)) {
			return null;
		}
		List<ByteString> rules = options.getUnknownFields().getField(HTTP_EXTENSION).getLengthDelimitedList();
		if (rules.isEmpty()) {
			return null;
		}
		// a repeated occurrence of a message field merges into one message: the last pattern set wins
		UnknownFieldSet.Builder merged = UnknownFieldSet.newBuilder();
		for (ByteString rule : rules) {
			merged.mergeFrom(rule);
		}
		UnknownFieldSet rule = merged.build();
		Binding found = null;
		Map<Integer, String> verbs = new LinkedHashMap<>();
		verbs.put(GET, "GET");
		verbs.put(PUT, "PUT");
		verbs.put(POST, "POST");
		verbs.put(DELETE, "DELETE");
		verbs.put(PATCH, "PATCH");
		for (Map.Entry<Integer, String> verb : verbs.entrySet()) {
			String path = lastString(rule, verb.getKey());
			if (path != null && !path.isEmpty()) {
				found = new Binding(verb.getValue(), path);
			}
		}
		if (found == null && rule.hasField(CUSTOM)) {
			List<ByteString> custom = rule.getField(CUSTOM).getLengthDelimitedList();
			UnknownFieldSet pattern = UnknownFieldSet.parseFrom(custom.get(custom.size() - 1));
			String kind = lastString(pattern, CUSTOM_KIND);
			String path = lastString(pattern, CUSTOM_PATH);
			if (kind != null && !kind.isEmpty() && path != null && !path.isEmpty()) {
				found = new Binding(kind, path);
			}
		}
		return found;
	}

	private static String lastString(UnknownFieldSet set, int number) {
		if (!set.hasField(number)) {
			return null;
		}
		List<ByteString> values = set.getField(number).getLengthDelimitedList();
		return values.isEmpty() ? null : values.get(values.size() - 1).toStringUtf8();
	}
}
