package io.gmgate.tlcp;

import io.gmgate.crypto.Sm2KeyExchange;
import io.gmgate.crypto.Sm2PrivateKey;
import io.gmgate.crypto.Sm2PublicKey;
import io.gmgate.crypto.card.CipherCard;

/**
 * The static half of the ECDHE suites' SM2 key exchange (GB/T 32918.3): an encryption key pair in
 * memory or in a cipher card. In TLCP the server is the initiator (its Z comes first in the KDF
 * input) — what GmSSL 3.x and Tongsuo both do, checked against them in the peers interop tests — and
 * the pre-master secret is 48 bytes.
 */
public interface Sm2KeyAgreement {

    int PRE_MASTER_BYTES = 48;

    Sm2PublicKey publicKey();

    /** The pre-master secret; may block on a device. */
    byte[] preMaster(boolean server, Sm2PrivateKey ownEphemeral, Sm2PublicKey peerStatic, Sm2PublicKey peerEphemeral);

    static Sm2KeyAgreement of(Sm2PrivateKey key) {
        return new Sm2KeyAgreement() {
            @Override
            public Sm2PublicKey publicKey() {
                return key.publicKey();
            }

            @Override
            public byte[] preMaster(boolean server, Sm2PrivateKey ownEphemeral, Sm2PublicKey peerStatic,
                                    Sm2PublicKey peerEphemeral) {
                return Sm2KeyExchange.sharedKey(server, key, ownEphemeral, peerStatic, peerEphemeral, PRE_MASTER_BYTES);
            }

            @Override
            public String toString() {
                return "Sm2KeyAgreement[memory, key=[redacted]]";
            }
        };
    }

    static Sm2KeyAgreement onCard(CipherCard card, int index) {
        Sm2PublicKey pub = card.sm2PublicKey(index);
        return new Sm2KeyAgreement() {
            @Override
            public Sm2PublicKey publicKey() {
                return pub;
            }

            @Override
            public byte[] preMaster(boolean server, Sm2PrivateKey ownEphemeral, Sm2PublicKey peerStatic,
                                    Sm2PublicKey peerEphemeral) {
                return card.sm2KeyExchange(index, server, ownEphemeral, peerStatic, peerEphemeral, PRE_MASTER_BYTES);
            }

            @Override
            public String toString() {
                return "Sm2KeyAgreement[" + card.name() + " #" + index + "]";
            }
        };
    }
}
