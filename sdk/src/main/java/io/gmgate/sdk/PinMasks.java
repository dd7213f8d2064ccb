package io.gmgate.sdk;

import java.math.BigInteger;
import java.util.Map;

import io.gmgate.crypto.Sm2Curve;
import io.gmgate.crypto.twoparty.PinOprf;

/**
 * The PIN masks of this device's two shares (design §11): one OPRF evaluation over the PIN by the
 * cosign server ({@code /v1/pin/evaluate}), which the server counts as one PIN try. Without it no PIN
 * guess can be checked, which is what keeps a stolen store useless.
 */
final class PinMasks {

    static final String SIGN = "sign";
    static final String ENC = "enc";

    /** The sign and enc masks for {@code pin}; the server's answer must be a curve point (COSIGN-001). */
    record Masks(BigInteger sign, BigInteger enc) {
        @Override
        public String toString() {
            return "Masks[redacted]";
        }
    }

    private PinMasks() {
    }

    static Masks evaluate(CosignClient client, DeviceRecord r, char[] pin) {
        PinOprf.Blinded blinded = PinOprf.blind(pin, r.oprfContext());
        try {
            Fields answer = client.call("pin/evaluate", Map.of("blinded", Fields.b64(Sm2Curve.encodePoint(blinded.request()))));
            BigInteger[] m = blinded.finish(Sm2Curve.decodePoint(answer.bytes("evaluated")), SIGN, ENC);
            return new Masks(m[0], m[1]);
        } finally {
            blinded.destroy();
        }
    }
}
