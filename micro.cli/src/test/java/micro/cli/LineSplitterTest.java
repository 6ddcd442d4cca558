package micro.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.junit.jupiter.api.Test;

class LineSplitterTest {
	@Test
	void wordsQuotesAndATrailingJsonObject() {
		assertEquals(List.of("call", "go.micro.srv.example", "Example.Call", "{\"name\": \"John Smith\"}"),
				LineSplitter.split("  call go.micro.srv.example   Example.Call {\"name\": \"John Smith\"}  "));
		assertEquals(List.of("publish", "a b", "it's"), LineSplitter.split("publish 'a b' \"it's\""));
		assertEquals(List.of("x", "a b"), LineSplitter.split("x a\\ b"));
		assertEquals(List.of("call", "--metadata", "k=v w", "s", "E.m", "{}"),
				LineSplitter.split("call --metadata \"k=v w\" s E.m {}"));
		assertEquals(List.of(), LineSplitter.split("   "));
		assertThrows(UsageException.class, () -> LineSplitter.split("call 'open"));
	}
}
