package org.sparsetuning.tensor.cpu.simd.gemm;

import java.util.Arrays;
import org.sparsetuning.tensor.DType;
import org.sparsetuning.tensor.Shape;
import org.sparsetuning.tensor.Tensor;
import org.sparsetuning.tensor.backend.Activation;
import org.sparsetuning.tensor.parallel.Parallel;
import org.sparsetuning.tensor.storage.FloatStorage;
import org.sparsetuning.tensor.storage.MemoryTracker;

/**
 * Packed, register-tiled single-precision matrix product (the SIMD backend's matmul). B is packed into
 * column panels (once per product, or once ever for a frozen weight, whose storage then holds only the
 * panels: {@link PackedWeight}); A is read in place through its strides
 * (packed only when it has no unit stride); the micro-kernels ({@link MicroKernel8x3v} and, for column tails,
 * {@link MicroKernel8x2v} and {@link MicroKernel8x1v}) keep a C tile in registers over a K block, and bias
 * and activation are applied to each tile after its last K block.
 *
 * <p>Threads: a batch of many or small products is split across the batch (each product on one thread);
 * a single large product is split into a grid of row blocks and B panel groups.
 */
public final class Gemm {
    private Gemm() {
    }

    /**
     * Bytes the GEMM keeps between calls beside tensor storage: its per-thread packing buffers and the
     * zero padding of packed frozen weights (the panels themselves replace the weights' arrays).
     */
    public static long cachedBytes() {
        return MemoryTracker.cachedBytes();
    }

    /**
     * Same semantics as {@link org.sparsetuning.tensor.backend.Backend#matmul}: out[..., m, n] =
     * act(sum_k a[..., m, k] * b[..., k, n] + bias[n]). F32 only; a and b any strides (batch dimensions may
     * have stride 0); out contiguous; bias null or [N].
     */
    public static void matmul(Tensor a, Tensor b, Tensor bias, Activation act, Tensor out) {
        check(a, b, bias, act, out);
        int r = out.dim();
        int m = out.size(r - 2);
        int n = out.size(r - 1);
        int k = a.size(r - 1);
        int batches = Shape.numel(Arrays.copyOf(out.shape(), r - 2));
        float[] c = array(out, "out");
        Epilogue ep = epilogue(bias, act);
        if (batches == 0 || m == 0 || n == 0) {
            return;
        }
        if (k == 0) {
            Arrays.fill(c, out.offset(), out.offset() + batches * m * n, 0f);
            ep.applyAnyWidth(c, out.offset(), n, batches * m, 0, n);
            return;
        }
        long t0 = GemmProfile.ON ? System.nanoTime() : 0;
        MatrixView av = new MatrixView(array(a, "a"), 0, m, k, a.stride(r - 2), a.stride(r - 1));
        int[] aOff = batchOffsets(a, batches);
        int[] bOff = batchOffsets(b, batches);
        boolean bShared = allEqual(bOff);
        // A frozen weight is looked up before its plain array is touched: reading the array would unpack it.
        MatrixView bKey = new MatrixView(null, bOff[0], k, n, b.stride(r - 2), b.stride(r - 1));
        int threads = Parallel.threads();
        boolean fewRows = batches == 1 && packAsUsed(m, n, threads);
        boolean transposeAsUsed = batches == 1 && enoughPanels(n, threads);
        PackedB frozen = bShared ? frozenPacking(b, bKey, transposeAsUsed) : null;
        MatrixView bv = frozen != null ? null : new MatrixView(array(b, "b"), 0, k, n, b.stride(r - 2), b.stride(r - 1));
        boolean asUsed = frozen == null && bShared && fewRows;
        PackedB shared = frozen != null ? frozen : asUsed ? asUsed(bv.atOffset(bOff[0])) : bShared ? packShared(bv.atOffset(bOff[0])) : null;
        long t1 = GemmProfile.ON ? System.nanoTime() : 0;
        long flops = 2L * m * n * k;
        // Across the batch when the products are small, or numerous enough that whole products balance
        // (4 per thread; 5 big products on 2 threads would split 3:2).
        boolean acrossBatch = batches > 1 && threads > 1
                && (batches >= 4 * threads || flops < 8 * Blocking.PARALLEL_FLOPS);
        int cBase = out.offset();
        if (acrossBatch) {
            // Small products (attention heads): one whole product per task, no forking inside.
            Parallel.forRange(batches, 1, (lo, hi) -> {
                for (int bt = lo; bt < hi; bt++) {
                    PackedB pb = shared != null ? shared : packLocal(bv.atOffset(bOff[bt]));
                    GemmDriver.multiply(av.atOffset(aOff[bt]), pb, c, cBase + bt * m * n, n,
                            0, m, 0, pb.panels, ep);
                }
            });
        } else {
            for (int bt = 0; bt < batches; bt++) {
                PackedB pb = shared != null ? shared : packShared(bv.atOffset(bOff[bt]));
                multiplyParallel(av.atOffset(aOff[bt]), pb, c, cBase + bt * m * n, n, ep, threads);
            }
        }
        if (GemmProfile.ON) {
            String bKind = frozen == null ? (!bShared ? "per-batch" : (asUsed ? "as-used " : "") + (bv.rowMajor() ? "rows" : bv.colMajor() ? "cols" : "strided"))
                    : frozenKind(b, bKey) + (frozen.data == null ? " as-used" : "");
            GemmProfile.record(GemmProfile.key(batches, m, n, k, av, bKind), System.nanoTime() - t0, t1 - t0,
                    flops * batches);
        }
    }

