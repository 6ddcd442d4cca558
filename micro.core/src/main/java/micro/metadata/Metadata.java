package micro.metadata;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * Request metadata, carried as transport headers. Keys are kept Title-Cased as go-micro's
 * {@code metadata.FromContext} returns them ({@code micro-from-service} becomes {@code Micro-From-Service}), and
 * looked up without regard to case.
 */
public final class Metadata {
	public static final String FROM_SERVICE = "Micro-From-Service";

	private final TreeMap<String, String> values = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);

	public Metadata() {
	}

	public Metadata(Map<String, String> initial) {
		if (initial != null) {
			initial.forEach(this::put);
		}
	}

	public static Metadata of(Map<String, String> initial) {
		return new Metadata(initial);
	}

	public Metadata put(String key, String value) {
		if (key != null && value != null) {
			values.put(titleCase(key), value);
		}
		return this;
	}

	/** Puts the value only when the key is not there yet (go-micro's "without overwriting"). */
	public Metadata putIfAbsent(String key, String value) {
		if (key != null && value != null && !values.containsKey(key)) {
			values.put(titleCase(key), value);
		}
		return this;
	}

	public String get(String key) {
		return values.get(key);
	}

	public Metadata remove(String key) {
		values.remove(key);
		return this;
	}

	public boolean isEmpty() {
		return values.isEmpty();
	}

	/** A read-only view, keys Title-Cased. */
	public Map<String, String> asMap() {
		return Collections.unmodifiableMap(values);
	}

	public Metadata copy() {
		return new Metadata(values);
	}

	/** {@code micro-from-service} → {@code Micro-From-Service}, as Go's {@code strings.Title} on a dashed key. */
	public static String titleCase(String key) {
		StringBuilder b = new StringBuilder(key.length());
		boolean up = true;
		for (int i = 0; i < key.length(); i++) {
			char c = key.charAt(i);
			b.append(up ? Character.toUpperCase(c) : c);
			up = !Character.isLetterOrDigit(c);
		}
		return b.toString();
	}

	@Override
	public String toString() {
		return values.toString();
	}

	@Override
	public boolean equals(Object o) {
		return o instanceof Metadata m && m.values.equals(values);
	}

	@Override
	public int hashCode() {
		return values.hashCode();
	}

}
