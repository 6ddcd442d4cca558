package micro.runtime.internal;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;

import micro.registry.Registry;
import micro.registry.internal.MemoryRegistry;

/** The built-in {@code memory} registry as an OSGi service ({@code micro.registry=memory}). */
@Component(name = "micro.registry.memory", service = Registry.class, property = Registry.NAME_PROPERTY + "="
		+ MemoryRegistry.NAME)
public class MemoryRegistryComponent extends MemoryRegistry {
	@Deactivate
	void deactivate() {
		close();
	}
}
