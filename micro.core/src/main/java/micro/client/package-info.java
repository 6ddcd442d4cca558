/** The RPC client: calls, streams and publications. */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package micro.client;
