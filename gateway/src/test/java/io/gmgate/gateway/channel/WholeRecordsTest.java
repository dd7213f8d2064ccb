package io.gmgate.gateway.channel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;

import org.junit.jupiter.api.Test;

class WholeRecordsTest {

    private final WholeRecords records = new WholeRecords();

    @Test
    void wholeRecordsGoAtOnce() {
        byte[] two = concat(record(22, 40), record(20, 1));
        assertArrayEquals(two, records.add(two));
        assertEquals(0, records.held());
    }

    @Test
    void aRecordSplitInItsHeaderOrBodyGoesWhenItsLastByteCame() {
        byte[] flight = concat(record(22, 2100), record(20, 1), record(22, 40));
        assertNull(records.add(Arrays.copyOfRange(flight, 0, 3)));
        assertNull(records.add(Arrays.copyOfRange(flight, 3, 2048)));
        assertNull(records.add(Arrays.copyOfRange(flight, 2048, flight.length - 1)));
        assertArrayEquals(flight, records.add(Arrays.copyOfRange(flight, flight.length - 1, flight.length)));
        assertEquals(0, records.held());
    }

    @Test
    void aLengthNoRecordHasGoesAtOnceForTheEngineToRefuse() {
        byte[] bogus = {22, 1, 1, (byte) 0xff, (byte) 0xff, 0};
        assertArrayEquals(bogus, records.add(bogus));
    }

    @Test
    void aPeerWhosePiecesNeverEndWithARecordCannotMakeItHoldMoreThanOneLargestRecord() {
        byte[] stream = concat(record(23, WholeRecords.LARGEST_RECORD - 5), record(23, WholeRecords.LARGEST_RECORD - 5));
        int passedOn = 0;
        int mostHeld = 0;
        for (int i = 0; i + 1000 <= stream.length; i += 1000) { // no piece ends where a record does
            byte[] out = records.add(Arrays.copyOfRange(stream, i, i + 1000));
            passedOn += out == null ? 0 : out.length;
            mostHeld = Math.max(mostHeld, records.held());
        }
        assertTrue(mostHeld <= WholeRecords.LARGEST_RECORD, "held " + mostHeld + " bytes");
        assertEquals(36_000, passedOn + records.held(), "every byte is passed on or still held");
        assertTrue(passedOn > 0);
    }

    static boolean endsAtBoundary(byte[] b) {
        int at = 0;
        while (at + 5 <= b.length) {
            at += 5 + (((b[at + 3] & 0xff) << 8) | (b[at + 4] & 0xff));
        }
        return at == b.length;
    }

    private static byte[] record(int type, int length) {
        byte[] r = new byte[5 + length];
        r[0] = (byte) type;
        r[1] = 3;
        r[2] = 3;
        r[3] = (byte) (length >>> 8);
        r[4] = (byte) length;
        Arrays.fill(r, 5, r.length, (byte) 0x5a);
        return r;
    }

    private static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }
}
