/** The runtime configuration: one PID, MICRO_* variables and the Go flags. */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.1.0")
package micro.config;
