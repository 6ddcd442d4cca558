/** Request metadata: Title-Cased keys as go-micro carries them. */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package micro.metadata;