    /**
     * Turns the recording of the per-call-site profile ({@code -Dsparsetuning.gemm.profile=true}) on or off; on by
     * default. A benchmark turns it off while it warms up, so the profile printed at exit holds steady-state calls
     * only (the first calls run interpreted and pack every frozen weight).
     */
    public static void profileRecording(boolean on) {
        GemmProfile.recording(on);
    }

    private static final Epilogue PLAIN = new Epilogue(null, 0, Activation.NONE);

    /**
     * One product computed wholly on the calling thread, for kernels that split their work across many small
     * products themselves (attention: one task per batch and head): c[cOff + i·ldc + j] = Σ_k a(i, k)·b(k, j),
     * where a(i, k) = a[aOff + i·aRow + k·aCol] and b(k, j) = b[bOff + k·bRow + j·bCol], each with a unit
     * stride in one of its two dimensions. B is packed into this thread's scratch; c's rows may be strided
     * (ldc ≥ n), and only its n columns of each row are written.
     */
    public static void serial(float[] a, int aOff, int aRow, int aCol, float[] b, int bOff, int bRow, int bCol,
                              int m, int k, int n, float[] c, int cOff, int ldc) {
        if (m == 0 || n == 0) {
            return;
        }
        if (k == 0) {
            for (int i = 0; i < m; i++) {
                Arrays.fill(c, cOff + i * ldc, cOff + i * ldc + n, 0f);
            }
            return;
        }
        long t0 = GemmProfile.ON ? System.nanoTime() : 0;
        MatrixView av = new MatrixView(a, aOff, m, k, aRow, aCol);
        PackedB pb = packLocal(new MatrixView(b, bOff, k, n, bRow, bCol));
        long t1 = GemmProfile.ON ? System.nanoTime() : 0;
        GemmDriver.multiply(av, pb, c, cOff, ldc, 0, m, 0, pb.panels, PLAIN);
        if (GemmProfile.ON) {
            GemmProfile.record(GemmProfile.key(1, m, n, k, av, "serial " + (bCol == 1 ? "rows" : bRow == 1 ? "cols" : "strided")),
                    System.nanoTime() - t0, t1 - t0, 2L * m * n * k);
        }
    }

    private static String frozenKind(Tensor b, MatrixView key) {
        if (((FloatStorage) b.storage()).arrangement() instanceof PackedWeight pw) {
            return pw.serves(key) ? "panels" : "panels-T";
        }
        return "frozen";
    }

    /**
     * Whether B, which changes from call to call, is better packed as it is used ({@link PackedB#source}) than all
     * at once: when the product has few rows (a batch of one image: 197), so each K block of a panel is packed once
     * or twice, just before the micro-kernel streams it from cache. All of B packed up front (7 MB for a 768 x 2304
     * weight) is back in L3 or memory when it is read, which cost batch-1 products with a changing weight about
     * 40% (measured: 90 GFLOP/s against 160 for the same product with the weight already packed). The split is
     * then across panels alone, so it needs enough of them for the threads.
     */
    static boolean packAsUsed(int m, int n, int threads) {
        return m <= 2 * Blocking.MC && enoughPanels(n, threads);
    }

    /** Whether a split across B panels alone (what packing as used allows) gives every thread work. */
    private static boolean enoughPanels(int n, int threads) {
        return threads == 1 || PackedB.plan(n).length >= 2 * threads;
    }

    private static PackedB asUsed(MatrixView b) {
        PackedB pb = new PackedB(b.rows, b.cols);
        pb.source = (packed, p, k0, kc, dst) -> BPacker.packBlock(b, packed, p, k0, kc, dst);
        return pb;
    }

