package io.gmgate.attacks;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Arrays;

import io.gmgate.crypto.Sm3;

/**
 * The device store file as the SDK wrote it before the OPRF (version 1): the version-2 layout without
 * the mask byte after the PBKDF2 iterations, with its SM3 checksum. Only a PIN-only record converts.
 */
final class StoreVersion1 {

    private StoreVersion1() {
    }

    static byte[] from(byte[] version2) throws IOException {
        byte[] body = Arrays.copyOf(version2, version2.length - 32);
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(body));
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(buf);
        out.writeInt(in.readInt());
        if (in.readInt() != 2) {
            throw new IllegalArgumentException("not a version-2 store");
        }
        out.writeInt(1);
        out.writeUTF(in.readUTF());
        out.writeUTF(in.readUTF());
        byte[] salt = new byte[in.readInt()];
        in.readFully(salt);
        out.writeInt(salt.length);
        out.write(salt);
        out.writeInt(in.readInt());
        if (in.readUnsignedByte() != 1) {
            throw new IllegalArgumentException("only a PIN-only store has a version-1 form");
        }
        out.write(in.readAllBytes());
        out.flush();
        byte[] v1 = buf.toByteArray();
        byte[] sum = Sm3.digest(v1);
        byte[] all = Arrays.copyOf(v1, v1.length + 32);
        System.arraycopy(sum, 0, all, v1.length, 32);
        return all;
    }
}
