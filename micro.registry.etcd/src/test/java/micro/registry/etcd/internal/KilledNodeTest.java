package micro.registry.etcd.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import micro.registry.Node;
import micro.registry.RegistryException;

/** A node whose process is killed with SIGKILL (no deregistration) disappears once its lease expires. */
class KilledNodeTest {
	@RegisterExtension
	static final EtcdServer ETCD = new EtcdServer();

	private static final int TTL_SECONDS = 3;

	@Test
	void aKilledNodeDisappearsWhenItsLeaseExpires() throws Exception {
		String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
		Process node = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
				EtcdNodeMain.class.getName(), ETCD.endpoint(), "doomed", "doomed-1", String.valueOf(TTL_SECONDS))
				.redirectErrorStream(true).start();
		try (EtcdRegistry registry = new EtcdRegistry(EtcdOptions.of(ETCD.endpoint()))) {
			BufferedReader out = new BufferedReader(new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8));
			String line;
			while ((line = out.readLine()) != null && !line.equals("registered")) {
				// jetcd's start-up lines
			}
			assertEquals("registered", line, "the node registered");
			// alive and renewing: it outlives its TTL
			Thread.sleep(TTL_SECONDS * 1000L + 1500);
			assertEquals(List.of("doomed-1"), ids(registry));

			node.destroyForcibly(); // SIGKILL: no deregistration, no goodbye
			assertTrue(node.waitFor(10, TimeUnit.SECONDS));
			long killed = System.nanoTime();
			EtcdRegistryTest.await("the killed node's key expires", Duration.ofSeconds(TTL_SECONDS + 5),
					() -> ids(registry).isEmpty());
			long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed);
			assertTrue(millis <= (TTL_SECONDS + 2) * 1000L, "gone " + millis + " ms after the kill");
		} finally {
			node.destroyForcibly();
		}
	}

	private static List<String> ids(EtcdRegistry registry) {
		try {
			return registry.getService("doomed").stream().flatMap(s -> s.nodes().stream()).map(Node::id).toList();
		} catch (RegistryException e) {
			throw new AssertionError(e);
		}
	}
}
