package io.gmgate.ports;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A loopback port that a test must know before something binds it: a child process's listener, a
 * server stopped and started again on the same address. Binding port 0, closing and handing the
 * number on is a race: the kernel gives the same ephemeral range to every outgoing connection and
 * every {@code bind(0)} on the machine, so another build may take the port in between. A reserved
 * port is instead drawn below the kernel's ephemeral range (which the kernel never hands out by
 * itself), and every test JVM on the machine that reserves one holds a lock file for it until
 * {@link #close()} or its exit, so two builds never pick the same one.
 */
public final class ReservedPort implements AutoCloseable {

    private static final int LOWEST = 20_000;
    private static final int TRIES = 500;
    private static final Path LOCKS = Path.of(System.getProperty("java.io.tmpdir"), "gmgate-test-ports");

    private final int port;
    private final FileChannel channel;
    private final FileLock lock;

    private ReservedPort(int port, FileChannel channel, FileLock lock) {
        this.port = port;
        this.channel = channel;
        this.lock = lock;
    }

    /** A port nobody listens on now, below the ephemeral range, that no other test JVM will reserve. */
    public static ReservedPort reserve() {
        int below = ephemeralLow();
        try {
            Files.createDirectories(LOCKS);
            for (int i = 0; i < TRIES; i++) {
                int candidate = ThreadLocalRandom.current().nextInt(LOWEST, below);
                ReservedPort held = tryHold(candidate);
                if (held != null) {
                    return held;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("reserving a test port in " + LOCKS, e);
        }
        throw new IllegalStateException("no free test port in [" + LOWEST + ", " + below + ") after " + TRIES + " tries");
    }

    /** Shorthand for a port held until this JVM exits (child processes that live as long as the test class). */
    public static int forThisJvm() {
        return reserve().port();
    }

    public int port() {
        return port;
    }

    @Override
    public void close() {
        try {
            lock.release();
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String toString() {
        return "ReservedPort[" + port + "]";
    }

    private static ReservedPort tryHold(int candidate) throws IOException {
        FileChannel channel = FileChannel.open(LOCKS.resolve(candidate + ".lock"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE);
        FileLock lock = null;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException heldHere) {
            // this JVM holds it already
        }
        if (lock == null || !bindable(candidate)) {
            if (lock != null) {
                lock.release();
            }
            channel.close();
            return null;
        }
        return new ReservedPort(candidate, channel, lock);
    }

    private static boolean bindable(int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1);
            return true;
        } catch (IOException taken) {
            return false;
        }
    }

    /** The lower end of the kernel's ephemeral range (Linux), or Linux's default where unknown. */
    static int ephemeralLow() {
        try {
            String range = Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).trim();
            int low = Integer.parseInt(range.split("\\s+")[0]);
            return Math.max(low, LOWEST + 1_000);
        } catch (IOException | RuntimeException unknown) {
            return 32_768;
        }
    }
}
