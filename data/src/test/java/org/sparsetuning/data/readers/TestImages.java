package org.sparsetuning.data.readers;

import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.awt.image.WritableRaster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/** Small image files for reader and loader tests, written with javax.imageio. */
public final class TestImages {
    private TestImages() {
    }

    /** An RGB image whose pixel (x, y) is (r0 + x, g0 + y, b). */
    public static BufferedImage rgb(int w, int h, int r0, int g0, int b) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, ((r0 + x) << 16) | ((g0 + y) << 8) | b);
            }
        }
        return img;
    }

    /** Busy RGB content (so a JPEG of it is mostly scan data, not header). */
    public static BufferedImage noise(int w, int h, int seed) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        long z = seed;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                z = z * 6364136223846793005L + 1442695040888963407L;
                img.setRGB(x, y, (int) (z >>> 40) & 0xFFFFFF);
            }
        }
        return img;
    }

    /** An RGB image of one colour (JPEG keeps it almost exactly). */
    public static BufferedImage flat(int w, int h, int r, int g, int b) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, (r << 16) | (g << 8) | b);
            }
        }
        return img;
    }

    /** 8-bit grayscale, pixel (x, y) = base + 10·y + x. */
    public static BufferedImage gray(int w, int h, int base) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        WritableRaster r = img.getRaster();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                r.setSample(x, y, 0, base + 10 * y + x);
            }
        }
        return img;
    }

    /** 16-bit grayscale, pixel (x, y) = 1000·(y·w + x). */
    public static BufferedImage gray16(int w, int h) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_USHORT_GRAY);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.getRaster().setSample(x, y, 0, 1000 * (y * w + x));
            }
        }
        return img;
    }

    /** Grayscale with an alpha channel: gray (x, y) = 50 + x, alpha 0 everywhere. */
    public static BufferedImage grayAlpha(int w, int h) {
        ColorModel cm = new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_GRAY), true, false,
                Transparency.TRANSLUCENT, DataBuffer.TYPE_BYTE);
        WritableRaster r = cm.createCompatibleWritableRaster(w, h);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                r.setSample(x, y, 0, 50 + x);
                r.setSample(x, y, 1, 0);
            }
        }
        return new BufferedImage(cm, r, false, null);
    }

    /** RGBA, colour (x, y) = (x, y, 7), alpha 10. */
    public static BufferedImage rgba(int w, int h) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_ARGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, (10 << 24) | (x << 16) | (y << 8) | 7);
            }
        }
        return img;
    }

    /** A palette image with entries red, green, blue, white; pixel (x, y) uses entry (x + y) mod 4. */
    public static BufferedImage palette(int w, int h, boolean grayPalette) {
        byte[] r = grayPalette ? new byte[] {0, 80, (byte) 160, (byte) 255} : new byte[] {(byte) 255, 0, 0, (byte) 255};
        byte[] g = grayPalette ? r : new byte[] {0, (byte) 255, 0, (byte) 255};
        byte[] b = grayPalette ? r : new byte[] {0, 0, (byte) 255, (byte) 255};
        IndexColorModel icm = new IndexColorModel(8, 4, r, g, b);
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_INDEXED, icm);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.getRaster().setSample(x, y, 0, (x + y) % 4);
            }
        }
        return img;
    }

    public static Path write(BufferedImage img, String format, Path file) throws IOException {
        Files.createDirectories(file.getParent());
        if (!ImageIO.write(img, format, file.toFile())) {
            throw new IOException("no " + format + " writer for " + img);
        }
        return file;
    }
}
