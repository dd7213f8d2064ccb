package io.gmgate.tlcp.interop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.security.KeyFactory;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;

import javax.crypto.KeyAgreement;

import org.bouncycastle.crypto.agreement.SM2KeyExchange;
import org.bouncycastle.crypto.params.ParametersWithID;
import org.bouncycastle.crypto.params.SM2KeyExchangePrivateParameters;
import org.bouncycastle.crypto.params.SM2KeyExchangePublicParameters;
import org.junit.jupiter.api.Test;
import org.openeuler.spec.SM2KeyExchangeParameterSpec;

import io.gmgate.crypto.GmPem;
import io.gmgate.crypto.Sm2PrivateKey;
import io.gmgate.crypto.Sm2Signer;

/**
 * How BGMProvider 1.1.4 runs the SM2 key exchange (GB/T 32918.3) of the TLCP ECDHE suites, checked
 * against BouncyCastle's {@link SM2KeyExchange} on the same keys: both sides use their encryption
 * key pair as the static key, default IDs, 48 bytes of output, and the <b>server is the initiator</b>
 * (user A: KDF over xV‖yV‖Z_server‖Z_client). Tongsuo's NTLS passes {@code s->server} as the
 * initiator flag too. A TLCP engine that makes the client the initiator derives another pre-master
 * secret and fails at Finished (bad_record_mac).
 */
class BgmSm2KeyExchangeTest {

    @Test
    void bgmMakesTheServerTheInitiator() throws Exception {
        Sm2PrivateKey cStatic = Sm2PrivateKey.generate();
        Sm2PrivateKey cEph = Sm2PrivateKey.generate();
        Sm2PrivateKey sStatic = Sm2PrivateKey.generate();
        Sm2PrivateKey sEph = Sm2PrivateKey.generate();
        // BGM's own flag is "useClientMode": true on the client, false on the server.
        byte[] bgmClient = bgm(cStatic, cEph, sStatic, sEph, true);
        byte[] bgmServer = bgm(sStatic, sEph, cStatic, cEph, false);
        assertArrayEquals(bgmClient, bgmServer);
        assertEquals(48, bgmClient.length);

        byte[] serverInitiates = bc(false, cStatic, cEph, sStatic, sEph);
        assertArrayEquals(serverInitiates, bc(true, sStatic, sEph, cStatic, cEph));
        assertArrayEquals(bgmClient, serverInitiates, "BGM = BouncyCastle with the server as initiator");

        byte[] clientInitiates = bc(true, cStatic, cEph, sStatic, sEph);
        assertFalse(Arrays.equals(bgmClient, clientInitiates), "BGM != BouncyCastle with the client as initiator");
    }

    /** BGM's JCA SM2 key agreement, as its TLCP ECDHE code calls it. */
    static byte[] bgm(Sm2PrivateKey own, Sm2PrivateKey ownEph, Sm2PrivateKey peer, Sm2PrivateKey peerEph, boolean client)
            throws Exception {
        java.security.Provider p = BgmPeer.provider();
        KeyFactory kf = KeyFactory.getInstance("EC", p);
        ECPrivateKey ownPriv = (ECPrivateKey) kf.generatePrivate(new PKCS8EncodedKeySpec(GmPem.privateKeyToPkcs8(own)));
        ECPrivateKey ownEphPriv = (ECPrivateKey) kf.generatePrivate(new PKCS8EncodedKeySpec(GmPem.privateKeyToPkcs8(ownEph)));
        ECPublicKey ownPub = pub(kf, own), ownEphPub = pub(kf, ownEph), peerPub = pub(kf, peer), peerEphPub = pub(kf, peerEph);
        KeyAgreement ka = KeyAgreement.getInstance("SM2", p);
        ka.init(ownPriv, new SM2KeyExchangeParameterSpec(ownPub, ownEphPriv, ownEphPub, peerEphPub, 48, client));
        ka.doPhase(peerPub, true);
        return ka.generateSecret();
    }

    private static ECPublicKey pub(KeyFactory kf, Sm2PrivateKey k) throws Exception {
        return (ECPublicKey) kf.generatePublic(new X509EncodedKeySpec(GmPem.toSpki(k.publicKey()).getEncoded()));
    }

    /** BouncyCastle's SM2 key exchange with default IDs. */
    static byte[] bc(boolean initiator, Sm2PrivateKey own, Sm2PrivateKey ownEph, Sm2PrivateKey peer, Sm2PrivateKey peerEph) {
        SM2KeyExchange x = new SM2KeyExchange();
        x.init(new ParametersWithID(new SM2KeyExchangePrivateParameters(initiator, own.toParameters(), ownEph.toParameters()),
                Sm2Signer.defaultId()));
        return x.calculateKey(48 * 8, new ParametersWithID(new SM2KeyExchangePublicParameters(peer.publicKey().toParameters(),
                peerEph.publicKey().toParameters()), Sm2Signer.defaultId()));
    }
}
