package micro.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class CompletionsTest {
	private final Completions completions = new Completions(() -> List.of("go.micro.srv.b", "go.micro.srv.a"),
			s -> Map.of("go.micro.srv.a", List.of("A.Stream", "A.Call")).getOrDefault(s, List.of()), Completions.COMMANDS);

	@Test
	void commandsServicesAndEndpoints() {
		assertEquals(Completions.COMMANDS, completions.candidates(List.of()));
		assertEquals(Completions.COMMANDS, completions.candidates(List.of("--registry_address", "127.0.0.1:1")));
		assertEquals(List.of("go.micro.srv.a", "go.micro.srv.b"), completions.candidates(List.of("call")));
		assertEquals(List.of("A.Call", "A.Stream"), completions.candidates(List.of("call", "go.micro.srv.a")));
		assertEquals(List.of("A.Call", "A.Stream"),
				completions.candidates(List.of("stream", "--metadata", "k=v", "go.micro.srv.a")));
		assertEquals(List.of(), completions.candidates(List.of("call", "--address")));
		assertEquals(List.of("nodes", "services"), completions.candidates(List.of("list")));
		assertEquals(List.of("go.micro.srv.a", "go.micro.srv.b"), completions.candidates(List.of("get", "service")));
		assertEquals(List.of("install", "list", "remove"), completions.candidates(List.of("plugin")));
		assertEquals(List.of("bash", "zsh"), completions.candidates(List.of("completion")));
		assertEquals(List.of(), completions.candidates(List.of("call", "go.micro.srv.a", "A.Call")));
	}

	@Test
	void scriptsCallTheHiddenCompleter() {
		assertTrue(Completions.script("bash").contains("complete -o default -F _micro micro"));
		assertTrue(Completions.script("bash").contains("micro __complete"));
		assertTrue(Completions.script("zsh").startsWith("#compdef micro\n"));
		assertTrue(Completions.script("zsh").contains("micro __complete"));
	}
}
