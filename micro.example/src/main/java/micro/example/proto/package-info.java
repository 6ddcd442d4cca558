/**
 * The messages of {@code example.proto} (shipped beside these classes as {@code proto/example.proto}) as records
 * whose component names are the proto field names, so the JSON codec and the registry's value trees match the Go
 * template's service.
 */
package micro.example.proto;
