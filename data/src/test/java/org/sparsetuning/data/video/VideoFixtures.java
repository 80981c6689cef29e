package org.sparsetuning.data.video;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/**
 * Tiny frame-folder videos for tests: 8×8 grey PNG frames whose value encodes (video, frame), so a test can tell
 * which frame of which video it got back.
 */
public final class VideoFixtures {
    public static final int SIDE = 8;

    private VideoFixtures() {
    }

    /** The grey level (0–255) of frame {@code frame} (0-based) of video {@code video}: 10·frame + 3·video + 20. */
    public static int level(int video, int frame) {
        return 10 * frame + 3 * video + 20;
    }

    /**
     * A video folder with {@code frames} frames {@code img_00001.png}… (numbered from 1) of uniform grey
     * {@link #level}, except the frame drawn with a bright bar of column {@code bar} (−1: none) so crops and flips
     * show.
     */
    public static Path video(Path folder, int video, int frames, int bar) throws IOException {
        Files.createDirectories(folder);
        for (int f = 0; f < frames; f++) {
            frame(folder.resolve(String.format("img_%05d.png", f + 1)), level(video, f), bar);
        }
        return folder;
    }

    /** A moving bar: in frame f the bright column is {@code f % SIDE} (the content differs between frames). */
    public static Path movingBar(Path folder, int frames) throws IOException {
        Files.createDirectories(folder);
        for (int f = 0; f < frames; f++) {
            frame(folder.resolve(String.format("img_%05d.png", f + 1)), 40, f % SIDE);
        }
        return folder;
    }

    /** One 8×8 grey PNG, uniform {@code level} with column {@code bar} at 255 (−1: none). */
    public static Path frame(Path file, int level, int bar) throws IOException {
        BufferedImage img = new BufferedImage(SIDE, SIDE, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < SIDE; y++) {
            for (int x = 0; x < SIDE; x++) {
                img.getRaster().setSample(x, y, 0, x == bar ? 255 : level);
            }
        }
        Files.createDirectories(file.getParent());
        if (!ImageIO.write(img, "png", file.toFile())) {
            throw new IOException("no PNG writer");
        }
        return file;
    }

    /**
     * Class-folder layout: {@code root/CLASS/vNN/} for classes {@code a} and {@code b}, {@code perClass} videos each
     * of {@code frames} frames; video numbers run over both classes (a: 0…, b: perClass…).
     */
    public static Path classFolders(Path root, int perClass, int frames) throws IOException {
        String[] classes = {"a", "b"};
        for (int c = 0; c < classes.length; c++) {
            for (int v = 0; v < perClass; v++) {
                int id = c * perClass + v;
                video(root.resolve(classes[c]).resolve(String.format("v%02d", id)), id, frames, c == 0 ? 1 : 6);
            }
        }
        return root;
    }
}
