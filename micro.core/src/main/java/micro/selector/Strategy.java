package micro.selector;

/** How a node is picked among the nodes of all versions of a service. */
public enum Strategy {
	/** go-micro's default. */
	RANDOM,
	/** Starts at a random offset. */
	ROUND_ROBIN
}
