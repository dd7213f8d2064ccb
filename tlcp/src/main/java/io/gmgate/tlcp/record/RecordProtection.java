package io.gmgate.tlcp.record;

/**
 * How one direction's records are protected after ChangeCipherSpec: SM4-CBC with HMAC-SM3, or
 * SM4-GCM (GB/T 38636-2020 §6.3.3.4). Before it, records travel as plaintext.
 */
public interface RecordProtection {

    RecordProtection NONE = new RecordProtection() {
        @Override
        public byte[] seal(int type, long seq, byte[] plaintext) {
            return plaintext;
        }

        @Override
        public byte[] open(int type, long seq, byte[] fragment) {
            return fragment;
        }
    };

    /** The record fragment carrying {@code plaintext}. */
    byte[] seal(int type, long seq, byte[] plaintext);

    /** The plaintext of a received fragment; throws TLS-104 (bad_record_mac) if it was altered. */
    byte[] open(int type, long seq, byte[] fragment);
}
