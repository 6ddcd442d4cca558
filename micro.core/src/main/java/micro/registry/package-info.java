/** The registry model (go-micro's registry.Service JSON) and the Registry service that plugins provide. */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.1.0")
package micro.registry;
