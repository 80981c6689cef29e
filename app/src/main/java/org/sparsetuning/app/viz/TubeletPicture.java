package org.sparsetuning.app.viz;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.Map;

/**
 * The token picture of a clip: a strip of its frames, then for each sparsifying layer the same strip with the
 * patches of the tubelets that were kept shown as they are and the others greyed and hatched. A tubelet spans
 * {@code tubelet} consecutive frames, so its patch is kept or fused in all of them together. Kept indices are in
 * the model's (time, row, column) token order (SPEC H).
 */
public final class TubeletPicture {
    private static final int PANEL = 96;
    private static final int GAP = 8;
    private static final int TITLE = 20;
    private static final int CAPTION = 24;

    static {
        Png.init();
    }

    private TubeletPicture() {
    }

    /**
     * @param pixels the model's input view of the clip, C×T×H×W in [0, 1] (1 or 3 channels), {@code size × size} frames
     * @param grid patches per side; a clip has {@code frames / tubelet} time steps of {@code grid²} tokens
     * @param keptByLayer 1-based layer → kept token indices in (time, row, column) order (−1, an earlier fused token,
     *     is ignored), in layer order
     */
    public static BufferedImage draw(float[] pixels, int channels, int frames, int tubelet, int size, int grid,
            Map<Integer, int[]> keptByLayer, String caption) {
        if (pixels.length != channels * frames * size * size || (channels != 1 && channels != 3)) {
            throw new IllegalArgumentException("pixels: expected 1 or 3 channels of " + frames + " frames of " + size + "x"
                    + size + ", got " + pixels.length + " values for " + channels + " channels");
        }
        if (tubelet <= 0 || frames % tubelet != 0) {
            throw new IllegalArgumentException("tubelet " + tubelet + " does not divide the " + frames + " frames");
        }
        if (grid <= 0 || size % grid != 0) {
            throw new IllegalArgumentException("grid " + grid + " does not divide the frame size " + size);
        }
        int patches = grid * grid;
        int tokens = frames / tubelet * patches;
        int rows = 1 + keptByLayer.size();
        int width = frames * PANEL + (frames + 1) * GAP;
        int height = rows * (TITLE + PANEL + GAP) + GAP + CAPTION;
        BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, width, height);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            float[][] frame = new float[frames][];
            int plane = size * size;
            for (int f = 0; f < frames; f++) {
                frame[f] = new float[channels * plane];
                for (int c = 0; c < channels; c++) {
                    System.arraycopy(pixels, (c * frames + f) * plane, frame[f], c * plane, plane);
                }
            }
            int y = GAP + TITLE;
            row(g, y, frame, channels, size, grid, tubelet, null, "input: " + frames + " frames, tubelets of " + tubelet);
            for (Map.Entry<Integer, int[]> e : keptByLayer.entrySet()) {
                y += TITLE + PANEL + GAP;
                boolean[] kept = new boolean[tokens];
                int count = 0;
                for (int p : e.getValue()) {
                    if (p >= 0) {
                        if (p >= tokens) {
                            throw new IllegalArgumentException("layer " + e.getKey() + ": token " + p + " outside the "
                                    + tokens + " tubelets of the clip");
                        }
                        count += kept[p] ? 0 : 1;
                        kept[p] = true;
                    }
                }
                row(g, y, frame, channels, size, grid, tubelet, kept, "layer " + e.getKey() + ": " + count + " of " + tokens
                        + " tubelets kept");
            }
            g.setColor(Color.BLACK);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
            g.drawString(caption, GAP, height - GAP);
        } finally {
            g.dispose();
        }
        return out;
    }

    private static void row(Graphics2D g, int y0, float[][] frames, int channels, int size, int grid, int tubelet,
            boolean[] kept, String title) {
        g.setColor(Color.BLACK);
        g.drawString(title, GAP, y0 - 6);
        int patches = grid * grid;
        for (int f = 0; f < frames.length; f++) {
            boolean[] mine = null;
            if (kept != null) {
                mine = new boolean[patches];
                System.arraycopy(kept, f / tubelet * patches, mine, 0, patches);
            }
            TokenPicture.panel(g, GAP + f * (PANEL + GAP), y0, PANEL, frames[f], channels, size, grid, mine, null);
        }
    }
}
