package io.gmgate.card.sdf;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.function.Function;

import io.gmgate.card.CardDeviceErrors;
import io.gmgate.card.DeviceCalls;
import io.gmgate.crypto.Sm2Ciphertext;
import io.gmgate.crypto.Sm2PublicKey;
import io.gmgate.crypto.Sm2Signature;
import io.gmgate.crypto.card.CardAlgorithm;
import io.gmgate.crypto.card.CardErrors;
import io.gmgate.crypto.card.CardHealth;
import io.gmgate.crypto.card.CipherCard;
import io.gmgate.crypto.card.CipherCardException;
import io.gmgate.crypto.card.KekId;
import io.gmgate.error.ErrorCode;

/**
 * A cipher card on a vendor's GM/T 0018 (SDF) device, through an {@link SdfLibrary} found by name.
 *
 * <p>KEK versions are the declared {@link SdfKekSlot}s. A wrapped key is the device's
 * {@code encryptWithKek} output followed by an SDF_CalculateMAC tag over it and the KEK's identity, so
 * tampering and a key moved to another KEK version are caught even when the device's SM4 mode has no
 * integrity of its own. SM2 keys are the device's internal pairs at the same index.
 *
 * <p>What this card cannot do because GM/T 0018 has no function for it — create a KEK version or an
 * SM2 key pair — fails with KEY-025 and names the vendor tool's job; it never falls back to software.
 * Each call runs on a session from a small pool with the card's deadline ({@link DeviceCalls}).
 */
public final class SdfCipherCard implements CipherCard {

