package micro.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import micro.client.CallOptions;
import micro.client.Request;
import micro.config.MicroConfig;
import micro.registry.Endpoint;
import micro.registry.Node;
import micro.registry.Service;
import micro.registry.Watch;
import micro.registry.WatchEvent;
import micro.registry.etcd.internal.EtcdOptions;
import micro.registry.etcd.internal.EtcdRegistry;
import micro.registry.etcd.internal.EtcdServer;
import micro.runtime.Micro;
import micro.server.Server;
import micro.server.ServerOptions;

/**
 * go-micro v2.9.1's own etcd registry (the Go peer with {@code -registry etcd}) and ours share one real etcd on
 * 127.0.0.1: each finds the other's node with its metadata and endpoints, watches see Go's registration and its
 * deregistration, and both call each other by service name through the registry.
 */
class EtcdRegistryInteropTest {
	@RegisterExtension
	static final EtcdServer ETCD = new EtcdServer();

	private static final ObjectMapper JSON = new ObjectMapper();

	public record HelloRequest(String name) {
	}

	public record HelloResponse(String greeting) {
	}

	private static List<String> go(String... args) {
		List<String> command = new ArrayList<>(GoPeer.command("etcd", "-registry_address", ETCD.endpoint()));
		command.addAll(List.of(args));
		return command;
	}

	@Test
	void goAndJavaFindAndCallEachOtherThroughEtcd() throws Exception {
		MicroConfig config = MicroConfig.of(Map.of(MicroConfig.REGISTRY, "etcd", MicroConfig.REGISTRY_ADDRESS,
				ETCD.endpoint()));
		try (EtcdRegistry registry = new EtcdRegistry(EtcdOptions.fromConfig(config));
				Micro micro = Micro.builder().config(config).registry(registry).withoutBroker().build()) {
			BlockingQueue<WatchEvent> events = new LinkedBlockingQueue<>();
			try (Watch watch = registry.watch(GoPeer.SERVICE, events::add)) {
				PeerProcess go = PeerProcess.start("go-peer serve", go("serve"));
				try {
					String ready = go.awaitLine("READY", Duration.ofSeconds(30));
					String goNodeId = PeerProcess.field(ready, "id");

					// Go's registration reaches our watch and our lookups
					WatchEvent created = events.poll(10, TimeUnit.SECONDS);
					assertNotNull(created, "a create event for Go's node");
					assertEquals(WatchEvent.Action.CREATE, created.action());
					Service goService = registry.getService(GoPeer.SERVICE).get(0);
					Node goNode = goService.nodes().get(0);
					assertEquals(goNodeId, goNode.id());
					assertEquals("etcd", goNode.metadata().get("registry"));
					assertEquals("mucp", goNode.metadata().get("protocol"));
					Endpoint hello = goService.endpoints().stream().filter(e -> e.name().equals("Greeter.Hello"))
							.findFirst().orElseThrow();
					assertEquals("name", hello.request().values().get(0).name());
					Endpoint count = goService.endpoints().stream().filter(e -> e.name().equals("Greeter.Count"))
							.findFirst().orElseThrow();
					assertEquals("true", count.metadata().get("stream"));

					// we call Go by name, found through etcd
					HelloResponse fromGo = micro.client().call(
							new Request(GoPeer.SERVICE, "Greeter.Hello", new HelloRequest("Java")), HelloResponse.class,
							CallOptions.DEFAULTS);
					assertEquals("Hi Java from Go", fromGo.greeting());

					// Go finds our node and calls it by name
					Server server = micro.newServer(ServerOptions.named(Example.SERVICE));
					server.handle(new Example());
					server.start();
					PeerProcess.Result seen = PeerProcess.run("go-peer get", go("-wait", "10s", "get", Example.SERVICE),
							Duration.ofSeconds(30));
					assertEquals(0, seen.exitCode(), seen.transcript());
					JsonNode ours = JSON.readTree(seen.stdout()).get(0);
					assertEquals(Example.SERVICE, ours.get("name").asText());
					JsonNode ourNode = ours.get("nodes").get(0);
					assertTrue(ourNode.get("id").asText().startsWith(Example.SERVICE + "-"), ourNode.toString());
					assertEquals(server.address(), ourNode.get("address").asText());
					assertEquals("etcd", ourNode.get("metadata").get("registry").asText());
					assertTrue(ours.get("endpoints").toString().contains("\"Example.Call\""), ours.toString());

					PeerProcess.Result called = PeerProcess.run("go-peer call",
							go("-wait", "10s", "call", Example.SERVICE, "Example.Call", "{\"name\":\"Go\"}"),
							Duration.ofSeconds(30));
					assertEquals(0, called.exitCode(), called.transcript());
					assertEquals("{\"msg\":\"Hello Go\"}", called.stdout());

					PeerProcess.Result listed = PeerProcess.run("go-peer list", go("list"), Duration.ofSeconds(30));
					List<String> names = new ArrayList<>();
					JSON.readTree(listed.stdout()).forEach(s -> names.add(s.get("name").asText()));
					assertTrue(names.containsAll(List.of(GoPeer.SERVICE, Example.SERVICE)), names.toString());
				} finally {
					go.stop(Duration.ofSeconds(10));
				}
				// Go deregisters on SIGTERM: our watch sees the delete, with Go's record
				WatchEvent deleted = null;
				for (WatchEvent e; (e = events.poll(10, TimeUnit.SECONDS)) != null;) {
					if (e.action() == WatchEvent.Action.DELETE) {
						deleted = e;
						break;
					}
				}
				assertNotNull(deleted, "a delete event when Go stops");
				assertEquals(GoPeer.SERVICE, deleted.service().name());
				assertEquals(List.of(), registry.getService(GoPeer.SERVICE));
			}
		}
	}
}
