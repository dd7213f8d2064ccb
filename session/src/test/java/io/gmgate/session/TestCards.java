package io.gmgate.session;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import io.gmgate.crypto.card.SoftCipherCard;

/** A fresh software card in a temporary directory: the KEK a site's nodes share to seal cluster entries. */
final class TestCards {

    private TestCards() {
    }

    static SoftCipherCard soft() {
        try {
            Path dir = Files.createTempDirectory("gmgate-session-card");
            return SoftCipherCard.init(dir.resolve("card.gmc"), "session test card".toCharArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
