package micro.cli;

import java.io.OutputStream;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;

import micro.cli.format.JsonIndent;
import micro.cli.format.ServiceFormat;
import micro.client.CallOptions;
import micro.client.Request;
import micro.codec.RawBody;
import micro.config.MicroConfig;
import micro.runtime.Micro;
import micro.server.Server;
import micro.server.ServerOptions;

/**
 * A training run for class-data sharing: goes once through what the commands load (flags, help, the mDNS registry,
 * the client, the transport and codecs of a successful call, the formats), printing nothing, so that bin/micro can
 * dump the loaded classes into an archive ({@code -XX:ArchiveClassesAtExit}) that makes every later command start
 * faster. JDK 17 has no {@code -XX:+AutoCreateSharedArchive}.
 */
public final class Training {
	/** The greeter the training call reaches in its own in-memory registry. */
	public static final class Greeter {
		public Map<String, Object> Hello(Map<String, Object> request) {
			return Map.of("msg", "Hello " + request.get("name"), "list", List.of(1, 2));
		}
	}

	private Training() {
	}

	public static void main(String[] args) throws Exception {
		PrintStream nowhere = new PrintStream(OutputStream.nullOutputStream());
		Map<String, String> env = System.getenv();
		Main.run(List.of("--help"), env, nowhere, nowhere);
		Main.run(List.of("--client_retries=0", "--client_request_timeout=1s", "list", "services"), env, nowhere, nowhere);
		Main.run(List.of("get", "service", "go.micro.cli.training"), env, nowhere, nowhere);
		Main.run(List.of("--client_retries=0", "call", "go.micro.cli.training", "Greeter.Hello", "{\"name\": 1}"), env,
				nowhere, nowhere);
		Main.run(List.of("call", "go.micro.cli.training", "Greeter.Hello", "{bad"), env, nowhere, nowhere);

		MicroConfig memory = MicroConfig.of(Map.of(MicroConfig.REGISTRY, "memory"));
		try (Micro micro = Micro.builder().config(memory).withoutBroker().build()) {
			Server server = micro.newServer(ServerOptions.named("go.micro.cli.training"));
			server.handle(new Greeter());
			server.start();
			try {
				RawBody response = micro.client().call(new Request("go.micro.cli.training", "Greeter.Hello",
						RawBody.of("{\"name\": \"John\"}")), RawBody.class, CallOptions.DEFAULTS.withAddress(server.address()));
				nowhere.println(JsonIndent.withTabs(response.utf8()));
				nowhere.println(ServiceFormat.service(micro.registry().getService("go.micro.cli.training")));
			} finally {
				server.stop();
			}
		}
		System.exit(0);
	}
}
