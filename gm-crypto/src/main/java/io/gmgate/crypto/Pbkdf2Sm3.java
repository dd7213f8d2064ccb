package io.gmgate.crypto;

import org.bouncycastle.crypto.PBEParametersGenerator;
import org.bouncycastle.crypto.digests.SM3Digest;
import org.bouncycastle.crypto.generators.PKCS5S2ParametersGenerator;
import org.bouncycastle.crypto.params.KeyParameter;

/** PBKDF2 (RFC 8018) with HMAC-SM3 as the PRF: PIN- and passphrase-derived keys. */
public final class Pbkdf2Sm3 {

    private Pbkdf2Sm3() {
    }

    public static byte[] derive(char[] password, byte[] salt, int iterations, int keyBytes) {
        if (iterations < 1) {
            throw new IllegalArgumentException("PBKDF2 iterations must be positive");
        }
        byte[] pw = PBEParametersGenerator.PKCS5PasswordToUTF8Bytes(password);
        try {
            PKCS5S2ParametersGenerator gen = new PKCS5S2ParametersGenerator(new SM3Digest());
            gen.init(pw, salt, iterations);
            return ((KeyParameter) gen.generateDerivedParameters(keyBytes * 8)).getKey();
        } finally {
            java.util.Arrays.fill(pw, (byte) 0);
        }
    }
}
