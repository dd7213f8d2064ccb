package io.gmgate.keystore.card;

import java.nio.file.Path;
import java.util.List;

import io.gmgate.crypto.Sm2Ciphertext;
import io.gmgate.crypto.card.KekId;
import io.gmgate.crypto.card.SoftCipherCard;

/**
 * A development "SDF device" over the software card, named {@code soft}: it lets a site run and test
 * the SDF path before the vendor's library arrives, and shows a vendor what an adapter does. The
 * configuration string is {@code <card file>:<passphrase file>}. Not a cipher card: its keys are in
 * a file.
 */
public final class SoftSdfLibrary implements SdfLibrary {

    private SoftCipherCard card;

    @Override
    public String vendor() {
        return "soft";
    }

    @Override
    public void open(String configuration) {
        int colon = configuration.lastIndexOf(':');
        try {
            char[] pass = java.nio.file.Files.readAllLines(Path.of(configuration.substring(colon + 1))).get(0).toCharArray();
            card = SoftCipherCard.open(Path.of(configuration.substring(0, colon)), pass);
            java.util.Arrays.fill(pass, '\0');
        } catch (java.io.IOException | RuntimeException e) {
            throw new io.gmgate.crypto.card.CipherCardException(io.gmgate.crypto.card.CardErrors.UNAVAILABLE,
                    "[KEY sdf:soft] cannot open " + configuration.substring(0, Math.max(0, colon)) + ": " + e.getMessage(), e);
        }
    }

    @Override
    public byte[] generateRandom(int length) {
        return card.random(length);
    }

    @Override
    public List<int[]> keks() {
        return card.keks().stream().map(k -> new int[] {k.index(), k.version()}).toList();
    }

    @Override
    public int createKek(int index) {
        return card.rotateKek(index).version();
    }

    @Override
    public byte[] encrypt(int kekIndex, int kekVersion, byte[] data) {
        return card.wrap(new KekId(kekIndex, kekVersion), data);
    }

    @Override
    public byte[] decrypt(int kekIndex, int kekVersion, byte[] data) {
        return card.unwrap(new KekId(kekIndex, kekVersion), data);
    }

    @Override
    public byte[] calculateMac(int kekIndex, int kekVersion, byte[] data) {
        return card.mac(new KekId(kekIndex, kekVersion), data);
    }

    @Override
    public byte[] generateEccKeyPair(int index) {
        return card.generateSm2Key(index).encoded();
    }

    @Override
    public byte[] exportEccPublicKey(int index) {
        return card.sm2PublicKey(index).encoded();
    }

    @Override
    public byte[] internalSignEcc(int index, byte[] e) {
        return card.sm2SignDigest(index, e).toRaw();
    }

    @Override
    public byte[] internalDecryptEcc(int index, byte[] ciphertextDer) {
        return card.sm2Decrypt(index, Sm2Ciphertext.fromDer(ciphertextDer));
    }

    @Override
    public boolean probe() {
        return card.health().healthy();
    }

    @Override
    public void close() {
        if (card != null) {
            card.close();
        }
    }
}
