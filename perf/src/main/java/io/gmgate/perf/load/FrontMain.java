package io.gmgate.perf.load;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

import io.gmgate.app.demo.DemoTradingFront;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;

/**
 * The demo trading front in its own process, so its cost and descriptors are not the gateway's.
 * Writes its port to {@code DIR/NAME.port}; runs until its standard input closes.
 *
 * <pre>java -cp benchmarks.jar io.gmgate.perf.load.FrontMain DIR NAME</pre>
 */
public final class FrontMain {

    private FrontMain() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
        int port = GatewayNodeMain.await(new DemoTradingFront(vertx).listen());
        Files.writeString(dir.resolve(args[1] + ".tmp"), Integer.toString(port));
        Files.move(dir.resolve(args[1] + ".tmp"), dir.resolve(args[1] + ".port"), StandardCopyOption.ATOMIC_MOVE);
        System.out.println(args[1] + " listening on " + port);
        while (System.in.read() >= 0) {
            // until the parent closes our stdin
        }
        vertx.close();
        System.exit(0);
    }
}
