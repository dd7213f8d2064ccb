package io.gmgate.card;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.gmgate.crypto.card.CardErrors;
import io.gmgate.crypto.card.CipherCardException;

/**
 * The deadline and the bound around every device call. A "device" here is a call that blocks,
 * deaf to interrupts, until the test releases it, which is exactly what a hung driver does.
 */
class DeviceCallsTest {

    @Test
    void aCallThatDoesNotReturnByItsDeadlineIsKey151AndItsThreadIsAccountedUntilItReturns() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        try (DeviceCalls calls = new DeviceCalls("hung", new DeviceCalls.Limits(Duration.ofMillis(100), 1, 4))) {
            CipherCardException e = assertThrows(CipherCardException.class,
                    () -> calls.call("sign", () -> hang(release), DeviceCallsTest::unexpected));
            assertEquals(CardDeviceErrors.TIMEOUT, e.errorCode());
            assertTrue(e.getMessage().contains("[KEY hung] sign timed out after 100ms (inflight=1)"), e.getMessage());
            assertEquals(1, calls.inflight(), "the stuck call still holds its device thread");
            release.countDown();
            assertEquals("ok", calls.call("probe", () -> "ok", DeviceCallsTest::unexpected));
            assertEquals(0, calls.inflight());
        }
    }

    @Test
    void whenTheQueueIsFullAFurtherCallFailsAtOnceWithKey153() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        ExecutorService callers = Executors.newFixedThreadPool(2);
        try (DeviceCalls calls = new DeviceCalls("slow", new DeviceCalls.Limits(Duration.ofSeconds(30), 1, 1))) {
            Future<?> first = callers.submit(() -> calls.call("a", () -> hang(release), DeviceCallsTest::unexpected));
            Future<?> second = callers.submit(() -> calls.call("b", () -> hang(release), DeviceCallsTest::unexpected));
            for (int i = 0; i < 3000 && calls.inflight() < 2; i++) {
                Thread.sleep(10);
            }
            assertEquals(2, calls.inflight(), "one call on the device thread, one in the queue");
            CipherCardException e = assertThrows(CipherCardException.class, () -> calls.call("c", () -> "never", DeviceCallsTest::unexpected));
            assertEquals(CardDeviceErrors.BUSY, e.errorCode());
            release.countDown();
            first.get(30, TimeUnit.SECONDS);
            second.get(30, TimeUnit.SECONDS);
        } finally {
            callers.shutdownNow();
        }
    }

    @Test
    void aDeviceFailureGoesThroughTheCardsTranslationAndCardFailuresPassUnchanged() {
        try (DeviceCalls calls = new DeviceCalls("t", DeviceCalls.Limits.DEFAULT)) {
            CipherCardException translated = assertThrows(CipherCardException.class, () -> calls.call("mac",
                    () -> { throw new IllegalStateException("CKR_DEVICE_ERROR"); },
                    failure -> new CipherCardException(CardErrors.UNAVAILABLE, "translated " + failure.getMessage())));
            assertEquals("KEY-020 translated CKR_DEVICE_ERROR", translated.getMessage());
            CipherCardException own = assertThrows(CipherCardException.class, () -> calls.call("mac",
                    () -> { throw new CipherCardException(CardErrors.INTEGRITY, "bad tag"); }, DeviceCallsTest::unexpected));
            assertEquals(CardErrors.INTEGRITY, own.errorCode());
        }
    }

    @Test
    void aClosedCardRefusesCallsWithKey020() {
        DeviceCalls calls = new DeviceCalls("closed", DeviceCalls.Limits.DEFAULT);
        calls.close();
        CipherCardException e = assertThrows(CipherCardException.class, () -> calls.call("random", () -> 1, DeviceCallsTest::unexpected));
        assertEquals(CardErrors.UNAVAILABLE, e.errorCode());
    }

    /** Like a call inside a native driver: interrupts do not end it, only the device (the latch) does. Bounded at 30 s. */
    private static boolean hang(CountDownLatch release) {
        for (int i = 0; i < 3000; i++) {
            try {
                if (release.await(10, TimeUnit.MILLISECONDS)) {
                    return true;
                }
            } catch (InterruptedException ignored) {
                // a JNI call does not see Thread.interrupt()
            }
        }
        return false;
    }

    private static CipherCardException unexpected(Throwable t) {
        throw new AssertionError("unexpected translation of " + t, t);
    }
}
