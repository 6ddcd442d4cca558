package micro.runtime;

import java.util.Objects;
import java.util.function.Supplier;

import org.osgi.service.component.ComponentConstants;
import org.osgi.service.component.ComponentContext;

/**
 * For Declarative Services components configured by the shared {@code micro} PID, which changes for every component
 * when any key does: a component's modified method calls {@link #reactivate} only when a change concerns it, so the
 * servers and clients bound to it are not restarted for nothing. Exported for plugin bundles (registries, brokers,
 * transports), which are configured from the same PID.
 */
public final class Reactivation {
	private Reactivation() {
	}

	/**
	 * Deactivates the component and activates it again with the configuration now in force: what a component without
	 * a modified method gets on every change. From a thread of its own, since SCR holds the component's lock while its
	 * modified method runs and would wait for it.
	 */
	public static void reactivate(ComponentContext context) {
		String name = String.valueOf(context.getProperties().get(ComponentConstants.COMPONENT_NAME));
		Thread t = new Thread(() -> {
			try {
				context.disableComponent(name);
				context.enableComponent(name);
			} catch (IllegalStateException stopping) {
				// the bundle is stopping: nothing to activate again
			}
		}, "micro-reactivate-" + name);
		t.setDaemon(true);
		t.start();
	}

	/**
	 * A modified method's whole decision: reactivates the component when the part of the configuration it was
	 * activated with ({@code current}) differs from the same part made from the new properties ({@code fresh});
	 * a configuration that no longer reads ({@link IllegalArgumentException}) counts as a change, so that activating
	 * again reports it, as a first activation does.
	 */
	public static <T> void reactivateIfChanged(ComponentContext context, T current, Supplier<? extends T> fresh) {
		boolean same;
		try {
			same = Objects.equals(current, fresh.get());
		} catch (IllegalArgumentException bad) {
			same = false;
		}
		if (!same) {
			reactivate(context);
		}
	}
}
