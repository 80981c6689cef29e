package org.sparsetuning.data.transforms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/**
 * Resampling against PyTorch 1.13: {@code F.interpolate(x[None], size=(h, w), mode=..., align_corners=False,
 * antialias=True)} on the 2×5×7 image {@link #input()}. The same numbers come from PIL 9.4 resizing float
 * ('F' mode) images with BICUBIC / BILINEAR (largest difference 3.6e-7), so they pin PIL's scheme. Script:
 * <pre>
 * x = torch.tensor([[[((c*7 + y*3 + x*5) % 11) / 10.0 for x in range(7)] for y in range(5)] for c in range(2)])
 * for mode in ("bicubic", "bilinear"):
 *     for (oh, ow) in [(9, 11), (3, 4), (8, 3), (2, 2)]:
 *         print(F.interpolate(x[None], size=(oh, ow), mode=mode, align_corners=False, antialias=True)[0].flatten())
 * </pre>
 */
class ResizeTest {
    static final float[] BICUBIC_9X11 = {
            -0.05957491f, 0.1520661f, 0.5306169f, 0.9941669f, 0.8547378f, 0.3755814f, 0.7911012f, 0.8347207f,
            0.295022f, 0.5839477f, 0.9065681f, 0.03459054f, 0.2873911f, 0.6407238f, 0.7687945f, 0.6738957f,
            0.4724139f, 0.613052f, 0.6103164f, 0.3827016f, 0.4717052f, 0.5827855f, 0.2250415f, 0.5208011f,
            0.7985085f, 0.3620906f, 0.3669781f, 0.6635743f, 0.3068777f, 0.2202731f, 0.5573022f, 0.2845929f,
            0.01294016f, 0.4314912f, 0.4548546f, 0.4466152f, 0.2586425f, 0.4851362f, 0.89369f, 0.3821709f,
            0.2694575f, 0.7822626f, 0.3969506f, 0.006151483f, 0.6421875f, 0.3244899f, 0.004132099f, 0.3338843f,
            0.7280989f, 1f, 0.5834712f, 0.4867767f, 0.8917356f, 0.5755102f, 0.2578126f, 0.8938487f, 0.5030495f,
            0.1157307f, 0.5920157f, 0.7208605f, 0.5404661f, 0.5587739f, 0.5391184f, 0.4467863f, 0.4491273f,
            0.468509f, 0.8870598f, 0.6154072f, 0.3428783f, 0.6831905f, 0.5715558f, 0.1884038f, 0.5784853f, 0.613609f,
            0.1068776f, 0.3746843f, 0.6749585f, 0.3172141f, 0.4282947f, 0.517441f, 0.2924193f, 0.2392418f,
            0.3896553f, 0.8025933f, 0.8066118f, 0.3078941f, 0.5705672f, 0.8654096f, -0.006567952f, 0.3160524f,
            0.604978f, 0.06527966f, 0.05885072f, 0.5244186f, 0.927359f, 0.910369f, 0.4417739f, 0.6851504f,
            0.9595747f, 0.717769f, 0.4000712f, 0.08384581f, 0.4888045f, 0.3921103f, -0.02441863f, 0.2408898f,
            0.664501f, 1.059235f, 0.6929923f, 0.3270986f, 0.8551993f, 0.5170837f, 0.1815617f, 0.6166429f, 0.5154745f,
            0.07241384f, 0.3931888f, 0.6932743f, 0.7730692f, 0.6039142f, 0.4515626f, 1.05716f, 0.7136128f,
            0.3729572f, 0.8160521f, 0.7136934f, 0.2635743f, 0.6437588f, 0.7118647f, 0.26772f, 0.4618021f, 0.6927161f,
            0.6684069f, 0.6057523f, 0.5305626f, 0.559258f, 0.5184515f, 0.4333334f, 0.4603702f, 0.3983222f,
            0.2456155f, 0.6190615f, 0.9383948f, 0.1648437f, 0.4392681f, 0.6826446f, 0.2140496f, 0.2471074f, 0.6f,
            0.1834712f, 0.0570248f, 0.4504132f, 0.8187896f, 1.035156f, 0.2616051f, 0.609131f, 0.9215943f, 0.345153f,
            0.3942295f, 0.8421126f, 0.3305934f, 0.2034327f, 0.7106193f, 0.6577473f, 0.5262878f, 0.5072839f,
            0.7356634f, 0.9355237f, 0.5348585f, 0.5578263f, 0.8508868f, 0.4941902f, 0.4088845f, 0.7464186f,
            0.4438222f, 0.1488543f, 0.7484376f, 0.5940838f, 0.4322311f, 0.5962098f, 0.5353091f, 0.3310342f,
            0.4716727f, 0.469963f, 0.2427469f, 0.3081438f, 0.4008083f, 0.8729014f, 0.5070079f, 0.1452335f,
            0.6212954f, 0.5140399f, 0.03488375f, 0.4504035f, 0.4940228f, -0.04567561f, 0.2432499f, 0.5658702f};
    static final float[] BICUBIC_3X4 = {
            0.3497491f, 0.6395352f, 0.5237566f, 0.4442967f, 0.443511f, 0.5232012f, 0.5571267f, 0.4308638f,
            0.4557034f, 0.3651036f, 0.6177956f, 0.568126f, 0.5742933f, 0.4298297f, 0.4849712f, 0.6095439f,
            0.5620399f, 0.5070443f, 0.3820417f, 0.6358418f, 0.6150793f, 0.526377f, 0.4345259f, 0.3550659f};
    static final float[] BICUBIC_8X3 = {
            0.3960012f, 0.7232211f, 0.6194665f, 0.4521017f, 0.5829607f, 0.4543271f, 0.4990657f, 0.4321374f,
            0.2781467f, 0.3509914f, 0.6185603f, 0.4997412f, 0.4014501f, 0.6405507f, 0.5411171f, 0.6228281f,
            0.4773524f, 0.3944777f, 0.4241979f, 0.4775496f, 0.5901706f, 0.2424965f, 0.5021613f, 0.7559948f,
            0.3982554f, 0.3016472f, 0.6930403f, 0.5565107f, 0.4322476f, 0.6023517f, 0.7205765f, 0.5661447f,
            0.4952555f, 0.4790658f, 0.3546786f, 0.5722473f, 0.4675998f, 0.375796f, 0.57716f, 0.696899f, 0.6243815f,
            0.4849788f, 0.6103821f, 0.4894338f, 0.3609411f, 0.5117144f, 0.3512496f, 0.2834886f};
    static final float[] BICUBIC_2X2 = {
            0.4982114f, 0.5004508f, 0.4567266f, 0.5498087f, 0.4981798f, 0.5236241f, 0.5436712f, 0.4398356f};
    static final float[] BILINEAR_9X11 = {
            0f, 0.2272727f, 0.5454545f, 0.8636364f, 0.7818183f, 0.4f, 0.7181817f, 0.7363638f, 0.3545454f, 0.5727273f,
            0.8f, 0.1f, 0.3272727f, 0.6121212f, 0.6969697f, 0.6484849f, 0.5f, 0.5848484f, 0.569697f, 0.4212121f,
            0.4727273f, 0.5333333f, 0.2666667f, 0.4939394f, 0.7232324f, 0.4191919f, 0.4262626f, 0.6666667f,
            0.3626263f, 0.2919191f, 0.5323233f, 0.3060606f, 0.08888884f, 0.4333334f, 0.4383838f, 0.4343434f,
            0.3636363f, 0.5151515f, 0.8333334f, 0.4515153f, 0.3696969f, 0.6878788f, 0.4060607f, 0.1333334f, 0.6f,
            0.3272727f, 0.0454545f, 0.3636364f, 0.6818181f, 1f, 0.6181819f, 0.5363635f, 0.8545455f, 0.5727273f, 0.3f,
            0.7666668f, 0.4939395f, 0.2121212f, 0.5303031f, 0.6262627f, 0.5555553f, 0.5626262f, 0.5363637f,
            0.4656563f, 0.4616161f, 0.4666668f, 0.8111111f, 0.5939394f, 0.3676768f, 0.6080808f, 0.5373738f,
            0.2333333f, 0.5515151f, 0.5696971f, 0.1878787f, 0.4060606f, 0.6333333f, 0.3666664f, 0.4272726f,
            0.478788f, 0.3303029f, 0.3151514f, 0.4000001f, 0.7181818f, 0.7363639f, 0.3545455f, 0.5727273f,
            0.8000001f, 0.1f, 0.3272727f, 0.5454546f, 0.1636364f, 0.1818181f, 0.5f, 0.8181818f, 0.8363638f,
            0.4545454f, 0.6727272f, 0.9f, 0.7f, 0.4272727f, 0.1454545f, 0.4636364f, 0.3818183f, 0f, 0.3181818f,
            0.6363635f, 0.9545455f, 0.6727273f, 0.4f, 0.8f, 0.5272727f, 0.2454545f, 0.5636364f, 0.4818183f, 0.1f,
            0.4181818f, 0.6363636f, 0.7212121f, 0.6060606f, 0.5f, 0.9666667f, 0.6939394f, 0.4121212f, 0.730303f,
            0.6484849f, 0.2666667f, 0.5848485f, 0.6363637f, 0.3323231f, 0.4949495f, 0.6666667f, 0.6444443f,
            0.5939394f, 0.5343434f, 0.5414141f, 0.5040404f, 0.4333334f, 0.440404f, 0.4141414f, 0.3434343f,
            0.6060606f, 0.8333334f, 0.2f, 0.4272727f, 0.6454546f, 0.2636364f, 0.2818182f, 0.6f, 0.2181819f,
            0.1363635f, 0.4545455f, 0.7727273f, 1f, 0.3666667f, 0.5939395f, 0.8121213f, 0.4303031f, 0.4484849f,
            0.7666668f, 0.3848487f, 0.3030303f, 0.6212122f, 0.6060605f, 0.5555553f, 0.5333334f, 0.7050505f,
            0.8676768f, 0.5636364f, 0.570707f, 0.8111111f, 0.5070708f, 0.4363635f, 0.6767677f, 0.450505f, 0.2333333f,
            0.7000001f, 0.5939394f, 0.4787877f, 0.5636364f, 0.5151515f, 0.3666664f, 0.4515151f, 0.4363637f,
            0.2878786f, 0.3393939f, 0.4000001f, 0.8f, 0.5272728f, 0.2454545f, 0.5636364f, 0.4818183f, 0.1f,
            0.4181818f, 0.4363638f, 0.05454541f, 0.2727273f, 0.5f};
    static final float[] BILINEAR_3X4 = {
            0.3680272f, 0.6154286f, 0.5234286f, 0.4496599f, 0.4428571f, 0.5204445f, 0.5506666f, 0.4571428f,
            0.4503402f, 0.3765715f, 0.6114285f, 0.5619047f, 0.5666666f, 0.4605715f, 0.4942857f, 0.5884354f,
            0.5492063f, 0.4871111f, 0.3951111f, 0.6216931f, 0.6115646f, 0.5297143f, 0.4377143f, 0.3639456f};
    static final float[] BILINEAR_8X3 = {
            0.4285714f, 0.6588236f, 0.6071429f, 0.4566964f, 0.563603f, 0.4633929f, 0.4821429f, 0.4558824f,
            0.2973215f, 0.375f, 0.6029412f, 0.4848215f, 0.4151786f, 0.6084559f, 0.525f, 0.6026785f, 0.4724265f,
            0.4178571f, 0.4366071f, 0.4819853f, 0.5758928f, 0.2928571f, 0.5f, 0.7071428f, 0.4214286f, 0.3235294f,
            0.6785715f, 0.5526786f, 0.4264706f, 0.6035715f, 0.7008929f, 0.5452206f, 0.5111607f, 0.4955357f,
            0.4091912f, 0.5513393f, 0.4866071f, 0.4349265f, 0.5424107f, 0.6741071f, 0.6224265f, 0.4843751f,
            0.5964285f, 0.482353f, 0.3821429f, 0.5214286f, 0.3588235f, 0.3071429f};
    static final float[] BILINEAR_2X2 = {
            0.4918605f, 0.4988372f, 0.4662791f, 0.538372f, 0.5046511f, 0.5209303f, 0.5406976f, 0.4511628f};

