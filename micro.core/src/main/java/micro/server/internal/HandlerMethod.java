package micro.server.internal;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import micro.registry.Endpoint;
import micro.registry.Value;
import micro.server.Context;
import micro.server.ServerStream;

/**
 * One endpoint {@code Type.Method} of a handler object, with its shape: unary {@code Rsp m([Context,] Req)}, server
 * streaming {@code void m([Context,] Req, ServerStream)} or client/bidirectional streaming
 * {@code void m([Context,] ServerStream)}.
 */
record HandlerMethod(String endpoint, Object target, Method method, Kind kind, boolean withContext, Type requestType,
		Endpoint description) {

	enum Kind {
		UNARY, SERVER_STREAM, BIDI_STREAM;

		boolean isStream() {
			return this != UNARY;
		}
	}

	private static final System.Logger LOG = System.getLogger(HandlerMethod.class.getName());
	/** Go describes a stream's argument by the interface types of its generated wrapper. */
	private static final Value CONTEXT_VALUE = new Value("Context", "Context", List.of());
	private static final Value STREAM_VALUE = new Value("Stream", "Stream", List.of());

	/** The handler's endpoints by method name ({@code Call}), in name order. */
	static Map<String, HandlerMethod> scan(String typeName, Object handler, Map<String, Map<String, String>> metadata) {
		List<Method> candidates = new ArrayList<>();
		for (Method m : handler.getClass().getMethods()) {
			if (isEndpointCandidate(m)) {
				candidates.add(m);
			}
		}
		candidates.sort(Comparator.comparing(Method::getName).thenComparingInt(Method::getParameterCount));
		Map<String, HandlerMethod> out = new LinkedHashMap<>();
		for (Method m : candidates) {
			String name = exported(m.getName());
			HandlerMethod h = of(typeName, name, handler, m, metadata.getOrDefault(m.getName(),
					metadata.getOrDefault(name, Map.of())));
			if (h == null) {
				LOG.log(System.Logger.Level.DEBUG, "{0}.{1}: not an endpoint shape, skipped", typeName, m.getName());
			} else if (out.putIfAbsent(name, h) != null) {
				LOG.log(System.Logger.Level.WARNING, "{0}.{1}: overloaded; only the first form is served", typeName, name);
			}
		}
		return out;
	}

	private static boolean isEndpointCandidate(Method m) {
		if (m.getDeclaringClass() == Object.class || Modifier.isStatic(m.getModifiers()) || m.isBridge()
				|| m.isSynthetic()) {
			return false;
		}
		// a record's or value class's own equals/hashCode/toString are not endpoints
		String n = m.getName();
		int count = m.getParameterCount();
		return !(n.equals("equals") && count == 1 || n.equals("hashCode") && count == 0
				|| n.equals("toString") && count == 0);
	}

	/** Go exports capitalised names: {@code call} serves {@code Example.Call}. */
	static String exported(String javaName) {
		return javaName.substring(0, 1).toUpperCase(Locale.ROOT) + javaName.substring(1);
	}

	private static HandlerMethod of(String typeName, String name, Object target, Method m,
			Map<String, String> endpointMetadata) {
		Type[] params = m.getGenericParameterTypes();
		Class<?>[] raw = m.getParameterTypes();
		int first = raw.length > 0 && raw[0] == Context.class ? 1 : 0;
		boolean ctx = first == 1;
		int rest = raw.length - first;
		String endpoint = typeName + "." + name;
		Map<String, String> md = new LinkedHashMap<>(endpointMetadata);
		if (rest == 1 && raw[first] == ServerStream.class) {
			md.put("stream", "true");
			return make(endpoint, target, m, Kind.BIDI_STREAM, ctx, null,
					new Endpoint(endpoint, CONTEXT_VALUE, STREAM_VALUE, md));
		}
		if (rest == 2 && raw[first + 1] == ServerStream.class && raw[first] != ServerStream.class) {
			md.put("stream", "true");
			return make(endpoint, target, m, Kind.SERVER_STREAM, ctx, params[first],
					new Endpoint(endpoint, ValueTrees.describe(params[first]), STREAM_VALUE, md));
		}
		if (rest == 1 && raw[first] != Context.class) {
			Type response = m.getGenericReturnType();
			Value rsp = response == void.class || response == Void.class ? null : ValueTrees.describe(response);
			return make(endpoint, target, m, Kind.UNARY, ctx, params[first],
					new Endpoint(endpoint, ValueTrees.describe(params[first]), rsp, md));
		}
		return null;
	}

	private static HandlerMethod make(String endpoint, Object target, Method m, Kind kind, boolean ctx, Type req,
			Endpoint description) {
		try {
			m.setAccessible(true);
		} catch (RuntimeException e) {
			// a public method of a public type works without it
		}
		return new HandlerMethod(endpoint, target, m, kind, ctx, req, description);
	}

	/** Calls the method; the handler's own exception is rethrown as it is. */
	Object invoke(Object... args) throws Throwable {
		try {
			return method.invoke(target, args);
		} catch (InvocationTargetException e) {
			throw e.getCause();
		}
	}
}
