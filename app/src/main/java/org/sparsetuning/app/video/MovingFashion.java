package org.sparsetuning.app.video;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.sparsetuning.data.Dataset;
import org.sparsetuning.data.Sample;
import org.sparsetuning.tensor.random.Generator;

/**
 * The video demo's clips, made from Fashion-MNIST: a garment (halved to 14×14) crosses a dark 32×32 canvas along a
 * straight {@link Motion} in {@code frames} frames, written as frame folders (class-folder layout,
 * {@code SPLIT/CLASS/VIDEO/img_00001.png}). A class is a garment group and a motion, so telling classes apart needs
 * both what moves and where it goes, as in Something-Something.
 *
 * <ul>
 *   <li>upstream (pre-training): T-shirt/top, Trouser, Pullover, Dress and Coat, each moving right, left, down or up:
 *       20 classes;</li>
 *   <li>downstream (the comparison): footwear (Sandal, Sneaker, Ankle boot) or other (Shirt, Bag), each moving along
 *       one of the four diagonals: 8 classes.</li>
 * </ul>
 */
final class MovingFashion {
    static final int CANVAS = 32;
    static final int GARMENT = 14;
    private static final int TRAVEL = CANVAS - GARMENT;
    private static final int[] FOOTWEAR = {5, 7, 9};
    private static final int[] OTHER = {6, 8};

    /** How many videos of each class each split gets, and the frames per video. */
    record Sizes(int upTrainPerClass, int upTestPerClass, int shots, int valPerClass, int testPerClass, int frames) {
        String describe() {
            return String.format(Locale.ROOT, "upstream %d+%d per class, downstream %d+%d+%d per class, %d frames of %dx%d",
                    upTrainPerClass, upTestPerClass, shots, valPerClass, testPerClass, frames, CANVAS, CANVAS);
        }

        int videos() {
            return 20 * (upTrainPerClass + upTestPerClass) + 8 * (shots + valPerClass + testPerClass);
        }
    }

    private MovingFashion() {
    }

