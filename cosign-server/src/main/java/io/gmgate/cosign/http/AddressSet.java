package io.gmgate.cosign.http;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Addresses and CIDR blocks ("10.0.3.7", "10.244.0.0/16", "fd00::/8"): the gateways a cosign node
 * takes PROXY headers from. Literal addresses only — a host name here would make trust depend on DNS.
 */
public final class AddressSet {

    private record Block(byte[] network, int prefix) {
        boolean contains(byte[] a) {
            if (a.length != network.length) {
                return false;
            }
            int full = prefix / 8;
            for (int i = 0; i < full; i++) {
                if (a[i] != network[i]) {
                    return false;
                }
            }
            int rest = prefix % 8;
            return rest == 0 || ((a[full] ^ network[full]) & (0xFF << (8 - rest)) & 0xFF) == 0;
        }
    }

    private final List<Block> blocks;

    private AddressSet(List<Block> blocks) {
        this.blocks = List.copyOf(blocks);
    }

    /** @throws IllegalArgumentException for an entry that is not an IP literal or CIDR block */
    public static AddressSet parse(Collection<String> entries) {
        List<Block> out = new ArrayList<>();
        for (String e : entries) {
            String s = e.trim();
            int slash = s.indexOf('/');
            byte[] network = literal(slash < 0 ? s : s.substring(0, slash), e);
            int prefix = network.length * 8;
            if (slash >= 0) {
                try {
                    prefix = Integer.parseInt(s.substring(slash + 1));
                } catch (NumberFormatException x) {
                    throw new IllegalArgumentException("'" + e + "' has no numeric prefix length");
                }
                if (prefix < 0 || prefix > network.length * 8) {
                    throw new IllegalArgumentException("'" + e + "': prefix length outside 0.." + network.length * 8);
                }
            }
            out.add(new Block(network, prefix));
        }
        return new AddressSet(out);
    }

    public boolean contains(String address) {
        byte[] a;
        try {
            a = literal(address, address);
        } catch (IllegalArgumentException e) {
            return false;
        }
        return blocks.stream().anyMatch(b -> b.contains(a));
    }

    public boolean isEmpty() {
        return blocks.isEmpty();
    }

    private static byte[] literal(String s, String entry) {
        boolean v4 = s.matches("\\d{1,3}(\\.\\d{1,3}){3}");
        boolean v6 = s.contains(":") && s.matches("[0-9A-Fa-f:.]+");
        if (v4 && java.util.Arrays.stream(s.split("\\.")).anyMatch(o -> Integer.parseInt(o) > 255)) {
            throw new IllegalArgumentException("'" + entry + "' is not an IP address");
        }
        if (!v4 && !v6) {
            throw new IllegalArgumentException("'" + entry + "' is not an IP address or CIDR block");
        }
        try {
            byte[] raw = InetAddress.getByName(s).getAddress(); // a literal: no DNS lookup
            if (raw.length == 16 && isV4Mapped(raw)) {
                return java.util.Arrays.copyOfRange(raw, 12, 16);
            }
            return raw;
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("'" + entry + "' is not an IP address");
        }
    }

    private static boolean isV4Mapped(byte[] a) {
        for (int i = 0; i < 10; i++) {
            if (a[i] != 0) {
                return false;
            }
        }
        return a[10] == (byte) 0xFF && a[11] == (byte) 0xFF;
    }
}
