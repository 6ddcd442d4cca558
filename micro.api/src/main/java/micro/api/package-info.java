/**
 * The API gateway's handler SPI: an {@link micro.api.ApiHandler} registered as an OSGi service with the property
 * {@value micro.api.ApiHandler#NAME_PROPERTY} is used by the gateway under that name, as {@code --handler=<name>} or as
 * the {@code handler} of an endpoint's metadata.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package micro.api;
