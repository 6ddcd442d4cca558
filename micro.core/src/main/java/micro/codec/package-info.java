/** Codecs by content type (application/json, application/protobuf, json-rpc, proto-rpc, octet-stream). */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.1.0")
package micro.codec;
