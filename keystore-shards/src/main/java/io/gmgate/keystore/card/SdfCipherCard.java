package io.gmgate.keystore.card;

import java.security.MessageDigest;
import java.util.List;
import java.util.ServiceLoader;

import io.gmgate.crypto.Sm2Ciphertext;
import io.gmgate.crypto.Sm2PublicKey;
import io.gmgate.crypto.Sm2Signature;
import io.gmgate.crypto.card.CardErrors;
import io.gmgate.crypto.card.CardHealth;
import io.gmgate.crypto.card.CipherCard;
import io.gmgate.crypto.card.CipherCardException;
import io.gmgate.crypto.card.KekId;

/** A {@link CipherCard} over a vendor's {@link SdfLibrary}, found by name with {@link ServiceLoader}. */
public final class SdfCipherCard implements CipherCard {

    private final SdfLibrary sdf;
    private final String name;

    private SdfCipherCard(SdfLibrary sdf) {
        this.sdf = sdf;
        this.name = "sdf:" + sdf.vendor();
    }

    /** Loads the named vendor's library from the class path and opens it; KEY-020 when none is installed. */
    public static SdfCipherCard load(String vendor, String configuration) {
        for (SdfLibrary lib : ServiceLoader.load(SdfLibrary.class)) {
            if (lib.vendor().equals(vendor)) {
                lib.open(configuration);
                return new SdfCipherCard(lib);
            }
        }
        throw new CipherCardException(CardErrors.UNAVAILABLE, "[KEY sdf:" + vendor + "] no SDF library named '" + vendor
                + "' on the class path: put the vendor's adapter jar next to gmgate.jar");
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public byte[] random(int length) {
        return sdf.generateRandom(length);
    }

    @Override
    public KekId currentKek(int index) {
        return keks().stream().filter(k -> k.index() == index).reduce((a, b) -> b.version() > a.version() ? b : a)
                .orElseThrow(() -> new CipherCardException(CardErrors.NO_SUCH_KEY, "[KEY " + name + "] no KEK at " + index));
    }

    @Override
    public List<KekId> keks() {
        return sdf.keks().stream().map(k -> new KekId(k[0], k[1])).toList();
    }

    @Override
    public KekId rotateKek(int index) {
        return new KekId(index, sdf.createKek(index));
    }

    @Override
    public byte[] wrap(KekId kek, byte[] dataKey) {
        return sdf.encrypt(kek.index(), kek.version(), dataKey);
    }

    @Override
    public byte[] unwrap(KekId kek, byte[] wrapped) {
        return sdf.decrypt(kek.index(), kek.version(), wrapped);
    }

    @Override
    public byte[] mac(KekId kek, byte[] data) {
        return sdf.calculateMac(kek.index(), kek.version(), data);
    }

    @Override
    public boolean verifyMac(KekId kek, byte[] data, byte[] mac) {
        return MessageDigest.isEqual(mac(kek, data), mac);
    }

    @Override
    public Sm2PublicKey generateSm2Key(int index) {
        return Sm2PublicKey.decode(sdf.generateEccKeyPair(index));
    }

    @Override
    public Sm2PublicKey sm2PublicKey(int index) {
        return Sm2PublicKey.decode(sdf.exportEccPublicKey(index));
    }

    @Override
    public Sm2Signature sm2SignDigest(int index, byte[] e) {
        return Sm2Signature.fromRaw(sdf.internalSignEcc(index, e));
    }

    @Override
    public byte[] sm2Decrypt(int index, Sm2Ciphertext ciphertext) {
        return sdf.internalDecryptEcc(index, ciphertext.toDer());
    }

    @Override
    public CardHealth health() {
        long t = System.nanoTime();
        try {
            return sdf.probe() ? CardHealth.up(name, (System.nanoTime() - t) / 1_000_000)
                    : CardHealth.down(name, "probe failed", (System.nanoTime() - t) / 1_000_000);
        } catch (RuntimeException e) {
            return CardHealth.down(name, e.getMessage(), (System.nanoTime() - t) / 1_000_000);
        }
    }

    @Override
    public void close() {
        sdf.close();
    }
}
