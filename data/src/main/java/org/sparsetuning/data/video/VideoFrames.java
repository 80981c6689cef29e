package org.sparsetuning.data.video;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The frames of one video folder: its image files ({@code .jpg .jpeg .png .bmp}, hidden files ignored) sorted by
 * the number in their names (the last run of digits, so {@code img_00010.jpg} follows {@code img_00009.jpg} and
 * {@code frame_2.png} precedes {@code frame_10.png}). Every problem names the video folder and the frame: a frame
 * without a number, two frames with one number, a number missing between the first and the last frame.
 */
public final class VideoFrames {
    static final Set<String> EXTENSIONS = Set.of("jpg", "jpeg", "png", "bmp");
    private static final Set<String> VIDEO_FILES = Set.of("mp4", "avi", "webm", "mkv", "mov");

    private VideoFrames() {
    }

    /** A frame file and the number in its name. */
    public record Frame(Path file, long number) {
        public String name() {
            return file.getFileName().toString();
        }
    }

    /**
     * The frames of {@code video} in number order.
     *
     * @param where how to name the video in messages (its path, and the list line that names it)
     * @throws IOException naming the video (and the frame) when the folder is missing or its frames are not a
     *                     gap-free numbered sequence
     */
    public static List<Frame> list(Path video, String where) throws IOException {
        if (!Files.isDirectory(video)) {
            throw new IOException(where + ": video folder not found (expected a folder of numbered frames)");
        }
        List<Frame> frames = new ArrayList<>();
        try (Stream<Path> s = Files.list(video)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                String name = p.getFileName().toString();
                String ext = extension(name);
                if (name.startsWith(".") || !Files.isRegularFile(p)) {
                    continue;
                }
                if (VIDEO_FILES.contains(ext)) {
                    throw new IOException(where + ": " + name + " is a video file; frames are read from image files "
                            + "(extract them, e.g. ffmpeg -i " + name + " img_%05d.jpg)");
                }
                if (!EXTENSIONS.contains(ext)) {
                    continue;
                }
                long number = numberIn(name);
                if (number < 0) {
                    throw new IOException(where + ": frame " + name + " has no number in its name (frames are ordered "
                            + "by the number in their names, e.g. img_00001.jpg)");
                }
                frames.add(new Frame(p, number));
            }
        }
        if (frames.isEmpty()) {
            throw new IOException(where + ": no frames (expected image files " + String.join(", ", EXTENSIONS.stream()
                    .sorted().toList()) + " numbered in their names)");
        }
        frames.sort(Comparator.comparingLong(Frame::number).thenComparing(Frame::name));
        for (int i = 1; i < frames.size(); i++) {
            Frame a = frames.get(i - 1), b = frames.get(i);
            if (a.number() == b.number()) {
                throw new IOException(where + ": frames " + a.name() + " and " + b.name() + " have the same number "
                        + a.number());
            }
            if (b.number() != a.number() + 1) {
                throw new IOException(where + ": frame " + renumbered(a.name(), a.number() + 1) + " is missing (between "
                        + a.name() + " and " + b.name() + ")");
            }
        }
        return frames;
    }

    /** The number in a file name: its last run of digits (at most 18), or −1 when it has none. */
    static long numberIn(String name) {
        int dot = name.lastIndexOf('.');
        String stem = dot < 0 ? name : name.substring(0, dot);
        int end = stem.length();
        while (end > 0 && !Character.isDigit(stem.charAt(end - 1))) {
            end--;
        }
        int start = end;
        while (start > 0 && Character.isDigit(stem.charAt(start - 1)) && end - start < 18) {
            start--;
        }
        return start == end ? -1 : Long.parseLong(stem.substring(start, end));
    }

    /** {@code name} with its number replaced by {@code number}, zero-padded as the name was (for a missing frame). */
    static String renumbered(String name, long number) {
        int dot = name.lastIndexOf('.');
        String stem = dot < 0 ? name : name.substring(0, dot);
        int end = stem.length();
        while (end > 0 && !Character.isDigit(stem.charAt(end - 1))) {
            end--;
        }
        int start = end;
        while (start > 0 && Character.isDigit(stem.charAt(start - 1))) {
            start--;
        }
        String digits = Long.toString(number);
        String padded = "0".repeat(Math.max(0, end - start - digits.length())) + digits;
        return stem.substring(0, start) + padded + stem.substring(end) + (dot < 0 ? "" : name.substring(dot));
    }

    static String extension(String name) {
        int dot = name.lastIndexOf('.');
        return dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
    }
}
