package org.sparsetuning.train;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.stream.Stream;
import org.sparsetuning.nn.optim.AdamW;
import org.sparsetuning.vit.model.VisionTransformer;

/**
 * The checkpoints of one run: {@code OUT/last} (the latest position) and {@code OUT/best} (the best evaluation).
 * A checkpoint is written whole into {@code OUT/.NAME.new}, then swapped in by two renames (old aside, new in);
 * a crash between them leaves {@code OUT/.NAME.old}, which opening the store puts back.
 */
public final class CheckpointStore {
    public static final String LAST = "last";
    public static final String BEST = "best";
    private final Path out;

    public CheckpointStore(Path out) throws IOException {
        this.out = out;
        Files.createDirectories(out);
        for (String name : new String[] {LAST, BEST}) {
            recover(name);
        }
    }

    public Path dir() {
        return out;
    }

    public Path last() {
        return out.resolve(LAST);
    }

    public Path best() {
        return out.resolve(BEST);
    }

    void save(String name, VisionTransformer model, AdamW optimizer, ObjectNode state) throws IOException {
        Path target = out.resolve(name);
        Path fresh = out.resolve("." + name + ".new");
        Path old = out.resolve("." + name + ".old");
        deleteTree(fresh);
        Checkpoint.write(fresh, model, optimizer, state);
        deleteTree(old);
        if (Files.exists(target)) {
            Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
        }
        Files.move(fresh, target, StandardCopyOption.ATOMIC_MOVE);
        deleteTree(old);
    }

    /** Undoes a swap that a crash interrupted: the old checkpoint comes back; a half-written new one goes. */
    private void recover(String name) throws IOException {
        Path target = out.resolve(name);
        Path old = out.resolve("." + name + ".old");
        if (!Files.exists(target) && Files.isDirectory(old)) {
            Files.move(old, target, StandardCopyOption.ATOMIC_MOVE);
        }
        deleteTree(old);
        deleteTree(out.resolve("." + name + ".new"));
    }

    private static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> s = Files.walk(p)) {
            for (Path q : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(q);
            }
        }
    }
}
