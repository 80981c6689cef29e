package org.sparsetuning.data.transforms;

import org.sparsetuning.tensor.random.Generator;

/**
 * Cuts the central height × width window. The offset {@code (size − crop) / 2} is rounded half to even, as
 * Python's {@code round} in torchvision does; a crop larger than the image is padded with zeros.
 */
public final class CenterCrop implements Transform {
    private final int height;
    private final int width;

    public CenterCrop(int height, int width) {
        if (height <= 0 || width <= 0) {
            throw new IllegalArgumentException("CenterCrop needs positive sizes, got " + height + "x" + width);
        }
        this.height = height;
        this.width = width;
    }

    public CenterCrop(int size) {
        this(size, size);
    }

    @Override
    public Image apply(Image in, Generator rng) {
        return Crops.window(in, offset(in.height(), height), offset(in.width(), width), height, width);
    }

    /** Where the window starts; negative when it is larger than the image (torchvision pads floor(extra/2) first). */
    static int offset(int size, int crop) {
        return crop > size ? -((crop - size) / 2) : (int) Math.rint((size - crop) / 2.0);
    }

    @Override
    public String describe() {
        return "CenterCrop(" + height + "x" + width + ")";
    }
}
