package org.sparsetuning.data.readers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparsetuning.data.DataFileException;
import org.sparsetuning.data.Sample;

class ImageDecoderTest {
    @TempDir
    Path dir;

    @Test
    void rgbPngIsExactAndChannelMajor() throws IOException {
        Sample s = ImageDecoder.decode(TestImages.write(TestImages.rgb(3, 2, 10, 20, 30), "png", dir.resolve("a.png")), 4);
        assertEquals("3x2x3", s.channels() + "x" + s.height() + "x" + s.width());
        float[] r = {10, 11, 12, 10, 11, 12}, g = {20, 20, 20, 21, 21, 21}, b = {30, 30, 30, 30, 30, 30};
        float[] expected = new float[18];
        for (int i = 0; i < 6; i++) {
            expected[i] = r[i] / 255f;
            expected[6 + i] = g[i] / 255f;
            expected[12 + i] = b[i] / 255f;
        }
        assertArrayEquals(expected, s.pixels());
        assertEquals(4, s.label());
        assertEquals(dir.resolve("a.png").toString(), s.origin());
    }

    @Test
    void grayscaleStaysOneChannelWithoutGammaConversion() throws IOException {
        Sample s = ImageDecoder.decode(TestImages.write(TestImages.gray(2, 2, 100), "png", dir.resolve("g.png")), 0);
        assertEquals(1, s.channels());
        // getRGB would map 100 to about 170 (linear gray to sRGB); the stored samples are wanted
        assertArrayEquals(new float[] {100 / 255f, 101 / 255f, 110 / 255f, 111 / 255f}, s.pixels());
        Sample s16 = ImageDecoder.decode(TestImages.write(TestImages.gray16(2, 1), "png", dir.resolve("g16.png")), 0);
        assertArrayEquals(new float[] {0f, 1000 / 65535f}, s16.pixels());
    }

    @Test
    void alphaIsDropped() throws IOException {
        Sample ga = ImageDecoder.decode(TestImages.write(TestImages.grayAlpha(2, 1), "png", dir.resolve("ga.png")), 0);
        assertEquals(1, ga.channels());
        assertArrayEquals(new float[] {50 / 255f, 51 / 255f}, ga.pixels());
        Sample rgba = ImageDecoder.decode(TestImages.write(TestImages.rgba(2, 1), "png", dir.resolve("rgba.png")), 0);
        assertEquals(3, rgba.channels());
        assertArrayEquals(new float[] {0f, 1 / 255f, 0f, 0f, 7 / 255f, 7 / 255f}, rgba.pixels());
    }

    @Test
    void palettesAreLookedUp() throws IOException {
        Sample p = ImageDecoder.decode(TestImages.write(TestImages.palette(3, 1, false), "png", dir.resolve("p.png")), 0);
        assertEquals(3, p.channels());
        // entries 0, 1, 2: red, green, blue
        assertArrayEquals(new float[] {1, 0, 0, 0, 1, 0, 0, 0, 1}, p.pixels());
        Sample g = ImageDecoder.decode(TestImages.write(TestImages.palette(4, 1, true), "png", dir.resolve("pg.png")), 0);
        assertEquals(1, g.channels());
        assertArrayEquals(new float[] {0, 80 / 255f, 160 / 255f, 1}, g.pixels());
    }

    @Test
    void jpegDecodesCloseToTheOriginal() throws IOException {
        Sample s = ImageDecoder.decode(TestImages.write(TestImages.flat(16, 16, 200, 40, 90), "jpg", dir.resolve("f.jpg")), 0);
        assertEquals(3, s.channels());
        for (int i = 0; i < 256; i++) {
            assertEquals(200 / 255f, s.pixels()[i], 4 / 255f);
            assertEquals(40 / 255f, s.pixels()[256 + i], 4 / 255f);
            assertEquals(90 / 255f, s.pixels()[512 + i], 4 / 255f);
        }
        Sample g = ImageDecoder.decode(TestImages.write(TestImages.gray(8, 8, 0), "jpg", dir.resolve("g.jpg")), 0);
        assertEquals(1, g.channels());
    }

    @Test
    void brokenFilesAreNamed() throws IOException {
        Path junk = Files.write(dir.resolve("junk.jpg"), "this is not a JPEG".getBytes());
        IOException e = assertThrows(IOException.class, () -> ImageDecoder.decode(junk, 0));
        assertTrue(e.getMessage().startsWith(junk + ": cannot decode image"), e.getMessage());
        Path missing = dir.resolve("missing.png");
        e = assertThrows(IOException.class, () -> ImageDecoder.decode(missing, 0));
        assertTrue(e.getMessage().equals(missing + ": file not found"), e.getMessage());
    }

