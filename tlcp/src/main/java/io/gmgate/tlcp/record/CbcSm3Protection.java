package io.gmgate.tlcp.record;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;

import org.bouncycastle.crypto.digests.SM3Digest;
import org.bouncycastle.crypto.engines.SM4Engine;
import org.bouncycastle.crypto.macs.HMac;
import org.bouncycastle.crypto.modes.CBCBlockCipher;
import org.bouncycastle.crypto.modes.CBCModeCipher;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.params.ParametersWithIV;

import io.gmgate.tlcp.Alert;
import io.gmgate.tlcp.TlcpErrors;
import io.gmgate.tlcp.TlcpException;

/**
 * SM4-CBC with HMAC-SM3, MAC-then-encrypt with an explicit per-record IV (GB/T 38636-2020
 * §6.3.3.4.2, the TLS 1.1 layout): fragment = IV ‖ SM4-CBC(plaintext ‖ MAC ‖ padding), MAC over
 * seq ‖ type ‖ version ‖ length ‖ plaintext.
 */
public final class CbcSm3Protection implements RecordProtection {

    private static final int BLOCK = 16;
    private static final int MAC = 32;

    private final byte[] key;
    private final HMac hmac;
    private final SecureRandom random;
    private final CBCModeCipher cbc = CBCBlockCipher.newInstance(new SM4Engine());

    public CbcSm3Protection(byte[] macKey, byte[] key, SecureRandom random) {
        this.key = key.clone();
        this.hmac = new HMac(new SM3Digest());
        this.hmac.init(new KeyParameter(macKey));
        this.random = random;
    }

    @Override
    public byte[] seal(int type, long seq, byte[] plaintext) {
        byte[] mac = mac(type, seq, plaintext, plaintext.length);
        int unpadded = plaintext.length + MAC + 1;
        int padLength = (BLOCK - unpadded % BLOCK) % BLOCK;
        int bodyLength = unpadded + padLength;
        byte[] out = new byte[BLOCK + bodyLength];
        byte[] iv = new byte[BLOCK];
        random.nextBytes(iv);
        System.arraycopy(iv, 0, out, 0, BLOCK);
        System.arraycopy(plaintext, 0, out, BLOCK, plaintext.length);
        System.arraycopy(mac, 0, out, BLOCK + plaintext.length, MAC);
        Arrays.fill(out, BLOCK + plaintext.length + MAC, out.length, (byte) padLength);
        cbc.init(true, new ParametersWithIV(new KeyParameter(key), iv));
        for (int off = BLOCK; off < out.length; off += BLOCK) {
            cbc.processBlock(out, off, out, off);
        }
        return out;
    }

    @Override
    public byte[] open(int type, long seq, byte[] fragment) {
        if (fragment.length < BLOCK + roundUp(MAC + 1) || fragment.length % BLOCK != 0) {
            throw badMac("CBC record of " + fragment.length + " bytes");
        }
        byte[] body = Arrays.copyOfRange(fragment, BLOCK, fragment.length);
        cbc.init(false, new ParametersWithIV(new KeyParameter(key), Arrays.copyOf(fragment, BLOCK)));
        for (int off = 0; off < body.length; off += BLOCK) {
            cbc.processBlock(body, off, body, off);
        }
        int padLength = body[body.length - 1] & 0xFF;
        boolean padOk = padLength + 1 + MAC <= body.length;
        int checked = Math.min(padLength, body.length - 1);
        int bad = 0;
        for (int i = body.length - 1 - checked; i < body.length; i++) {
            bad |= (body[i] & 0xFF) ^ padLength;
        }
        padOk &= bad == 0;
        // Without valid padding, MAC over the longest plausible plaintext anyway, so the time
        // taken does not tell a padding error from a MAC error.
        int plainLength = padOk ? body.length - padLength - 1 - MAC : body.length - 1 - MAC;
        byte[] expected = mac(type, seq, body, plainLength);
        byte[] received = Arrays.copyOfRange(body, plainLength, plainLength + MAC);
        if (!MessageDigest.isEqual(expected, received) || !padOk) {
            throw badMac("record MAC or padding check failed");
        }
        return Arrays.copyOf(body, plainLength);
    }

    private byte[] mac(int type, long seq, byte[] data, int length) {
        byte[] header = new byte[13];
        for (int i = 0; i < 8; i++) {
            header[i] = (byte) (seq >>> (56 - 8 * i));
        }
        header[8] = (byte) type;
        header[9] = 0x01;
        header[10] = 0x01;
        header[11] = (byte) (length >>> 8);
        header[12] = (byte) length;
        hmac.update(header, 0, header.length);
        hmac.update(data, 0, length);
        byte[] out = new byte[MAC];
        hmac.doFinal(out, 0);
        return out;
    }

    private static int roundUp(int n) {
        return (n + BLOCK - 1) / BLOCK * BLOCK;
    }

    private static TlcpException badMac(String why) {
        return new TlcpException(TlcpErrors.BAD_RECORD_MAC, Alert.BAD_RECORD_MAC, why);
    }
}