    private static final byte FORMAT = 1;
    private static final byte[] WRAP_LABEL = "gmgate sdf wrap\0".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] MAC_LABEL = "gmgate sdf mac\0".getBytes(StandardCharsets.US_ASCII);

    /** SDR codes after which a session is dropped rather than reused. */
    private static final List<Integer> SESSION_FATAL = List.of(SdfException.SDR_COMMFAIL, SdfException.SDR_HARDFAIL,
            SdfException.SDR_OPENSESSION, SdfException.SDR_OPENDEVICE);

    private static final Map<Integer, ErrorCode> BY_SDR = Map.ofEntries(
            Map.entry(SdfException.SDR_COMMFAIL, CardErrors.UNAVAILABLE),
            Map.entry(SdfException.SDR_HARDFAIL, CardErrors.UNAVAILABLE),
            Map.entry(SdfException.SDR_OPENDEVICE, CardErrors.UNAVAILABLE),
            Map.entry(SdfException.SDR_OPENSESSION, CardErrors.UNAVAILABLE),
            Map.entry(SdfException.SDR_PARDENY, CardErrors.LOGIN_FAILED),
            Map.entry(SdfException.SDR_KEYNOTEXIST, CardErrors.NO_SUCH_KEY),
            Map.entry(SdfException.SDR_NOTSUPPORT, CardErrors.UNSUPPORTED),
            Map.entry(SdfException.SDR_ALGNOTSUPPORT, CardErrors.UNSUPPORTED),
            Map.entry(SdfException.SDR_ALGMODNOTSUPPORT, CardErrors.UNSUPPORTED));

    private final String name;
    private final SdfDevice device;
    private final SdfDeviceInfo info;
    private final List<SdfKekSlot> slots;
    private final DeviceCalls calls;
    private final BlockingQueue<SdfSession> idle;
    private volatile boolean closed;

    private SdfCipherCard(String name, SdfDevice device, SdfDeviceInfo info, List<SdfKekSlot> slots, DeviceCalls calls) {
        this.name = name;
        this.device = device;
        this.info = info;
        this.slots = slots.stream().sorted(Comparator.comparingInt((SdfKekSlot s) -> s.kek().index())
                .thenComparingInt(s -> s.kek().version())).toList();
        this.calls = calls;
        this.idle = new ArrayBlockingQueue<>(calls.limits().threads());
    }

    /**
     * Loads the named library, opens the device and checks that every declared KEK slot answers.
     * KEY-150 when no library of that name is on the class path, KEY-021 for a refused password,
     * KEY-022 for a declared key the device does not hold, KEY-020 when the device does not open.
     */
    public static SdfCipherCard open(SdfSettings settings) {
        String name = "sdf:" + settings.name();
        SdfLibrary library = SdfLibraries.load(settings.library());
        DeviceCalls calls = new DeviceCalls(settings.name(), settings.limits());
        SdfDevice device = null;
        SdfCipherCard card = null;
        try {
            char[] password = settings.password().clone();
            try {
                device = calls.call("SDF_OpenDevice (" + library.name() + ")",
                        () -> library.openDevice(settings.options(), password), f -> translate(name, "SDF_OpenDevice", f));
            } finally {
                Arrays.fill(password, '\0');
            }
            SdfDevice opened = device;
            SdfDeviceInfo info = calls.call("SDF_GetDeviceInfo", opened::info, f -> translate(name, "SDF_GetDeviceInfo", f));
            card = new SdfCipherCard(name, opened, info, settings.keks(), calls);
            for (SdfKekSlot slot : card.slots) {
                card.onSession("check " + slot.kek() + " (device keys " + slot.kekIndex() + "/" + slot.macIndex() + ")", s -> {
                    s.calculateMac(slot.macIndex(), MAC_LABEL);
                    s.decryptWithKek(slot.kekIndex(), s.encryptWithKek(slot.kekIndex(), new byte[16]));
                    return null;
                });
            }
            return card;
        } catch (RuntimeException e) {
            if (card != null) {
                card.close();
            } else {
                calls.close();
                if (device != null) {
                    device.close();
                }
            }
            throw e;
        }
    }

    @Override
    public String name() {
        return name;
    }

    /** The device's identity from SDF_GetDeviceInfo. */
    public SdfDeviceInfo deviceInfo() {
        return info;
    }

    @Override
    public byte[] random(int length) {
        return onSession("SDF_GenerateRandom(" + length + ")", s -> s.generateRandom(length));
    }

    @Override
    public KekId currentKek(int index) {
        requireOpen();
        KekId current = null;
        for (SdfKekSlot slot : slots) {
            if (slot.kek().index() == index) {
                current = slot.kek();
            }
        }
        if (current == null) {
            throw new CipherCardException(CardErrors.NO_SUCH_KEY, "[KEY " + name + "] no KEK at index " + index
                    + " is declared for this device (declare INDEX:VERSION=KEKINDEX/MACINDEX)");
        }
        return current;
    }

    @Override
    public List<KekId> keks() {
        requireOpen();
        return slots.stream().map(SdfKekSlot::kek).toList();
    }

    /** GM/T 0018 has no key-creation function: the new version is made with the vendor's tool and declared. */
    @Override
    public KekId rotateKek(int index) {
        requireOpen();
        throw new CipherCardException(CardErrors.UNSUPPORTED, "[KEY " + name + "] an SDF device cannot create a KEK through"
                + " GM/T 0018: create it with the vendor's management tool, declare it as " + index + ":"
                + (currentKek(index).version() + 1) + "=KEKINDEX/MACINDEX and restart; the rotation job then re-wraps to it");
    }

    @Override
    public byte[] wrap(KekId kek, byte[] dataKey) {
        SdfKekSlot slot = slot(kek);
        return onSession("wrap under " + kek, s -> {
            byte[] blob = s.encryptWithKek(slot.kekIndex(), dataKey);
            if (blob.length > 0xFFFF) {
                throw new SdfException(SdfException.SDR_UNKNOWERR, "device returned " + blob.length + " bytes for a key");
            }
            byte[] tag = s.calculateMac(slot.macIndex(), wrapMacInput(kek, blob));
            ByteArrayOutputStream out = new ByteArrayOutputStream(3 + blob.length + tag.length);
            out.write(FORMAT);
            out.write(blob.length >>> 8);
            out.write(blob.length);
            out.writeBytes(blob);
            out.writeBytes(tag);
            return out.toByteArray();
        });
    }

    @Override
    public byte[] unwrap(KekId kek, byte[] wrapped) {
        SdfKekSlot slot = slot(kek);
        if (wrapped == null || wrapped.length < 4 || wrapped[0] != FORMAT) {
            throw integrity(kek, "is not a gmgate SDF wrapped key");
        }
        int blobLength = ((wrapped[1] & 0xFF) << 8) | (wrapped[2] & 0xFF);
        if (3 + blobLength >= wrapped.length) {
            throw integrity(kek, "is truncated");
        }
        byte[] blob = Arrays.copyOfRange(wrapped, 3, 3 + blobLength);
        byte[] tag = Arrays.copyOfRange(wrapped, 3 + blobLength, wrapped.length);
        return onSession("unwrap under " + kek, s -> {
            if (!MessageDigest.isEqual(s.calculateMac(slot.macIndex(), wrapMacInput(kek, blob)), tag)) {
                throw integrity(kek, "did not verify");
            }
            return s.decryptWithKek(slot.kekIndex(), blob);
        });
    }

    @Override
    public byte[] mac(KekId kek, byte[] data) {
        SdfKekSlot slot = slot(kek);
        return onSession("SDF_CalculateMAC under " + kek, s -> s.calculateMac(slot.macIndex(), concat(MAC_LABEL, data)));
    }

    @Override
    public boolean verifyMac(KekId kek, byte[] data, byte[] mac) {
        return mac != null && MessageDigest.isEqual(mac(kek, data), mac);
    }

    /** GM/T 0018 has no function that creates an internal key pair: the vendor's tool does, at an index. */
    @Override
    public Sm2PublicKey generateSm2Key(int index) {
        requireOpen();
        throw new CipherCardException(CardErrors.UNSUPPORTED, "[KEY " + name + "] an SDF device cannot create an internal"
                + " SM2 key pair through GM/T 0018: create it at index " + index + " with the vendor's management tool");
    }

    @Override
    public Sm2PublicKey sm2PublicKey(int index) {
        return onSession("SDF_ExportSignPublicKey_ECC(" + index + ")", s -> s.exportSignPublicKey(index));
    }

    @Override
    public Sm2Signature sm2SignDigest(int index, byte[] e) {
        if (e == null || e.length != 32) {
            throw new IllegalArgumentException("SM2 digest e must be 32 bytes");
        }
        return onSession("SDF_InternalSign_ECC(" + index + ")", s -> s.internalSign(index, e));
    }

    @Override
    public byte[] sm2Decrypt(int index, Sm2Ciphertext ciphertext) {
        return onSession("SDF_InternalDecrypt_ECC(" + index + ")", s -> s.internalDecrypt(index, ciphertext));
    }

    @Override
    public List<CardAlgorithm> algorithms() {
        return info.algorithms();
    }

    /** A random draw, and a wrap/unwrap round trip under the first declared KEK (which exercises the MAC too). */
    @Override
    public CardHealth health() {
        long start = System.nanoTime();
        try {
            byte[] probe = random(16);
            if (!slots.isEmpty()) {
                KekId kek = slots.get(0).kek();
                if (!Arrays.equals(probe, unwrap(kek, wrap(kek, probe)))) {
                    return CardHealth.down(name, "[KEY " + name + "] wrap probe under " + kek + " did not round-trip",
                            (System.nanoTime() - start) / 1_000_000);
                }
            }
            return new CardHealth(name, true, "ok (" + info.issuer() + " " + info.model() + ", serial " + info.serial() + ")",
                    (System.nanoTime() - start) / 1_000_000);
        } catch (CipherCardException e) {
            return CardHealth.down(name, e.getMessage(), (System.nanoTime() - start) / 1_000_000);
        }
    }

    /** Closes the pooled sessions and the device (SDF_CloseSession, SDF_CloseDevice). */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        calls.close();
        List<SdfSession> sessions = new ArrayList<>();
        idle.drainTo(sessions);
        for (SdfSession s : sessions) {
            closeQuietly(s);
        }
        try {
            device.close();
        } catch (RuntimeException e) {
            // the device may already be gone; the card is closed either way
        }
    }

    @Override
    public String toString() {
        return "SdfCipherCard[" + name + ", " + info.model() + ", keys in the device]";
    }

    // --- sessions ---

    private <T> T onSession(String operation, Function<SdfSession, T> work) {
        requireOpen();
        return calls.call(operation, () -> {
            SdfSession session = idle.poll();
            if (session == null) {
                session = device.openSession();
            }
            boolean keep = true;
            try {
                return work.apply(session);
            } catch (SdfException e) {
                keep = !SESSION_FATAL.contains(e.sdrCode());
                throw e;
            } catch (RuntimeException | Error e) {
                keep = e instanceof CipherCardException;
                throw e;
            } finally {
                if (!keep || closed || !idle.offer(session)) {
                    closeQuietly(session);
                }
            }
        }, failure -> translate(name, operation, failure));
    }

    static CipherCardException translate(String card, String operation, Throwable failure) {
        if (failure instanceof CipherCardException cce) {
            return cce;
        }
        if (failure instanceof SdfException sdf) {
            ErrorCode code = BY_SDR.getOrDefault(sdf.sdrCode(), CardDeviceErrors.DEVICE_ERROR);
            return new CipherCardException(code, "[KEY " + card + "] " + operation + " failed: " + sdf.getMessage(), sdf);
        }
        if (failure instanceof LinkageError) {
            return new CipherCardException(CardDeviceErrors.LIBRARY_MISSING, "[KEY " + card + "] " + operation
                    + ": the SDF adapter could not reach its native library: " + failure, failure);
        }
        return new CipherCardException(CardErrors.UNAVAILABLE, "[KEY " + card + "] " + operation + " failed: " + failure, failure);
    }

    // --- helpers ---

    private SdfKekSlot slot(KekId kek) {
        requireOpen();
        for (SdfKekSlot slot : slots) {
            if (slot.kek().equals(kek)) {
                return slot;
            }
        }
        throw new CipherCardException(CardErrors.NO_SUCH_KEY, "[KEY " + name + "] no " + kek + " is declared for this device");
    }

    private CipherCardException integrity(KekId kek, String what) {
        return new CipherCardException(CardErrors.INTEGRITY, "[KEY " + name + "] wrapped key under " + kek + " " + what);
    }

    /** label ‖ index ‖ version ‖ blob: binds the tag to the KEK version, so a key moved to another version fails. */
    private static byte[] wrapMacInput(KekId kek, byte[] blob) {
        byte[] id = java.nio.ByteBuffer.allocate(8).putInt(kek.index()).putInt(kek.version()).array();
        return concat(concat(WRAP_LABEL, id), blob);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static void closeQuietly(SdfSession session) {
        try {
            session.close();
        } catch (RuntimeException e) {
            // a broken session is dropped either way
        }
    }

    private void requireOpen() {
        if (closed) {
            throw new CipherCardException(CardErrors.UNAVAILABLE, "[KEY " + name + "] card is closed");
        }
    }
}
