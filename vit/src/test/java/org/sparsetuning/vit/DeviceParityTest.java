package org.sparsetuning.vit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sparsetuning.tensor.Tensor;
import org.sparsetuning.tensor.device.Device;
import org.sparsetuning.tensor.device.Devices;

/**
 * The goldens on the test-only loopback device (tensor's test-jar): its kernels refuse any tensor that is not on
 * the device, so this proves the model, autograd, loss and Token Sparsification keep everything on the device
 * and cross to the host only explicitly, on every machine, OpenCL or not. One case per distinct code path:
 * fusion sum / weighted average / drop, the BN-linear head (code adapters), a PEFT baseline, a clip (tubelets).
 */
class DeviceParityTest {
    @ParameterizedTest
    @ValueSource(strings = {"st_rho07_d8", "st_rho07_wavg", "st_rho07_drop", "st_code_rho07", "lora_r4", "clip_st_native_t2"})
    void traceOnADeviceMatchesReference(String name) throws Exception {
        Device dev = Devices.select("loopback:0");
        Map<String, Tensor> trace = GoldenTraces.run(name, dev);
        assertEquals("loopback:0", trace.get("logits").storage().device(), "logits computed on the device");
        trace.forEach((k, t) -> {
            if (k.startsWith("grad.")) {
                assertEquals("loopback:0", t.storage().device(), k + " computed on the device");
            }
        });
        System.out.println("loopback " + GoldenTraces.check(name, trace));
    }
}
