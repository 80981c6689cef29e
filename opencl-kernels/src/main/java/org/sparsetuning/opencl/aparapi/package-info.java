/**
 * The second GPU path: kernels written in Java and translated to OpenCL C by Aparapi 3.0.2, kept next to
 * the hand-written JOCL kernels so the two can be compared in the benchmarks.
 *
 * <ul>
 *   <li>Kernels ({@code *Kernel}) are plain {@link com.aparapi.Kernel} subclasses over primitive fields
 *       and flat float arrays: no lambdas, no {@code new}, no calls into other classes inside run(), float
 *       arithmetic only. Work-groups are powers of two of at most 256 items; global ranges are padded and
 *       every kernel guards its indices.</li>
 *   <li>{@link org.sparsetuning.opencl.aparapi.AparapiDevice} picks the OpenCL device explicitly and logs
 *       it; {@link org.sparsetuning.opencl.aparapi.CheckedExecutor} binds kernels to it, translates them up
 *       front and checks after every execution that they ran there. Aparapi's fallback to its Java thread
 *       pool is an {@link org.sparsetuning.opencl.aparapi.AparapiFallbackException}, never a result.</li>
 *   <li>The {@code *Op} classes manage each kernel's device arrays explicitly (upload, run, download), so
 *       inputs such as weights stay on the device between executions;
 *       {@link org.sparsetuning.opencl.aparapi.AparapiOps} puts them behind a {@code Tensor} API.</li>
 * </ul>
 */
package org.sparsetuning.opencl.aparapi;
