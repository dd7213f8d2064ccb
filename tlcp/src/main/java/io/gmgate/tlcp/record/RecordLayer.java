package io.gmgate.tlcp.record;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;

import io.gmgate.tlcp.Alert;
import io.gmgate.tlcp.TlcpErrors;
import io.gmgate.tlcp.TlcpException;

/**
 * Frames and unframes TLCP records (GB/T 38636-2020 §6.3.3): 5-byte header (type, version 0x0101,
 * length), at most 2^14 bytes of plaintext and 2^14 + 2048 of ciphertext. Input is buffered until a
 * whole record is there; nothing is allocated from a peer's length beyond the limit.
 */
public final class RecordLayer {

    public static final int VERSION = 0x0101;
    public static final int MAX_PLAINTEXT = 1 << 14;
    static final int MAX_CIPHERTEXT = MAX_PLAINTEXT + 2048;
    static final int HEADER = 5;

    /** One received record, already opened. */
    public record Record(int type, byte[] fragment) {
    }

    private byte[] in = new byte[0];
    private int inLength;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private RecordProtection readProtection = RecordProtection.NONE;
    private RecordProtection writeProtection = RecordProtection.NONE;
    private long readSeq;
    private long writeSeq;
    private boolean firstRecord = true;

    public void receive(byte[] data, int offset, int length) {
        if (inLength + length > in.length) {
            in = Arrays.copyOf(in, Math.max(inLength + length, Math.min(in.length * 2, HEADER + MAX_CIPHERTEXT * 2)));
        }
        System.arraycopy(data, offset, in, inLength, length);
        inLength += length;
    }

    /** The next whole record, opened with the current read protection, or null if more bytes are needed. */
    public Record next() {
        if (inLength < HEADER) {
            return null;
        }
        int type = in[0] & 0xFF;
        int version = (in[1] & 0xFF) << 8 | in[2] & 0xFF;
        int length = (in[3] & 0xFF) << 8 | in[4] & 0xFF;
        if (!ContentType.known(type)) {
            throw TlcpException.unexpected("record of unknown content type " + type);
        }
        if (version != VERSION && !(firstRecord && (version >> 8) == 0x03)) {
            throw new TlcpException(TlcpErrors.VERSION, Alert.PROTOCOL_VERSION,
                    "record version 0x" + Integer.toHexString(version) + ", TLCP is 0x0101");
        }
        if (length > MAX_CIPHERTEXT) {
            throw new TlcpException(TlcpErrors.RECORD_OVERFLOW, Alert.RECORD_OVERFLOW,
                    "record of " + length + " bytes, limit " + MAX_CIPHERTEXT);
        }
        if (inLength < HEADER + length) {
            return null;
        }
        byte[] fragment = Arrays.copyOfRange(in, HEADER, HEADER + length);
        System.arraycopy(in, HEADER + length, in, 0, inLength - HEADER - length);
        inLength -= HEADER + length;
        firstRecord = false;
        byte[] plain = readProtection.open(type, readSeq++, fragment);
        if (plain.length > MAX_PLAINTEXT) {
            throw new TlcpException(TlcpErrors.RECORD_OVERFLOW, Alert.RECORD_OVERFLOW,
                    "plaintext of " + plain.length + " bytes, limit " + MAX_PLAINTEXT);
        }
        return new Record(type, plain);
    }

    /** Bytes received and not yet a whole record: at the end of input, a truncated record. */
    public int buffered() {
        return inLength;
    }

    /** Queues {@code data} as records of {@code type}, split at the plaintext limit. */
    public void send(int type, byte[] data) {
        int off = 0;
        do {
            int n = Math.min(MAX_PLAINTEXT, data.length - off);
            byte[] sealed = writeProtection.seal(type, writeSeq++, Arrays.copyOfRange(data, off, off + n));
            out.write(type);
            out.write(VERSION >>> 8);
            out.write(VERSION & 0xFF);
            out.write(sealed.length >>> 8);
            out.write(sealed.length & 0xFF);
            out.writeBytes(sealed);
            off += n;
        } while (off < data.length);
    }

    public boolean hasOutput() {
        return out.size() > 0;
    }

    public byte[] takeOutput() {
        byte[] o = out.toByteArray();
        out.reset();
        return o;
    }

    /** After sending ChangeCipherSpec: records from now on use {@code p}. */
    public void changeWriteProtection(RecordProtection p) {
        writeProtection = p;
        writeSeq = 0;
    }

    /** After receiving ChangeCipherSpec. */
    public void changeReadProtection(RecordProtection p) {
        readProtection = p;
        readSeq = 0;
    }
}
