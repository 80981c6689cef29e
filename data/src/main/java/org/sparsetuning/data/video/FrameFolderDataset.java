package org.sparsetuning.data.video;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Logger;
import java.util.stream.Stream;
import org.sparsetuning.data.Dataset;
import org.sparsetuning.data.FrameSampling;
import org.sparsetuning.data.Sample;
import org.sparsetuning.data.readers.ImageDecoder;
import org.sparsetuning.data.readers.ListFileDataset;
import org.sparsetuning.tensor.random.Generator;

/**
 * Videos stored as folders of frames (the usual preprocessed form of Kinetics-400 and Something-Something v2), in
 * one of two layouts:
 * <ul>
 *   <li>class folders, {@code ROOT/CLASS/VIDEO/img_00001.jpg}: classes are the sub-folder names sorted, videos the
 *       sub-folders of each class in name order ({@link #classFolders});</li>
 *   <li>a list file of {@code relative/video/path num_frames label} lines, paths relative to a root folder
 *       ({@link #listFile}).</li>
 * </ul>
 * Frames are ordered by the number in their names ({@link VideoFrames}). An example is a clip
 * [C, T, H, W] of the frames a {@link FrameSampling} picks; only those frames are decoded. Bad videos and frames
 * are {@link IOException}s naming the video folder and the frame, so a loader's stop/skip policy applies to them.
 * A video with fewer frames than the clip repeats frames, which is logged once per run.
 */
public final class FrameFolderDataset implements Dataset {
    private static final Logger LOG = Logger.getLogger(FrameFolderDataset.class.getName());
    private static final AtomicBoolean SHORT_VIDEO_SAID = new AtomicBoolean();

    private final String source;
    private final List<String> classNames;
    private final List<Path> videos;
    private final int[] labels;
    /** Frames the list file promises (−1: class-folder layout, no promise). */
    private final int[] listedFrames;
    /** Where each video is named, e.g. {@code list.txt:12}, or null in the class-folder layout. */
    private final String[] listedAt;

    private FrameFolderDataset(String source, List<String> classNames, List<Path> videos, int[] labels, int[] listedFrames,
            String[] listedAt) {
        this.source = source;
        this.classNames = List.copyOf(classNames);
        this.videos = List.copyOf(videos);
        this.labels = labels;
        this.listedFrames = listedFrames;
        this.listedAt = listedAt;
    }

    /**
     * The class-folder layout: {@code root/CLASS/VIDEO/frames}.
     *
     * @param classNames the training set's classes for a test folder (every sub-folder must be one), or null for
     *                   the sub-folders of {@code root}
     */
    public static FrameFolderDataset classFolders(Path root, List<String> classNames) throws IOException {
        if (!Files.isDirectory(root)) {
            throw new IOException(root + ": not a folder (frame-folder videos are ROOT/CLASS/VIDEO/frame files)");
        }
        List<String> folders = subFolders(root);
        if (classNames == null) {
            if (folders.isEmpty()) {
                throw new IOException(root + ": no class sub-folders (expected ROOT/CLASS/VIDEO/frame files)");
            }
            classNames = folders;
        } else {
            for (String f : folders) {
                if (!classNames.contains(f)) {
                    throw new IOException(root.resolve(f) + ": folder '" + f + "' is not one of the " + classNames.size()
                            + " classes " + classNames);
                }
            }
        }
        List<Path> videos = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        for (int c = 0; c < classNames.size(); c++) {
            Path dir = root.resolve(classNames.get(c));
            if (!Files.isDirectory(dir)) {
                continue;
            }
            List<String> names = subFolders(dir);
            if (names.isEmpty()) {
                throw new IOException(dir + ": no video folders for class '" + classNames.get(c) + "'" + looseFiles(dir));
            }
            for (String v : names) {
                videos.add(dir.resolve(v));
                labels.add(c);
            }
        }
        if (videos.isEmpty()) {
            throw new IOException(root + ": no video folders in any class folder");
        }
        int[] none = new int[videos.size()];
        java.util.Arrays.fill(none, -1);
        return new FrameFolderDataset(root.toString(), classNames, videos, toArray(labels), none, new String[videos.size()]);
    }