    /**
     * Writes every split under {@code folder} (made atomically: written aside, then renamed), unless it is already
     * there.
     *
     * @param progress gets a line every 10% (or null)
     */
    static void write(Dataset train, Dataset test, Sizes sizes, long seed, Path folder, PrintStream progress)
            throws IOException {
        if (Files.isDirectory(folder)) {
            return;
        }
        Path tmp = folder.resolveSibling(folder.getFileName() + ".part");
        deleteTree(tmp);
        Generator g = new Generator(seed);
        List<Job> jobs = new ArrayList<>();
        int[][] up = {{0}, {1}, {2}, {3}, {4}};
        String[] upNames = {"tshirt", "trouser", "pullover", "dress", "coat"};
        Pools trainPools = new Pools(train, g);
        Pools testPools = new Pools(test, g);
        plan(jobs, tmp.resolve("upstream/train"), trainPools, up, upNames, Motion.AXES, sizes.upTrainPerClass(), g);
        plan(jobs, tmp.resolve("upstream/test"), testPools, up, upNames, Motion.AXES, sizes.upTestPerClass(), g);
        int[][] down = {FOOTWEAR, OTHER};
        String[] downNames = {"footwear", "other"};
        plan(jobs, tmp.resolve("downstream/train"), trainPools, down, downNames, Motion.DIAGONALS, sizes.shots(), g);
        plan(jobs, tmp.resolve("downstream/val"), trainPools, down, downNames, Motion.DIAGONALS, sizes.valPerClass(), g);
        plan(jobs, tmp.resolve("downstream/test"), testPools, down, downNames, Motion.DIAGONALS, sizes.testPerClass(), g);
        AtomicInteger done = new AtomicInteger();
        int total = jobs.size();
        try {
            jobs.parallelStream().forEach(j -> {
                try {
                    j.write(sizes.frames());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                int d = done.incrementAndGet();
                if (progress != null && d % Math.max(1, total / 10) == 0) {
                    progress.printf(Locale.ROOT, "      clips written: %,d of %,d%n", d, total);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        Files.move(tmp, folder, StandardCopyOption.ATOMIC_MOVE);
    }

    /** One video to write: a garment image and its path. */
    private record Job(Path dir, float[] garment, int[] start, int[] end) {
        void write(int frames) throws IOException {
            Files.createDirectories(dir);
            for (int f = 0; f < frames; f++) {
                double a = frames == 1 ? 0 : (double) f / (frames - 1);
                int x = (int) Math.round(start[0] + a * (end[0] - start[0]));
                int y = (int) Math.round(start[1] + a * (end[1] - start[1]));
                BufferedImage img = new BufferedImage(CANVAS, CANVAS, BufferedImage.TYPE_BYTE_GRAY);
                for (int r = 0; r < GARMENT; r++) {
                    for (int c = 0; c < GARMENT; c++) {
                        img.getRaster().setSample(x + c, y + r, 0, Math.round(255 * garment[r * GARMENT + c]));
                    }
                }
                ImageIO.write(img, "png", dir.resolve(String.format(Locale.ROOT, "img_%05d.png", f + 1)).toFile());
            }
        }
    }

    /** Videos of every (group, motion) class, {@code perClass} each; classes are numbered group-major. */
    private static void plan(List<Job> jobs, Path split, Pools pools, int[][] groups, String[] groupNames,
            List<Motion> motions, int perClass, Generator g) throws IOException {
        int cls = 0;
        for (int gi = 0; gi < groups.length; gi++) {
            for (Motion m : motions) {
                Path classDir = split.resolve(String.format(Locale.ROOT, "%02d-%s-%s", cls++, groupNames[gi], m.name()));
                for (int v = 0; v < perClass; v++) {
                    int garmentClass = groups[gi][v % groups[gi].length];
                    float[] garment = halve(pools.next(garmentClass));
                    int[][] path = path(m, g);
                    jobs.add(new Job(classDir.resolve(String.format(Locale.ROOT, "v%05d", v)), garment, path[0], path[1]));
                }
            }
        }
    }

    /** Start and end corner (x, y): the moving axes go from one side to the other, the still one is random. */
    private static int[][] path(Motion m, Generator g) {
        float[] u = g.uniform(4);
        int[] start = new int[2];
        int[] end = new int[2];
        int[] d = {m.dx(), m.dy()};
        for (int k = 0; k < 2; k++) {
            if (d[k] == 0) {
                start[k] = end[k] = Math.min(TRAVEL, (int) (u[k] * (TRAVEL + 1)));
            } else {
                // A little slack at both ends, so paths of one motion are not all the same.
                int from = Math.min(3, (int) (u[k] * 4));
                int to = TRAVEL - Math.min(3, (int) (u[k + 2] * 4));
                start[k] = d[k] > 0 ? from : to;
                end[k] = d[k] > 0 ? to : from;
            }
        }
        return new int[][] {start, end};
    }

    /** 28×28 → 14×14 by 2×2 means. */
    private static float[] halve(Sample s) {
        if (s.channels() != 1 || s.height() != 2 * GARMENT || s.width() != 2 * GARMENT) {
            throw new IllegalArgumentException(s.origin() + ": expected a 28x28 grey Fashion-MNIST image, got "
                    + s.channels() + "x" + s.height() + "x" + s.width());
        }
        float[] px = s.pixels();
        float[] out = new float[GARMENT * GARMENT];
        for (int r = 0; r < GARMENT; r++) {
            for (int c = 0; c < GARMENT; c++) {
                int i = 2 * r * 28 + 2 * c;
                out[r * GARMENT + c] = (px[i] + px[i + 1] + px[i + 28] + px[i + 29]) / 4;
            }
        }
        return out;
    }

    /** Each Fashion-MNIST class's images in a seeded order, handed out without repeats. */
    private static final class Pools {
        private final Dataset ds;
        private final int[][] order = new int[10][];
        private final int[] next = new int[10];

        Pools(Dataset ds, Generator g) {
            if (ds.classNames().size() != 10) {
                throw new IllegalArgumentException(ds.source() + ": Fashion-MNIST has 10 classes, found "
                        + ds.classNames().size());
            }
            this.ds = ds;
            List<List<Integer>> byClass = new ArrayList<>();
            for (int c = 0; c < 10; c++) {
                byClass.add(new ArrayList<>());
            }
            for (int i = 0; i < ds.size(); i++) {
                byClass.get(ds.label(i)).add(i);
            }
            for (int c = 0; c < 10; c++) {
                int[] p = g.permutation(byClass.get(c).size());
                order[c] = new int[p.length];
                for (int i = 0; i < p.length; i++) {
                    order[c][i] = byClass.get(c).get(p[i]);
                }
            }
        }

        Sample next(int cls) throws IOException {
            if (next[cls] >= order[cls].length) {
                throw new IllegalArgumentException(ds.source() + ": not enough images of class " + cls + " for the clips");
            }
            return ds.get(order[cls][next[cls]++]);
        }
    }

    private static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> s = Files.walk(p)) {
            for (Path q : (Iterable<Path>) s.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(q);
            }
        }
    }
}
