/**
 * The PEFT baselines on the same frozen backbone, each selected by the config's {@code method} and attached by
 * {@link org.sparsetuning.vit.peft.Baselines} (a {@link org.sparsetuning.vit.model.MethodProvider}) through
 * {@link org.sparsetuning.vit.model.MethodHooks}. Tensor names follow tools/torchref/NAMES.md, which has every
 * method; counts are ViT-B/16, head excluded.
 *
 * <table>
 *   <caption>Methods</caption>
 *   <tr><th>method</th><th>trains</th><th>defaults</th><th>ViT-B count</th></tr>
 *   <tr><td>{@code lora}</td><td>{@code blocks.i.attn.lora_{q,v}.{A,B}}</td><td>r 4, α 8; before the q scaling</td><td>147,456</td></tr>
 *   <tr><td>{@code adaptformer}</td><td>{@code blocks.i.adaptformer.{down,up}.*}</td><td>d' 64, s 0.1, input y</td><td>1,189,632</td></tr>
 *   <tr><td>{@code kadaptation}</td><td>{@code kadaptation.{q,v}.a_*}, {@code blocks.i.attn.kadapt_{q,v}.b_*}, {@code kadapt_bias}</td>
 *       <td>n 32, rank 1, scale 160, q delta after the q scaling as in SPEC C.2 ({@code kadapt_delta_after_scale:
 *       false} adds it before)</td><td>50,176</td></tr>
 *   <tr><td>{@code adapter}</td><td>{@code blocks.i.adapter_mlp.{norm,down,up}.*} (+ {@code adapter_attn} with
 *       {@code adapter_placement: houlsby})</td><td>d' 64, placement mlp</td><td>1,208,064 (houlsby 2,416,128)</td></tr>
 *   <tr><td>{@code vpt}</td><td>{@code blocks.i.prompt} [P, D]</td><td>P 10, no TS</td><td>92,160</td></tr>
 *   <tr><td>{@code bitfit}</td><td>every backbone {@code *.bias}</td><td></td><td>102,912</td></tr>
 *   <tr><td>{@code full}</td><td>every backbone tensor</td><td></td><td>85,798,656</td></tr>
 *   <tr><td>{@code linear-probe}, {@code token-sparsification}</td><td>the head only</td><td></td><td>0</td></tr>
 * </table>
 *
 * <p>Every method trains the head. Defaults are {@link org.sparsetuning.vit.model.MethodDefaults}' (AdaptFormer and
 * the adapter d' 64, AdaptFormer s 0.1), the same in tools/torchref. A baseline runs the dense ViT unless its
 * configuration asks for Token Sparsification ({@code ts_layers}, or a {@code keep_rate} below 1); VPT refuses it
 * (TS would fuse or drop the prompts).
 */
package org.sparsetuning.vit.peft;
