package org.sparsetuning.app.viz;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.sparsetuning.nn.io.AtomicFile;

/** Writes pictures as PNG files, atomically (no half-written picture is ever left behind). */
public final class Png {
    static {
        // Pictures are drawn off screen; without this, AWT would look for a display on some systems.
        System.setProperty("java.awt.headless", "true");
    }

    private Png() {
    }

    /** Makes sure headless mode is on before the first AWT class loads. */
    static void init() {
    }

    public static void write(BufferedImage image, Path file) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        if (!ImageIO.write(image, "png", bytes)) {
            throw new IOException("no PNG writer available in this JVM");
        }
        write(bytes.toByteArray(), file);
    }

    static void write(byte[] png, Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        AtomicFile.write(file, ch -> {
            ByteBuffer b = ByteBuffer.wrap(png);
            while (b.hasRemaining()) {
                ch.write(b);
            }
        });
    }
}
