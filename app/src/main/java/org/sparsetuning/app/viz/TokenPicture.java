package org.sparsetuning.app.viz;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.Map;

/**
 * The paper's token picture: the input image, then, for each sparsifying layer, the same image with the patches
 * whose tokens were kept at that layer shown as they are and the others (fused into the one "inattentive" token
 * at that layer or before) greyed out. Each panel is labelled with its layer and how many patches it kept; a
 * caption line (the prediction) goes underneath.
 */
public final class TokenPicture {
    private static final int PANEL = 196;
    private static final int GAP = 12;
    private static final int TITLE = 22;
    private static final int CAPTION = 26;
    private static final Color GREY = new Color(165, 165, 165);
    private static final Color HATCH = new Color(125, 125, 125);

    static {
        Png.init();
    }

    private TokenPicture() {
    }

    /**
     * @param pixels the model's input view of the image, CHW in [0, 1] (1 or 3 channels), {@code size × size}
     * @param grid patches per side ({@code size / patch})
     * @param keptByLayer 1-based layer → kept original patch indices (row-major over the grid; −1, an earlier
     *     fused token, is ignored), in layer order
     */
    public static BufferedImage draw(float[] pixels, int channels, int size, int grid, Map<Integer, int[]> keptByLayer,
            String caption) {
        if (pixels.length != channels * size * size || (channels != 1 && channels != 3)) {
            throw new IllegalArgumentException("pixels: expected 1 or 3 channels of " + size + "x" + size + ", got "
                    + pixels.length + " values for " + channels + " channels");
        }
        if (grid <= 0 || size % grid != 0) {
            throw new IllegalArgumentException("grid " + grid + " does not divide the image size " + size);
        }
        int panels = 1 + keptByLayer.size();
        int width = panels * PANEL + (panels + 1) * GAP;
        int height = TITLE + PANEL + CAPTION + 2 * GAP;
        BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, width, height);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
            int x = GAP;
            panel(g, x, TITLE + GAP, PANEL, pixels, channels, size, grid, null, "input");
            for (Map.Entry<Integer, int[]> e : keptByLayer.entrySet()) {
                x += PANEL + GAP;
                boolean[] kept = new boolean[grid * grid];
                int count = 0;
                for (int p : e.getValue()) {
                    if (p >= 0) {
                        if (p >= kept.length) {
                            throw new IllegalArgumentException("layer " + e.getKey() + ": patch " + p + " outside a "
                                    + grid + "x" + grid + " grid");
                        }
                        count += kept[p] ? 0 : 1;
                        kept[p] = true;
                    }
                }
                panel(g, x, TITLE + GAP, PANEL, pixels, channels, size, grid, kept,
                        "layer " + e.getKey() + ": " + count + " of " + kept.length + " kept");
            }
            g.setColor(Color.BLACK);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
            g.drawString(caption, GAP, TITLE + PANEL + GAP + CAPTION - 8);
        } finally {
            g.dispose();
        }
        return out;
    }

    /**
     * One image of {@code panel × panel} pixels at (x0, y0), the fused patches greyed and hatched ({@code kept} null:
     * the plain image), with {@code title} centred above it (null: none).
     */
    static void panel(Graphics2D g, int x0, int y0, int side, float[] px, int channels, int size, int grid, boolean[] kept,
            String title) {
        FontMetrics fm = g.getFontMetrics();
        g.setColor(Color.BLACK);
        if (title != null) {
            g.drawString(title, x0 + (side - fm.stringWidth(title)) / 2, y0 - GAP);
        }
        int patch = size / grid;
        BufferedImage img = new BufferedImage(side, side, BufferedImage.TYPE_INT_RGB);
        for (int v = 0; v < side; v++) {
            int r = v * size / side;
            for (int u = 0; u < side; u++) {
                int c = u * size / side;
                int rgb = rgb(px, channels, size, r, c);
                if (kept != null && !kept[(r / patch) * grid + c / patch]) {
                    rgb = greyed(rgb);
                }
                img.setRGB(u, v, rgb);
            }
        }
        g.drawImage(img, x0, y0, null);
        if (kept != null) {
            hatchFused(g, x0, y0, side, grid, kept);
        }
        // Patch borders, so each token's square is visible.
        g.setColor(new Color(255, 255, 255, 90));
        g.setStroke(new BasicStroke(1f));
        for (int i = 1; i < grid; i++) {
            int o = i * side / grid;
            g.drawLine(x0 + o, y0, x0 + o, y0 + side - 1);
            g.drawLine(x0, y0 + o, x0 + side - 1, y0 + o);
        }
        g.setColor(Color.DARK_GRAY);
        g.drawRect(x0, y0, side - 1, side - 1);
    }

    /** Diagonal hatching over the fused patches, so they read as removed even where the image is grey itself. */
    private static void hatchFused(Graphics2D g, int x0, int y0, int side, int grid, boolean[] kept) {
        g.setColor(HATCH);
        g.setStroke(new BasicStroke(1f));
        for (int p = 0; p < kept.length; p++) {
            if (kept[p]) {
                continue;
            }
            int left = x0 + (p % grid) * side / grid;
            int top = y0 + (p / grid) * side / grid;
            int right = x0 + (p % grid + 1) * side / grid;
            int bottom = y0 + (p / grid + 1) * side / grid;
            java.awt.Shape clip = g.getClip();
            g.clipRect(left, top, right - left, bottom - top);
            for (int d = -(bottom - top); d < right - left; d += 8) {
                g.drawLine(left + d, bottom, left + d + (bottom - top), top);
            }
            g.setClip(clip);
        }
    }

    private static int rgb(float[] px, int channels, int size, int r, int c) {
        int plane = size * size;
        int i = r * size + c;
        int red = level(px[i]);
        int green = channels == 3 ? level(px[plane + i]) : red;
        int blue = channels == 3 ? level(px[2 * plane + i]) : red;
        return (red << 16) | (green << 8) | blue;
    }

    /** A fused patch: flat grey with a faint trace of the image, so the outline of the object stays readable. */
    private static int greyed(int rgb) {
        int lum = (((rgb >> 16) & 255) * 30 + ((rgb >> 8) & 255) * 59 + (rgb & 255) * 11) / 100;
        int v = (GREY.getRed() * 5 + lum) / 6;
        return (v << 16) | (v << 8) | v;
    }

    private static int level(float v) {
        float c = Float.isNaN(v) ? 0 : Math.max(0, Math.min(1, v));
        return Math.round(c * 255);
    }
}
