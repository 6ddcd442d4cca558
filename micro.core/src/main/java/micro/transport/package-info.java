/** The framed, connection-oriented transport under MUCP (go-micro's transport.Transport). */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.1.0")
package micro.transport;
