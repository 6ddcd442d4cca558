package micro.server.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import micro.codec.internal.Codecs;
import micro.config.MicroConfig;
import micro.registry.RegistryException;
import micro.registry.Service;
import micro.registry.internal.MemoryRegistry;
import micro.server.ServerOptions;
import micro.transport.internal.HttpTransport;

/**
 * Races of stop() with registry writes: a re-registration under way when the server stops must not outlive the
 * deregistration, and a second stop() must not return before the first has deregistered. Otherwise a stopped
 * (killed, uninstalled) service stays listed.
 */
class RpcServerStopRaceTest {
	public static class Pinger {
		public Map<String, String> ping(Map<String, String> request) {
			return request;
		}
	}

	@Test
	void aReRegistrationInFlightWhenStoppingDoesNotResurrectTheNode() throws Exception {
		CountDownLatch reRegistering = new CountDownLatch(1);
		CountDownLatch release = new CountDownLatch(1);
		CountDownLatch reRegistered = new CountDownLatch(1);
		MemoryRegistry memory = new MemoryRegistry();
		MemoryRegistry slowSecondRegister = new MemoryRegistry() {
			private int calls;

			@Override
			public void register(Service service, Duration ttl) throws RegistryException {
				boolean block;
				synchronized (this) {
					block = ++calls == 2; // the first re-registration
				}
				if (block) {
					reRegistering.countDown();
					try {
						release.await(10, TimeUnit.SECONDS);
					} catch (InterruptedException e) {
						Thread.currentThread().interrupt();
					}
				}
				memory.register(service, ttl);
				if (block) {
					reRegistered.countDown();
				}
			}

			@Override
			public void deregister(Service service) throws RegistryException {
				memory.deregister(service);
			}
		};
		ServerOptions options = ServerOptions.named("go.micro.srv.race").withRegistration(Duration.ofSeconds(60),
				Duration.ofMillis(50));
		RpcServer server = new RpcServer(options, MicroConfig.of(Map.of()), slowSecondRegister, null,
				new HttpTransport(), new Codecs());
		server.handle(new Pinger());
		server.start();
		try {
			assertTrue(reRegistering.await(5, TimeUnit.SECONDS), "the re-registration started");
			CompletableFuture<Void> stopping = CompletableFuture.runAsync(server::stop);
			Thread.sleep(200); // stop() runs while the re-registration is still writing
			release.countDown();
			stopping.get(15, TimeUnit.SECONDS);
			assertTrue(reRegistered.await(5, TimeUnit.SECONDS), "the re-registration finished");
			List<Service> left = memory.getService("go.micro.srv.race");
			assertEquals(List.of(), left, "the stopped node is not registered any more");
		} finally {
			release.countDown();
			server.stop();
			memory.close();
			slowSecondRegister.close();
		}
	}

	/**
	 * The runtime stops a server from two threads when its registry plugin goes, and closes the registry as soon as the
	 * second stop() returns: that stop must wait for the first one's deregistration, or the registry is closed under it.
	 */
	@Test
	void aSecondStopReturnsOnlyOnceTheFirstHasDeregistered() throws Exception {
		CountDownLatch deregistering = new CountDownLatch(1);
		CountDownLatch release = new CountDownLatch(1);
		MemoryRegistry memory = new MemoryRegistry() {
			@Override
			public void deregister(Service service) throws RegistryException {
				deregistering.countDown();
				try {
					release.await(10, TimeUnit.SECONDS);
				} catch (InterruptedException e) {
					Thread.currentThread().interrupt();
				}
				super.deregister(service);
			}
		};
		RpcServer server = new RpcServer(ServerOptions.named("go.micro.srv.twice"), MicroConfig.of(Map.of()), memory,
				null, new HttpTransport(), new Codecs());
		server.handle(new Pinger());
		server.start();
		try {
			CompletableFuture<Void> first = CompletableFuture.runAsync(server::stop);
			assertTrue(deregistering.await(5, TimeUnit.SECONDS), "the first stop is deregistering");
			CompletableFuture<Void> second = CompletableFuture.runAsync(server::stop);
			Thread.sleep(300);
			assertFalse(second.isDone(), "the second stop waits for the deregistration under way");
			release.countDown();
			second.get(5, TimeUnit.SECONDS);
			assertEquals(List.of(), memory.getService("go.micro.srv.twice"),
					"deregistered when the second stop returned");
			first.get(15, TimeUnit.SECONDS);
		} finally {
			release.countDown();
			server.stop();
			memory.close();
		}
	}
}
