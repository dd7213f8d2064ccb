package io.gmgate.keystore.backup;

import java.io.IOException;

/**
 * Where an import puts the records. Each record arrives only after its own authentication tag has
 * verified, in the order exported; but the export as a whole (no record missing at the end) is known
 * good only when {@link BackupImporter#restore} returns. A sink therefore applies records in one
 * transaction that it commits after restore returns, and rolls back if restore throws.
 */
@FunctionalInterface
public interface BackupSink {

    void record(byte[] record) throws IOException;
}
