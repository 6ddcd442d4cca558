/**
 * A cache in front of a {@link micro.registry.Registry} (go-micro's {@code registry/cache}): TTL, watches, and the last
 * known entries when the registry fails.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.1.0")
package micro.registry.cache;
