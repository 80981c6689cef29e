package org.sparsetuning.app.video;

import java.util.List;

/**
 * A straight path of a garment across the canvas, from one side (or corner) to the opposite one. The axis motions
 * are the upstream task's, the diagonal ones the downstream task's, so fine-tuning meets motions it was not
 * pre-trained on.
 *
 * @param dx −1, 0 or 1: leftwards, no horizontal motion, rightwards
 * @param dy −1, 0 or 1: upwards, none, downwards
 */
record Motion(String name, int dx, int dy) {
    static final List<Motion> AXES = List.of(new Motion("right", 1, 0), new Motion("left", -1, 0),
            new Motion("down", 0, 1), new Motion("up", 0, -1));
    static final List<Motion> DIAGONALS = List.of(new Motion("down-right", 1, 1), new Motion("down-left", -1, 1),
            new Motion("up-right", 1, -1), new Motion("up-left", -1, -1));
}
