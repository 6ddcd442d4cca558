package micro.registry.etcd.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import micro.client.CallOptions;
import micro.client.Request;
import micro.config.MicroConfig;
import micro.errors.MicroError;
import micro.registry.Service;
import micro.runtime.Micro;
import micro.server.Server;
import micro.server.ServerOptions;

/** Two runtimes, each with its own etcd registry client and server, find and call each other through etcd. */
class TwoMicrosThroughEtcdTest {
	@RegisterExtension
	static final EtcdServer ETCD = new EtcdServer();

	public record Ask(String from) {
	}

	public record Answer(String text) {
	}

	public record Note(String text) {
	}

	public static final class Alpha {
		public Answer greet(Ask ask) {
			return new Answer("alpha greets " + ask.from());
		}
	}

	public static final class Beta {
		public Answer greet(Ask ask) {
			return new Answer("beta greets " + ask.from());
		}
	}

	public static final class Notes {
		final BlockingQueue<Note> received = new LinkedBlockingQueue<>();

		public void on(Note n) {
			received.add(n);
		}
	}

	private static Micro micro() {
		MicroConfig config = MicroConfig.of(Map.of(MicroConfig.REGISTRY, "etcd", MicroConfig.REGISTRY_ADDRESS,
				ETCD.endpoint(), MicroConfig.REGISTER_TTL, "10", MicroConfig.REGISTER_INTERVAL, "2"));
		return Micro.builder().config(config).registry(new EtcdRegistry(EtcdOptions.fromConfig(config))).build();
	}

	@Test
	void twoRuntimesFindAndCallEachOther() throws Exception {
		EtcdRegistry registryA = null;
		EtcdRegistry registryB = null;
		try (Micro a = micro(); Micro b = micro()) {
			registryA = (EtcdRegistry) a.registry();
			registryB = (EtcdRegistry) b.registry();
			Server alpha = a.newServer(ServerOptions.named("go.micro.srv.alpha"));
			alpha.handle(new Alpha());
			alpha.start();
			Server beta = b.newServer(ServerOptions.named("go.micro.srv.beta"));
			beta.handle(new Beta());
			Notes notes = new Notes();
			beta.subscribe("go.micro.topic.notes", notes, null);
			beta.start();

			assertEquals("beta greets a", a.client().call(new Request("go.micro.srv.beta", "Beta.Greet", new Ask("a")),
					Answer.class, CallOptions.DEFAULTS).text());
			assertEquals("alpha greets b", b.client().call(
					new Request("go.micro.srv.alpha", "Alpha.Greet", new Ask("b")), Answer.class, CallOptions.DEFAULTS)
					.text());

			// what etcd holds is go-micro's layout, with each node's registration metadata and endpoints
			List<Service> listed = a.registry().listServices();
			assertTrue(listed.stream().anyMatch(s -> s.name().equals("go.micro.srv.alpha")), listed.toString());
			Service betaRecord = a.registry().getService("go.micro.srv.beta").get(0);
			assertEquals("Beta.Greet", betaRecord.endpoints().stream().map(e -> e.name())
					.filter(n -> n.startsWith("Beta.")).findFirst().orElseThrow());
			String key = EtcdRecords.nodeKey("go.micro.srv.beta", betaRecord.nodes().get(0).id());
			assertTrue(ETCD.etcdctl("get", key, "--print-value-only").contains("\"transport\":\"http\""));

			// pub/sub through the HTTP broker, whose subscriber records also live in etcd
			a.client().publish("go.micro.topic.notes", new Note("hello beta"), null, null);
			Note n = notes.received.poll(10, TimeUnit.SECONDS);
			assertNotNull(n, "the note arrives");
			assertEquals("hello beta", n.text());

			// a stopped server deregisters: the other side stops finding it
			beta.stop();
			assertEquals(List.of(), a.registry().getService("go.micro.srv.beta"));
			MicroError gone = org.junit.jupiter.api.Assertions.assertThrows(MicroError.class,
					() -> a.client().call(new Request("go.micro.srv.beta", "Beta.Greet", new Ask("a")), Answer.class,
							CallOptions.DEFAULTS.withTimeout(Duration.ofSeconds(2))));
			assertTrue(gone.code() == 500 || gone.code() == 408, gone.toString());
		} finally {
			// the facade leaves the registries it was given open
			if (registryA != null) {
				registryA.close();
			}
			if (registryB != null) {
				registryB.close();
			}
		}
	}
}
