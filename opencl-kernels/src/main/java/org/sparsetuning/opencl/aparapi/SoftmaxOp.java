package org.sparsetuning.opencl.aparapi;

/**
 * Row softmax of a [rows, cols] matrix and its backward on the device ({@link SoftmaxKernel},
 * {@link SoftmaxBackwardKernel}); two kernels, so each keeps its own inputs resident.
 */
public final class SoftmaxOp {
    private final CheckedExecutor executor;
    private final SoftmaxKernel forward;
    private final SoftmaxBackwardKernel backward;
    private int rows;
    private int gradRows;

    public SoftmaxOp(CheckedExecutor executor) {
        this.executor = executor;
        this.forward = executor.adopt(new SoftmaxKernel());
        this.backward = executor.adopt(new SoftmaxBackwardKernel());
    }

    public void uploadForward(float[] x, int offset, int rows, int cols) {
        check(rows, cols);
        forward.x = DeviceArrays.upload(forward, forward.x, x, offset, rows * cols);
        forward.cols = cols;
        this.rows = rows;
    }

    public void runForward() {
        if (rows == 0) {
            throw new IllegalStateException("SoftmaxOp.runForward before uploadForward");
        }
        forward.y = DeviceArrays.sized(forward.y, rows * forward.cols);
        executor.execute(forward, executor.groups(rows, SoftmaxKernel.GROUP));
    }

    public void downloadForward(float[] dst, int offset) {
        DeviceArrays.download(forward, forward.y, dst, offset, rows * forward.cols);
    }

    /** y (the forward output) and dy, both [rows, cols]. */
    public void uploadBackward(float[] y, int yOffset, float[] dy, int dyOffset, int rows, int cols) {
        check(rows, cols);
        backward.y = DeviceArrays.upload(backward, backward.y, y, yOffset, rows * cols);
        backward.dy = DeviceArrays.upload(backward, backward.dy, dy, dyOffset, rows * cols);
        backward.cols = cols;
        this.gradRows = rows;
    }

    public void runBackward() {
        if (gradRows == 0) {
            throw new IllegalStateException("SoftmaxOp.runBackward before uploadBackward");
        }
        backward.dx = DeviceArrays.sized(backward.dx, gradRows * backward.cols);
        executor.execute(backward, executor.groups(gradRows, SoftmaxBackwardKernel.GROUP));
    }

    public void downloadBackward(float[] dst, int offset) {
        DeviceArrays.download(backward, backward.dx, dst, offset, gradRows * backward.cols);
    }

    private static void check(int rows, int cols) {
        if (rows < 1 || cols < 1) {
            throw new IllegalArgumentException("softmax needs at least one row and one column, got [" + rows + ", " + cols + "]");
        }
        Math.multiplyExact(rows, cols);
    }
}
