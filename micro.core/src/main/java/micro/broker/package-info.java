/** Publish/subscribe: the Broker service and its message (go-micro's broker.Message). */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package micro.broker;
