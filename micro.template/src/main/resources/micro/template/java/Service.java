package {{javaPackage}};

/** Names shared by the {{typeName}}'s classes. */
public final class {{title}}Service {
	/** The service name{{#subscriber}}, which is also the subscriber's topic{{/subscriber}}. */
	public static final String NAME = "{{fqdn}}";

	private {{title}}Service() {
	}
}