    /** One product split into a grid of row blocks x panel groups. */
    private static void multiplyParallel(MatrixView a, PackedB pb, float[] c, int cOff, int ldc, Epilogue ep,
                                         int threads) {
        int m = a.rows;
        long flops = 2L * m * pb.n * pb.k;
        if (threads == 1 || flops < Blocking.PARALLEL_FLOPS) {
            GemmDriver.multiply(a, pb, c, cOff, ldc, 0, m, 0, pb.panels, ep);
            return;
        }
        if (pb.data == null) {
            // Packed as used: panel groups only, so each panel's K blocks are packed by one task.
            int groups = Math.min(pb.panels, 4 * threads);
            Parallel.forRange(groups, 1, (lo, hi) -> {
                for (int g = lo; g < hi; g++) {
                    GemmDriver.multiply(a, pb, c, cOff, ldc, 0, m,
                            (int) ((long) pb.panels * g / groups), (int) ((long) pb.panels * (g + 1) / groups), ep);
                }
            });
            return;
        }
        // Rows first: each task packs only its own A rows and B is shared. A multiple of the thread count keeps
        // the row blocks even (7 blocks on 2 threads would leave one thread idle for the seventh).
        int mTasks = m >= 32 * threads ? Blocking.roundUp(Blocking.ceilDiv(m, Blocking.MC), threads) : 1;
        // Then panel groups until there are about 4 tasks per thread, so the team's shared chunk counter can even
        // out a thread slowed by other load (batch 1: 197 rows make only 2 row blocks). Groups keep at least 4
        // panels; A is read in place (GemmDriver), so splitting the panels packs nothing twice.
        int want = 4 * threads;
        int nTasks = mTasks >= want ? 1 : Math.max(1, Math.min(Blocking.ceilDiv(want, mTasks), pb.panels / 4));
        int rowsPerTask = Blocking.roundUp(Blocking.ceilDiv(m, mTasks), MicroKernel8x3v.MR);
        int nt = nTasks;
        Parallel.forRange(mTasks * nTasks, 1, (lo, hi) -> {
            for (int t = lo; t < hi; t++) {
                int i0 = (t / nt) * rowsPerTask;
                int i1 = Math.min(m, i0 + rowsPerTask);
                int g = t % nt;
                int p0 = (int) ((long) pb.panels * g / nt);
                int p1 = (int) ((long) pb.panels * (g + 1) / nt);
                if (i0 < i1 && p0 < p1) {
                    GemmDriver.multiply(a, pb, c, cOff, ldc, i0, i1, p0, p1, ep);
                }
            }
        });
    }

    /**
     * The packing of a frozen weight b (a view without data), or null when b is not one. The first product
     * with a frozen weight packs it and, if the view is the whole storage, makes the panels replace the
     * storage's array ({@link PackedWeight}); later products use the panels, or repack them for the
     * transposed view (backward's g·W after forward's x·Wᵀ). Views of part of a storage are packed per call:
     * keeping their panels would be a second copy of the weight.
     *
     * <p>The transposed view is repacked as used when the product can be split across panels alone
     * ({@code transposeAsUsed}): each task repacks a K block of a panel from the panels just before it multiplies
     * every row by it, so each block is repacked once, in cache. Repacked whole up front instead, the transpose
     * (9 MB for a 768 x 3072 weight) was written to memory and read back, 4–8% of these products' time, and held
     * a scratch array of that size (measured in the Sparse-Tuning step: the repack share fell to 0.1% and the
     * products ran 4–6% faster).
     */
    private static PackedB frozenPacking(Tensor b, MatrixView view, boolean transposeAsUsed) {
        if (!(b.storage() instanceof FloatStorage fs) || !fs.isFrozen()) {
            return null;
        }
        if (fs.arrangement() instanceof PackedWeight pw) {
            if (pw.serves(view)) {
                return pw.packed;
            }
            if (pw.servesTransposeOf(view)) {
                PackedB pb = new PackedB(view.rows, view.cols);
                if (transposeAsUsed) {
                    pb.source = pw::packTransposeBlock;
                    return pb;
                }
                pb.data = Scratch.get().sharedB(pb.length());
                long work = (long) view.rows * view.cols;
                Parallel.forRange(pb.panels, work < (1 << 16) ? pb.panels : 1,
                        (lo, hi) -> pw.packTransposeInto(pb, lo, hi));
                return pb;
            }
            return null; // a third view of the weight: the plain path unpacks the storage
        }
        if (!PackedWeight.coversStorage(view, fs.length())) {
            return null;
        }
        float[] plain = fs.array();
        MatrixView bv = view.withData(plain);
        PackedB pb = new PackedB(bv.rows, bv.cols);
        pb.data = new float[Scratch.checkedLength(pb.length())];
        packPanels(bv, pb);
        fs.rearrange(plain, new PackedWeight(bv, pb)); // refused if unfrozen meanwhile: pb still serves this call
        return pb;
    }