    /**
     * The list layout: lines {@code relative/video/path num_frames label} (the path may contain spaces: the last
     * two tokens are the numbers), blank lines skipped; any other line fails the file with {@code file:line}.
     *
     * @param classNames names by label, or null for "0"…"K−1" with K = largest label + 1
     */
    public static FrameFolderDataset listFile(Path root, Path list, List<String> classNames) throws IOException {
        List<String> text;
        try {
            text = Files.readAllLines(list, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new IOException(list + ": list file not found", e);
        }
        List<Path> videos = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        List<Integer> counts = new ArrayList<>();
        List<String> at = new ArrayList<>();
        for (int i = 0; i < text.size(); i++) {
            String line = text.get(i).strip();
            if (line.isEmpty()) {
                continue;
            }
            String[] tokens = line.split("\\s+");
            int n = tokens.length;
            int frames = n >= 3 ? nonNegative(tokens[n - 2]) : -1;
            int label = n >= 3 ? nonNegative(tokens[n - 1]) : -1;
            if (frames <= 0 || label < 0 || label > ListFileDataset.MAX_LABEL) {
                // Without class names the labels imply "0"…"max": a corrupt label must not ask for billions of names.
                throw new IOException(list + ":" + (i + 1) + ": expected 'relative/video/path num_frames label' "
                        + "(num_frames a positive integer, label an integer from 0 to " + ListFileDataset.MAX_LABEL
                        + "), got '" + line + "'");
            }
            String path = line.substring(0, line.length() - tokens[n - 1].length()).strip();
            path = path.substring(0, path.length() - tokens[n - 2].length()).strip();
            if (classNames != null && label >= classNames.size()) {
                throw new IOException(list + ":" + (i + 1) + ": label " + label + ", but there are only "
                        + classNames.size() + " classes");
            }
            videos.add(root.resolve(path));
            labels.add(label);
            counts.add(frames);
            at.add(list + ":" + (i + 1));
        }
        if (videos.isEmpty()) {
            throw new IOException(list + ": no entries (expected lines 'relative/video/path num_frames label')");
        }
        int max = labels.stream().mapToInt(Integer::intValue).max().orElse(0);
        List<String> names = classNames != null ? classNames : numbered(max + 1);
        return new FrameFolderDataset(list + " (videos under " + root + ")", names, videos, toArray(labels),
                toArray(counts), at.toArray(String[]::new));
    }

    /** Unlabelled video folders given one by one (predict, visualize): every label is 0, the class "unknown". */
    public static FrameFolderDataset ofFolders(List<Path> folders) {
        if (folders.isEmpty()) {
            throw new IllegalArgumentException("no video folders given");
        }
        int[] none = new int[folders.size()];
        java.util.Arrays.fill(none, -1);
        return new FrameFolderDataset(folders.size() + " video folders", List.of("unknown"), folders,
                new int[folders.size()], none, new String[folders.size()]);
    }

    /** The folder of video {@code index}. */
    public Path video(int index) {
        return videos.get(index);
    }

    @Override
    public int size() {
        return videos.size();
    }

    @Override
    public List<String> classNames() {
        return classNames;
    }

    @Override
    public int label(int index) {
        return labels[Objects.checkIndex(index, labels.length)];
    }

    /** The middle frame of the video as a one-frame clip (for probes such as the channel count). */
    @Override
    public Sample get(int index) throws IOException {
        return get(index, FrameSampling.centres(1), null);
    }

    @Override
    public Sample get(int index, FrameSampling sampling, Generator draws) throws IOException {
        if (sampling == null) {
            throw new IllegalArgumentException(source + " holds videos: a clip needs a frame sampling (a clip model)");
        }
        Path video = videos.get(index);
        String where = listedAt[index] == null ? video.toString() : video + " (listed at " + listedAt[index] + ")";
        List<VideoFrames.Frame> frames = VideoFrames.list(video, where);
        if (listedFrames[index] > frames.size()) {
            VideoFrames.Frame last = frames.get(frames.size() - 1);
            throw new IOException(where + ": frame " + VideoFrames.renumbered(last.name(), last.number() + 1)
                    + " is missing (the list says " + listedFrames[index] + " frames, the folder has " + frames.size() + ")");
        }
        int n = frames.size();
        if (n < sampling.count() && SHORT_VIDEO_SAID.compareAndSet(false, true)) {
            LOG.warning(where + " has " + n + " frame" + (n == 1 ? "" : "s") + ", fewer than the " + sampling.count()
                    + " of a clip: frames are repeated (said once per run; other short videos are treated alike)");
        }
        int[] picks = sampling.indices(n, draws);
        Map<Integer, Sample> decoded = new HashMap<>();
        Sample first = null;
        float[] clip = null;
        int t = picks.length;
        for (int f = 0; f < t; f++) {
            VideoFrames.Frame frame = frames.get(picks[f]);
            Sample s = decoded.get(picks[f]);
            if (s == null) {
                s = decode(frame, where);
                decoded.put(picks[f], s);
            }
            if (first == null) {
                first = s;
                clip = new float[s.channels() * t * s.height() * s.width()];
            } else if (s.channels() != first.channels() || s.height() != first.height() || s.width() != first.width()) {
                throw new IOException(where + ": frame " + frame.name() + " is " + s.channels() + "x" + s.height() + "x"
                        + s.width() + " but frame " + frames.get(picks[0]).name() + " is " + first.channels() + "x"
                        + first.height() + "x" + first.width() + " (every frame of a video must have one size)");
            }
            int plane = s.height() * s.width();
            for (int c = 0; c < s.channels(); c++) {
                System.arraycopy(s.pixels(), c * plane, clip, (c * t + f) * plane, plane);
            }
        }
        return new Sample(clip, first.channels(), t, first.height(), first.width(), labels[index], where);
    }

    private static Sample decode(VideoFrames.Frame frame, String where) throws IOException {
        String origin = where + ": frame " + frame.name();
        long bytes;
        try {
            bytes = Files.size(frame.file());
        } catch (NoSuchFileException e) {
            throw new IOException(origin + " is missing (it was removed after the folder was listed)", e);
        }
        if (bytes == 0) {
            throw new IOException(origin + " is empty (0 bytes)");
        }
        return ImageDecoder.decode(frame.file(), 0, origin);
    }

    @Override
    public String source() {
        return source;
    }

    /** Lets a test see the once-per-run message again. */
    static void forgetShortVideoMessage() {
        SHORT_VIDEO_SAID.set(false);
    }

    private static List<String> subFolders(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isDirectory).map(p -> p.getFileName().toString()).filter(n -> !n.startsWith("."))
                    .sorted().toList();
        }
    }

    /** A hint when a class folder holds files rather than video folders (images: an ImageFolder; video files). */
    private static String looseFiles(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            List<String> exts = s.filter(Files::isRegularFile).map(p -> VideoFrames.extension(p.getFileName().toString()))
                    .distinct().toList();
            if (exts.stream().anyMatch(VideoFrames.EXTENSIONS::contains)) {
                return " (it holds image files: one folder of frames per video is expected; for images use an ImageFolder)";
            }
            if (!exts.isEmpty()) {
                return " (it holds ." + String.join(", .", exts) + " files; extract each video's frames into a folder)";
            }
            return "";
        }
    }

    private static int nonNegative(String token) {
        try {
            int v = Integer.parseInt(token);
            return v >= 0 ? v : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static int[] toArray(List<Integer> xs) {
        return xs.stream().mapToInt(Integer::intValue).toArray();
    }

    private static List<String> numbered(int n) {
        List<String> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(Integer.toString(i));
        }
        return out;
    }
}
