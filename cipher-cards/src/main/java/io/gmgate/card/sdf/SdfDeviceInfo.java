package io.gmgate.card.sdf;

import java.util.List;
import java.util.Objects;

import io.gmgate.crypto.card.CardAlgorithm;

/**
 * SDF_GetDeviceInfo's identity fields, and the algorithms the device uses for gmgate's functions
 * (e.g. "SM4: SM4-CBC in the device [KEK wrap]"), which the card reports as its own.
 */
public record SdfDeviceInfo(String issuer, String model, String serial, List<CardAlgorithm> algorithms) {

    public SdfDeviceInfo {
        Objects.requireNonNull(issuer, "issuer");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(serial, "serial");
        algorithms = List.copyOf(algorithms);
    }
}
