package micro.server.internal;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import micro.registry.Registry;
import micro.registry.RegistryException;
import micro.registry.Service;
import micro.registry.Watch;
import micro.registry.WatchListener;

/** Records what a server registers; can be told to fail. */
final class TestRegistry implements Registry {
	final List<Service> registered = new CopyOnWriteArrayList<>();
	final List<Duration> ttls = new CopyOnWriteArrayList<>();
	final List<Service> deregistered = new CopyOnWriteArrayList<>();
	volatile int failuresLeft;

	@Override
	public String name() {
		return "memory";
	}

	@Override
	public void register(Service service, Duration ttl) throws RegistryException {
		if (failuresLeft > 0) {
			failuresLeft--;
			throw new RegistryException("registry down");
		}
		registered.add(service);
		ttls.add(ttl);
	}

	@Override
	public void deregister(Service service) {
		deregistered.add(service);
	}

	@Override
	public List<Service> getService(String name) {
		return registered.stream().filter(s -> s.name().equals(name)).reduce((a, b) -> b).stream().toList();
	}

	@Override
	public List<Service> listServices() {
		return registered;
	}

	@Override
	public Watch watch(String service, WatchListener listener) {
		return () -> {
		};
	}

	Service last() {
		return registered.get(registered.size() - 1);
	}
}
