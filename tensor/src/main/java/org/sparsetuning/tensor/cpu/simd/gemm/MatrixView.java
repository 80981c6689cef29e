package org.sparsetuning.tensor.cpu.simd.gemm;

/**
 * One matrix of a (possibly batched, possibly transposed) operand: element (i, j) is
 * {@code data[offset + i * rowStride + j * colStride]}. Packing reads operands only through this, which is
 * how transposed and sliced views are consumed without first being copied into a contiguous tensor.
 */
final class MatrixView {
    final float[] data;
    final int offset;
    final int rows;
    final int cols;
    final int rowStride;
    final int colStride;

    MatrixView(float[] data, int offset, int rows, int cols, int rowStride, int colStride) {
        this.data = data;
        this.offset = offset;
        this.rows = rows;
        this.cols = cols;
        this.rowStride = rowStride;
        this.colStride = colStride;
    }

    MatrixView atOffset(int newOffset) {
        return new MatrixView(data, newOffset, rows, cols, rowStride, colStride);
    }

    MatrixView withData(float[] newData) {
        return new MatrixView(newData, offset, rows, cols, rowStride, colStride);
    }

    /** Unit stride along a row (or a single column, where the column stride never matters). */
    boolean rowMajor() {
        return colStride == 1 || cols == 1;
    }

    /** Unit stride down a column (a transposed view of a row-major matrix). */
    boolean colMajor() {
        return rowStride == 1 || rows == 1;
    }
}
