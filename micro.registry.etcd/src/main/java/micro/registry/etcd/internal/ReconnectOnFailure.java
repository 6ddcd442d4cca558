package micro.registry.etcd.internal;

import java.lang.reflect.Field;
import java.lang.reflect.Method;

import io.etcd.jetcd.Client;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ForwardingClientCall;
import io.grpc.ForwardingClientCallListener;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;

/**
 * Makes jetcd reconnect as soon as etcd is back. gRPC waits longer and longer between reconnection attempts (up to two
 * minutes) while etcd is away, and a call made meanwhile fails at once: after a one-minute outage the registry would
 * stay cut off for another minute or more, and leases would expire although every node keeps re-registering. So each
 * call that fails as UNAVAILABLE (at most once a second) cuts gRPC's wait short, and the next attempt connects now.
 * <p>
 * jetcd does not expose its channel: it is found by reflection once (jetcd 0.8.7's {@code ClientImpl} →
 * {@code ClientConnectionManager.getChannel()}). Should that fail, gRPC's own back-off applies, as without this class.
 */
final class ReconnectOnFailure implements ClientInterceptor {
	private static final System.Logger LOG = System.getLogger(ReconnectOnFailure.class.getName());
	private static final long MIN_GAP_NANOS = 1_000_000_000L;

	private volatile Client client;
	private volatile ManagedChannel channel;
	private volatile boolean unavailable;
	private volatile long lastReset = System.nanoTime() - MIN_GAP_NANOS;

	/** The client whose channel to reset; set once it is built. */
	void attach(Client built) {
		this.client = built;
	}

	@Override
	public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
		return new ForwardingClientCall.SimpleForwardingClientCall<>(next.newCall(method, options)) {
			@Override
			public void start(Listener<R> listener, Metadata headers) {
				super.start(new ForwardingClientCallListener.SimpleForwardingClientCallListener<>(listener) {
					@Override
					public void onClose(Status status, Metadata trailers) {
						if (status.getCode() == Status.Code.UNAVAILABLE) {
							resetBackoff();
						}
						super.onClose(status, trailers);
					}
				}, headers);
			}
		};
	}

	private void resetBackoff() {
		long now = System.nanoTime();
		if (now - lastReset < MIN_GAP_NANOS) {
			return;
		}
		lastReset = now;
		ManagedChannel c = channel();
		if (c != null) {
			c.resetConnectBackoff();
		}
	}

	private ManagedChannel channel() {
		ManagedChannel c = channel;
		Client owner = client;
		if (c != null || owner == null || unavailable) {
			return c;
		}
		try {
			for (Class<?> type = owner.getClass(); type != null; type = type.getSuperclass()) {
				for (Field f : type.getDeclaredFields()) {
					if (f.getType().getName().equals("io.etcd.jetcd.impl.ClientConnectionManager")) {
						f.setAccessible(true);
						Object manager = f.get(owner);
						Method getChannel = manager.getClass().getDeclaredMethod("getChannel");
						getChannel.setAccessible(true);
						c = (ManagedChannel) getChannel.invoke(manager);
						channel = c;
						return c;
					}
				}
			}
			unavailable = true;
		} catch (ReflectiveOperationException | RuntimeException e) {
			unavailable = true;
			LOG.log(System.Logger.Level.DEBUG, "etcd registry: cannot reach jetcd's channel, gRPC's back-off applies: " + e);
		}
		return null;
	}
}
