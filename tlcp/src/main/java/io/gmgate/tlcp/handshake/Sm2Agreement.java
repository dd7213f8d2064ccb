package io.gmgate.tlcp.handshake;

import org.bouncycastle.crypto.agreement.SM2KeyExchange;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.params.ParametersWithID;
import org.bouncycastle.crypto.params.SM2KeyExchangePrivateParameters;
import org.bouncycastle.crypto.params.SM2KeyExchangePublicParameters;
import org.bouncycastle.math.ec.ECPoint;

import io.gmgate.crypto.Sm2Curve;
import io.gmgate.crypto.Sm2PrivateKey;
import io.gmgate.crypto.Sm2PublicKey;
import io.gmgate.crypto.Sm2Signer;

/**
 * The ECDHE suites' pre-master secret: the SM2 key exchange of GB/T 32918.3 with the <em>server</em>
 * as initiator (A, whose Z comes first in the KDF input) and the client as responder — what GmSSL
 * 3.x and Tongsuo both do, checked against them in the peers interop tests — each side's
 * encryption key pair as the static key and a fresh ephemeral key, default IDs on both sides,
 * 48 bytes of shared key.
 */
final class Sm2Agreement {

    private Sm2Agreement() {
    }

    static byte[] preMaster(boolean server, Sm2PrivateKey ownStatic, Sm2PrivateKey ownEphemeral,
                            Sm2PublicKey peerStatic, ECPoint peerEphemeral) {
        SM2KeyExchange exchange = new SM2KeyExchange();
        exchange.init(new ParametersWithID(new SM2KeyExchangePrivateParameters(server,
                ownStatic.toParameters(), ownEphemeral.toParameters()), Sm2Signer.DEFAULT_ID));
        return exchange.calculateKey(48 * 8, new ParametersWithID(new SM2KeyExchangePublicParameters(
                peerStatic.toParameters(), new ECPublicKeyParameters(peerEphemeral, Sm2Curve.DOMAIN)),
                Sm2Signer.DEFAULT_ID));
    }

}
