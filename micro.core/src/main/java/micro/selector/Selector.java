package micro.selector;

import java.util.function.Predicate;
import java.util.function.Supplier;

import org.osgi.annotation.versioning.ProviderType;

import micro.registry.Node;

/**
 * Picks nodes of a service (go-micro's registry selector): reads through a registry cache that watches and keeps
 * serving the last known nodes when the registry fails.
 */
@ProviderType
public interface Selector {
	String NAME_PROPERTY = "micro.selector";

	String name();

	/**
	 * Returns a supplier of nodes by the strategy, over the nodes that pass the filter.
	 *
	 * @throws micro.errors.MicroError 500 {@code service <name>: not found} when there is no node
	 */
	Supplier<Node> select(String service, Predicate<Node> filter, Strategy strategy);
}
