package micro.registry.mdns.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import micro.registry.Node;
import micro.registry.Service;
import micro.registry.WatchEvent;

/**
 * Two JVMs on loopback with the default options (port 5353, domain micro.) find each other: the foundation issue's
 * "two processes on loopback finding each other over mDNS". Discovery only; calling each other is the RPC layer's.
 */
class TwoProcessTest {
	@Test
	void twoProcessesFindEachOther() throws Exception {
		String suffix = UUID.randomUUID().toString().substring(0, 8);
		String peerName = "go.micro.srv.peer" + suffix;
		String ourName = "go.micro.srv.local" + suffix;
		String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
		Process peer = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
				MdnsPeerMain.class.getName(), peerName, peerName + "-1", "127.0.0.1:43210").redirectErrorStream(true)
				.start();
		BlockingQueue<String> lines = new LinkedBlockingQueue<>();
		Thread reader = new Thread(() -> {
			try (BufferedReader r = new BufferedReader(new InputStreamReader(peer.getInputStream(), StandardCharsets.UTF_8))) {
				String line;
				while ((line = r.readLine()) != null) {
					lines.add(line);
				}
			} catch (Exception e) {
				lines.add("reader failed: " + e);
			}
		});
		reader.setDaemon(true);
		reader.start();
		try (MdnsRegistry registry = new MdnsRegistry(MdnsOptions.defaults());
				PrintWriter toPeer = new PrintWriter(peer.getOutputStream(), true, StandardCharsets.UTF_8)) {
			BlockingQueue<WatchEvent> events = new LinkedBlockingQueue<>();
			registry.watch(peerName, events::add);
			assertEquals("registered", awaitLine(lines, 20), "the peer process started");

			// The peer's node, found from this process.
			long start = System.nanoTime();
			List<Service> found = List.of();
			int attempts = 0;
			while (found.isEmpty() && System.nanoTime() - start < TimeUnit.SECONDS.toNanos(5)) {
				found = registry.getService(peerName);
				attempts++;
			}
			double millis = (System.nanoTime() - start) / 1e6;
			assertEquals(1, found.size(), "peer service found");
			Node node = found.get(0).nodes().get(0);
			assertEquals(peerName + "-1", node.id());
			assertEquals("127.0.0.1:43210", node.address());
			assertEquals("peer", node.metadata().get("process"));
			assertTrue(registry.listServices().stream().anyMatch(s -> s.name().equals(peerName)));

			// Our node, found from the peer process.
			registry.register(new Service(ourName, "latest", null, List.of(),
					List.of(new Node(ourName + "-1", "127.0.0.1:43211", Map.of()))), Duration.ofSeconds(90));
			toPeer.println("lookup " + ourName);
			assertEquals("found 127.0.0.1:43211", awaitLine(lines, 10));
			System.out.printf("two JVMs on loopback: getService found the peer in %.1f ms (%d queries)%n", millis, attempts);

			// The peer stops: its goodbye reaches our watch and the node is gone.
			toPeer.println("stop");
			assertEquals("closed", awaitLine(lines, 10));
			WatchEvent event;
			do {
				event = events.poll(5, TimeUnit.SECONDS);
			} while (event != null && event.action() != WatchEvent.Action.DELETE);
			assertTrue(event != null, "goodbye seen by the watch");
			assertEquals(peerName + "-1", event.service().nodes().get(0).id());
			assertTrue(registry.getService(peerName).isEmpty());
			assertTrue(peer.waitFor(10, TimeUnit.SECONDS));
			assertEquals(0, peer.exitValue());
		} finally {
			peer.destroy();
		}
	}

	private static String awaitLine(BlockingQueue<String> lines, int seconds) throws InterruptedException {
		long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
		while (System.nanoTime() < end) {
			String line = lines.poll(100, TimeUnit.MILLISECONDS);
			if (line != null && !line.startsWith("SLF4J")) {
				return line;
			}
		}
		return "(nothing from the peer in " + seconds + " s)";
	}
}
