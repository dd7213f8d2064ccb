package io.gmgate.crypto;

/**
 * Byte order of a raw SM2 ciphertext. GB/T 32918.4-2016 fixed C1‖C3‖C2; the 2010 draft and some
 * older peers use C1‖C2‖C3.
 */
public enum Sm2CiphertextLayout {
    C1C3C2,
    C1C2C3
}
