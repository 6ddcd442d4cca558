/** The go-micro error model {id, code, detail, status}. */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package micro.errors;
