package io.gmgate.tlcp.io;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketTimeoutException;
import java.util.function.Predicate;

/** Plaintext chores the interop tests share on an {@link EngineSocket}; every loop is bounded by a read count. */
public final class EngineSockets {

    private static final int MAX_READS = 10_000;

    private EngineSockets() {
    }

    /** Echoes application bytes until the peer closes; returns how many were echoed. */
    public static long echoUntilClosed(EngineSocket<?> s) throws IOException {
        InputStream in = s.getInputStream();
        OutputStream out = s.getOutputStream();
        byte[] buf = new byte[16 * 1024];
        long echoed = 0;
        for (int reads = 0, n; (n = in.read(buf)) > 0; reads++) {
            requireProgress(reads, s);
            out.write(buf, 0, n);
            echoed += n;
        }
        return echoed;
    }

    /**
     * Reads application bytes until done says so, the peer closes, or a read outlasts the socket's
     * timeout (a peer that sends no more but keeps the connection open); returns what arrived.
     */
    public static byte[] readUntil(EngineSocket<?> s, Predicate<byte[]> done) throws IOException {
        InputStream in = s.getInputStream();
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        byte[] buf = new byte[16 * 1024];
        try {
            for (int reads = 0, n; !done.test(got.toByteArray()) && (n = in.read(buf)) > 0; reads++) {
                requireProgress(reads, s);
                got.write(buf, 0, n);
            }
        } catch (SocketTimeoutException quiet) {
            // the peer went quiet: what it sent is the answer
        }
        return got.toByteArray();
    }

    private static void requireProgress(int reads, EngineSocket<?> s) throws IOException {
        if (reads > MAX_READS) {
            throw new IOException(s.engine() + " still reading after " + MAX_READS + " reads");
        }
    }
}
