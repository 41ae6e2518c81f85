package dev.agentlake.lake.testing;

import dev.agentlake.lake.store.EmbeddedS3Server;
import java.nio.file.Path;

/**
 * An S3-compatible server in a process of its own, standing in for MinIO where no Docker engine
 * runs: {@code java -cp … StandaloneS3Server FOLDER ACCESS_KEY SECRET_KEY}. Prints
 * {@code READY <port>} once it accepts requests, and runs until killed.
 */
public final class StandaloneS3Server {
    private StandaloneS3Server() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            System.err.println("usage: StandaloneS3Server FOLDER ACCESS_KEY SECRET_KEY");
            System.exit(2);
        }
        EmbeddedS3Server server = EmbeddedS3Server.start(Path.of(args[0]), "127.0.0.1", 0, args[1], args[2]);
        Runtime.getRuntime().addShutdownHook(new Thread(server::close));
        System.out.println("READY " + server.port());
        System.out.flush();
        Thread.currentThread().join();
    }
}
