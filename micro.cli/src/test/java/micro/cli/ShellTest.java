package micro.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.junit.jupiter.api.Test;

import micro.registry.Endpoint;
import micro.registry.Node;
import micro.registry.Service;
import micro.registry.Value;
import micro.registry.internal.MemoryRegistry;

/**
 * The interactive shell on a JLine terminal over piped streams, typed at as a user does: tab completion of commands,
 * sub-commands, services and endpoints (the registry asked live), shell-like words, unknown commands, exit.
 */
class ShellTest {
	@Test
	void completesCommandsServicesAndEndpointsAndRunsTheLines() throws Exception {
		MemoryRegistry registry = new MemoryRegistry();
		registry.register(new Service("go.micro.srv.a", "latest", Map.of(),
				List.of(new Endpoint("Alpha.Call", new Value("Request", "Request", List.of()), null, Map.of())),
				List.of(new Node("go.micro.srv.a-1", "127.0.0.1:9", Map.of()))), Duration.ofMinutes(1));
		Commands commands = new Commands(registry, () -> {
			throw new CliException("no client in this test");
		}, () -> {
			throw new CliException("no server in this test");
		}, null);
		String typed = "li\tserv\t\r" + "get service go.m\t\r" + "call go.micro.srv.a Al\t{\"name\": \"John Smith\"}\r"
				+ "frobnicate\r" + "get service 'go.micro.srv.none'\r" + "exit\r";
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		PipedOutputStream keyboard = new PipedOutputStream();
		PipedInputStream in = new PipedInputStream(keyboard, 4096);
		// typed once the line reader has put the terminal in raw mode, key by key as a user does
		Thread typist = new Thread(() -> {
			try {
				Thread.sleep(300);
				for (byte b : typed.getBytes(StandardCharsets.UTF_8)) {
					keyboard.write(b);
					keyboard.flush();
					if (b == '\r' || b == '\t') {
						Thread.sleep(100);
					}
				}
			} catch (Exception e) {
				throw new IllegalStateException(e);
			}
		});
		typist.start();
		try (Terminal terminal = TerminalBuilder.builder().system(false).type("xterm").streams(in, out).build()) {
			// the shell ends on the typed "exit", however slowly the machine reads the keys; the keyboard stays open
			// until then (closing it after a fixed pause cut the input short on a loaded machine)
			assertEquals(0, assertTimeoutPreemptively(Duration.ofSeconds(60),
					() -> new Shell(commands, Main.completions(registry, Shell.SHELL_COMMANDS)).run(terminal, null)));
		} finally {
			keyboard.close();
		}
		typist.join();
		String screen = out.toString(StandardCharsets.UTF_8).replaceAll("\u001b\\[[0-9;?]*[A-Za-z]", "").replace("\r", "");
		assertTrue(screen.contains(Shell.PROMPT), screen);
		// each command ran with the words completed: list services, the service's name, the endpoint's name
		assertTrue(screen.lines().anyMatch(l -> l.endsWith("go.micro.srv.a") && !l.contains(" ")), screen);
		assertTrue(screen.contains("service  go.micro.srv.a\n"), screen);
		assertTrue(screen.contains("error calling go.micro.srv.a.Alpha.Call: {\"id\":\"go.micro.client\",\"code\":500,"
				+ "\"detail\":\"no client in this test\""), screen);
		assertTrue(screen.contains("unknown command"), screen);
		assertTrue(screen.contains("Service not found"), screen);
	}

	@Test
	void helpListsEveryCommand() {
		String help = Shell.help();
		for (String c : List.of("call", "stream", "publish", "list, ls", "get", "health", "stats", "register",
				"deregister", "quit, exit")) {
			assertTrue(help.contains("\t" + c + "\t"), c);
		}
	}
}
