/** Choosing a node of a service: strategies over the registry cache. */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package micro.selector;
