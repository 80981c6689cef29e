package org.sparsetuning.data.readers;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.logging.Logger;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.sparsetuning.data.DataFileException;
import org.sparsetuning.data.Sample;

/**
 * Decodes an image file (JPEG, PNG, BMP, GIF, TIFF: whatever javax.imageio reads) into a {@link Sample}.
 * Grayscale files give 1 channel, everything else 3 (RGB); alpha is dropped, as PIL's {@code convert("RGB")}
 * drops it; palette images are looked up (1 channel when the palette is all gray). Values are the stored
 * samples divided by their maximum (255 for 8 bits, 65535 for 16), read from the raster rather than through
 * {@code getRGB}, which would push grayscale through a gamma conversion. A truncated JPEG (which the JPEG
 * reader pads with gray, with only a warning) is an error; other decoder warnings are logged with the path.
 */
public final class ImageDecoder {
    private static final Logger LOG = Logger.getLogger(ImageDecoder.class.getName());

    private ImageDecoder() {
    }

    /**
     * The most pixels an image may declare: {@value} (e.g. 8192 x 4096), beyond any photo a ViT is fine-tuned on.
     * The header is checked before decoding, since decoders allocate the whole raster up front: a corrupt header
     * would otherwise exhaust the heap.
     */
    public static final long MAX_PIXELS = 1L << 25;

    /** @throws DataFileException naming the file when it cannot be read or decoded */
    public static Sample decode(Path file, int label) throws IOException {
        return decode(file, label, file.toString());
    }

    /** As {@link #decode(Path, int)}, reporting {@code origin} in the sample and in errors. */
    public static Sample decode(Path file, int label, String origin) throws IOException {
        return decode(file, label, origin, MAX_PIXELS);
    }

