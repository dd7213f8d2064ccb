package io.gmgate.card.sdf;

/** An opened SDF device (GM/T 0018 device handle). Thread-safe; its sessions are not. */
public interface SdfDevice extends AutoCloseable {

    /** SDF_GetDeviceInfo, plus what the device computes for each function gmgate uses. */
    SdfDeviceInfo info();

    /** SDF_OpenSession. A session serves one thread at a time. */
    SdfSession openSession();

    /** SDF_CloseDevice. */
    @Override
    void close();
}
