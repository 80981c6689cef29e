package org.sparsetuning.vit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The project's packages form no cycle: every module's main sources are read, each file's references to project
 * classes (imports and fully qualified names, comments left out) become edges between packages, and no strongly
 * connected component may hold more than one package.
 */
class PackageGraphTest {
    private static final Pattern PACKAGE = Pattern.compile("^package\\s+([\\w.]+);", Pattern.MULTILINE);
    /** A project class named in code: lower-case package segments, then a capitalised class name. */
    private static final Pattern REFERENCE = Pattern.compile("\\b(org\\.sparsetuning(?:\\.[a-z0-9_]+)+)\\.[A-Z]");
    private static final Pattern COMMENTS = Pattern.compile("/\\*.*?\\*/|//[^\\n]*", Pattern.DOTALL);
    private static final Pattern STRINGS = Pattern.compile("\"(?:\\\\.|[^\"\\\\])*\"");

    static Map<String, Set<String>> graph(Path root) throws IOException {
        Map<String, Set<String>> edges = new TreeMap<>();
        List<Path> sources;
        try (Stream<Path> modules = Files.list(root)) {
            sources = modules.map(m -> m.resolve("src/main/java")).filter(Files::isDirectory).flatMap(d -> {
                try (Stream<Path> s = Files.walk(d)) {
                    return s.filter(p -> p.toString().endsWith(".java")).toList().stream();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).toList();
        }
        for (Path f : sources) {
            String code = STRINGS.matcher(COMMENTS.matcher(Files.readString(f)).replaceAll(" ")).replaceAll("\"\"");
            Matcher p = PACKAGE.matcher(code);
            if (!p.find()) {
                continue;
            }
            String from = p.group(1);
            Set<String> to = edges.computeIfAbsent(from, k -> new TreeSet<>());
            Matcher r = REFERENCE.matcher(code);
            while (r.find()) {
                if (!r.group(1).equals(from)) {
                    to.add(r.group(1));
                }
            }
        }
        return edges;
    }

    /** Tarjan's strongly connected components with more than one package. */
    static List<Set<String>> cycles(Map<String, Set<String>> edges) {
        Map<String, Integer> index = new HashMap<>();
        Map<String, Integer> low = new HashMap<>();
        Deque<String> stack = new ArrayDeque<>();
        Set<String> onStack = new TreeSet<>();
        List<Set<String>> out = new ArrayList<>();
        int[] counter = {0};
        for (String v : edges.keySet()) {
            if (!index.containsKey(v)) {
                connect(v, edges, index, low, stack, onStack, out, counter);
            }
        }
        return out;
    }

    private static void connect(String v, Map<String, Set<String>> edges, Map<String, Integer> index, Map<String, Integer> low,
            Deque<String> stack, Set<String> onStack, List<Set<String>> out, int[] counter) {
        index.put(v, counter[0]);
        low.put(v, counter[0]++);
        stack.push(v);
        onStack.add(v);
        for (String w : edges.getOrDefault(v, Set.of())) {
            if (!index.containsKey(w)) {
                connect(w, edges, index, low, stack, onStack, out, counter);
                low.put(v, Math.min(low.get(v), low.get(w)));
            } else if (onStack.contains(w)) {
                low.put(v, Math.min(low.get(v), index.get(w)));
            }
        }
        if (low.get(v).equals(index.get(v))) {
            Set<String> component = new TreeSet<>();
            String w;
            do {
                w = stack.pop();
                onStack.remove(w);
                component.add(w);
            } while (!w.equals(v));
            if (component.size() > 1) {
                out.add(component);
            }
        }
    }

    /** The model module, data, and the modules built on them (tensor and autograd keep their facade cycles). */
    private static final List<String> CHECKED = List.of("org.sparsetuning.vit", "org.sparsetuning.data", "org.sparsetuning.train",
            "org.sparsetuning.app", "org.sparsetuning.spark", "org.sparsetuning.bench");

    @Test
    void noPackageCycleInTheModelModulesOrAbove() throws IOException {
        Map<String, Set<String>> edges = graph(Path.of("..").toAbsolutePath().normalize());
        assertTrue(edges.containsKey("org.sparsetuning.vit.model") && edges.containsKey("org.sparsetuning.app"),
                "the scan found the modules' sources: " + edges.keySet());
        List<Set<String>> all = cycles(edges);
        List<Set<String>> ours = all.stream().filter(c -> c.stream().anyMatch(p -> CHECKED.stream().anyMatch(p::startsWith))).toList();
        all.stream().filter(c -> !ours.contains(c)).forEach(c -> System.out.println("package cycle below vit (not checked here): " + c));
        assertEquals(List.of(), ours, "package cycles");
    }

    @Test
    void theCycleFinderFindsACycle() {
        Map<String, Set<String>> edges = Map.of("a", Set.of("b"), "b", Set.of("c"), "c", Set.of("a"), "d", Set.of("a"));
        assertEquals(List.of(Set.of("a", "b", "c")), cycles(new TreeMap<>(edges)));
    }

    @Test
    void theModelDependsOnNoMethodPackage() throws IOException {
        Set<String> model = graph(Path.of("..").toAbsolutePath().normalize()).get("org.sparsetuning.vit.model");
        assertTrue(model.stream().noneMatch(p -> p.endsWith(".peft") || p.endsWith(".adapter")), model.toString());
    }
}