    static Image input() {
        int c = 2, h = 5, w = 7;
        float[] px = new float[c * h * w];
        for (int ch = 0; ch < c; ch++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    px[(ch * h + y) * w + x] = (float) (((ch * 7 + y * 3 + x * 5) % 11) / 10.0);
                }
            }
        }
        return new Image(px, c, h, w);
    }

    static void assertClose(float[] expected, Image actual, String what) {
        assertEquals(expected.length, actual.pixels().length, what);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual.pixels()[i], 2e-6, what + " at " + i);
        }
    }

    @Test
    void matchesTorchAntialiasedResize() {
        assertClose(BICUBIC_9X11, Resampler.resize(input(), 9, 11, Interpolation.BICUBIC), "bicubic 9x11");
        assertClose(BICUBIC_3X4, Resampler.resize(input(), 3, 4, Interpolation.BICUBIC), "bicubic 3x4");
        assertClose(BICUBIC_8X3, Resampler.resize(input(), 8, 3, Interpolation.BICUBIC), "bicubic 8x3");
        assertClose(BICUBIC_2X2, Resampler.resize(input(), 2, 2, Interpolation.BICUBIC), "bicubic 2x2");
        assertClose(BILINEAR_9X11, Resampler.resize(input(), 9, 11, Interpolation.BILINEAR), "bilinear 9x11");
        assertClose(BILINEAR_3X4, Resampler.resize(input(), 3, 4, Interpolation.BILINEAR), "bilinear 3x4");
        assertClose(BILINEAR_8X3, Resampler.resize(input(), 8, 3, Interpolation.BILINEAR), "bilinear 8x3");
        assertClose(BILINEAR_2X2, Resampler.resize(input(), 2, 2, Interpolation.BILINEAR), "bilinear 2x2");
    }

    @Test
    void resizeTransformUsesTheFixedSize() {
        assertClose(BICUBIC_3X4, Resize.to(3, 4, Interpolation.BICUBIC).apply(input(), null), "Resize.to");
        Image same = input();
        assertSame(same, Resampler.resize(same, 5, 7, Interpolation.BICUBIC), "no resampling when the size is unchanged");
    }

    @Test
    void shorterSideKeepsTheAspectRatioWithTorchvisionsRounding() {
        // 5x7 -> shorter side 3: the long side is floor(3 * 7 / 5) = 4.
        Image out = Resize.shorterSide(3, Interpolation.BICUBIC).apply(input(), null);
        assertEquals(3, out.height());
        assertEquals(4, out.width());
        assertClose(BICUBIC_3X4, out, "shorter side");
        // Portrait: 7 high, 5 wide -> width 9, height floor(9 * 7 / 5) = 12.
        Image tall = Resize.shorterSide(9, Interpolation.BILINEAR).apply(new Image(new float[35], 1, 7, 5), null);
        assertEquals(12, tall.height());
        assertEquals(9, tall.width());
    }

    @Test
    void constantImagesStayConstant() {
        float[] px = new float[3 * 6 * 10];
        java.util.Arrays.fill(px, 0.25f);
        for (Interpolation k : Interpolation.values()) {
            for (int[] size : new int[][] {{13, 4}, {2, 17}, {1, 1}}) {
                Image out = Resampler.resize(new Image(px, 3, 6, 10), size[0], size[1], k);
                for (float v : out.pixels()) {
                    assertEquals(0.25f, v, 1e-6, k + " to " + size[0] + "x" + size[1]);
                }
            }
        }
    }

    @Test
    void rejectsEmptySizes() {
        assertThrows(IllegalArgumentException.class, () -> Resize.to(0, 4, Interpolation.BICUBIC));
        assertThrows(IllegalArgumentException.class, () -> Resampler.resize(input(), 3, 0, Interpolation.BILINEAR));
    }
}
