package org.sparsetuning.data.transforms;

import org.sparsetuning.tensor.random.Generator;

/**
 * Crop {@code index} of {@code count} size × size windows spread evenly along the longer side of an image whose
 * shorter side is already {@code size} (multi-view testing: 3 crops are left, centre, right of a landscape frame,
 * or top, centre, bottom of a portrait one). One crop is the centre crop. Along the shorter side the window is
 * centred, so an image larger than {@code size} both ways still works.
 */
public final class SpatialCrop implements Transform {
    private final int size;
    private final int index;
    private final int count;

    public SpatialCrop(int size, int index, int count) {
        if (size <= 0 || count <= 0 || index < 0 || index >= count) {
            throw new IllegalArgumentException("SpatialCrop(size " + size + ", crop " + index + " of " + count
                    + "): expected size > 0 and 0 <= crop < count");
        }
        this.size = size;
        this.index = index;
        this.count = count;
    }

    @Override
    public Image apply(Image in, Generator rng) {
        boolean wide = in.width() >= in.height();
        int along = wide ? in.width() : in.height();
        int across = wide ? in.height() : in.width();
        int start = count == 1 ? CenterCrop.offset(along, size)
                : (int) Math.round((double) index * Math.max(0, along - size) / (count - 1));
        int side = CenterCrop.offset(across, size);
        return wide ? Crops.window(in, side, start, size, size) : Crops.window(in, start, side, size, size);
    }

    @Override
    public String describe() {
        return "SpatialCrop(" + size + ", " + (index + 1) + " of " + count + ")";
    }
}
