package io.gmgate.keystore.backup;

import java.io.IOException;

/**
 * What a backup exports: a stream of opaque records, in order. The shard store feeds its sealed shares
 * and key records through this; the export format neither knows nor cares what a record holds.
 */
@FunctionalInterface
public interface BackupSource {

    /** Hands every record to {@code out}, in order; runs once per export (e.g. inside one read-only transaction). */
    void writeRecords(RecordWriter out) throws IOException;

    /** Receives records from a {@link BackupSource}. */
    @FunctionalInterface
    interface RecordWriter {
        void write(byte[] record) throws IOException;
    }
}
