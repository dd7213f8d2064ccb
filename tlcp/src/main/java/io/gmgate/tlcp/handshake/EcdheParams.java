package io.gmgate.tlcp.handshake;

import java.util.Set;

import org.bouncycastle.math.ec.ECPoint;

import io.gmgate.crypto.GmCryptoException;
import io.gmgate.crypto.Sm2Curve;
import io.gmgate.tlcp.Alert;
import io.gmgate.tlcp.TlcpErrors;
import io.gmgate.tlcp.TlcpException;

/** ECParameters (named_curve) + ECPoint of the ECDHE suites, and the curve ids seen in the field. */
final class EcdheParams {

    static final int NAMED_CURVE = 3;
    /** What BGMProvider and Tongsuo send for sm2p256v1 in TLCP. */
    static final int CURVE_SM2_TLCP = 0x00F9;
    /** RFC 8998's curveSM2, which some TLCP stacks reuse. */
    static final int CURVE_SM2_RFC8998 = 0x0029;
    static final Set<Integer> ACCEPTED = Set.of(CURVE_SM2_TLCP, CURVE_SM2_RFC8998);

    private EcdheParams() {
    }

    /**
     * The curve id a server names in its ECDHE parameters: the first SM2 id in the client's
     * supported_groups (BGMProvider sends [0x00F9]), else 0x0029 — GmSSL 3.x sends no
     * supported_groups in TLCP and refuses any other id, Tongsuo's server names 0x0029 too and its
     * client does not look at the id.
     */
    static int curveFor(java.util.List<Extension> clientExtensions) {
        for (Extension e : clientExtensions) {
            if (e.type() == Extension.SUPPORTED_GROUPS) {
                Reader r = new Reader(e.data(), "supported_groups");
                Reader groups = r.sub(r.u16());
                r.end();
                while (!groups.done()) {
                    int id = groups.u16();
                    if (ACCEPTED.contains(id)) {
                        return id;
                    }
                }
            }
        }
        return CURVE_SM2_RFC8998;
    }

    static byte[] encode(int curveType, int curve, byte[] point) {
        return new Writer().u8(curveType).u16(curve).vector8(point).toBytes();
    }

    /** The point of encoded params, checked: named curve, an accepted id, on the curve, not infinity. */
    static ECPoint point(byte[] params) {
        Reader r = new Reader(params, "ECDHE parameters");
        int type = r.u8();
        int curve = r.u16();
        byte[] point = r.vector8();
        r.end();
        if (type != NAMED_CURVE || !ACCEPTED.contains(curve)) {
            throw new TlcpException(TlcpErrors.HANDSHAKE_FAILED, Alert.ILLEGAL_PARAMETER,
                    "ECDHE curve type " + type + " id 0x" + Integer.toHexString(curve) + " is not SM2");
        }
        try {
            return Sm2Curve.decodePoint(point);
        } catch (GmCryptoException | IllegalArgumentException e) {
            throw new TlcpException(TlcpErrors.HANDSHAKE_FAILED, Alert.ILLEGAL_PARAMETER, "ECDHE point is not on SM2");
        }
    }
}
