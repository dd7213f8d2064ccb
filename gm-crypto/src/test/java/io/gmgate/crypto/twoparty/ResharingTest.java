package io.gmgate.crypto.twoparty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;

import org.junit.jupiter.api.Test;

import io.gmgate.crypto.CryptoErrors;
import io.gmgate.crypto.GmCryptoException;
import io.gmgate.crypto.Sm2Curve;
import io.gmgate.crypto.Sm2Signer;

/** Adding a device: a fresh share pair for the same joint key; old and new records stay apart. */
class ResharingTest {

    @Test
    void theNewDeviceSignsUnderTheSameKeyAndTheOldOneStillDoes() {
        Enrolment old = Enrolment.run();
        Resharing.Offer offer = Resharing.offer(old.client());
        Resharing.ServerResult srv = Resharing.server(old.server(),
                Resharing.ReshareRequest.fromBytes(offer.request().toBytes()));
        ClientKeyShare moved = ClientKeyShare.fromBytes(offer.newDeviceShare().toBytes());
        ClientKeyShare fresh = Resharing.accept(moved, srv.p2());

        assertEquals(old.client().jointKey(), fresh.jointKey());
        assertNotEquals(new BigInteger(1, old.client().toBytes()), new BigInteger(1, fresh.toBytes()));
        byte[] m = Enrolment.ascii("second device");
        assertTrue(Sm2Signer.verify(fresh.jointKey(), m, Enrolment.cosign(fresh, srv.newDeviceShare(), m)));
        assertTrue(Sm2Signer.verify(fresh.jointKey(), m, Enrolment.cosign(old.client(), old.server(), m)));
        // Each client share works only with its own server record.
        assertEquals(CryptoErrors.COSIGNATURE_INVALID, assertThrows(GmCryptoException.class,
                () -> Enrolment.cosign(fresh, old.server(), m)).errorCode());
        assertEquals(CryptoErrors.COSIGNATURE_INVALID, assertThrows(GmCryptoException.class,
                () -> Enrolment.cosign(old.client(), srv.newDeviceShare(), m)).errorCode());
        assertTrue(offer.toString().contains("redacted"));
    }

    @Test
    void theNewDeviceRefusesAServerShareThatDoesNotMatch() {
        Enrolment old = Enrolment.run();
        Resharing.Offer offer = Resharing.offer(old.client());
        Resharing.ServerResult wrongRho = Resharing.server(old.server(),
                new Resharing.ReshareRequest(Sm2Curve.randomScalar()));
        assertEquals(CryptoErrors.PUBLIC_KEY_MISMATCH, assertThrows(GmCryptoException.class,
                () -> Resharing.accept(offer.newDeviceShare(), wrongRho.p2())).errorCode());
        assertThrows(GmCryptoException.class, () -> Resharing.ReshareRequest.fromBytes(new byte[32]));
    }
}
