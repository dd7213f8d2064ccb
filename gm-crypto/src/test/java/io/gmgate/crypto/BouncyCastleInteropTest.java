package io.gmgate.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;

import org.bouncycastle.crypto.engines.SM2Engine;
import org.bouncycastle.crypto.params.ParametersWithID;
import org.bouncycastle.crypto.params.ParametersWithRandom;
import org.bouncycastle.crypto.signers.SM2Signer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

/** Our SM2 and BouncyCastle's reference SM2Signer / SM2Engine accept each other's output. */
class BouncyCastleInteropTest {

    private static final byte[] OTHER_ID = "alice@futures.example".getBytes(StandardCharsets.US_ASCII);

    @Test
    void bouncyCastleVerifiesOurSignaturesWithDefaultAndCustomIds() throws Exception {
        for (int i = 0; i < 20; i++) {
            Sm2PrivateKey key = Sm2PrivateKey.generate();
            byte[] msg = GmRandom.bytes(i * 7);
            assertTrue(bcVerify(key.publicKey(), null, msg, Sm2Signer.sign(key, msg).toDer()));
            assertTrue(bcVerify(key.publicKey(), OTHER_ID, msg, Sm2Signer.sign(key, OTHER_ID, msg).toDer()));
            assertFalse(bcVerify(key.publicKey(), null, msg, Sm2Signer.sign(key, OTHER_ID, msg).toDer()));
        }
    }

    @Test
    void weVerifyBouncyCastleSignatures() throws Exception {
        for (int i = 0; i < 20; i++) {
            Sm2PrivateKey key = Sm2PrivateKey.generate();
            byte[] msg = GmRandom.bytes(1 + i * 5);
            Sm2Signature sig = Sm2Signature.fromDer(bcSign(key, null, msg));
            assertTrue(Sm2Signer.verify(key.publicKey(), msg, sig));
            Sm2Signature custom = Sm2Signature.fromDer(bcSign(key, OTHER_ID, msg));
            assertTrue(Sm2Signer.verify(key.publicKey(), OTHER_ID, msg, custom));
            assertFalse(Sm2Signer.verify(key.publicKey(), msg, custom));
        }
    }

    @ParameterizedTest
    @EnumSource(Sm2CiphertextLayout.class)
    void encryptionCrossesBothWaysInEachLayout(Sm2CiphertextLayout layout) throws Exception {
        SM2Engine.Mode mode = layout == Sm2CiphertextLayout.C1C3C2 ? SM2Engine.Mode.C1C3C2 : SM2Engine.Mode.C1C2C3;
        for (int len : new int[] {1, 31, 32, 33, 200}) {
            Sm2PrivateKey key = Sm2PrivateKey.generate();
            byte[] msg = GmRandom.bytes(len);

            SM2Engine bcEnc = new SM2Engine(mode);
            bcEnc.init(true, new ParametersWithRandom(key.publicKey().toParameters(), GmRandom.shared()));
            byte[] fromBc = bcEnc.processBlock(msg, 0, msg.length);
            assertArrayEquals(msg, Sm2Cipher.decrypt(key, fromBc, layout));

            byte[] fromUs = Sm2Cipher.encrypt(key.publicKey(), msg, layout);
            SM2Engine bcDec = new SM2Engine(mode);
            bcDec.init(false, key.toParameters());
            assertArrayEquals(msg, bcDec.processBlock(fromUs, 0, fromUs.length));
        }
    }

    static boolean bcVerify(Sm2PublicKey key, byte[] id, byte[] msg, byte[] der) {
        SM2Signer v = new SM2Signer();
        v.init(false, id == null ? key.toParameters() : new ParametersWithID(key.toParameters(), id));
        v.update(msg, 0, msg.length);
        return v.verifySignature(der);
    }

    private static byte[] bcSign(Sm2PrivateKey key, byte[] id, byte[] msg) throws Exception {
        SM2Signer s = new SM2Signer();
        ParametersWithRandom withRandom = new ParametersWithRandom(key.toParameters(), GmRandom.shared());
        s.init(true, id == null ? withRandom : new ParametersWithID(withRandom, id));
        s.update(msg, 0, msg.length);
        return s.generateSignature();
    }

}
