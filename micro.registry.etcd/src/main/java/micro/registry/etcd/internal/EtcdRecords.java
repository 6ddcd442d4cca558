package micro.registry.etcd.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import micro.registry.Node;
import micro.registry.Service;

/**
 * go-micro's etcd layout (gm:registry/etcd): one key {@code /micro/registry/<service>/<node id>} per node, whose value
 * is the {@code registry.Service} JSON with exactly that node.
 */
final class EtcdRecords {
	static final String PREFIX = "/micro/registry/";

	// Record components are declared in Go's field order; Go writes map keys sorted. Unknown fields (the service
	// registry's "port", later additions) are skipped, and Go's nulls map to empty collections by the records.
	private static final ObjectMapper JSON = new ObjectMapper()
			.configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
			.configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

	private EtcdRecords() {
	}

	/** go-micro's {@code nodePath}: {@code /} in the names becomes {@code -}. */
	static String nodeKey(String service, String nodeId) {
		return PREFIX + keyPart(service, "service name") + "/" + keyPart(nodeId, "node id");
	}

	/** The prefix of one service's keys, with the trailing slash, as go-micro's {@code servicePath(name) + "/"}. */
	static String serviceKeyPrefix(String service) {
		return PREFIX + keyPart(service, "service name") + "/";
	}

	private static String keyPart(String part, String what) {
		if (part == null || part.isEmpty()) {
			throw new IllegalArgumentException("etcd registry: empty " + what);
		}
		String p = part.replace('/', '-');
		// path.Join in Go would fold these into another key
		if (p.equals(".") || p.equals("..")) {
			throw new IllegalArgumentException("etcd registry: invalid " + what + " \"" + part + "\"");
		}
		return p;
	}

	/** The value of one node's key: the service with only that node. */
	static byte[] encode(Service service, Node node) {
		try {
			return JSON.writeValueAsBytes(service.withNodes(List.of(node)));
		} catch (IOException e) {
			throw new IllegalStateException("cannot write registry JSON for " + service.name(), e);
		}
	}

	/** A record as go-micro's {@code decode}: null when the value is not a service (go-micro skips those). */
	static Service decode(byte[] value) {
		if (value == null || value.length == 0) {
			return null;
		}
		try {
			Service s = JSON.readValue(value, Service.class);
			return s == null || s.name() == null ? null : s;
		} catch (IOException | RuntimeException e) {
			return null;
		}
	}

	/** A digest of a record: an unchanged record is not written again on re-registration. */
	static String hash(byte[] value) {
		try {
			byte[] d = MessageDigest.getInstance("SHA-256").digest(value);
			StringBuilder sb = new StringBuilder(d.length * 2);
			for (byte b : d) {
				sb.append(Character.forDigit((b >> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
			}
			return sb.toString();
		} catch (NoSuchAlgorithmException e) {
			throw new IllegalStateException(e);
		}
	}

	/** Groups one-node records by version, as go-micro's {@code GetService}; record order is kept. */
	static List<Service> groupByVersion(List<Service> records) {
		return group(records, Service::version);
	}

	/** Groups one-node records by name and version, sorted by name, as go-micro's {@code ListServices}. */
	static List<Service> groupByNameAndVersion(List<Service> records) {
		List<Service> services = new ArrayList<>(group(records, s -> s.name() + "\u0000" + s.version()));
		services.sort((a, b) -> a.name().compareTo(b.name()));
		return services;
	}

	private static List<Service> group(List<Service> records, java.util.function.Function<Service, String> key) {
		Map<String, Service> first = new LinkedHashMap<>();
		Map<String, List<Node>> nodes = new LinkedHashMap<>();
		for (Service record : records) {
			String k = key.apply(record);
			first.putIfAbsent(k, record);
			nodes.computeIfAbsent(k, x -> new ArrayList<>()).addAll(record.nodes());
		}
		List<Service> out = new ArrayList<>(first.size());
		first.forEach((k, s) -> out.add(s.withNodes(nodes.get(k))));
		return out;
	}

	static String utf8(byte[] bytes) {
		return new String(bytes, StandardCharsets.UTF_8);
	}
}
