package io.gmgate.crypto;

import org.bouncycastle.crypto.agreement.SM2KeyExchange;
import org.bouncycastle.crypto.params.ParametersWithID;
import org.bouncycastle.crypto.params.SM2KeyExchangePrivateParameters;
import org.bouncycastle.crypto.params.SM2KeyExchangePublicParameters;

/**
 * The SM2 key exchange of GB/T 32918.3 without confirmation: each side's static key pair and a
 * fresh ephemeral one, default IDs on both sides, {@code bytes} of shared key. The initiator's Z
 * comes first in the KDF input. Used in memory and inside the software cipher card.
 */
public final class Sm2KeyExchange {

    private Sm2KeyExchange() {
    }

    public static byte[] sharedKey(boolean initiator, Sm2PrivateKey ownStatic, Sm2PrivateKey ownEphemeral,
                                   Sm2PublicKey peerStatic, Sm2PublicKey peerEphemeral, int bytes) {
        SM2KeyExchange exchange = new SM2KeyExchange();
        exchange.init(new ParametersWithID(new SM2KeyExchangePrivateParameters(initiator,
                ownStatic.toParameters(), ownEphemeral.toParameters()), Sm2Signer.defaultId()));
        return exchange.calculateKey(bytes * 8, new ParametersWithID(new SM2KeyExchangePublicParameters(
                peerStatic.toParameters(), peerEphemeral.toParameters()), Sm2Signer.defaultId()));
    }
}
