package micro.runtime.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The metatype description of the {@value micro.config.MicroConfig#PID} configuration, for tools that edit
 * configurations (the keys are the Go flag names; a double underscore in a method name stands for one underscore in
 * the key). The defaults are go-micro's, as {@link micro.config.MicroConfig#DEFAULTS} holds them; a test keeps the two
 * equal. The components read the configuration as a map (it also carries the {@code *.target} filters), so this
 * interface only describes it.
 */
@ObjectClassDefinition(id = "micro.runtime", name = "micro runtime",
		description = "Registry, broker, transport, client and server settings of the micro runtime (the Go flags)")
@interface RuntimeConfiguration {
	@AttributeDefinition(description = "registry: mdns, memory, or a plugin's name (--registry)")
	String registry() default "mdns";

	@AttributeDefinition(required = false, description = "registry address; for mdns an interface or IPv4 address, empty for loopback")
	String registry__address();

	@AttributeDefinition(description = "broker: http, or a plugin's name (--broker)")
	String broker() default "http";

	@AttributeDefinition(required = false, description = "broker address (--broker_address)")
	String broker__address();

	@AttributeDefinition(description = "transport: http, or a plugin's name (--transport)")
	String transport() default "http";

	@AttributeDefinition(required = false, description = "transport address (--transport_address)")
	String transport__address();

	@AttributeDefinition(description = "node selector (--selector)")
	String selector() default "registry";

	@AttributeDefinition(description = "client request timeout, Go duration (--client_request_timeout)")
	String client__request__timeout() default "5s";

	@AttributeDefinition(description = "client retries on codes 408 and 500 (--client_retries)")
	int client__retries() default 1;

	@AttributeDefinition(description = "idle connections kept per address (--client_pool_size)")
	int client__pool__size() default 100;

	@AttributeDefinition(description = "how long an idle connection is kept, Go duration (--client_pool_ttl)")
	String client__pool__ttl() default "1m";

	@AttributeDefinition(description = "registration TTL in seconds (--register_ttl)")
	int register__ttl() default 60;

	@AttributeDefinition(description = "re-registration interval in seconds (--register_interval)")
	int register__interval() default 30;

	@AttributeDefinition(description = "where services listen (--server_address); loopback by default")
	String server__address() default "127.0.0.1:0";

	@AttributeDefinition(required = false, description = "the address to register instead (--server_advertise)")
	String server__advertise();

	@AttributeDefinition(required = false, description = "route calls through a proxy: an address, a service name, or service (MICRO_PROXY)")
	String proxy();
}
