package io.gmgate.sdk;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.gmgate.crypto.GmRandom;
import io.gmgate.crypto.Sm2Curve;
import io.gmgate.crypto.Sm2PublicKey;

class LocalStoreTest {

    @TempDir
    Path tmp;

    static DeviceRecord sample(String renewalCode) {
        Sm2PublicKey p = Sm2PublicKey.of(Sm2Curve.multiplyG(Sm2Curve.randomScalar()));
        Sm2PublicKey q = Sm2PublicKey.of(Sm2Curve.multiplyG(Sm2Curve.randomScalar()));
        return DeviceRecord.fresh("8001234", "desk-1", GmRandom.bytes(16), 10_000)
                .withKeys(new StoredKey("k-sign", 1, p, GmRandom.bytes(32)), new StoredKey("k-enc", 1, q, GmRandom.bytes(32)))
                .withCertificates(List.of(GmRandom.bytes(600), GmRandom.bytes(500)), GmRandom.bytes(610))
                .withRenewalCode(Optional.of(renewalCode))
                .withAccessPolicy(GmRandom.bytes(300));
    }

    @Test
    void theFileIsOwnerOnlyAndKeepsHowItsSharesAreMasked() throws Exception {
        LocalStore store = LocalStore.open(tmp.resolve("perm"));
        DeviceRecord r = sample("RC-2");
        store.save(r);
        assertEquals(DeviceRecord.Mask.OPRF, store.load().orElseThrow().mask());
        java.nio.file.Path f = tmp.resolve("perm").resolve(LocalStore.FILE);
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(java.nio.file.Files.getPosixFilePermissions(f)));
        store.save(r.withKeys(r.signKey().orElseThrow(), r.encKey().orElseThrow(), DeviceRecord.Mask.PIN_ONLY));
        assertEquals(DeviceRecord.Mask.PIN_ONLY, store.load().orElseThrow().mask());
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(java.nio.file.Files.getPosixFilePermissions(f)));
    }

    @Test
    void aRecordRoundTripsFieldByField() {
        LocalStore store = LocalStore.open(tmp.resolve("store"));
        assertTrue(store.load().isEmpty());
        DeviceRecord r = sample("RC-1");
        store.save(r);
        DeviceRecord back = store.load().orElseThrow();

        assertEquals(r.account(), back.account());
        assertEquals(r.deviceId(), back.deviceId());
        assertArrayEquals(r.pinSalt(), back.pinSalt());
        assertEquals(r.pinIterations(), back.pinIterations());
        assertEquals(r.signKey(), back.signKey());
        assertEquals(r.encKey(), back.encKey());
        assertEquals(r.signChain().size(), back.signChain().size());
        assertArrayEquals(r.signChain().get(1), back.signChain().get(1));
        assertArrayEquals(r.encCertificate().orElseThrow(), back.encCertificate().orElseThrow());
        assertEquals(Optional.of("RC-1"), back.renewalCode());
        assertArrayEquals(r.accessPolicy().orElseThrow(), back.accessPolicy().orElseThrow());
        assertTrue(back.enrolled());
    }

    @Test
    void theDirectoryIsTheOwnersOnly() throws IOException {
        LocalStore store = LocalStore.open(tmp.resolve("private"));
        assertEquals(PosixFilePermissions.fromString("rwx------"), Files.getPosixFilePermissions(store.directory()));
    }

    @Test
    void deviceGmsIsWrittenOwnerOnlyEvenOverAWiderFileOrDirectory() throws IOException {
        java.nio.file.Path dir = Files.createDirectories(tmp.resolve("was-open"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.write(dir.resolve(LocalStore.FILE), new byte[] {1});
        Files.write(dir.resolve(LocalStore.FILE + ".tmp"), new byte[] {2});
        Files.setPosixFilePermissions(dir.resolve(LocalStore.FILE), PosixFilePermissions.fromString("rw-r--r--"));
        Files.setPosixFilePermissions(dir.resolve(LocalStore.FILE + ".tmp"), PosixFilePermissions.fromString("rw-rw-rw-"));

        LocalStore store = LocalStore.open(dir);
        assertEquals(PosixFilePermissions.fromString("rwx------"), Files.getPosixFilePermissions(dir), "an existing directory is tightened");
        store.save(sample("RC-2"));
        assertEquals(PosixFilePermissions.fromString("rw-------"), Files.getPosixFilePermissions(dir.resolve(LocalStore.FILE)));
        assertEquals(Optional.of("RC-2"), store.load().orElseThrow().renewalCode());
    }

    @Test
    void anyFlippedByteIsReportedAsDamage() throws IOException {
        LocalStore store = LocalStore.open(tmp);
        store.save(sample("RC-1"));
        Path f = tmp.resolve(LocalStore.FILE);
        byte[] good = Files.readAllBytes(f);
        for (int at : new int[] {0, 5, good.length / 2, good.length - 1}) {
            byte[] bad = good.clone();
            bad[at] ^= 0x40;
            Files.write(f, bad);
            SdkException e = assertThrows(SdkException.class, store::load);
            assertEquals(SdkErrors.STORE_CORRUPT, e.errorCode());
        }
        Files.write(f, java.util.Arrays.copyOf(good, good.length - 40));
        assertEquals(SdkErrors.STORE_CORRUPT, assertThrows(SdkException.class, store::load).errorCode());
    }

    @Test
    void anUnenrolledStoreSaysApplyFirst() {
        LocalStore store = LocalStore.open(tmp);
        SdkException e = assertThrows(SdkException.class, store::require);
        assertEquals(SdkErrors.NOT_ENROLLED, e.errorCode());
        store.save(DeviceRecord.fresh("8001234", "desk-1", GmRandom.bytes(16), 1000));
        assertEquals(SdkErrors.NOT_ENROLLED, assertThrows(SdkException.class, store::require).errorCode());
    }

    @Test
    void sharesNeverAppearInToString() {
        DeviceRecord r = sample("RC-1");
        assertTrue(r.signKey().orElseThrow().toString().contains("[redacted]"));
        assertFalse(r.toString().contains("k-sign") && r.toString().contains("maskedShare"));
    }

    /**
     * A writer process killed with SIGKILL while it rewrites the store in a loop: afterwards the store
     * always loads, and holds the last record the writer reported done or the one it was writing. The
     * kill lands after a number of completed writes that differs per round, and while the writer is
     * still writing (it reports each write, and has far more to do than the test waits for).
     */
    @Test
    void aProcessKilledMidWriteLeavesAUsableStore() throws Exception {
        Path dir = tmp.resolve("crash");
        LocalStore.open(dir).save(sample("RC-0"));
        String java = ProcessHandle.current().info().command().orElse("java");
        for (int round = 0; round < 4; round++) {
            Path stderr = tmp.resolve("writer-" + round + ".err");
            Process writer = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                    StoreWriter.class.getName(), dir.toString(), "1000000")
                    .redirectError(stderr.toFile()).start();
            try {
                BufferedReader out = new BufferedReader(new InputStreamReader(writer.getInputStream(), StandardCharsets.US_ASCII));
                int killAfter = 3 + round * 5;
                int done = 0;
                while (done < killAfter) {
                    String line = out.readLine();
                    assertNotNull(line, () -> "the writer stopped before " + killAfter + " writes: " + readQuietly(stderr));
                    done = Integer.parseInt(line);
                }
                assertTrue(writer.isAlive(), "the writer must still be writing when it is killed");
                writer.destroyForcibly();
                assertTrue(writer.waitFor(20, TimeUnit.SECONDS));
            } finally {
                writer.destroyForcibly();
            }
            DeviceRecord after = LocalStore.open(dir).load().orElseThrow();
            int kept = Integer.parseInt(after.renewalCode().orElseThrow().substring("RC-".length()));
            assertTrue(kept >= 3 + round * 5, "the store went back before a write the writer had finished: RC-" + kept);
        }
    }

    private static String readQuietly(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            return e.toString();
        }
    }

    /** The victim of the crash test: rewrites the store until killed (at most N writes, to stay bounded). */
    public static final class StoreWriter {
        public static void main(String[] args) {
            LocalStore store = LocalStore.open(Path.of(args[0]));
            int n = Integer.parseInt(args[1]);
            for (int i = 1; i <= n; i++) {
                store.save(sample("RC-" + i));
                System.out.print(i + "\n");
                System.out.flush();
            }
        }
    }
}
