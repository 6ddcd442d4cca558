package micro.server.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.google.protobuf.Api;
import com.google.protobuf.Struct;

import micro.registry.Value;

class ValueTreesTest {
	record Leaf(String deep) {
	}

	record Middle(Leaf leaf, int count) {
	}

	record Top(Middle middle, List<Leaf> leaves, Map<String, Long> scores, byte[] data, boolean flag, double ratio,
			float f, long big, String[] names) {
	}

	static class Base {
		protected String id;
	}

	static class Pojo extends Base {
		static int ignoredStatic;
		transient int ignoredTransient;
		private Integer size;
		public Top top;
	}

	private static Value v(String name, String type, Value... children) {
		return new Value(name, type, List.of(children));
	}

	@Test
	void recordsAreDescribedByTheirComponentsToDepthThree() {
		Value top = ValueTrees.describe(Top.class);
		assertEquals(v("Top", "Top",
				// Leaf's own field would be at depth 3: Go leaves it out
				v("middle", "Middle", v("leaf", "Leaf"), v("count", "int32")),
				v("leaves", "[]Leaf"),
				v("scores", "map[string]int64"),
				v("data", "[]uint8"),
				v("flag", "bool"),
				v("ratio", "float64"),
				v("f", "float32"),
				v("big", "int64"),
				v("names", "[]string")), top);
	}

	@Test
	void pojosAreDescribedByTheirInstanceFieldsSuperclassFirst() {
		Value pojo = ValueTrees.describe(Pojo.class);
		assertEquals(List.of("id", "size", "top"), pojo.values().stream().map(Value::name).toList());
		assertEquals("int32", pojo.values().get(1).type());
		// top's fields are at depth 2, their children would be at depth 3
		Value top = pojo.values().get(2);
		assertEquals("Top", top.type());
		assertEquals(v("middle", "Middle"), top.values().get(0));
	}

	@Test
	void protobufMessagesUseProtoFieldNamesAndGoTypes() {
		Value api = ValueTrees.describe(Api.class);
		assertEquals("Api", api.name());
		assertEquals("Api", api.type());
		assertEquals(List.of("name", "methods", "options", "version", "source_context", "mixins", "syntax", "edition"),
				api.values().stream().map(Value::name).toList());
		assertEquals(v("methods", "[]Method"), api.values().get(1));
		assertEquals(v("source_context", "SourceContext", v("file_name", "string")), api.values().get(4));
		assertEquals(v("syntax", "Syntax"), api.values().get(6));
		assertEquals(v("Struct", "Struct", v("fields", "map[string]Value")), ValueTrees.describe(Struct.class));
	}

	@Test
	void simpleAndMissingTypes() {
		assertEquals(v("string", "string"), ValueTrees.describe(String.class));
		assertNull(ValueTrees.describe(null));
		assertEquals("interface {}", ValueTrees.typeName(Object.class));
	}
}
