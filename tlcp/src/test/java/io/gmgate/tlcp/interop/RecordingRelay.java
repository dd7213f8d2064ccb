package io.gmgate.tlcp.interop;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;

/**
 * A loopback TCP relay that passes one connection through to a target port and keeps every byte
 * of both directions, so a test can read the plaintext handshake messages two peers exchanged
 * (TLCP's handshake is in the clear up to ChangeCipherSpec, GB/T 38636-2020 §6.4).
 */
public final class RecordingRelay implements AutoCloseable {

    /** One handshake message: type and body (without the 4-byte header). */
    public record HandshakeMessage(int type, byte[] body) {
    }

    private final ServerSocket listener;
    private final ByteArrayOutputStream toServer = new ByteArrayOutputStream();
    private final ByteArrayOutputStream toClient = new ByteArrayOutputStream();
    private final Thread thread;

    public RecordingRelay(int targetPort) throws IOException {
        listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        thread = new Thread(() -> relay(targetPort), "recording-relay");
        thread.setDaemon(true);
        thread.start();
    }

    public int port() {
        return listener.getLocalPort();
    }

    private void relay(int targetPort) {
        try (Socket client = listener.accept();
             Socket server = new Socket(InetAddress.getLoopbackAddress(), targetPort)) {
            client.setSoTimeout(15_000);
            server.setSoTimeout(15_000);
            Thread up = new Thread(() -> pump(client, server, toServer), "relay-up");
            up.setDaemon(true);
            up.start();
            pump(server, client, toClient);
            up.join(15_000);
        } catch (IOException | InterruptedException e) {
            // The relay ends with either side; what was recorded stays readable.
        }
    }

    private static void pump(Socket from, Socket to, ByteArrayOutputStream record) {
        byte[] buf = new byte[8192];
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            for (int n; (n = in.read(buf)) > 0; ) {
                synchronized (record) {
                    record.write(buf, 0, n);
                }
                out.write(buf, 0, n);
                out.flush();
            }
            to.shutdownOutput();
        } catch (IOException e) {
            // End of one direction.
        }
    }

    public byte[] clientBytes() {
        synchronized (toServer) {
            return toServer.toByteArray();
        }
    }

    public byte[] serverBytes() {
        synchronized (toClient) {
            return toClient.toByteArray();
        }
    }

    /** The record versions (e.g. 0x0101) seen in one direction, in order. */
    public static List<Integer> recordVersions(byte[] stream) {
        List<Integer> versions = new ArrayList<>();
        for (int p = 0; p + 5 <= stream.length; p += 5 + u16(stream, p + 3)) {
            versions.add(u16(stream, p + 1));
        }
        return versions;
    }

    /** The plaintext handshake messages of one direction, up to its ChangeCipherSpec. */
    public static List<HandshakeMessage> handshakeMessages(byte[] stream) {
        ByteArrayOutputStream hs = new ByteArrayOutputStream();
        for (int p = 0; p + 5 <= stream.length; ) {
            int type = stream[p] & 0xFF;
            int len = u16(stream, p + 3);
            if (type == 20 || p + 5 + len > stream.length) {
                break;
            }
            if (type == 22) {
                hs.write(stream, p + 5, len);
            }
            p += 5 + len;
        }
        byte[] all = hs.toByteArray();
        List<HandshakeMessage> out = new ArrayList<>();
        for (int p = 0; p + 4 <= all.length; ) {
            int len = (all[p + 1] & 0xFF) << 16 | u16(all, p + 2);
            if (p + 4 + len > all.length) {
                break;
            }
            out.add(new HandshakeMessage(all[p] & 0xFF, java.util.Arrays.copyOfRange(all, p + 4, p + 4 + len)));
            p += 4 + len;
        }
        return out;
    }

    static int u16(byte[] b, int i) {
        return (b[i] & 0xFF) << 8 | b[i + 1] & 0xFF;
    }

    @Override
    public void close() throws IOException {
        listener.close();
    }
}
