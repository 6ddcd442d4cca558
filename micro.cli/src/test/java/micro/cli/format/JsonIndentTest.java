package micro.cli.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class JsonIndentTest {
	@Test
	void theExampleResponse() {
		assertEquals("{\n\t\"msg\": \"Hello John\"\n}", JsonIndent.withTabs("{\"msg\":\"Hello John\"}"));
	}

	@Test
	void keyOrderNumbersAndEscapesAreKept() {
		String src = "{\"z\":1.50,\"a\":[1,2e3,{\"b\":\"x\\\"y\\u00e9\"}],\"e\":{},\"l\":[],\"n\":null,\"t\":true}";
		String expected = """
				{
					"z": 1.50,
					"a": [
						1,
						2e3,
						{
							"b": "x\\"y\\u00e9"
						}
					],
					"e": {},
					"l": [],
					"n": null,
					"t": true
				}""";
		assertEquals(expected, JsonIndent.withTabs(src));
	}

	@Test
	void whitespaceOutsideStringsIsReplacedAndInsideKept() {
		assertEquals("{\n\t\"a b\": \" x , y : { \"\n}", JsonIndent.withTabs("  {\n \"a b\" :   \" x , y : { \" }\n"));
		assertEquals("[\n\t{}\n]", JsonIndent.withTabs("[ { } ]"));
		assertEquals("\"text\"", JsonIndent.withTabs("\"text\""));
	}

	@Test
	void invalidJsonIsRefusedWithTheReason() {
		IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> JsonIndent.withTabs("{\"a\":}"));
		assertTrue(e.getMessage().contains("line 1, column 6"), e.getMessage());
		assertThrows(IllegalArgumentException.class, () -> JsonIndent.withTabs("{} {}"));
		assertThrows(IllegalArgumentException.class, () -> JsonIndent.withTabs(""));
	}
}
