package micro.registry;

/** A change seen by a watch, as go-micro's {@code registry.Result}. */
public record WatchEvent(Action action, Service service) {
	public enum Action {
		CREATE, UPDATE, DELETE;

		/** go-micro's spelling: create, update, delete. */
		public String wireName() {
			return name().toLowerCase(java.util.Locale.ROOT);
		}
	}
}
