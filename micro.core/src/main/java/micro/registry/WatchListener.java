package micro.registry;

import org.osgi.annotation.versioning.ConsumerType;

/** Receives registry changes. */
@ConsumerType
@FunctionalInterface
public interface WatchListener {
	void onEvent(WatchEvent event);
}