    /** Packs B for use by several threads into the calling thread's shared scratch, panels in parallel. */
    private static PackedB packShared(MatrixView b) {
        PackedB pb = new PackedB(b.rows, b.cols);
        pb.data = Scratch.get().sharedB(pb.length());
        packPanels(b, pb);
        return pb;
    }

    private static void packPanels(MatrixView b, PackedB pb) {
        long work = (long) b.rows * b.cols;
        Parallel.forRange(pb.panels, work < (1 << 16) ? pb.panels : 1, (lo, hi) -> BPacker.pack(b, pb, lo, hi));
    }

    /** Packs B on this thread only (one product of a batch split across threads). */
    private static PackedB packLocal(MatrixView b) {
        PackedB pb = new PackedB(b.rows, b.cols);
        pb.data = Scratch.get().batchB(pb.length());
        BPacker.pack(b, pb, 0, pb.panels);
        return pb;
    }

    /** Reads a unit-stride bias in place; a strided one is gathered once into a plain array. */
    private static Epilogue epilogue(Tensor bias, Activation act) {
        if (bias == null) {
            return new Epilogue(null, 0, act);
        }
        float[] data = array(bias, "bias");
        int n = bias.size(0);
        if (bias.stride(0) == 1 || n == 1) {
            return new Epilogue(data, bias.offset(), act);
        }
        float[] copy = new float[n];
        for (int j = 0; j < n; j++) {
            copy[j] = data[bias.offset() + j * bias.stride(0)];
        }
        return new Epilogue(copy, 0, act);
    }

    /** The storage offset of each batch matrix, honouring any batch strides (including 0). */
    private static int[] batchOffsets(Tensor t, int batches) {
        int r = t.dim();
        int[] shape = t.shape();
        int[] strides = t.strides();
        int[] offs = new int[batches];
        int[] idx = new int[r - 2];
        int o = t.offset();
        for (int bt = 0; bt < batches; bt++) {
            offs[bt] = o;
            for (int d = r - 3; d >= 0; d--) {
                idx[d]++;
                o += strides[d];
                if (idx[d] < shape[d]) {
                    break;
                }
                o -= idx[d] * strides[d];
                idx[d] = 0;
            }
        }
        return offs;
    }

    private static boolean allEqual(int[] v) {
        for (int x : v) {
            if (x != v[0]) {
                return false;
            }
        }
        return true;
    }

    private static float[] array(Tensor t, String name) {
        if (!(t.storage() instanceof FloatStorage)) {
            throw new IllegalArgumentException("matmul: " + name + " must be an F32 tensor on the CPU heap, got "
                    + t.dtype() + " storage " + t.storage().getClass().getSimpleName());
        }
        return ((FloatStorage) t.storage()).array();
    }

    private static void check(Tensor a, Tensor b, Tensor bias, Activation act, Tensor out) {
        if (act == null) {
            throw new IllegalArgumentException("matmul: activation must not be null (use Activation.NONE)");
        }
        for (Tensor t : new Tensor[] {a, b, out, bias}) {
            if (t != null && t.dtype() != DType.F32) {
                throw new IllegalArgumentException("matmul: SIMD GEMM takes F32 tensors, got " + t.dtype());
            }
        }
        int r = out.dim();
        if (r < 2 || a.dim() != r || b.dim() != r) {
            throw new IllegalArgumentException("matmul: a " + Shape.str(a.shape()) + ", b " + Shape.str(b.shape())
                    + " and out " + Shape.str(out.shape()) + " must have the same rank >= 2");
        }
        for (int d = 0; d < r - 2; d++) {
            if (a.size(d) != out.size(d) || b.size(d) != out.size(d)) {
                throw new IllegalArgumentException("matmul: batch dimensions of a " + Shape.str(a.shape()) + " and b "
                        + Shape.str(b.shape()) + " must equal out's " + Shape.str(out.shape()));
            }
        }
        if (a.size(r - 2) != out.size(r - 2) || b.size(r - 1) != out.size(r - 1) || a.size(r - 1) != b.size(r - 2)) {
            throw new IllegalArgumentException("matmul: a " + Shape.str(a.shape()) + " @ b " + Shape.str(b.shape())
                    + " does not give out " + Shape.str(out.shape()));
        }
        if (!out.isContiguous()) {
            throw new IllegalArgumentException("matmul: out must be contiguous, got strides "
                    + Arrays.toString(out.strides()));
        }
        if (bias != null && (bias.dim() != 1 || bias.size(0) != out.size(r - 1))) {
            throw new IllegalArgumentException("matmul: bias must be [" + out.size(r - 1) + "], got "
                    + Shape.str(bias.shape()));
        }
    }
}
