package io.gmgate.card.sdf;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import io.gmgate.crypto.GmCryptoException;
import io.gmgate.crypto.Sm2Ciphertext;
import io.gmgate.crypto.Sm2PublicKey;
import io.gmgate.crypto.Sm2Signature;
import io.gmgate.crypto.card.CardAlgorithm;
import io.gmgate.crypto.card.CardErrors;
import io.gmgate.crypto.card.CipherCardException;
import io.gmgate.crypto.card.KekId;
import io.gmgate.crypto.card.SoftCipherCard;
import io.gmgate.error.ErrorCode;

/**
 * "soft-sdf": a development SDF device whose keys live in a software card file
 * ({@link SoftCipherCard}, made with {@code gmgate card init --type soft}). It lets the SDF path —
 * loader, sessions, SDR codes, the card on top — run end to end on a machine without a cipher card,
 * and shows vendors what an adapter does. It protects keys no better than the soft card: development
 * and small sites only.
 *
 * <p>Device mapping: internal KEK index {@code n} is the soft card's KEK {@code n} version 1 (so
 * {@code SoftCipherCard.rotateKek(n)} on a fresh index is this device's "create key at index n"), and
 * SM2 index {@code i} is the soft card's SM2 key {@code i} for both the signing and the encryption pair.
 * Options: {@code file} (the card file); the device password is the card's passphrase.
 */
public final class SoftSdfLibrary implements SdfLibrary {

    public static final String NAME = "soft-sdf";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public SdfDevice openDevice(Map<String, String> options, char[] password) {
        String file = options.get("file");
        if (file == null || file.isBlank()) {
            throw new SdfException(SdfException.SDR_OPENDEVICE, "soft-sdf needs the option file=<soft card file>");
        }
        try {
            return new Device(SoftCipherCard.open(Path.of(file), password), file);
        } catch (CipherCardException e) {
            throw toSdf(e);
        }
    }

    private static SdfException toSdf(CipherCardException e) {
        ErrorCode code = e.errorCode();
        int sdr;
        if (code.equals(CardErrors.NO_SUCH_KEY)) {
            sdr = SdfException.SDR_KEYNOTEXIST;
        } else if (code.equals(CardErrors.LOGIN_FAILED)) {
            sdr = SdfException.SDR_PARDENY;
        } else if (code.equals(CardErrors.INTEGRITY)) {
            sdr = SdfException.SDR_SYMOPERR;
        } else if (code.equals(CardErrors.UNAVAILABLE)) {
            sdr = SdfException.SDR_HARDFAIL;
        } else {
            sdr = SdfException.SDR_UNKNOWERR;
        }
        return new SdfException(sdr, e.getMessage(), e);
    }

    private static final class Device implements SdfDevice {
        private final SoftCipherCard card;
        private final SdfDeviceInfo info;

        Device(SoftCipherCard card, String file) {
            this.card = card;
            this.info = new SdfDeviceInfo("gmgate", "soft-sdf development device", file, List.of(
                    CardAlgorithm.supported("RNG", "random", "the JDK SecureRandom in software (soft-sdf)"),
                    CardAlgorithm.supported("SM4", "KEK wrap", "SM4-GCM in software (soft-sdf), with an HMAC-SM3 tag"),
                    CardAlgorithm.supported("SM3", "MAC", "HMAC-SM3 in software (soft-sdf)"),
                    CardAlgorithm.supported("SM2", "sign/decrypt", "SM2 in software (soft-sdf)")));
        }

        @Override
        public SdfDeviceInfo info() {
            return info;
        }

        @Override
        public SdfSession openSession() {
            return new Session(card);
        }

        @Override
        public void close() {
            card.close();
        }
    }

    private static final class Session implements SdfSession {
        private final SoftCipherCard card;
        private volatile boolean closed;

        Session(SoftCipherCard card) {
            this.card = card;
        }

        @Override
        public byte[] generateRandom(int length) {
            return call(() -> card.random(length));
        }

        @Override
        public byte[] encryptWithKek(int kekIndex, byte[] data) {
            return call(() -> card.wrap(kek(kekIndex), data));
        }

        @Override
        public byte[] decryptWithKek(int kekIndex, byte[] data) {
            return call(() -> card.unwrap(kek(kekIndex), data));
        }

        @Override
        public byte[] calculateMac(int keyIndex, byte[] data) {
            return call(() -> card.mac(kek(keyIndex), data));
        }

        @Override
        public Sm2PublicKey exportSignPublicKey(int keyIndex) {
            return call(() -> card.sm2PublicKey(keyIndex));
        }

        @Override
        public Sm2Signature internalSign(int keyIndex, byte[] e) {
            return call(() -> card.sm2SignDigest(keyIndex, e));
        }

        @Override
        public byte[] internalDecrypt(int keyIndex, Sm2Ciphertext ciphertext) {
            return call(() -> {
                try {
                    return card.sm2Decrypt(keyIndex, ciphertext);
                } catch (GmCryptoException e) {
                    throw new SdfException(SdfException.SDR_SKOPERR, "SM2 decryption with key " + keyIndex + " failed", e);
                }
            });
        }

        @Override
        public void close() {
            closed = true;
        }

        private <T> T call(java.util.function.Supplier<T> op) {
            if (closed) {
                throw new SdfException(SdfException.SDR_OPENSESSION, "session is closed");
            }
            try {
                return op.get();
            } catch (CipherCardException e) {
                throw toSdf(e);
            }
        }

        private static KekId kek(int index) {
            if (index < 1) {
                throw new SdfException(SdfException.SDR_KEYNOTEXIST, "key index " + index);
            }
            return new KekId(index, 1);
        }
    }
}
