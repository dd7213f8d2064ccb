package io.gmgate.attacks;

import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.bouncycastle.math.ec.ECPoint;

import io.gmgate.app.demo.DemoSite;
import io.gmgate.crypto.Sm2Curve;
import io.gmgate.crypto.Sm2PublicKey;
import io.gmgate.crypto.Sm2Signature;
import io.gmgate.crypto.Sm2Signer;
import io.gmgate.crypto.twoparty.SignRequest;
import io.gmgate.crypto.twoparty.SignResponse;
import io.gmgate.sdk.CosignClient;
import io.gmgate.policy.Endpoint;
import io.gmgate.sdk.Fields;
import io.gmgate.sdk.GmgateClient;
import io.gmgate.sdk.MiniHttp;
import io.gmgate.tlcp.io.TlcpSocket;

/**
 * What the PIN attacks of docs/security.md, "The PIN and co-signing" share: terminals of a demo site, a raw cosign API channel for the
 * attacker (the same one-way TLCP :8090 a terminal uses, but requests of its own making), the SM2
 * existential forgery over a chosen digest, and P2 recovered from a co-signing answer.
 */
final class PinAttackKit {

    private PinAttackKit() {
    }

    static GmgateClient terminal(DemoSite site, Path store) {
        return new GmgateClient(new GmgateClient.Options(List.of(new Endpoint("sh", "127.0.0.1", site.enrolmentPort())),
                List.of(new Endpoint("sh", "127.0.0.1", site.tradingPort())), List.of(site.root()), store, Duration.ofSeconds(2),
                Duration.ofSeconds(10), 10_000));
    }

    /** The attacker's cosign API: one fresh enrolment channel per request, no SDK logic in between. */
    static CosignClient rawApi(GmgateClient anyTerminal) {
        return new CosignClient((path, json) -> {
            try (TlcpSocket s = anyTerminal.openEnrolmentChannel()) {
                return new MiniHttp(s.getInputStream(), s.getOutputStream(), "127.0.0.1").post(path, Map.of(), json);
            }
        });
    }

    static String b64(byte[] b) {
        return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    /** The key of {@code purpose} (SIGN or ENC) in a login answer: its id and joint public key. */
    record Key(long keyId, Sm2PublicKey publicKey) {
        static Key of(Fields login, String purpose) {
            for (Object o : login.list("keys")) {
                @SuppressWarnings("unchecked")
                Map<String, Object> k = (Map<String, Object>) o;
                if (purpose.equals(k.get("purpose"))) {
                    return new Key(((Number) k.get("keyId")).longValue(),
                            Sm2PublicKey.decode(java.util.Base64.getUrlDecoder().decode((String) k.get("publicKey"))));
                }
            }
            throw new AssertionError("no " + purpose + " key in " + login.asMap());
        }
    }

    /** A valid SM2 signature on a digest chosen to fit it, from P alone (design §11): pick s, t; R = [s]G + [t]P. */
    record Forgery(BigInteger e, Sm2Signature signature) {
        static Forgery of(Sm2PublicKey p) {
            for (int i = 0; i < 100; i++) {
                BigInteger s = Sm2Curve.randomScalar();
                BigInteger t = Sm2Curve.randomScalar();
                BigInteger r = t.subtract(s).mod(Sm2Curve.N);
                ECPoint big = Sm2Curve.G.multiply(s).add(p.point().multiply(t)).normalize();
                if (r.signum() == 0 || big.isInfinity()) {
                    continue;
                }
                BigInteger e = r.subtract(big.getAffineXCoord().toBigInteger()).mod(Sm2Curve.N);
                Sm2Signature sig = new Sm2Signature(r, s);
                if (Sm2Signer.verifyDigest(p, e, sig)) {
                    return new Forgery(e, sig);
                }
            }
            throw new AssertionError("no forgery in 100 tries");
        }
    }

    /**
     * One co-signing round with a k1 of the attacker's choosing, and the P2 = [d2^-1]G it reveals: with
     * x_R = r − e, R + [r]G = [s2·k1 + s3]P2 (design §11). R is known up to the sign of y: both
     * candidates are returned.
     */
    static List<ECPoint> p2FromSignAnswer(CosignClient api, long keyId, BigInteger e) {
        BigInteger k1 = Sm2Curve.randomScalar();
        SignRequest req = new SignRequest(Sm2Curve.multiplyG(k1), e);
        Fields answer = api.call("sign", Map.of("keyId", keyId, "request", b64(req.toBytes())));
        SignResponse resp = SignResponse.fromBytes(answer.bytes("response"));
        BigInteger xr = resp.r().subtract(e).mod(Sm2Curve.N);
        BigInteger inv = k1.multiply(resp.s2()).add(resp.s3()).mod(Sm2Curve.N).modInverse(Sm2Curve.N);
        List<ECPoint> out = new java.util.ArrayList<>();
        for (int sign = 2; sign <= 3; sign++) {
            byte[] enc = new byte[33];
            enc[0] = (byte) sign;
            byte[] x = Sm2Curve.encodeScalar(xr);
            System.arraycopy(x, 0, enc, 1, 32);
            try {
                ECPoint r = Sm2Curve.decodePoint(enc);
                out.add(r.add(Sm2Curve.multiplyG(resp.r())).multiply(inv).normalize());
            } catch (RuntimeException notAPoint) {
                // x_R mod n may differ from x_R mod p (probability ~2^-128): then no candidate
            }
        }
        return out;
    }

    /**
     * The offline test of a candidate share d1: [d1^-1]P2 − G == P. [d1^-1]P2 is what the public
     * co-decryption step computes for a ciphertext whose C1 is P2, so the attacker needs nothing more.
     */
    static boolean fits(io.gmgate.crypto.twoparty.ClientKeyShare d1, ECPoint p2, Sm2PublicKey p) {
        ECPoint t1 = io.gmgate.crypto.twoparty.ClientDecryption.start(d1,
                new io.gmgate.crypto.Sm2Ciphertext(p2, new byte[32], new byte[1])).t1();
        return t1.subtract(Sm2Curve.G).normalize().equals(p.point());
    }
}
