package io.gmgate.card;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

import io.gmgate.crypto.Sm2Ciphertext;
import io.gmgate.crypto.Sm2PublicKey;
import io.gmgate.crypto.Sm2Signature;
import io.gmgate.crypto.card.CardAlgorithm;
import io.gmgate.crypto.card.CardErrors;
import io.gmgate.crypto.card.CardHealth;
import io.gmgate.crypto.card.CipherCard;
import io.gmgate.crypto.card.CipherCardException;
import io.gmgate.crypto.card.KekId;

/**
 * One card made of two: the key-encryption keys, MACs and random numbers on a {@code kekCard} (a
 * PKCS#11 HSM, which may have no SM2), and the internal SM2 key pairs on an {@code sm2Card} (an SDF
 * device or a soft card). A firm whose HSM holds its KEKs but cannot do SM2 keeps the HSM for what it
 * can do, and nothing falls back to software unseen: {@link #algorithms()} says which card does what.
 *
 * <p>Each operation goes to exactly one card; a failure there is that card's KEY- error, naming it.
 * The split card owns both: closing it closes both.
 */
public final class SplitCipherCard implements CipherCard {

    private final String name;
    private final CipherCard kekCard;
    private final CipherCard sm2Card;

    private SplitCipherCard(CipherCard kekCard, CipherCard sm2Card) {
        this.kekCard = kekCard;
        this.sm2Card = sm2Card;
        this.name = "split(" + kekCard.name() + " + " + sm2Card.name() + ")";
    }

    /**
     * Joins the two cards. Refuses with KEY-025 an {@code sm2Card} that reports SM2 as unsupported:
     * the split would then refuse every SM2 operation at run time instead of now.
     */
    public static SplitCipherCard of(CipherCard kekCard, CipherCard sm2Card) {
        Objects.requireNonNull(kekCard, "kekCard");
        Objects.requireNonNull(sm2Card, "sm2Card");
        List<CardAlgorithm> missing = sm2Card.algorithms().stream()
                .filter(a -> a.family().equals("SM2") && a.support() == CardAlgorithm.Support.UNSUPPORTED).toList();
        if (!missing.isEmpty() || sm2Card.algorithms().stream().noneMatch(a -> a.family().equals("SM2"))) {
            throw new CipherCardException(CardErrors.UNSUPPORTED, "[KEY " + sm2Card.name() + "] cannot hold the SM2 keys for "
                    + kekCard.name() + ": it reports " + (missing.isEmpty() ? "no SM2 at all"
                    : missing.stream().map(CardAlgorithm::toString).collect(Collectors.joining("; ")))
                    + " (use a soft or sdf card as the sm2Card)");
        }
        return new SplitCipherCard(kekCard, sm2Card);
    }

    public CipherCard kekCard() {
        return kekCard;
    }

    public CipherCard sm2Card() {
        return sm2Card;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public byte[] random(int length) {
        return kekCard.random(length);
    }

    @Override
    public KekId currentKek(int index) {
        return kekCard.currentKek(index);
    }

    @Override
    public List<KekId> keks() {
        return kekCard.keks();
    }

    @Override
    public KekId rotateKek(int index) {
        return kekCard.rotateKek(index);
    }

    @Override
    public byte[] wrap(KekId kek, byte[] dataKey) {
        return kekCard.wrap(kek, dataKey);
    }

    @Override
    public byte[] unwrap(KekId kek, byte[] wrapped) {
        return kekCard.unwrap(kek, wrapped);
    }

    @Override
    public byte[] mac(KekId kek, byte[] data) {
        return kekCard.mac(kek, data);
    }

    @Override
    public boolean verifyMac(KekId kek, byte[] data, byte[] mac) {
        return kekCard.verifyMac(kek, data, mac);
    }

    @Override
    public Sm2PublicKey generateSm2Key(int index) {
        return sm2Card.generateSm2Key(index);
    }

    @Override
    public Sm2PublicKey sm2PublicKey(int index) {
        return sm2Card.sm2PublicKey(index);
    }

    @Override
    public Sm2Signature sm2SignDigest(int index, byte[] e) {
        return sm2Card.sm2SignDigest(index, e);
    }

    @Override
    public byte[] sm2Decrypt(int index, Sm2Ciphertext ciphertext) {
        return sm2Card.sm2Decrypt(index, ciphertext);
    }

    @Override
    public byte[] sm2KeyExchange(int index, boolean initiator, io.gmgate.crypto.Sm2PrivateKey ownEphemeral,
                                 Sm2PublicKey peerStatic, Sm2PublicKey peerEphemeral, int bytes) {
        return sm2Card.sm2KeyExchange(index, initiator, ownEphemeral, peerStatic, peerEphemeral, bytes);
    }

    @Override
    public boolean exchangesSm2Keys() {
        return sm2Card.exchangesSm2Keys();
    }

    /**
     * The KEK card's lines for everything but SM2, then the SM2 card's SM2 lines; each names the card
     * that does the work, so the SM2 card's other abilities (unused here) do not mislead.
     */
    @Override
    public List<CardAlgorithm> algorithms() {
        List<CardAlgorithm> lines = new ArrayList<>();
        for (CardAlgorithm a : kekCard.algorithms()) {
            if (!a.family().equals("SM2")) {
                lines.add(on(kekCard, a));
            }
        }
        for (CardAlgorithm a : sm2Card.algorithms()) {
            if (a.family().equals("SM2")) {
                lines.add(on(sm2Card, a));
            }
        }
        return List.copyOf(lines);
    }

    /** Healthy only when both cards are; the detail names each card and, when down, which one failed. */
    @Override
    public CardHealth health() {
        CardHealth keks = kekCard.health();
        CardHealth sm2 = sm2Card.health();
        long millis = keks.probeMillis() + sm2.probeMillis();
        String detail = "KEK card " + describe(keks) + "; SM2 card " + describe(sm2);
        if (keks.healthy() && sm2.healthy()) {
            return new CardHealth(name, true, detail, millis);
        }
        String down = !keks.healthy() && !sm2.healthy() ? "both cards are down"
                : !keks.healthy() ? "the KEK card " + keks.card() + " is down" : "the SM2 card " + sm2.card() + " is down";
        return CardHealth.down(name, down + ": " + detail, millis);
    }

    /** Closes both; a failure closing the first does not leave the second open. */
    @Override
    public void close() {
        try {
            sm2Card.close();
        } finally {
            kekCard.close();
        }
    }

    @Override
    public String toString() {
        return "SplitCipherCard[KEKs on " + kekCard + ", SM2 keys on " + sm2Card + "]";
    }

    private static CardAlgorithm on(CipherCard card, CardAlgorithm a) {
        return new CardAlgorithm(a.family(), a.purpose(), a.support(), a.detail() + " (card " + card.name() + ")");
    }

    private static String describe(CardHealth h) {
        return h.card() + ": " + (h.healthy() ? h.detail() : "DOWN " + h.detail());
    }
}
