package io.gmgate.sdk.policy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.OptionalLong;
import java.util.Set;

import io.gmgate.sdk.SdkErrors;
import io.gmgate.sdk.SdkException;

/**
 * The highest policy serial this device ever verified, in its own small file of the device store
 * directory ({@code policy.serial}, mode 600). It is kept apart from {@code device.gms} because a
 * terminal sees policies before it enrols and after its record is replaced: a captured old BYPASS
 * policy must be refused whatever happened to the record (design §5). The number only goes up.
 */
public final class PolicySerialFloor {

    static final String FILE = "policy.serial";

    private PolicySerialFloor() {
    }

    /** The highest serial verified in {@code dir}, or empty if none was. */
    public static OptionalLong read(Path dir) {
        Path f = dir.resolve(FILE);
        try {
            String text = Files.readString(f, StandardCharsets.US_ASCII).trim();
            return OptionalLong.of(Long.parseLong(text));
        } catch (NoSuchFileException e) {
            return OptionalLong.empty();
        } catch (IOException | NumberFormatException e) {
            // unreadable: refuse every policy (the terminal stays on two-way GM) until someone looks
            throw new SdkException(SdkErrors.STORE_CORRUPT, "cannot read the policy serial floor " + f + ": " + e.getMessage(), e);
        }
    }

    /** Raises the floor to {@code serial} if it is higher; written to a temporary file, synced, then renamed. */
    public static synchronized void raise(Path dir, long serial) {
        OptionalLong current = read(dir);
        if (current.isPresent() && current.getAsLong() >= serial) {
            return;
        }
        // per process: an agent and a gmgate client on the same store never share a temporary file
        Path tmp = dir.resolve(FILE + "." + ProcessHandle.current().pid() + ".tmp");
        try {
            Files.deleteIfExists(tmp);
            try (FileChannel ch = create(tmp)) {
                ch.write(ByteBuffer.wrap((serial + "\n").getBytes(StandardCharsets.US_ASCII)));
                ch.force(true);
            }
            try {
                Files.move(tmp, dir.resolve(FILE), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, dir.resolve(FILE), StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new SdkException(SdkErrors.STORE_UNWRITABLE, "cannot write the policy serial floor in " + dir + ": "
                    + e.getMessage(), e);
        }
    }

    private static FileChannel create(Path tmp) throws IOException {
        Set<StandardOpenOption> options = Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        try {
            FileAttribute<?> owner = PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));
            return FileChannel.open(tmp, options, owner);
        } catch (UnsupportedOperationException notPosix) {
            return FileChannel.open(tmp, options);
        } catch (FileAlreadyExistsException e) {
            throw new IOException(tmp + " appeared while writing", e);
        }
    }
}
