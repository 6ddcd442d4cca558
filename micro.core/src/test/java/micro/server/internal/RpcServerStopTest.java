package micro.server.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import micro.codec.internal.Codecs;
import micro.config.MicroConfig;
import micro.registry.Registry;
import micro.registry.Service;
import micro.registry.Watch;
import micro.registry.WatchListener;
import micro.server.ServerOptions;
import micro.transport.internal.HttpTransport;

/**
 * A re-registration that is under way when the server stops must not land after the deregistration: with mDNS a
 * registration takes a while (probing), and a service left registered after {@code micro kill} answered nothing.
 */
class RpcServerStopTest {
	/** Records the order of registrations and deregistrations; a registration takes 300 ms once armed. */
	private static final class SlowRegistry implements Registry {
		final List<String> operations = new CopyOnWriteArrayList<>();
		final CountDownLatch registering = new CountDownLatch(1);
		volatile boolean slow;

		@Override
		public String name() {
			return "memory";
		}

		@Override
		public void register(Service service, Duration ttl) {
			if (slow) {
				registering.countDown();
				try {
					Thread.sleep(300);
				} catch (InterruptedException e) {
					Thread.currentThread().interrupt();
				}
			}
			operations.add("register");
		}

		@Override
		public void deregister(Service service) {
			operations.add("deregister");
		}

		@Override
		public List<Service> getService(String name) {
			return List.of();
		}

		@Override
		public List<Service> listServices() {
			return List.of();
		}

		@Override
		public Watch watch(String service, WatchListener listener) {
			return () -> {
			};
		}
	}

	@Test
	void aReRegistrationUnderWayEndsBeforeStopDeregisters() throws Exception {
		SlowRegistry registry = new SlowRegistry();
		RpcServer server = new RpcServer(ServerOptions.named("go.micro.srv.stop"), MicroConfig.of(Map.of()), registry,
				null, new HttpTransport(), new Codecs());
		server.handle(new RpcServerTest.Example());
		server.start();
		registry.slow = true;
		// a handler added to a running server re-registers it, on the server's scheduler
		server.handle("Other", new RpcServerTest.Example(), Map.of());
		assertTrue(registry.registering.await(5, TimeUnit.SECONDS), "re-registration started");
		server.stop();
		// long enough for a registration that was let run past stop to land
		Thread.sleep(500);
		assertEquals("deregister", registry.operations.get(registry.operations.size() - 1), registry.operations.toString());
	}
}
