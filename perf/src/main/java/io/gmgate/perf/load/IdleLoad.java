package io.gmgate.perf.load;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.gmgate.perf.tlcp.PerfPki;
import io.gmgate.session.AccessMode;

/**
 * Concurrent idle connections held through gateway nodes (docs/perf-gateway.md). The per-process descriptor
 * limit here is 20,000 and each relayed connection costs a node two (terminal and front), so N
 * connections are spread over NODES nodes, each with its own front process and its own client
 * shard process ({@link IdleClientMain}); every process stays under the limit. Reports, per node,
 * connections held, resident memory and heap (after a full GC) before and after, descriptors, the
 * time to open them, and how many answered one order each after IDLE_SECONDS of silence.
 *
 * <pre>java -cp perf/target/benchmarks.jar io.gmgate.perf.load.IdleLoad TOTAL NODES [IDLE_SECONDS] [OPEN_THREADS]</pre>
 */
public final class IdleLoad {

    private IdleLoad() {
    }

    public static void main(String[] args) throws Exception {
        int total = Integer.parseInt(args[0]);
        int nodes = Integer.parseInt(args[1]);
        int idleSeconds = args.length > 2 ? Integer.parseInt(args[2]) : 60;
        int threads = args.length > 3 ? Integer.parseInt(args[3]) : 4;
        int perNode = total / nodes;
        if (nodes < 1 || nodes > 8 || perNode < 1 || perNode > 9_800 || idleSeconds < 0 || idleSeconds > 3600) {
            throw new IllegalArgumentException("NODES 1..8, TOTAL/NODES 1..9800 (two descriptors each, 20,000 per process)");
        }
        Path dir = Files.createTempDirectory("gmgate-idle");
        new PerfPki().writeClient(dir);
        System.out.printf("%d two-way TLCP connections over %d nodes, idle %d s, load average %s, descriptor limit per process %s%n",
                total, nodes, idleSeconds, HandshakeLoad.loadAverage(), limit());
        try (Children children = new Children(dir)) {
            List<Process> gw = new ArrayList<>();
            List<Process> fronts = new ArrayList<>();
            for (int i = 0; i < nodes; i++) {
                fronts.add(children.start("front" + i, List.of("-Xmx512m", "-XX:+UseSerialGC"), FrontMain.class, dir.toString(), "front" + i));
            }
            for (int i = 0; i < nodes; i++) {
                int frontPort = children.port("front" + i, fronts.get(i), 120);
                gw.add(children.start("gw" + i, List.of("-Xmx2g"), GatewayNodeMain.class, dir.toString(), "gw" + i,
                        Integer.toString(frontPort), Integer.toString(17_901 + 1000 * i), "card", AccessMode.NORMAL.name()));
            }
            int[] ports = new int[nodes];
            long[] rss0 = new long[nodes];
            long[] heap0 = new long[nodes];
            for (int i = 0; i < nodes; i++) {
                ports[i] = children.port("gw" + i, gw.get(i), 300);
                heap0[i] = heapAfterGc(gw.get(i));
                rss0[i] = Children.rssBytes(gw.get(i));
            }
            List<Process> shards = new ArrayList<>();
            long t0 = System.nanoTime();
            for (int i = 0; i < nodes; i++) {
                shards.add(children.start("shard" + i, List.of("-Xmx1g", "-XX:+UseSerialGC"), IdleClientMain.class, dir.toString(),
                        "shard" + i, Integer.toString(i), Integer.toString(ports[i]), Integer.toString(perNode), Integer.toString(threads)));
            }
            int opened = 0;
            for (int i = 0; i < nodes; i++) {
                String[] o = await(dir.resolve("shard" + i + ".opened"), shards.get(i), 3_600).split(" ");
                opened += Integer.parseInt(o[0]);
                System.out.printf("  shard%d: %s connections open in %.1f s (%s failed attempts)%n", i, o[0],
                        Integer.parseInt(o[1]) / 1000.0, o[2]);
            }
            System.out.printf("opened %d of %d in %.1f s; idle for %d s%n", opened, total, (System.nanoTime() - t0) / 1e9, idleSeconds);
            Thread.sleep(idleSeconds * 1000L);
            long rss = 0;
            long heap = 0;
            for (int i = 0; i < nodes; i++) {
                long h = heapAfterGc(gw.get(i));
                long r = Children.rssBytes(gw.get(i));
                int held = Integer.parseInt(await(dir.resolve("shard" + i + ".opened"), shards.get(i), 1).split(" ")[0]);
                System.out.printf("  gw%d: %d connections, %d descriptors, RSS %d -> %d MiB (%.1f KiB per connection),"
                                + " heap after GC %d -> %d MiB (%.1f KiB per connection), front %d MiB RSS%n", i, held,
                        descriptors(gw.get(i)), rss0[i] >> 20, r >> 20, (r - rss0[i]) / 1024.0 / held, heap0[i] >> 20, h >> 20,
                        (h - heap0[i]) / 1024.0 / held, Children.rssBytes(fronts.get(i)) >> 20);
                rss += r - rss0[i];
                heap += h - heap0[i];
            }
            System.out.printf("all nodes: %.1f KiB RSS and %.1f KiB heap per connection; load average %s%n",
                    rss / 1024.0 / opened, heap / 1024.0 / opened, HandshakeLoad.loadAverage());
            Files.writeString(dir.resolve("check"), "now");
            int alive = 0;
            for (int i = 0; i < nodes; i++) {
                alive += Integer.parseInt(await(dir.resolve("shard" + i + ".alive"), shards.get(i), 600).split(" ")[0]);
            }
            System.out.printf("after %d s idle: %d of %d connections answered an order%n", idleSeconds, alive, total);
        }
    }

    private static String await(Path file, Process p, int seconds) throws Exception {
        for (int i = 0; i < seconds * 10; i++) {
            if (Files.exists(file)) {
                return Files.readString(file).trim();
            }
            if (!p.isAlive()) {
                break;
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("no " + file.getFileName() + " within " + seconds + " s");
    }

    /** Heap in use after a full collection, from jcmd (the node is another process). */
    private static long heapAfterGc(Process p) throws Exception {
        run("jcmd", Long.toString(p.pid()), "GC.run");
        String info = run("jcmd", Long.toString(p.pid()), "GC.heap_info");
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("used (\\d+)K").matcher(info);
        return m.find() ? Long.parseLong(m.group(1)) * 1024 : -1;
    }

    private static int descriptors(Process p) throws Exception {
        try (var s = Files.list(Path.of("/proc/" + p.pid() + "/fd"))) {
            return (int) s.count();
        }
    }

    private static String limit() throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
            if (line.startsWith("Max open files")) {
                return line.replaceAll("\\s+", " ").replace("Max open files ", "");
            }
        }
        return "?";
    }

    private static String run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        p.waitFor();
        return out;
    }
}
