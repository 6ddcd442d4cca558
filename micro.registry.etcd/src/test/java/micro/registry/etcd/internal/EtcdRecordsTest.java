package micro.registry.etcd.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import micro.registry.Endpoint;
import micro.registry.Node;
import micro.registry.Service;
import micro.registry.Value;

class EtcdRecordsTest {

	@Test
	void keysAreGoMicrosNodePaths() {
		assertEquals("/micro/registry/go.micro.srv.example/go.micro.srv.example-1",
				EtcdRecords.nodeKey("go.micro.srv.example", "go.micro.srv.example-1"));
		assertEquals("/micro/registry/a-b/c-d", EtcdRecords.nodeKey("a/b", "c/d"));
		assertEquals("/micro/registry/a-b/", EtcdRecords.serviceKeyPrefix("a/b"));
		assertThrows(IllegalArgumentException.class, () -> EtcdRecords.nodeKey("", "x"));
		assertThrows(IllegalArgumentException.class, () -> EtcdRecords.nodeKey("x", null));
		assertThrows(IllegalArgumentException.class, () -> EtcdRecords.serviceKeyPrefix(".."));
	}

	@Test
	void writesGoMicrosJsonWithTheOneNode() {
		Node a = new Node("s-1", "127.0.0.1:1", Map.of("transport", "http", "broker", "http"));
		Node b = new Node("s-2", "127.0.0.1:2", Map.of());
		Service s = new Service("s", "1", Map.of(), List.of(new Endpoint("H.M",
				new Value("Req", "Req", List.of(new Value("x", "int32", null))), null, Map.of())), List.of(a, b));
		String json = new String(EtcdRecords.encode(s, a), StandardCharsets.UTF_8);
		assertEquals("{\"name\":\"s\",\"version\":\"1\",\"metadata\":{},\"endpoints\":[{\"name\":\"H.M\","
				+ "\"request\":{\"name\":\"Req\",\"type\":\"Req\",\"values\":[{\"name\":\"x\",\"type\":\"int32\",\"values\":[]}]},"
				+ "\"response\":null,\"metadata\":{}}],"
				+ "\"nodes\":[{\"id\":\"s-1\",\"address\":\"127.0.0.1:1\",\"metadata\":{\"broker\":\"http\",\"transport\":\"http\"}}]}",
				json);
		assertEquals(s.withNodes(List.of(a)), EtcdRecords.decode(EtcdRecords.encode(s, a)));
	}

	@Test
	void readsGoNullsAndUnknownFields() {
		String go = "{\"name\":\"s\",\"version\":\"\",\"metadata\":null,\"endpoints\":null,"
				+ "\"nodes\":[{\"id\":\"s-1\",\"address\":\"10.0.0.1:1\",\"port\":0,\"metadata\":null}],\"options\":{\"ttl\":0}}";
		Service s = EtcdRecords.decode(go.getBytes(StandardCharsets.UTF_8));
		assertEquals(new Service("s", "", Map.of(), List.of(), List.of(new Node("s-1", "10.0.0.1:1", Map.of()))), s);
	}

	@Test
	void notAServiceIsNull() {
		assertNull(EtcdRecords.decode(null));
		assertNull(EtcdRecords.decode(new byte[0]));
		assertNull(EtcdRecords.decode("garbage".getBytes(StandardCharsets.UTF_8)));
		assertNull(EtcdRecords.decode("[]".getBytes(StandardCharsets.UTF_8)));
		assertNull(EtcdRecords.decode("{\"version\":\"1\"}".getBytes(StandardCharsets.UTF_8)));
	}

	@Test
	void hashFollowsTheRecord() {
		Node n = new Node("s-1", "a:1", Map.of());
		byte[] one = EtcdRecords.encode(new Service("s", "1", null, null, null), n);
		byte[] two = EtcdRecords.encode(new Service("s", "2", null, null, null), n);
		assertEquals(EtcdRecords.hash(one), EtcdRecords.hash(one.clone()));
		assertNotEquals(EtcdRecords.hash(one), EtcdRecords.hash(two));
	}

	@Test
	void groupsAsGoMicroDoes() {
		Service a1 = new Service("a", "1", null, null, List.of(new Node("a-1", "x:1", null)));
		Service a2 = new Service("a", "1", null, null, List.of(new Node("a-2", "x:2", null)));
		Service a3 = new Service("a", "2", null, null, List.of(new Node("a-3", "x:3", null)));
		Service b1 = new Service("b", "1", null, null, List.of(new Node("b-1", "x:4", null)));
		assertEquals(List.of(a1.withNodes(List.of(a1.nodes().get(0), a2.nodes().get(0))), a3),
				EtcdRecords.groupByVersion(List.of(a1, a2, a3)));
		assertEquals(List.of("a", "a", "b"),
				EtcdRecords.groupByNameAndVersion(List.of(b1, a1, a3, a2)).stream().map(Service::name).toList());
	}
}
