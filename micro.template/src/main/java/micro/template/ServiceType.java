package micro.template;

import java.util.Locale;

/**
 * The kinds of project {@code micro new} makes, with the spellings of micro v2.0 ({@code srv}, {@code fnc}) and v2.9
 * ({@code service}, {@code function}). The spelling given is the type part of the default service name:
 * {@code --type service} gives {@code go.micro.service.<alias>}, the default {@code srv} gives
 * {@code go.micro.srv.<alias>}.
 */
public enum ServiceType {
	/** An RPC service: Call, Stream and PingPong, and a subscriber. */
	SERVICE("srv", "service"),
	/** A function: a service with Call only, and a subscriber. */
	FUNCTION("fnc", "function"),
	/** An API service for the gateway's {@code api} handler: {@code go.api.Request} in, {@code go.api.Response} out. */
	API("api", "api"),
	/** A web app: a static page and a JSON call endpoint, served over HTTP and registered for the web dashboard. */
	WEB("web", "web");

	private final String shortName;
	private final String longName;

	ServiceType(String shortName, String longName) {
		this.shortName = shortName;
		this.longName = longName;
	}

	/**
	 * The type of a {@code --type} value.
	 *
	 * @throws IllegalArgumentException for any other value, naming the accepted ones
	 */
	public static ServiceType of(String spelling) {
		String s = spelling == null ? "" : spelling.trim().toLowerCase(Locale.ROOT);
		for (ServiceType t : values()) {
			if (t.shortName.equals(s) || t.longName.equals(s)) {
				return t;
			}
		}
		throw new IllegalArgumentException("unknown type \"" + spelling
				+ "\": use srv (or service), api, web, or fnc (or function)");
	}

	/** The v2.0 spelling: {@code srv}, {@code fnc}, {@code api}, {@code web}. */
	public String spelling() {
		return shortName;
	}

	/** Whether the project has a proto file and a handler for protoc-gen-micro. */
	public boolean hasProto() {
		return this != WEB;
	}
}
