package io.gmgate.keystore;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * The row identity a sealed share belongs to (design §6). Its canonical bytes are the SM4-GCM
 * associated data, so a ciphertext copied onto another row fails to open.
 */
public record ShareBinding(String account, String device, long keyId, Purpose purpose, int version) {

    public enum Purpose { SIGN, ENCRYPT }

    public ShareBinding {
        Objects.requireNonNull(account, "account");
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(purpose, "purpose");
    }

    /** Length-prefixed fields after a domain label, so no two bindings share an encoding. */
    public byte[] associatedData() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeUTF("gmgate key share v1");
            writeField(out, account);
            writeField(out, device);
            out.writeLong(keyId);
            out.writeUTF(purpose.name());
            out.writeInt(version);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static void writeField(DataOutputStream out, String value) throws IOException {
        byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
        out.writeInt(utf8.length);
        out.write(utf8);
    }
}
