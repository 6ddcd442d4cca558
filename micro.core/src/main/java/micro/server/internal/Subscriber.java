package micro.server.internal;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import micro.codec.Codec;
import micro.codec.Frame;
import micro.codec.internal.Codecs;
import micro.metadata.Metadata;
import micro.registry.Endpoint;
import micro.server.Context;

/**
 * A subscriber object: each public method of one parameter (optionally with a {@link Context} first) receives the
 * messages of the topic, decoded into its parameter type. Its endpoints are {@code Type.Method} with the metadata
 * {@code topic} and {@code subscriber=true} (gm:server/subscriber.go).
 */
final class Subscriber {
	record Target(Method method, boolean withContext, Type messageType, Endpoint description) {
	}

	private final String topic;
	private final String queue;
	private final Object target;
	private final List<Target> targets;
	volatile micro.broker.Subscription subscription;

	Subscriber(String topic, Object target, String queue) {
		this.topic = topic;
		this.queue = queue == null || queue.isEmpty() ? null : queue;
		this.target = target;
		String typeName = target.getClass().getSimpleName();
		List<Method> methods = new ArrayList<>();
		for (Method m : target.getClass().getMethods()) {
			if (m.getDeclaringClass() != Object.class && !Modifier.isStatic(m.getModifiers()) && !m.isBridge()
					&& !m.isSynthetic() && isSubscriberShape(m)) {
				methods.add(m);
			}
		}
		methods.sort(Comparator.comparing(Method::getName));
		List<Target> t = new ArrayList<>();
		for (Method m : methods) {
			boolean ctx = m.getParameterCount() == 2;
			Type messageType = m.getGenericParameterTypes()[ctx ? 1 : 0];
			String name = typeName + "." + HandlerMethod.exported(m.getName());
			try {
				m.setAccessible(true);
			} catch (RuntimeException e) {
				// public methods of public types work without it
			}
			t.add(new Target(m, ctx, messageType, new Endpoint(name, ValueTrees.describe(messageType), null,
					Map.of("topic", topic, "subscriber", "true"))));
		}
		if (t.isEmpty()) {
			throw new IllegalArgumentException(target.getClass().getName()
					+ " has no subscriber method: a public method taking (message) or (Context, message)");
		}
		this.targets = List.copyOf(t);
	}

	private static boolean isSubscriberShape(Method m) {
		Class<?>[] p = m.getParameterTypes();
		if (m.getName().equals("equals") && p.length == 1) {
			return false;
		}
		return p.length == 1 && p[0] != Context.class || p.length == 2 && p[0] == Context.class && p[1] != Context.class;
	}

	String topic() {
		return topic;
	}

	String queue() {
		return queue;
	}

	Object target() {
		return target;
	}

	List<Endpoint> endpoints() {
		return targets.stream().map(Target::description).toList();
	}

	/**
	 * Decodes the message for each method and calls it. The codec is the message's {@code Content-Type}; without one,
	 * JSON when the payload looks like JSON, protobuf otherwise (go-micro's default).
	 */
	void deliver(Codecs codecs, String serviceName, Map<String, String> headers, byte[] body) throws Exception {
		Metadata md = new Metadata(headers);
		String ct = headers.get("Content-Type");
		boolean looksLikeJson = looksLikeJson(body);
		if (ct == null || ct.isBlank()) {
			ct = looksLikeJson ? "application/json" : "application/protobuf";
		}
		Codec codec = codecs.get(ct);
		if (codec == null) {
			throw new IOException("Unsupported Content-Type: " + ct);
		}
		for (Target t : targets) {
			Object message = decode(codecs, codec, t.messageType(), body, looksLikeJson);
			Context ctx = new RequestContext(md, serviceName, t.description().name(), null);
			try {
				if (t.withContext()) {
					t.method().invoke(target, ctx, message);
				} else {
					t.method().invoke(target, message);
				}
			} catch (InvocationTargetException e) {
				Throwable cause = e.getCause();
				if (cause instanceof Exception ex) {
					throw ex;
				}
				throw (Error) cause;
			}
		}
	}

	private static Object decode(Codecs codecs, Codec codec, Type type, byte[] body, boolean looksLikeJson)
			throws IOException {
		byte[] inner = codec.decodeEnvelope(new Frame(Frame.Kind.EVENT), body);
		try {
			return codec.decodeBody(inner, type);
		} catch (IOException e) {
			if (looksLikeJson && !codec.contentType().equals("application/json")) {
				// a JSON payload labelled (or defaulted) as protobuf, for a type protobuf cannot read
				return codecs.get("application/json").decodeBody(body, type);
			}
			throw e;
		}
	}

	private static boolean looksLikeJson(byte[] body) {
		for (byte b : body) {
			if (b == ' ' || b == '\n' || b == '\r' || b == '\t') {
				continue;
			}
			return b == '{';
		}
		return false;
	}
}
