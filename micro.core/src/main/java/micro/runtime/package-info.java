/**
 * The runtime for plain Java ({@link micro.runtime.Micro}) and the OSGi wiring's shared names
 * ({@link micro.runtime.MicroTargets}).
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.2.0")
package micro.runtime;
