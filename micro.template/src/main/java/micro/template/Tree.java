package micro.template;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The tree {@code micro new} prints of the files it made, in the order written, with a folder that holds only one
 * folder shown as one path ({@code src/main/java/go/micro/srv/example}), as Go's shows {@code proto/example}.
 */
final class Tree {
	private final Map<String, Tree> children = new LinkedHashMap<>();

	private Tree() {
	}

	static String render(List<String> paths) {
		Tree root = new Tree();
		for (String path : paths) {
			Tree t = root;
			for (String part : path.split("/")) {
				t = t.children.computeIfAbsent(part, k -> new Tree());
			}
		}
		StringBuilder out = new StringBuilder(".\n");
		root.print(out, "");
		return out.toString();
	}

	private void print(StringBuilder out, String indent) {
		List<Map.Entry<String, Tree>> entries = new ArrayList<>(children.entrySet());
		for (int i = 0; i < entries.size(); i++) {
			boolean last = i == entries.size() - 1;
			String name = entries.get(i).getKey();
			Tree t = entries.get(i).getValue();
			while (t.children.size() == 1 && !t.children.values().iterator().next().children.isEmpty()) {
				Map.Entry<String, Tree> only = t.children.entrySet().iterator().next();
				name = name + "/" + only.getKey();
				t = only.getValue();
			}
			out.append(indent).append(last ? "└── " : "├── ").append(name).append('\n');
			t.print(out, indent + (last ? "    " : "│   "));
		}
	}
}
