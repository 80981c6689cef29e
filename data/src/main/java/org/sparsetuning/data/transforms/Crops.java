package org.sparsetuning.data.transforms;

/** Cutting a window out of an image; the parts of the window outside the image are zero (torchvision pads). */
final class Crops {
    private Crops() {
    }

    static Image window(Image in, int top, int left, int h, int w) {
        if (top == 0 && left == 0 && h == in.height() && w == in.width()) {
            return in;
        }
        int c = in.channels();
        float[] src = in.pixels();
        float[] dst = new float[c * h * w];
        int x0 = Math.max(0, -left), x1 = Math.min(w, in.width() - left);
        for (int ch = 0; ch < c; ch++) {
            for (int y = 0; y < h; y++) {
                int sy = top + y;
                if (sy < 0 || sy >= in.height() || x1 <= x0) {
                    continue;
                }
                System.arraycopy(src, (ch * in.height() + sy) * in.width() + left + x0, dst, (ch * h + y) * w + x0, x1 - x0);
            }
        }
        return new Image(dst, c, h, w);
    }
}