    /** With another pixel limit (tests use a small one, to bound what a fuzzed header may make the decoder allocate). */
    static Sample decode(Path file, int label, String origin, long maxPixels) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new DataFileException(origin + ": file not found");
        }
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            return decode(in, label, origin, maxPixels);
        }
    }

    /**
     * Decodes an image file's bytes read elsewhere (e.g. through Hadoop's file systems by Spark's binaryFiles), as
     * {@link #decode(Path, int, String)} decodes the file.
     */
    public static Sample decode(byte[] file, int label, String origin) throws IOException {
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(file))) {
            return decode(in, label, origin, MAX_PIXELS);
        }
    }

    private static Sample decode(ImageInputStream in, int label, String origin, long maxPixels) throws IOException {
        BufferedImage img;
        try {
            img = read(in, origin, maxPixels);
        } catch (DataFileException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            // Some javax.imageio plug-ins throw unchecked exceptions on corrupt data, some without a message.
            String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            throw new DataFileException(origin + ": cannot decode image (" + why + ")", e);
        }
        return toSample(img, label, origin);
    }

    private static BufferedImage read(ImageInputStream in, String origin, long maxPixels) throws IOException {
        if (in == null) {
            throw new DataFileException(origin + ": cannot decode image (cannot open the file)");
        }
        Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
        if (!readers.hasNext()) {
            throw new DataFileException(origin + ": cannot decode image (not a format javax.imageio can read: JPEG, PNG, BMP, GIF, TIFF)");
        }
        ImageReader reader = readers.next();
        List<String> warnings = new ArrayList<>();
        reader.addIIOReadWarningListener((source, message) -> warnings.add(message));
        try {
            reader.setInput(in, true, true);
            checkSize(reader.getWidth(0), reader.getHeight(0), origin, maxPixels);
            BufferedImage img = reader.read(0);
            for (String warning : warnings) {
                // The JPEG reader fills a cut-off file with gray and only warns: that is a broken file.
                String w = warning.toLowerCase(Locale.ROOT);
                if (w.contains("premature end") || w.contains("truncated")) {
                    throw new DataFileException(origin + ": truncated file: " + String.join("; ", warnings));
                }
            }
            for (String warning : warnings) {
                LOG.warning(origin + ": " + warning);
            }
            return img;
        } finally {
            reader.dispose();
        }
    }

    private static void checkSize(int width, int height, String origin, long maxPixels) throws DataFileException {
        if (width <= 0 || height <= 0) {
            throw new DataFileException(origin + ": the image header gives a size of " + width + " x " + height
                    + " pixels, expected both positive");
        }
        long pixels = (long) width * height;
        if (pixels > maxPixels) {
            throw new DataFileException(origin + ": the image header declares " + width + " x " + height + " = " + pixels
                    + " pixels, more than the limit of " + maxPixels + " (a corrupt header, or an image to shrink first)");
        }
    }

    static Sample toSample(BufferedImage img, int label, String origin) throws DataFileException {
        int h = img.getHeight(), w = img.getWidth();
        ColorModel cm = img.getColorModel();
        Raster r = img.getRaster();
        if (cm instanceof IndexColorModel icm) {
            return palette(icm, r, h, w, label, origin);
        }
        ColorSpace cs = cm.getColorSpace();
        if (cs.getType() == ColorSpace.TYPE_GRAY && cm.getNumColorComponents() == 1) {
            return new Sample(samples(r, 1, h, w, origin), 1, h, w, label, origin);
        }
        if (cs.isCS_sRGB() && cm.getNumColorComponents() == 3) {
            return new Sample(samples(r, 3, h, w, origin), 3, h, w, label, origin);
        }
        // Other colour spaces (embedded ICC profiles, CMYK that a plug-in could read): convert to sRGB.
        float[] px = new float[3 * h * w];
        int plane = h * w;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int argb = img.getRGB(x, y);
                int at = y * w + x;
                px[at] = ((argb >> 16) & 0xFF) / 255f;
                px[plane + at] = ((argb >> 8) & 0xFF) / 255f;
                px[2 * plane + at] = (argb & 0xFF) / 255f;
            }
        }
        return new Sample(px, 3, h, w, label, origin);
    }

    /**
     * The first {@code channels} bands of the raster (colour before alpha): integer samples scaled by each band's
     * maximum, floating-point samples (TIFF's SampleFormat 3) as stored, which must be finite.
     */
    private static float[] samples(Raster r, int channels, int h, int w, String origin) throws DataFileException {
        float[] px = new float[channels * h * w];
        int type = r.getDataBuffer().getDataType();
        boolean floating = type == DataBuffer.TYPE_FLOAT || type == DataBuffer.TYPE_DOUBLE;
        int[] row = floating ? null : new int[w];
        float[] frow = floating ? new float[w] : null;
        for (int c = 0; c < channels; c++) {
            float max = (float) ((1L << r.getSampleModel().getSampleSize(c)) - 1);
            for (int y = 0; y < h; y++) {
                int base = (c * h + y) * w;
                if (floating) {
                    r.getSamples(0, y, w, 1, c, frow);
                    for (int x = 0; x < w; x++) {
                        if (!Float.isFinite(frow[x])) {
                            throw new DataFileException(origin + ": pixel (x " + x + ", y " + y + ") of channel " + c + " is "
                                    + frow[x] + ", expected a finite value");
                        }
                    }
                    System.arraycopy(frow, 0, px, base, w);
                } else {
                    r.getSamples(0, y, w, 1, c, row);
                    for (int x = 0; x < w; x++) {
                        px[base + x] = row[x] / max;
                    }
                }
            }
        }
        return px;
    }

    private static Sample palette(IndexColorModel icm, Raster r, int h, int w, int label, String origin) {
        int n = icm.getMapSize();
        boolean gray = true;
        for (int i = 0; i < n && gray; i++) {
            gray = icm.getRed(i) == icm.getGreen(i) && icm.getGreen(i) == icm.getBlue(i);
        }
        int channels = gray ? 1 : 3;
        int plane = h * w;
        float[] px = new float[channels * plane];
        int[] row = new int[w];
        for (int y = 0; y < h; y++) {
            r.getSamples(0, y, w, 1, 0, row);
            for (int x = 0; x < w; x++) {
                int i = row[x], at = y * w + x;
                px[at] = icm.getRed(i) / 255f;
                if (!gray) {
                    px[plane + at] = icm.getGreen(i) / 255f;
                    px[2 * plane + at] = icm.getBlue(i) / 255f;
                }
            }
        }
        return new Sample(px, channels, h, w, label, origin);
    }
}