    @Test
    void truncatedFilesAreErrorsNotGrayPadding() throws IOException {
        Path full = TestImages.write(TestImages.noise(64, 64, 1), "jpg", dir.resolve("full.jpg"));
        byte[] bytes = Files.readAllBytes(full);
        Path cut = Files.write(dir.resolve("cut.jpg"), Arrays.copyOf(bytes, bytes.length * 4 / 5));
        IOException e = assertThrows(IOException.class, () -> ImageDecoder.decode(cut, 0));
        assertTrue(e.getMessage().contains("cut.jpg") && e.getMessage().contains("truncated"), e.getMessage());
        Path png = TestImages.write(TestImages.rgb(64, 64, 0, 0, 0), "png", dir.resolve("full.png"));
        bytes = Files.readAllBytes(png);
        Path cutPng = Files.write(dir.resolve("cut.png"), Arrays.copyOf(bytes, bytes.length / 2));
        e = assertThrows(IOException.class, () -> ImageDecoder.decode(cutPng, 0));
        assertTrue(e.getMessage().contains("cut.png"), e.getMessage());
    }

    /**
     * An 8-bit run-length-encoded BMP (whose data size the JDK's reader cannot check from the header) declaring
     * the given size: file and info headers, a 256-entry gray palette, then one run and the end-of-bitmap mark.
     */
    private static byte[] bmpClaiming(int width, int height) {
        int offset = 14 + 40 + 1024;
        byte[] rle = {2, 7, 0, 1};
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(offset + rle.length).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 'B').put((byte) 'M').putInt(offset + rle.length).putInt(0).putInt(offset);
        b.putInt(40).putInt(width).putInt(height).putShort((short) 1).putShort((short) 8).putInt(1).putInt(rle.length)
                .putInt(2835).putInt(2835).putInt(256).putInt(0);
        for (int i = 0; i < 256; i++) {
            b.put((byte) i).put((byte) i).put((byte) i).put((byte) 0);
        }
        return b.put(rle).array();
    }

    @Test
    void theRunLengthBmpOfTheSizeTestsDecodesWhenSmall() throws IOException {
        Sample s = ImageDecoder.decode(Files.write(dir.resolve("small.bmp"), bmpClaiming(3, 1)), 0);
        assertEquals("1x1x3", s.channels() + "x" + s.height() + "x" + s.width());
        assertArrayEquals(new float[] {7 / 255f, 7 / 255f, 0}, s.pixels());
    }

    /** Found by fuzzing: a BMP claiming 134 M x 12 pixels exhausted the heap while the decoder allocated its raster. */
    @Test
    void aHeaderDeclaringTooManyPixelsIsRefusedBeforeDecoding() throws IOException {
        Path huge = Files.write(dir.resolve("huge.bmp"), bmpClaiming(134_217_728, 12));
        IOException e = assertThrows(DataFileException.class, () -> ImageDecoder.decode(huge, 0));
        assertTrue(e.getMessage().startsWith(huge + ": the image header declares 134217728 x 12 = 1610612736 pixels, more than the limit of "
                + ImageDecoder.MAX_PIXELS), e.getMessage());
        Path empty = Files.write(dir.resolve("empty.bmp"), bmpClaiming(0, 12));
        e = assertThrows(DataFileException.class, () -> ImageDecoder.decode(empty, 0));
        assertTrue(e.getMessage().startsWith(empty + ": "), e.getMessage());
    }

    /** Found by fuzzing: a floating-point TIFF with NaN pixels was accepted, and only Resize noticed. */
    @Test
    void nonFinitePixelsAreRefusedAtDecode() throws IOException {
        java.awt.image.ComponentColorModel cm = new java.awt.image.ComponentColorModel(
                java.awt.color.ColorSpace.getInstance(java.awt.color.ColorSpace.CS_GRAY), false, false,
                java.awt.Transparency.OPAQUE, java.awt.image.DataBuffer.TYPE_FLOAT);
        java.awt.image.WritableRaster r = cm.createCompatibleWritableRaster(3, 2);
        r.setSample(0, 0, 0, 0.25f);
        r.setSample(2, 1, 0, Float.NaN);
        java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(cm, r, false, null);
        Path tif = TestImages.write(img, "tiff", dir.resolve("nan.tif"));
        IOException e = assertThrows(DataFileException.class, () -> ImageDecoder.decode(tif, 0));
        assertEquals(tif + ": pixel (x 2, y 1) of channel 0 is NaN, expected a finite value", e.getMessage());
        r.setSample(2, 1, 0, 0.5f);
        Sample ok = ImageDecoder.decode(TestImages.write(img, "tiff", dir.resolve("ok.tif")), 0);
        assertArrayEquals(new float[] {0.25f, 0, 0, 0, 0, 0.5f}, ok.pixels());
    }
}
