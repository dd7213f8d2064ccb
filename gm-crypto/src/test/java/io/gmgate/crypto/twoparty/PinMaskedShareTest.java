package io.gmgate.crypto.twoparty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;

import org.junit.jupiter.api.Test;

import io.gmgate.crypto.CryptoErrors;
import io.gmgate.crypto.GmCryptoException;
import io.gmgate.crypto.Sm2Signer;

class PinMaskedShareTest {

    private static final byte[] SALT = Enrolment.ascii("0123456789abcdef");
    private static final byte[] CONTEXT = Enrolment.ascii("acct-8001/device-a/sign/1");
    private static final int ITERATIONS = 1_000;

    @Test
    void theRightPinGivesBackAShareThatCoSigns() {
        Enrolment k = Enrolment.run();
        byte[] masked = PinMaskedShare.mask(k.client(), "123456".toCharArray(), SALT, ITERATIONS, CONTEXT);
        ClientKeyShare back = PinMaskedShare.unmask(masked, k.client().jointKey(), "123456".toCharArray(),
                SALT, ITERATIONS, CONTEXT);

        byte[] msg = Enrolment.ascii("order 42");
        assertTrue(Sm2Signer.verify(k.client().jointKey(), Sm2Signer.defaultId(), msg,
                Enrolment.cosign(back, k.server(), msg)));
    }

    @Test
    void aWrongPinIsNotDetectedLocallyOnlyByTheFailedCoSignature() {
        Enrolment k = Enrolment.run();
        byte[] masked = PinMaskedShare.mask(k.client(), "123456".toCharArray(), SALT, ITERATIONS, CONTEXT);
        ClientKeyShare wrong = PinMaskedShare.unmask(masked, k.client().jointKey(), "654321".toCharArray(),
                SALT, ITERATIONS, CONTEXT); // no exception: nothing local tells a wrong PIN apart

        GmCryptoException e = assertThrows(GmCryptoException.class,
                () -> Enrolment.cosign(wrong, k.server(), Enrolment.ascii("order 42")));
        assertEquals(CryptoErrors.COSIGNATURE_INVALID, e.errorCode());
    }

    @Test
    void theMaskDependsOnPinSaltAndContext() {
        Enrolment k = Enrolment.run();
        byte[] a = PinMaskedShare.mask(k.client(), "123456".toCharArray(), SALT, ITERATIONS, CONTEXT);
        byte[] b = PinMaskedShare.mask(k.client(), "123456".toCharArray(), SALT, ITERATIONS, Enrolment.ascii("other"));
        byte[] c = PinMaskedShare.mask(k.client(), "123456".toCharArray(), Enrolment.ascii("another salt...."), ITERATIONS, CONTEXT);
        assertEquals(32, a.length);
        assertFalse(Arrays.equals(a, b));
        assertFalse(Arrays.equals(a, c));
        assertFalse(Arrays.equals(a, k.client().toBytes()), "never the plain share");
    }
}
