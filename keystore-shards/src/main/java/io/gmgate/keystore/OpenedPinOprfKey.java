package io.gmgate.keystore;

import java.util.Arrays;

/**
 * A device's PIN OPRF key k_s opened for the custodian backup: the 32-byte scalar in the clear. Close
 * it (try-with-resources) as soon as it is written: that zeroes the key.
 */
public record OpenedPinOprfKey(String account, String device, byte[] key) implements AutoCloseable {

    @Override
    public void close() {
        Arrays.fill(key, (byte) 0);
    }

    @Override
    public String toString() {
        return "OpenedPinOprfKey[" + account + "/" + device + ", key redacted]";
    }
}
